import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { createLogger } from "../../platform/logger.ts";
import { drainWork } from "../../platform/worker.ts";
import { type ImapSettings, imapSettingsFromEnv, parseImapUrl, pollOnce } from "./imap-poller.ts";

/**
 * IMAP polling against a real IMAP server: Debian's Dovecot (package dovecot-imapd), started
 * here on a free port with a throwaway mailbox. Runs as root (as CI does): the mail user is
 * `nobody`.
 */

const log = createLogger("silent");
let dir: string;
let port: number;
let dovecot: ChildProcess;
let c: TestContainer;
const USER = "support@example.test";
const PASS = "s3cret pass";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

async function waitForPort(p: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(p, "127.0.0.1", () => {
        s.end();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `dovecot did not listen on ${p}: ${fs.readFileSync(path.join(dir, "dovecot.log"), "utf8")}`,
  );
}

function settings(extra: Partial<ImapSettings> = {}): ImapSettings {
  return {
    ...parseImapUrl(`imap://${encodeURIComponent(USER)}:${encodeURIComponent(PASS)}@127.0.0.1:${port}/INBOX`),
    ...extra,
  };
}

async function withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: "127.0.0.1",
    port,
    secure: false,
    auth: { user: USER, pass: PASS },
    logger: false,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

const mail = (subject: string, id: string) =>
  Buffer.from(
    [
      "From: Erin Example <erin@erin-corp.test>",
      `To: ${USER}`,
      `Subject: ${subject}`,
      `Message-ID: <${id}@erin-corp.test>`,
      "Date: Mon, 02 Mar 2026 08:00:00 +0000",
      "Content-Type: text/plain; charset=utf-8",
      "",
      `Body of ${subject}`,
      "",
    ].join("\r\n"),
  );

async function unseen(mailbox = "INBOX"): Promise<number> {
  return withClient(async (client) => {
    const lock = await client.getMailboxLock(mailbox);
    try {
      return ((await client.search({ seen: false }, { uid: true })) || []).length;
    } finally {
      lock.release();
    }
  });
}

async function count(mailbox: string): Promise<number> {
  return withClient(async (client) => {
    const status = await client.status(mailbox, { messages: true });
    return status ? (status.messages ?? 0) : 0;
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kd-imap-"));
  port = await freePort();
  fs.mkdirSync(path.join(dir, "home"));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, "passwd"), `${USER}:{PLAIN}${PASS}\n`);
  fs.writeFileSync(
    path.join(dir, "dovecot.conf"),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = ${dir}/dovecot.log
mail_location = maildir:~/Maildir
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  fs.chownSync(path.join(dir, "home"), 65534, 65534);
  dovecot = spawn("dovecot", ["-c", path.join(dir, "dovecot.conf"), "-F"], { stdio: "ignore" });
  await waitForPort(port);
  c = await createTestContainer();
}, 60_000);

afterAll(async () => {
  dovecot?.kill("SIGTERM");
  await c?.testDb.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("KEEPDESK_IMAP_URL", () => {
  it("reads imaps and imap URLs, encoded credentials, the mailbox and moveTo", () => {
    expect(parseImapUrl("imaps://me%40x.test:p%40ss@mail.x.test/Support%20Box?moveTo=Done")).toMatchObject({
      host: "mail.x.test",
      port: 993,
      secure: true,
      user: "me@x.test",
      pass: "p@ss",
      mailbox: "Support Box",
      moveTo: "Done",
    });
    expect(parseImapUrl("imap://u:p@h")).toMatchObject({
      port: 143,
      secure: false,
      mailbox: "INBOX",
      moveTo: null,
    });
    expect(() => parseImapUrl("http://u:p@h/INBOX")).toThrow(/imap/);
    expect(() => parseImapUrl("imaps://h/INBOX")).toThrow(/user/);
    expect(imapSettingsFromEnv({})).toBeUndefined();
    expect(
      imapSettingsFromEnv({ KEEPDESK_IMAP_URL: "imaps://u:p@h/INBOX", KEEPDESK_IMAP_POLL_SECONDS: "30" })
        ?.pollMs,
    ).toBe(30_000);
    expect(() =>
      imapSettingsFromEnv({ KEEPDESK_IMAP_URL: "imaps://u:p@h", KEEPDESK_IMAP_POLL_SECONDS: "1" }),
    ).toThrow(/POLL_SECONDS/);
  });
});

describe("polling a real IMAP server (Dovecot)", () => {
  it("stores each unseen message, then marks it seen; seen ones are left alone", async () => {
    await withClient(async (client) => {
      await client.append("INBOX", mail("Already read", "old-1"), ["\\Seen"]);
      await client.append("INBOX", mail("Invoice question", "imap-1"));
      await client.append("INBOX", mail("Second question", "imap-2"));
    });
    const result = await pollOnce(settings(), (raw, env) => c.inboundMail.receive(raw, env), log);
    expect(result).toEqual({ found: 2, stored: 2, failed: 0 });
    expect(await unseen()).toBe(0);
    const rows = await c.db.kysely
      .selectFrom("inbound_mail")
      .select(["id", "envelope_to", "remote_address"])
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]!.envelope_to).toEqual([USER]);
    expect(rows[0]!.remote_address).toBe("imap:127.0.0.1");
    await drainWork(c);
    const cases = await c.db.kysely
      .selectFrom("cases")
      .select(["subject", "channel"])
      .orderBy("subject")
      .execute();
    expect(cases).toEqual([
      { subject: "Invoice question", channel: "email" },
      { subject: "Second question", channel: "email" },
    ]);
    // Nothing new: the next poll finds nothing.
    expect(await pollOnce(settings(), (raw, env) => c.inboundMail.receive(raw, env), log)).toEqual({
      found: 0,
      stored: 0,
      failed: 0,
    });
  });

  it("a message that could not be stored stays unseen and is taken by the next poll", async () => {
    await withClient((client) => client.append("INBOX", mail("Flaky database", "imap-3")));
    const failing = await pollOnce(
      settings(),
      async () => {
        throw new Error("database down");
      },
      log,
    );
    expect(failing).toEqual({ found: 1, stored: 0, failed: 1 });
    expect(await unseen()).toBe(1);
    const ok = await pollOnce(settings(), (raw, env) => c.inboundMail.receive(raw, env), log);
    expect(ok.stored).toBe(1);
    expect(await unseen()).toBe(0);
  });

  it("with moveTo, stored messages move to that folder", async () => {
    await withClient(async (client) => {
      await client.mailboxCreate("Processed");
      await client.append("INBOX", mail("Move me", "imap-4"));
    });
    const before = await count("Processed");
    const r = await pollOnce(
      settings({ moveTo: "Processed" }),
      (raw, env) => c.inboundMail.receive(raw, env),
      log,
    );
    expect(r.stored).toBe(1);
    expect(await count("Processed")).toBe(before + 1);
    expect(await unseen()).toBe(0);
  });

  it("a wrong password fails the poll without touching anything", async () => {
    await expect(pollOnce(settings({ pass: "wrong" }), async () => "x", log)).rejects.toThrow();
  });
});
