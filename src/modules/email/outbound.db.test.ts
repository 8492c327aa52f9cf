import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import {
  as,
  caseRow,
  drain,
  EMAIL_ENV,
  emailWorld,
  inboundRow,
  mailbox,
  message,
  messagesOf,
  smtpClient,
  startListener,
  type World,
} from "./email.fixtures.ts";
import { INBOUND_ATTEMPTS } from "./inbound.service.ts";
import { AUTO_MAIL_CAP, AUTO_MAIL_WINDOW_MS } from "./loop-guard.ts";
import type { SmtpListener } from "./smtp-listener.ts";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A relay that keeps every raw message it accepts (what KEEPDESK_SMTP_URL points at). */
async function startRelay() {
  const received: { to: string[]; raw: Buffer }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (ch: Buffer) => chunks.push(ch));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("outbound mail and notifications", () => {
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let c: TestContainer;
  let w: World;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;
  let caseId: string;

  beforeAll(async () => {
    relay = await startRelay();
    c = await createTestContainer({ env: { ...EMAIL_ENV, KEEPDESK_SMTP_URL: relay.url } });
    w = await emailWorld(c);
    listener = await startListener(c);
    client = smtpClient(listener);
    const id = await client.send(
      message({
        from: "Hank Scorpio <hank@globex.test>",
        subject: "Export broken",
        body: "The export fails.",
        messageId: "first@globex.test",
      }),
    );
    await drain(c);
    caseId = (await inboundRow(c, id)).case_id!;
  });
  afterAll(async () => {
    client?.close();
    await listener?.close();
    await relay?.close();
    await c?.testDb.drop();
  });

  const relayed = async (purpose: string) => {
    const mails = await mailbox(c, { purpose });
    return Promise.all(
      mails.map(async (m) => {
        const raw = relay.received.find((r) => r.raw.toString("utf8").includes(m.messageId));
        expect(raw, `${purpose} went through the relay`).toBeDefined();
        return { mail: m, parsed: await simpleParser(raw!.raw) };
      }),
    );
  };

  it("acknowledges with the SLA due time in the contact's zone (New York)", async () => {
    const [ack] = await relayed("case.notification.received");
    expect(ack).toBeDefined();
    const { parsed } = ack!;
    // Received Mon 2 Mar 09:00Z = 09:00 London; two business hours later is 11:00Z, 06:00 in New York.
    expect(parsed.text).toContain("We aim to answer by Monday 2 March, 06:00 (GMT-5).");
    expect(parsed.headers.get("auto-submitted")).toBe("auto-replied");
    expect(parsed.headers.get("x-auto-response-suppress")).toBe("All");
    expect(parsed.inReplyTo).toBe("<first@globex.test>");
    expect(parsed.subject).toBe(
      `We have received your request: Export broken [${formatCaseNumber((await caseRow(c, caseId)).number)}]`,
    );
    // An acknowledgement is not a human answer: the first-response clock still runs.
    const k = await c.cases.get(w.agent, caseId);
    expect(k.sla.find((s) => s.kpi === "firstResponse")?.status).toBe("running");
    expect(await messagesOf(c, caseId)).toEqual([]);
  });

  it("sends a staff reply with threading headers, the case number, the marker and shared files; parsed back", async () => {
    c.clock.advance(5 * 60_000);
    const sent = await c.caseMessages.add(
      as(w.agent),
      caseId,
      { kind: "reply", body: "Please try again now." },
      [{ filename: "steps.png", mimetype: "image/png", data: PNG, path: "/files/0" }],
    );
    await c.caseMessages.add(as(w.agent), caseId, { kind: "note", body: "Internal: he is grumpy." });
    await drain(c);
    const replies = await relayed("case.reply");
    expect(replies).toHaveLength(1);
    const { mail, parsed } = replies[0]!;
    const number = formatCaseNumber((await caseRow(c, caseId)).number);
    expect(parsed.messageId).toBe(mail.messageId);
    expect(parsed.messageId).toMatch(/^<[0-9a-f-]{36}@help\.example\.test>$/);
    expect(parsed.inReplyTo).toBe("<first@globex.test>");
    expect(parsed.references).toEqual(expect.arrayContaining(["<first@globex.test>"]));
    expect(parsed.subject).toBe(`Re: Export broken [${number}]`);
    expect(parsed.text).toContain("Please try again now.");
    expect(parsed.text).toMatch(new RegExp(`\\[ref:${number}:[a-z2-9]{12}\\]`));
    expect(parsed.headers.get("auto-submitted")).toBeUndefined();
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(PNG)])).toEqual([
      ["steps.png", "image/png", true],
    ]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value[0]?.address : null).toBe(
      "hank@globex.test",
    );
    expect(relay.received.some((r) => r.raw.toString("utf8").includes("he is grumpy"))).toBe(false);
    // The human reply met the first response.
    const k = await c.cases.get(w.agent, caseId);
    expect(k.sla.find((s) => s.kpi === "firstResponse")?.status).toBe("met");
    expect(sent.kind).toBe("reply");
  });

  it("a customer answering our reply (as parsed from the wire) threads back onto the case", async () => {
    const { parsed } = (await relayed("case.reply"))[0]!;
    const id = await client.send(
      message({
        from: "Hank Scorpio <hank@globex.test>",
        subject: `Re: ${parsed.subject}`,
        body: `Works now, thanks!\n\nOn Mon, 2 Mar 2026 at 09:05, Keepdesk wrote:\n> Please try again now.`,
        messageId: "second@globex.test",
        headers: { "In-Reply-To": parsed.messageId!, References: `<first@globex.test> ${parsed.messageId}` },
      }),
    );
    await drain(c);
    expect(await inboundRow(c, id)).toMatchObject({ case_id: caseId, threaded_by: "in_reply_to" });
    const last = (await messagesOf(c, caseId)).at(-1);
    expect(last).toMatchObject({ kind: "customer", body: "Works now, thanks!", contact_id: w.hankId });
  });

  it("tells the customer at each moment, exactly once, by template", async () => {
    c.clock.advance(60_000);
    await c.cases.update(as(w.agent), caseId, { ownerId: w.agent.kind === "user" ? w.agent.id : undefined });
    await c.cases.update(as(w.agent), caseId, { status: "waiting_on_customer" });
    await drain(c);
    await drain(c);
    const assigned = await relayed("case.notification.assigned");
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.parsed.text).toContain("Alex Agent is now looking after case");
    expect(assigned[0]!.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    const waiting = await relayed("case.notification.waiting");
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.parsed.subject).toMatch(/^We need your reply: Export broken \[CS-\d{6}\]$/);
    // Threaded like everything else: In-Reply-To the customer's latest mail.
    expect(waiting[0]!.parsed.inReplyTo).toBe("<second@globex.test>");
  });

  it("a switched-off moment sends nothing; resolving sends the resolved mail", async () => {
    await c.emailTemplates.put(as(w.admin), "waiting", { enabled: false });
    await c.emailTemplates.put(as(w.admin), "resolved", {
      body: "Dear {{contact.name}}, {{case.number}} is done. {{#agent.name}}Regards, {{agent.name}}{{/agent.name}}",
    });
    await c.cases.update(as(w.agent), caseId, { status: "open" });
    await c.cases.update(as(w.agent), caseId, { status: "waiting_on_customer" });
    await c.cases.update(as(w.agent), caseId, { status: "resolved" });
    await drain(c);
    expect(await relayed("case.notification.waiting")).toHaveLength(1);
    const resolved = await relayed("case.notification.resolved");
    expect(resolved).toHaveLength(1);
    const number = formatCaseNumber((await caseRow(c, caseId)).number);
    expect(resolved[0]!.parsed.text).toContain(`Dear Hank Scorpio, ${number} is done. Regards, Alex Agent`);
  });
});

