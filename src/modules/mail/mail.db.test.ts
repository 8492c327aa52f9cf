import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type Session, type TestApp } from "../../../test/support/test-app.ts";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { retryDelayMs } from "../../platform/events/dispatcher.ts";
import { drainWork } from "../../platform/worker.ts";
import { MAX_MAIL_ATTEMPTS, type MailMessage, type NewMail } from "./mail.service.ts";

const ICS = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Keepdesk//EN",
  "METHOD:REQUEST",
  "BEGIN:VEVENT",
  "UID:call-back-1@help.example.test",
  "DTSTAMP:20260302T090000Z",
  "DTSTART:20260302T150000Z",
  "SUMMARY:Call back Wile E. Coyote",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

const mail = (extra: Partial<NewMail> = {}): NewMail => ({
  to: "wile@acme.test",
  toName: "Wile E. Coyote",
  subject: "Your call-back at 15:00",
  text: "We will call you back at 15:00.\n\nKeepdesk",
  html: "<p>We will call you back at <b>15:00</b>.</p>",
  purpose: "activity.invitation",
  ...extra,
});

/** A real SMTP server on 127.0.0.1 that keeps what it accepts, or refuses while `refuse` is set. */
type Received = { from: string; to: string[]; raw: Buffer };
async function startSmtp() {
  const received: Received[] = [];
  const state = { refuse: false as false | { code: number; message: string } };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuse) return callback();
      const err = Object.assign(new Error(state.refuse.message), { responseCode: state.refuse.code });
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const enqueue = (c: TestContainer, m: NewMail) =>
  c.db.kysely.transaction().execute((trx) => c.mail.enqueue(trx, m));
const drain = (c: TestContainer) => drainWork(c);
const row = (c: TestContainer, id: string) =>
  c.db.kysely.selectFrom("outbound_mail").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

