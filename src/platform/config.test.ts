import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs with no environment at all: embedded PGlite in ./data on 127.0.0.1:3000", () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: "127.0.0.1",
      databaseUrl: undefined,
      dataDir: path.resolve("data"),
      adminEmail: undefined,
      adminPassword: undefined,
      publicUrl: "http://127.0.0.1:3000",
      smtpListen: undefined,
      smtpUrl: undefined,
      mailFrom: "Keepdesk <support@127.0.0.1>",
      logLevel: "info",
      dev: false,
      secureCookies: false,
      trustProxy: false,
    });
  });

  it("treats empty variables as unset", () => {
    expect(
      loadConfig({
        HOST: "",
        DATABASE_URL: "",
        KEEPDESK_DATA_DIR: "",
        KEEPDESK_ADMIN_EMAIL: "",
        KEEPDESK_ADMIN_PASSWORD: "",
        KEEPDESK_PUBLIC_URL: "",
        KEEPDESK_SMTP_LISTEN: "",
        KEEPDESK_SMTP_URL: "",
        KEEPDESK_MAIL_FROM: "",
        LOG_LEVEL: "",
      }),
    ).toEqual(loadConfig({}));
  });

  it("reads PORT and HOST, and derives the public URL from them", () => {
    expect(loadConfig({ PORT: "8080", HOST: "10.0.0.5" })).toMatchObject({
      port: 8080,
      host: "10.0.0.5",
      publicUrl: "http://10.0.0.5:8080",
    });
    // Listening on every interface: the URL to print is still one a browser can open.
    expect(loadConfig({ HOST: "0.0.0.0" }).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ HOST: "::" }).publicUrl).toBe("http://localhost:3000");
    expect(loadConfig({ HOST: "::1", PORT: "4000" }).publicUrl).toBe("http://[::1]:4000");
    expect(loadConfig({ PORT: "0" }).port).toBe(0);
    expect(loadConfig({ PORT: "65535" }).port).toBe(65535);
  });

  it("accepts postgres:// and postgresql:// database URLs", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://kd:pw@db:5432/keepdesk" }).databaseUrl).toBe(
      "postgres://kd:pw@db:5432/keepdesk",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://db/keepdesk" }).databaseUrl).toBe(
      "postgresql://db/keepdesk",
    );
  });

  it("reads the KEEPDESK_* settings", () => {
    const config = loadConfig({
      KEEPDESK_DATA_DIR: "var/keepdesk",
      KEEPDESK_ADMIN_EMAIL: "admin@example.test",
      KEEPDESK_ADMIN_PASSWORD: "long-enough",
      KEEPDESK_PUBLIC_URL: "https://help.example.test//",
      KEEPDESK_SMTP_LISTEN: "0.0.0.0:2525",
      KEEPDESK_SMTP_URL: "smtps://user:pw@mail.example.test:465",
      KEEPDESK_DEV: "1",
      KEEPDESK_TRUST_PROXY: "1",
      LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      dataDir: path.resolve("var/keepdesk"),
      adminEmail: "admin@example.test",
      adminPassword: "long-enough",
      publicUrl: "https://help.example.test",
      smtpListen: "0.0.0.0:2525",
      smtpUrl: "smtps://user:pw@mail.example.test:465",
      dev: true,
      trustProxy: true,
      logLevel: "debug",
      // An https public URL means secure cookies.
      secureCookies: true,
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(loadConfig({ KEEPDESK_DEV: "true", KEEPDESK_TRUST_PROXY: "yes" })).toMatchObject({
      dev: false,
      trustProxy: false,
    });
  });

  it("refuses bad values with one readable error that lists every bad variable", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "http",
        DATABASE_URL: "mysql://db/keepdesk",
        KEEPDESK_ADMIN_EMAIL: "admin",
        KEEPDESK_PUBLIC_URL: "help desk",
        KEEPDESK_SMTP_LISTEN: "2525",
        KEEPDESK_SMTP_URL: "http://mail.example.test",
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual([
      "PORT must be a port number (0-65535)",
      "DATABASE_URL must start with postgres:// or postgresql://",
      "KEEPDESK_ADMIN_EMAIL must be an email address",
      "KEEPDESK_ADMIN_PASSWORD is required with KEEPDESK_ADMIN_EMAIL",
      "KEEPDESK_PUBLIC_URL must be an absolute URL",
      "KEEPDESK_SMTP_LISTEN must be host:port",
      "KEEPDESK_SMTP_URL must start with smtp:// or smtps://",
    ]);
    expect(message.split("\n")).toEqual(["Invalid configuration:", ...problems.map((p) => `  - ${p}`)]);
  });

  it.each(["-1", "65536", "80.5", "eighty"])("refuses PORT=%s", (PORT) => {
    expect(problemsOf({ PORT })).toEqual(["PORT must be a port number (0-65535)"]);
  });

  it("takes the From address from KEEPDESK_MAIL_FROM, by default support@ the public URL's host", () => {
    expect(loadConfig({ KEEPDESK_PUBLIC_URL: "https://help.example.test:8443/desk" }).mailFrom).toBe(
      "Keepdesk <support@help.example.test>",
    );
    expect(loadConfig({ KEEPDESK_MAIL_FROM: "Acme Support <help@acme.test>" }).mailFrom).toBe(
      "Acme Support <help@acme.test>",
    );
    expect(loadConfig({ KEEPDESK_MAIL_FROM: "help@acme.test" }).mailFrom).toBe("help@acme.test");
    for (const bad of ["support", "Acme <support>", "a@b.test\r\nBcc: x@y.test", "<>", "Acme <a@b.test"]) {
      expect(problemsOf({ KEEPDESK_MAIL_FROM: bad })).toEqual([
        "KEEPDESK_MAIL_FROM must be an email address, optionally with a name: Name <address>",
      ]);
    }
  });

  it("refuses a short bootstrap admin password, even without an email", () => {
    expect(
      problemsOf({ KEEPDESK_ADMIN_EMAIL: "admin@example.test", KEEPDESK_ADMIN_PASSWORD: "short" }),
    ).toEqual(["KEEPDESK_ADMIN_PASSWORD must be at least 8 characters"]);
    expect(problemsOf({ KEEPDESK_ADMIN_PASSWORD: "1234567" })).toEqual([
      "KEEPDESK_ADMIN_PASSWORD must be at least 8 characters",
    ]);
  });
});