describe("threading across the life of a case", () => {
  let c: TestContainer;
  let w: World;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;

  beforeAll(async () => {
    c = await createTestContainer({ env: EMAIL_ENV });
    w = await emailWorld(c);
    listener = await startListener(c);
    client = smtpClient(listener);
  });
  afterAll(async () => {
    client?.close();
    await listener?.close();
    await c?.testDb.drop();
  });

  const open = async (id: string, subject: string) => {
    const inbound = await client.send(
      message({ from: "wile@acme.test", subject, body: "Help!", messageId: id }),
    );
    await drain(c);
    return (await inboundRow(c, inbound)).case_id!;
  };
  const answer = async (inReplyTo: string, id: string) => {
    const inbound = await client.send(
      message({
        from: "wile@acme.test",
        subject: "Re: it",
        body: `Reply ${id}`,
        messageId: id,
        headers: { "In-Reply-To": inReplyTo },
      }),
    );
    await drain(c);
    return inboundRow(c, inbound);
  };

  it("a reply to a resolved case reopens it inside the window and opens a linked case after it", async () => {
    const caseId = await open("life-1@acme.test", "Broken stapler");
    await c.cases.update(as(w.agent), caseId, { status: "resolved" });
    await drain(c);
    const resolvedMail = (await mailbox(c, { purpose: "case.notification.resolved" })).at(-1)!;
    c.clock.advance(3 * 86_400_000);
    const back = await answer(resolvedMail.messageId, "life-2@acme.test");
    expect(back.case_id).toBe(caseId);
    expect(await caseRow(c, caseId)).toMatchObject({ status: "open", reopen_count: 1 });

    await c.cases.update(as(w.agent), caseId, { status: "resolved" });
    await drain(c);
    c.clock.advance(30 * 86_400_000);
    const late = await answer("<life-2@acme.test>", "life-3@acme.test");
    expect(late.case_id).not.toBe(caseId);
    const followUp = await caseRow(c, late.case_id!);
    expect(followUp).toMatchObject({
      related_case_id: caseId,
      status: "new",
      channel: "email",
      contact_id: w.wileId,
    });
    expect(await caseRow(c, caseId)).toMatchObject({ status: "resolved" });
    // The follow-up is a new enquiry: acknowledged with its own number.
    const acks = await mailbox(c, { purpose: "case.notification.received" });
    expect(
      acks.some((m) => m.caseId === followUp.id && m.subject.includes(formatCaseNumber(followUp.number))),
    ).toBe(true);
    // And answers to its mail thread onto it.
    expect((await answer("<life-3@acme.test>", "life-4@acme.test")).case_id).toBe(followUp.id);
  });

  it("mail about a merged duplicate lands on the case it was merged into", async () => {
    const a = await open("merge-a@acme.test", "Printer A");
    const b = await open("merge-b@acme.test", "Printer B");
    await c.cases.merge(as(w.agent), b, a);
    const r = await answer("<merge-b@acme.test>", "merge-c@acme.test");
    expect(r.case_id).toBe(a);
  });

  it("a marker with a forged token or another case's number threads nothing", async () => {
    const caseId = await open("forge-1@acme.test", "Forgery");
    await c.caseMessages.add(as(w.agent), caseId, { kind: "reply", body: "Hello" });
    await drain(c);
    const reply = (await mailbox(c, { purpose: "case.reply" })).at(-1)!;
    const marker = /\[ref:(CS-\d+):([a-z2-9]+)\]/.exec(reply.text)!;
    const forged = [`[ref:${marker[1]}:aaaaaaaaaaaa]`, `[ref:CS-999999:${marker[2]}]`];
    for (const [i, m] of forged.entries()) {
      const id = await client.send(
        message({
          from: "wile@acme.test",
          subject: "again",
          body: `See ${m}`,
          messageId: `forge-x${i}@acme.test`,
        }),
      );
      await drain(c);
      expect((await inboundRow(c, id)).threaded_by).toBe("new_case");
    }
  });
});

