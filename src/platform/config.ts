import path from "node:path";

/** Everything Keepdesk reads from the environment, validated once at start (see API.md "Running"). */
export type Config = {
  port: number;
  host: string;
  /** Unset: embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  publicUrl: string;
  smtpListen: string | undefined;
  smtpUrl: string | undefined;
  /** The From of every mail Keepdesk sends, e.g. `Keepdesk <support@example.com>`. */
  mailFrom: string;
  logLevel: string;
  /** Serve the web app through Vite's dev server instead of built assets. */
  dev: boolean;
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For. */
  trustProxy: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const port = parsePort(env.PORT?.trim() || "3000", "PORT", problems);
  const host = env.HOST || "127.0.0.1";
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const dataDir = path.resolve(env.KEEPDESK_DATA_DIR || "./data");
  const adminEmail = env.KEEPDESK_ADMIN_EMAIL || undefined;
  const adminPassword = env.KEEPDESK_ADMIN_PASSWORD || undefined;
  if (adminEmail && !adminEmail.includes("@")) problems.push("KEEPDESK_ADMIN_EMAIL must be an email address");
  if (adminEmail && !adminPassword)
    problems.push("KEEPDESK_ADMIN_PASSWORD is required with KEEPDESK_ADMIN_EMAIL");
  if (adminPassword && adminPassword.length < 8)
    problems.push("KEEPDESK_ADMIN_PASSWORD must be at least 8 characters");
  const publicUrl = (env.KEEPDESK_PUBLIC_URL || `http://${hostForUrl(host)}:${port}`).replace(/\/+$/, "");
  try {
    new URL(publicUrl);
  } catch {
    problems.push("KEEPDESK_PUBLIC_URL must be an absolute URL");
  }
  const smtpListen = env.KEEPDESK_SMTP_LISTEN || undefined;
  if (smtpListen && !/^[^:]+:\d+$/.test(smtpListen)) problems.push("KEEPDESK_SMTP_LISTEN must be host:port");
  const smtpUrl = env.KEEPDESK_SMTP_URL || undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push("KEEPDESK_SMTP_URL must start with smtp:// or smtps://");
  const mailFrom = (env.KEEPDESK_MAIL_FROM || `Keepdesk <support@${mailHostOf(publicUrl)}>`).trim();
  if (!MAIL_FROM_RE.test(mailFrom))
    problems.push("KEEPDESK_MAIL_FROM must be an email address, optionally with a name: Name <address>");
  const logLevel = env.LOG_LEVEL || "info";
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    adminEmail,
    adminPassword,
    publicUrl,
    smtpListen,
    smtpUrl,
    mailFrom,
    logLevel,
    dev: env.KEEPDESK_DEV === "1",
    secureCookies: publicUrl.startsWith("https://"),
    trustProxy: env.KEEPDESK_TRUST_PROXY === "1",
  };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function parsePort(raw: string, name: string, problems: string[]): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    problems.push(`${name} must be a port number (0-65535)`);
    return 0;
  }
  return n;
}

/** `address` or `Name <address>`; no line breaks (it becomes a header). */
const MAIL_FROM_RE = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** The host of the public URL: the domain of our From address and Message-IDs. */
export function mailHostOf(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || "localhost";
  } catch {
    return "localhost";
  }
}

function hostForUrl(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