describe("sending through SMTP (KEEPDESK_SMTP_URL)", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let c: TestContainer;

  beforeAll(async () => {
    smtp = await startSmtp();
    c = await createTestContainer({
      env: {
        KEEPDESK_SMTP_URL: smtp.url,
        KEEPDESK_PUBLIC_URL: "https://help.example.test",
        KEEPDESK_MAIL_FROM: "Acme Support <support@help.example.test>",
      },
    });
  });
  afterAll(async () => {
    await c?.testDb.drop();
    await smtp?.close();
  });

  it("sends a queued mail after commit, once, with our Message-ID and an .ics attachment", async () => {
    smtp.received.length = 0;
    const { id, messageId } = await enqueue(
      c,
      mail({
        inReplyTo: "<original@acme.test>",
        references: ["<first@acme.test>", "<original@acme.test>"],
        headers: { "Auto-Submitted": "auto-generated" },
        attachments: [{ filename: "invite.ics", contentType: "text/calendar; method=REQUEST", content: ICS }],
      }),
    );
    expect(messageId).toBe(`<${id}@help.example.test>`);
    // Queued, not sent: nothing leaves before the worker runs.
    expect(smtp.received).toHaveLength(0);
    expect(await row(c, id)).toMatchObject({ status: "queued", transport: "smtp", attempts: 0 });

    await drain(c);
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.from).toBe("support@help.example.test");
    expect(got.to).toEqual(["wile@acme.test"]);
    const parsed = await simpleParser(got.raw);
    expect(parsed.subject).toBe("Your call-back at 15:00");
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.inReplyTo).toBe("<original@acme.test>");
    expect(parsed.references).toEqual(["<first@acme.test>", "<original@acme.test>"]);
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(parsed.from?.value).toEqual([{ name: "Acme Support", address: "support@help.example.test" }]);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value).toEqual([{ name: "Wile E. Coyote", address: "wile@acme.test" }]);
    expect(parsed.text?.trim()).toBe("We will call you back at 15:00.\n\nKeepdesk");
    expect(parsed.html).toContain("<b>15:00</b>");
    expect(parsed.date?.toISOString()).toBe(c.clock.now().toISOString());
    const ics = parsed.attachments.find((a) => a.filename === "invite.ics");
    expect(ics?.contentType).toBe("text/calendar");
    expect(ics?.content.toString("utf8")).toBe(ICS);

    expect(await row(c, id)).toMatchObject({
      status: "sent",
      transport: "smtp",
      attempts: 1,
      last_error: null,
      sent_at: c.clock.now(),
    });

    // Draining again (twice at once, too) sends nothing more.
    await Promise.all([drain(c), drain(c)]);
    await drain(c);
    expect(smtp.received).toHaveLength(1);
  });

  it("sends nothing for a mail whose transaction rolled back", async () => {
    smtp.received.length = 0;
    let queuedId: string | undefined;
    await expect(
      c.db.kysely.transaction().execute(async (trx) => {
        queuedId = (await c.mail.enqueue(trx, mail({ subject: "never" }))).id;
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await drain(c);
    expect(smtp.received).toHaveLength(0);
    expect(
      await c.db.kysely.selectFrom("outbound_mail").select("id").where("id", "=", queuedId!).execute(),
    ).toEqual([]);
  });

  it("carries binary (Buffer) and base64 attachments byte for byte", async () => {
    smtp.received.length = 0;
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const { id } = await enqueue(
      c,
      mail({
        attachments: [
          { filename: "a.bin", contentType: "application/octet-stream", content: bytes },
          {
            filename: "b.bin",
            contentType: "application/octet-stream",
            content: bytes.toString("base64"),
            encoding: "base64",
          },
        ],
      }),
    );
    await drain(c);
    const parsed = await simpleParser(smtp.received[0]!.raw);
    expect(parsed.attachments.map((a) => [a.filename, a.content.equals(bytes)])).toEqual([
      ["a.bin", true],
      ["b.bin", true],
    ]);
    expect((await row(c, id)).status).toBe("sent");
  });

  it("records a refused send, retries it with backoff, and sends it once the relay accepts", async () => {
    smtp.received.length = 0;
    smtp.state.refuse = { code: 451, message: "Try again later" };
    const { id } = await enqueue(c, mail({ subject: "retry me" }));
    await drain(c);
    expect(smtp.received).toHaveLength(0);
    let r = await row(c, id);
    expect(r).toMatchObject({ status: "queued", attempts: 1, sent_at: null });
    expect(r.last_error).toContain("Try again later");

    // Not due again until the backoff has passed.
    await drain(c);
    expect((await row(c, id)).attempts).toBe(1);
    c.clock.advance(retryDelayMs(1));
    await drain(c);
    r = await row(c, id);
    expect(r).toMatchObject({ status: "queued", attempts: 2 });

    smtp.state.refuse = false;
    c.clock.advance(retryDelayMs(2));
    await drain(c);
    expect(smtp.received).toHaveLength(1);
    expect((await simpleParser(smtp.received[0]!.raw)).subject).toBe("retry me");
    r = await row(c, id);
    expect(r).toMatchObject({ status: "sent", attempts: 3, sent_at: c.clock.now() });
    // The last failure stays on record.
    expect(r.last_error).toContain("Try again later");
    c.clock.advance(3_600_000);
    await drain(c);
    expect(smtp.received).toHaveLength(1);
  });

  it(`gives a mail up as failed after ${MAX_MAIL_ATTEMPTS} refused attempts`, async () => {
    smtp.received.length = 0;
    smtp.state.refuse = { code: 550, message: "No such user here" };
    const { id } = await enqueue(c, mail({ to: "nobody@acme.test" }));
    for (let i = 0; i < MAX_MAIL_ATTEMPTS + 2; i++) {
      await drain(c);
      c.clock.advance(3_600_000);
    }
    smtp.state.refuse = false;
    const r = await row(c, id);
    expect(r).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS, sent_at: null });
    expect(r.last_error).toContain("No such user here");
    const timer = await c.db.kysely
      .selectFrom("timers")
      .select(["status"])
      .where("dedupe_key", "=", `mail:${id}`)
      .executeTakeFirstOrThrow();
    expect(timer.status).toBe("done");
    await drain(c);
    expect(smtp.received).toHaveLength(0);
  });

  it("refuses a bad recipient, an empty subject or a header that would smuggle lines, naming the field", async () => {
    const refused = async (m: NewMail) => {
      try {
        await enqueue(c, m);
      } catch (e) {
        return (e as { extra?: { errors?: unknown } }).extra?.errors;
      }
      throw new Error("expected a refusal");
    };
    expect(await refused(mail({ to: "not an address" }))).toEqual([
      { path: "/to", message: expect.any(String) },
    ]);
    expect(await refused(mail({ subject: " \r\n " }))).toEqual([
      { path: "/subject", message: expect.any(String) },
    ]);
    expect(await refused(mail({ headers: { "X-Thing": "a\r\nBcc: evil@example.test" } }))).toEqual([
      { path: "/headers/X-Thing", message: expect.any(String) },
    ]);
    expect(await refused(mail({ headers: { Bcc: "evil@example.test" } }))).toEqual([
      { path: "/headers/Bcc", message: expect.any(String) },
    ]);
  });

  it("folds a subject with line breaks into one line", async () => {
    smtp.received.length = 0;
    await enqueue(c, mail({ subject: "Hello\r\nBcc: evil@example.test" }));
    await drain(c);
    const parsed = await simpleParser(smtp.received[0]!.raw);
    expect(parsed.subject).toBe("Hello Bcc: evil@example.test");
    expect(parsed.bcc).toBeUndefined();
    expect(smtp.received[0]!.to).toEqual(["wile@acme.test"]);
  });
});