describe("loop protection", () => {
  let c: TestContainer;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;

  beforeAll(async () => {
    c = await createTestContainer({ env: EMAIL_ENV });
    await emailWorld(c);
    listener = await startListener(c);
    client = smtpClient(listener);
  });
  afterAll(async () => {
    client?.close();
    await listener?.close();
    await c?.testDb.drop();
  });

  const flood = async (from: string, n: number, headers: Record<string, string> = {}) => {
    for (let i = 0; i < n; i++) {
      await client.send(
        message({
          from,
          subject: `Ticket #${i} received`,
          body: `We got your mail (${i}).`,
          messageId: `${from}-${i}-${Math.random()}`,
          headers,
        }),
      );
    }
    await drain(c);
  };
  const acksTo = async (to: string) =>
    (await mailbox(c, { to, purpose: "case.notification.received" })).length;

  it("another helpdesk that does not mark its mail gets at most the cap of acknowledgements", async () => {
    await flood("helpdesk@robots.test", 50);
    expect(await acksTo("helpdesk@robots.test")).toBe(AUTO_MAIL_CAP);
    const held = await c.db.kysely
      .selectFrom("email_auto_mail")
      .select(["status", "reason"])
      .where("to_address", "=", "helpdesk@robots.test")
      .execute();
    expect(held.filter((h) => h.status === "suppressed")).toHaveLength(50 - AUTO_MAIL_CAP);
    expect(held.find((h) => h.status === "suppressed")?.reason).toMatch(/within 3 hours/);
    // The window moves on: three hours later one more is answered.
    c.clock.advance(AUTO_MAIL_WINDOW_MS + 60_000);
    await flood("helpdesk@robots.test", 1);
    expect(await acksTo("helpdesk@robots.test")).toBe(AUTO_MAIL_CAP + 1);
  });

  it("an auto-replier that says so (Auto-Submitted) gets nothing at all", async () => {
    await flood("autoresponder@robots.test", 50, { "Auto-Submitted": "auto-replied" });
    expect(await acksTo("autoresponder@robots.test")).toBe(0);
    expect(await mailbox(c, { to: "autoresponder@robots.test" })).toEqual([]);
    const inbound = await c.db.kysely
      .selectFrom("inbound_mail")
      .select(["status", "flags"])
      .where("from_address", "=", "autoresponder@robots.test")
      .execute();
    expect(inbound).toHaveLength(50);
    expect(inbound.every((r) => r.status === "processed" && r.flags.includes("auto_reply"))).toBe(true);
  });

  it("every automatic mail we send says so", async () => {
    const toCustomers = (await mailbox(c)).filter((m) => m.to.endsWith("@robots.test"));
    expect(toCustomers.length).toBe(AUTO_MAIL_CAP + 1);
    for (const m of toCustomers) {
      expect(m.purpose).toBe("case.notification.received");
      expect(m.headers["Auto-Submitted"]).toBe("auto-replied");
      expect(m.headers["X-Auto-Response-Suppress"]).toBe("All");
    }
  });
});

