import type { Container } from "../container.ts";
import { buildApp } from "../http/app.ts";
import { imapSettingsFromEnv, startImapPoller } from "../modules/email/imap-poller.ts";
import { startSmtpListener } from "../modules/email/smtp-listener.ts";
import { type Config, mailHostOf } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { startWorker } from "../platform/worker.ts";
import { boot, bootstrapAdmin } from "../runtime.ts";

export async function serve(config: Config, options: { seedDemo: boolean; seed?: number }) {
  const log = createLogger(config.logLevel);
  const c = await boot(config, log);
  await bootstrapAdmin(c);
  let demoLogins: { email: string; password: string; role: string }[] = [];
  if (options.seedDemo) {
    const { seedDemoIfEmpty } = await import("./seed.ts");
    demoLogins = await seedDemoIfEmpty(c, options.seed ?? 42);
  }
  const app = await buildApp(c, { web: true });
  // Embedded PGlite lives in this process: nobody else can run the worker.
  const worker = c.db.kind === "pglite" ? await startWorker(c) : undefined;
  await app.listen({ port: config.port, host: config.host });
  // KEEPDESK_SMTP_LISTEN: inbound mail (stored raw, then processed by the worker).
  const smtp = config.smtpListen
    ? await startSmtpListener(c.inboundMail, {
        listen: config.smtpListen,
        log,
        hostname: mailHostOf(config.publicUrl),
      })
    : undefined;
  // KEEPDESK_IMAP_URL: poll a mailbox instead of (or as well as) listening for SMTP.
  const imapSettings = imapSettingsFromEnv(process.env);
  const imap = imapSettings
    ? startImapPoller(imapSettings, (raw, envelope) => c.inboundMail.receive(raw, envelope), log)
    : undefined;
  if (imapSettings) {
    log.info({ host: imapSettings.host, mailbox: imapSettings.mailbox }, "polling IMAP for inbound mail");
  }
  printBanner(c, demoLogins, smtp);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, "shutting down");
    await smtp?.close();
    await imap?.stop();
    await app.close();
    await worker?.stop();
    await c.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

function printBanner(
  c: Container,
  logins: { email: string; password: string; role: string }[],
  smtp?: { host: string; port: number },
) {
  const lines = [
    "",
    `  Keepdesk is running at ${c.config.publicUrl}`,
    `  Database: ${c.db.kind === "pglite" ? `embedded PGlite in ${c.config.dataDir}` : "PostgreSQL server"}`,
    `  API docs: ${c.config.publicUrl}/api/docs`,
  ];
  if (smtp) lines.push(`  Inbound mail (SMTP): ${smtp.host}:${smtp.port}`);
  lines.push(
    `  Outbound mail: ${c.config.smtpUrl ? "through KEEPDESK_SMTP_URL" : "development mailbox (Admin → Development mailbox)"}`,
  );
  if (logins.length > 0) {
    lines.push("", "  Demo sign-ins:");
    for (const l of logins) lines.push(`    ${l.role.padEnd(8)} ${l.email.padEnd(32)} ${l.password}`);
  }
  lines.push("");
  console.log(lines.join("\n"));
}