describe("the development mailbox (no KEEPDESK_SMTP_URL)", () => {
  let t: TestApp;
  let admin: Session;
  let agent: Session;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signInAs("admin");
    agent = await t.signInAs("agent");
  });
  afterAll(async () => t?.close());

  it("keeps the mail as sent with transport dev, listed newest first for admins", async () => {
    const first = await enqueue(t.c, mail({ to: "Wile@Acme.test", purpose: "notification" }));
    t.c.clock.advance(60_000);
    const second = await enqueue(
      t.c,
      mail({
        to: "roadrunner@acme.test",
        purpose: "sla.warning",
        caseId: "0190b3c1-0000-7000-8000-000000000001",
        attachments: [{ filename: "invite.ics", contentType: "text/calendar", content: ICS }],
      }),
    );
    await drainWork(t.c);
    expect(await row(t.c, first.id)).toMatchObject({ status: "sent", transport: "dev", attempts: 1 });

    const res = await admin.request({ method: "GET", url: "/api/v1/dev-mailbox" });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: MailMessage[]; nextCursor: string | null };
    expect(body.items.map((m) => m.id)).toEqual([second.id, first.id]);
    expect(body.nextCursor).toBeNull();
    expect(body.items[0]).toEqual({
      id: second.id,
      to: "roadrunner@acme.test",
      toName: "Wile E. Coyote",
      from: t.c.config.mailFrom,
      subject: "Your call-back at 15:00",
      text: "We will call you back at 15:00.\n\nKeepdesk",
      html: "<p>We will call you back at <b>15:00</b>.</p>",
      messageId: second.messageId,
      inReplyTo: null,
      references: null,
      headers: {},
      attachments: [{ filename: "invite.ics", contentType: "text/calendar", size: Buffer.byteLength(ICS) }],
      purpose: "sla.warning",
      caseId: "0190b3c1-0000-7000-8000-000000000001",
      status: "sent",
      transport: "dev",
      attempts: 1,
      lastError: null,
      createdAt: t.c.clock.now().toISOString(),
      sentAt: t.c.clock.now().toISOString(),
    });
    expect(t.c.config.mailFrom).toBe("Keepdesk <support@127.0.0.1>");
  });

  it("filters by recipient (any case) and purpose, and pages by cursor", async () => {
    const list = async (qs: string) => {
      const res = await admin.request({ method: "GET", url: `/api/v1/dev-mailbox?${qs}` });
      expect(res.statusCode).toBe(200);
      return res.json() as { items: MailMessage[]; nextCursor: string | null };
    };
    expect((await list("to=wile@acme.test")).items.map((m) => m.to)).toEqual(["Wile@Acme.test"]);
    expect((await list("purpose=sla.warning")).items.map((m) => m.to)).toEqual(["roadrunner@acme.test"]);
    expect((await list("purpose=nothing")).items).toEqual([]);

    const page1 = await list("limit=1");
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await list(`limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0]!.id).not.toBe(page1.items[0]!.id);
    expect(page2.nextCursor).toBeNull();

    const bad = await admin.request({ method: "GET", url: "/api/v1/dev-mailbox?cursor=nonsense" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: "/cursor", message: expect.any(String) }]);
  });

  it("shows one mail with its attachments' contents", async () => {
    const { id } = await enqueue(
      t.c,
      mail({ attachments: [{ filename: "invite.ics", contentType: "text/calendar", content: ICS }] }),
    );
    const res = await admin.request({ method: "GET", url: `/api/v1/dev-mailbox/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id,
      status: "queued",
      attachments: [
        {
          filename: "invite.ics",
          contentType: "text/calendar",
          size: Buffer.byteLength(ICS),
          encoding: "utf8",
          content: ICS,
        },
      ],
    });
    const missing = await admin.request({
      method: "GET",
      url: "/api/v1/dev-mailbox/0190b3c1-0000-7000-8000-00000000dead",
    });
    expect(missing.statusCode).toBe(404);
  });

  it("is for admins only", async () => {
    const { id } = await enqueue(t.c, mail());
    for (const url of ["/api/v1/dev-mailbox", `/api/v1/dev-mailbox/${id}`]) {
      const res = await agent.request({ method: "GET", url });
      expect(res.statusCode).toBe(403);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect((await t.app.inject({ method: "GET", url })).statusCode).toBe(401);
    }
  });
});