describe("processing failures", () => {
  let c: TestContainer;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;

  beforeAll(async () => {
    c = await createTestContainer({ env: EMAIL_ENV });
    await emailWorld(c);
    listener = await startListener(c);
    client = smtpClient(listener);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    client?.close();
    await listener?.close();
    await c?.testDb.drop();
  });

  it("an unexpected error is retried with backoff, then quarantined; an admin retry processes it", async () => {
    const spy = vi.spyOn(c.cases, "insertCase").mockRejectedValue(new Error("database hiccup"));
    const id = await client.send(
      message({ from: "wile@acme.test", subject: "Flaky", body: "Hello", messageId: "flaky@acme.test" }),
    );
    for (let i = 0; i < INBOUND_ATTEMPTS; i++) {
      await drain(c);
      c.clock.advance(10 * 60_000);
    }
    const r = await inboundRow(c, id);
    expect(r).toMatchObject({
      status: "quarantined",
      attempts: INBOUND_ATTEMPTS,
      error: "database hiccup",
      from_address: "wile@acme.test",
    });
    expect(spy).toHaveBeenCalledTimes(INBOUND_ATTEMPTS);
    // Nothing of the failed attempts stayed behind.
    expect(await c.db.kysely.selectFrom("cases").select("id").execute()).toEqual([]);
    spy.mockRestore();
    const admin = (await c.users.list({ kind: "system" }, { role: "admin" })).items[0]!;
    const retried = await c.inboundMail.retry(
      { actor: { kind: "user", id: admin.id, email: admin.email, role: "admin", teamIds: [] } },
      id,
    );
    expect(retried).toMatchObject({ status: "processed", threadedBy: "new_case", error: null });
    expect((await caseRow(c, retried.caseId!)).subject).toBe("Flaky");
  });
});
