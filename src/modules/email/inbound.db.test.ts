import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../../test/support/test-db.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import type { MailMessage } from "../mail/mail.service.ts";
import {
  as,
  attachmentsOf,
  caseRow,
  drain,
  EMAIL_ENV,
  emailWorld,
  FIXTURES,
  fixture,
  inboundRow,
  mailbox,
  messagesOf,
  smtpClient,
  startListener,
  type World,
} from "./email.fixtures.ts";
import type { SmtpListener } from "./smtp-listener.ts";

/**
 * The corpus: every raw mail under test/fixtures/mail goes through a real SMTP session to the
 * listener and the worker, and becomes the right case or message, or lands in quarantine —
 * none is lost. Threading fixtures answer the case opened by 01-plain-text.eml and the agent's
 * reply to it.
 */
describe("the inbound mail corpus", () => {
  let c: TestContainer;
  let w: World;
  let listener: SmtpListener;
  let client: ReturnType<typeof smtpClient>;
  const ids = new Map<string, string>();
  let caseA: string;
  let ack: MailMessage;
  let reply: MailMessage;
  let sent = 0;

  const row = (name: string) => inboundRow(c, ids.get(name)!);
  const caseOf = async (name: string) => caseRow(c, (await row(name)).case_id!);

  beforeAll(async () => {
    c = await createTestContainer({ env: EMAIL_ENV });
    w = await emailWorld(c);
    listener = await startListener(c);
    client = smtpClient(listener);

    // 01 opens case A; the customer is acknowledged, and an agent answers.
    ids.set("01-plain-text.eml", await client.send(fixture("01-plain-text.eml"), { from: "wile@acme.test" }));
    sent++;
    await drain(c);
    caseA = (await row("01-plain-text.eml")).case_id!;
    ack = (await mailbox(c, { purpose: "case.notification.received" }))[0]!;
    c.clock.advance(10 * 60_000);
    await c.caseMessages.add(as(w.agent), caseA, {
      kind: "reply",
      body: "We sent a technician with a fire extinguisher.",
    });
    await drain(c);
    reply = (await mailbox(c, { purpose: "case.reply" }))[0]!;
    c.clock.advance(10 * 60_000);

    const number = formatCaseNumber((await caseRow(c, caseA)).number);
    const marker = /\[ref:CS-\d+:[a-z2-9]+\]/.exec(reply.text)![0];
    const vars = {
      CASE_NUMBER: number,
      REPLY_MESSAGE_ID: reply.messageId,
      ACK_MESSAGE_ID: ack.messageId,
      MARKER: marker,
    };
    for (const name of fs.readdirSync(FIXTURES).sort()) {
      if (name === "01-plain-text.eml") continue;
      ids.set(name, await client.send(fixture(name, vars)));
      sent++;
    }
    await drain(c);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await listener?.close();
    await c?.testDb.drop();
  });

  it("holds at least 30 mails, and none is lost: in = processed + quarantined + duplicate", async () => {
    expect(sent).toBeGreaterThanOrEqual(30);
    const rows = await c.db.kysely.selectFrom("inbound_mail").select(["id", "status"]).execute();
    expect(rows).toHaveLength(sent);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    expect(count("processed") + count("quarantined") + count("duplicate")).toBe(sent);
    expect(count("pending")).toBe(0);
    expect(count("quarantined")).toBe(3);
    expect(count("duplicate")).toBe(1);
  });

  it("01: a new case from a known contact, received when our server received it", async () => {
    const r = await row("01-plain-text.eml");
    expect(r).toMatchObject({
      status: "processed",
      threaded_by: "new_case",
      message_id: "<plain-01@acme.test>",
    });
    const a = await caseRow(c, caseA);
    expect(a).toMatchObject({
      subject: "Printer on fire",
      channel: "email",
      contact_id: w.wileId,
      account_id: w.acmeId,
    });
    expect(a.received_at.toISOString()).toBe(r.received_at.toISOString());
    expect(a.description).toContain("our printer in the Mesa office is on fire again");
  });

  it("01: the acknowledgement states the number and when to expect an answer, in the customer's zone", () => {
    expect(ack).toBeDefined();
    expect(ack.to).toBe("wile@acme.test");
    expect(ack.subject).toMatch(/\[CS-\d{6}\]$/);
    // Received Mon 2 Mar 09:00 GMT, two business hours of the London calendar.
    expect(ack.text).toContain("We aim to answer by Monday 2 March, 11:00 (GMT).");
    expect(ack.headers["Auto-Submitted"]).toBe("auto-replied");
    expect(ack.inReplyTo).toBe("<plain-01@acme.test>");
  });

  it.each([
    ["02-multipart-alternative.eml", "Since this morning the login page answers with error 500."],
    ["03-html-only.eml", "The quarterly export stops at 99%."],
    ["04-iso-8859-1-qp.eml", "la facture n° 42 est erronée. Elle a déjà été payée"],
    ["05-shift-jis.eml", "プリンターが動きません。至急ご確認ください。"],
    ["06-windows-1252-8bit.eml", "The invoice says “500 €” – it should be 50 €."],
    ["09-inline-image.eml", "It should be blue."],
    ["10-forwarded-inline.eml", "Where is my order 7781? It was due on Friday."],
    ["31-empty-body.eml", "(The email had no text.)"],
    ["32-nul-bytes.eml", "Beforeafter."],
    ["36-german-quote.eml", "The export failed again tonight."],
    ["37-quoted-printable-html.eml", "The signup form says “invalid e-mail” for all addresses."],
  ])("%s becomes a new case with its text decoded", async (name, text) => {
    const r = await row(name);
    expect(r.status).toBe("processed");
    expect(r.threaded_by).toBe("new_case");
    const k = await caseOf(name);
    expect(k.channel).toBe("email");
    expect(k.description).toContain(text);
  });

  it("HTML is read as text: no markup, no script, no style", async () => {
    const k = await caseOf("03-html-only.eml");
    expect(k.description).not.toMatch(/<|alert|color: red|pixel\.gif/);
    expect(k.description).toContain("Rows");
  });

  it("quoted history is folded out of the case but kept on the inbound mail", async () => {
    const k = await caseOf("36-german-quote.eml");
    expect(k.description).toBe("The export failed again tonight.");
    expect((await row("36-german-quote.eml")).full_text).toContain("Please try again tonight.");
  });

  it("non-ASCII subjects and names are decoded; unknown senders at a known domain join that account", async () => {
    const k = await caseOf("05-shift-jis.eml");
    expect(k.subject).toBe("プリンター故障");
    expect(k.account_id).toBe(w.globexId);
    const yamada = await c.accounts.contactIn(c.db.kysely, k.contact_id!);
    expect(yamada).toMatchObject({ name: "山田太郎", email: "yamada@globex.test", accountId: w.globexId });
    const latin = await caseOf("04-iso-8859-1-qp.eml");
    expect(latin.subject).toBe("Facture erronée");
    expect((await c.accounts.contactIn(c.db.kysely, latin.contact_id!))?.name).toBe("François Pérez");
  });

  it("attachments become case files; what the case does not accept is named in the text", async () => {
    const pdf = await caseOf("07-attachment-pdf.eml");
    expect(await attachmentsOf(c, pdf.id)).toMatchObject([
      {
        filename: "contract.pdf",
        content_type: "application/pdf",
        internal: false,
        uploaded_by_contact_id: w.wileId,
      },
    ]);
    const mixed = await caseOf("08-attachment-disallowed.eml");
    expect((await attachmentsOf(c, mixed.id)).map((a) => a.filename)).toEqual(["screenshot.png"]);
    expect(mixed.description).toContain(
      "Attachments not added:\n- setup.exe: application/x-msdownload files are not accepted",
    );
    const inline = await caseOf("09-inline-image.eml");
    expect((await attachmentsOf(c, inline.id)).map((a) => [a.filename, a.content_type])).toEqual([
      ["logo.png", "image/png"],
    ]);
    const fwd = await caseOf("11-forwarded-rfc822.eml");
    expect((await attachmentsOf(c, fwd.id)).map((a) => [a.filename, a.content_type])).toEqual([
      ["complaint.eml", "message/rfc822"],
    ]);
    const ics = await caseOf("33-calendar-invite.eml");
    expect(await attachmentsOf(c, ics.id)).toEqual([]);
    expect(ics.description).toContain("invite.ics: text/calendar files are not accepted");
    const intl = await caseOf("34-rfc2231-filename.eml");
    expect((await attachmentsOf(c, intl.id)).map((a) => a.filename)).toEqual(["résumé.pdf"]);
    const truncated = await caseOf("38-truncated-base64.eml");
    expect(await attachmentsOf(c, truncated.id)).toEqual([]);
    expect(truncated.description).toContain(
      "damage.jpg: the file is declared as image/jpeg but is not a JPEG image",
    );
  });

  it("12: a reply threads by In-Reply-To onto case A, quoted history folded", async () => {
    const r = await row("12-reply-in-reply-to.eml");
    expect(r).toMatchObject({ status: "processed", case_id: caseA, threaded_by: "in_reply_to" });
    const m = (await messagesOf(c, caseA)).find((x) => x.id === r.case_message_id);
    expect(m).toMatchObject({ kind: "customer", body: "Thanks, the fire is out now.", contact_id: w.wileId });
  });

  it("13: by References only; 14: by the marker only; 15: by the case number from the same account", async () => {
    expect(await row("13-reply-references-only.eml")).toMatchObject({
      case_id: caseA,
      threaded_by: "references",
    });
    expect(await row("14-reply-marker-only.eml")).toMatchObject({ case_id: caseA, threaded_by: "marker" });
    const byNumber = await row("15-reply-subject-number.eml");
    expect(byNumber).toMatchObject({ case_id: caseA, threaded_by: "subject_number" });
    const bodies = await messagesOf(c, caseA);
    expect(bodies.find((m) => m.id === byNumber.case_message_id)).toMatchObject({
      kind: "customer",
      contact_id: w.roadId,
    });
    expect(bodies.map((m) => m.body)).toContain("Will the technician also check the fax machine?");
    expect(bodies.map((m) => m.body)).toContain("It is smoking again.");
  });

  it("16: a stranger quoting another customer's case number gets a case of their own", async () => {
    const r = await row("16-stranger-case-number.eml");
    expect(r.case_id).not.toBe(caseA);
    expect(r.threaded_by).toBe("new_case");
    expect(r.flags).toContain("case_number_ignored");
    const k = await caseRow(c, r.case_id!);
    expect(k.account_id).not.toBe(w.acmeId);
    const account = await c.accounts.accountIn(c.db.kysely, k.account_id!);
    expect(account).toMatchObject({ name: "evil.test", domain: "evil.test" });
  });

  it("17 and 19: a bounce and an out-of-office land on case A as internal notes and change nothing", async () => {
    const bounce = await row("17-bounce-dsn.eml");
    expect(bounce).toMatchObject({ case_id: caseA, threaded_by: "bounce_report" });
    expect(bounce.flags).toContain("bounce");
    const ooo = await row("19-out-of-office.eml");
    expect(ooo).toMatchObject({ case_id: caseA, threaded_by: "in_reply_to" });
    const notes = (await messagesOf(c, caseA)).filter((m) => m.kind === "note");
    expect(notes.map((n) => n.body.split("\n")[0])).toEqual([
      "Delivery failure report from Mail Delivery System <mailer-daemon@mx.acme.test>: Undelivered Mail Returned to Sender",
      "Automatic reply from Wile E. Coyote <wile@acme.test>: Out of office: Printer on fire",
    ]);
    expect(notes.every((n) => n.author_id === null && n.contact_id === null)).toBe(true);
  });

  it("automatic, list and bulk mail gets no acknowledgement; people do", async () => {
    const acks = await mailbox(c, { purpose: "case.notification.received" });
    const acked = new Set(acks.map((m) => m.caseId));
    for (const name of [
      "18-bounce-unthreaded.eml",
      "20-autoreply-exchange.eml",
      "21-mailing-list.eml",
      "22-precedence-bulk.eml",
      "23-noreply-sender.eml",
      "24-from-own-address.eml",
    ]) {
      const r = await row(name);
      expect(r.status, name).toBe("processed");
      expect(acked.has(r.case_id!), name).toBe(false);
      const auto = await c.db.kysely
        .selectFrom("email_auto_mail")
        .selectAll()
        .where("case_id", "=", r.case_id!)
        .execute();
      // Either no contact to write to, or held back with the reason recorded.
      if (auto.length > 0)
        expect(
          auto.every((a) => a.status === "suppressed" && a.reason),
          name,
        ).toBe(true);
    }
    for (const name of [
      "02-multipart-alternative.eml",
      "16-stranger-case-number.eml",
      "29-new-domain.eml",
      "30-free-mail.eml",
    ]) {
      expect(acked.has((await row(name)).case_id!), name).toBe(true);
    }
    expect(
      acks.every(
        (m) => !["news@lists.vendor.test", "no-reply@saas.test", "support@help.example.test"].includes(m.to),
      ),
    ).toBe(true);
    // Nothing we sent went to an automatic or own address.
    const all = await mailbox(c);
    expect(all.filter((m) => /mailer-daemon|postmaster|no-reply|@help\.example\.test$/i.test(m.to))).toEqual(
      [],
    );
  });

  it("a bounce with nothing to thread on is a new case, tagged, without a contact", async () => {
    const k = await caseOf("18-bounce-unthreaded.eml");
    expect(k).toMatchObject({ contact_id: null, account_id: null });
    expect(k.tags).toContain("bounce");
    const list = await caseOf("21-mailing-list.eml");
    expect(list.tags).toContain("bulk-mail");
  });

  it("25–27: broken MIME and mail without a sender are quarantined with the reason, raw kept", async () => {
    const broken = await row("25-broken-mime-no-boundary.eml");
    expect(broken).toMatchObject({ status: "quarantined", case_id: null, from_address: "wile@acme.test" });
    expect(broken.error).toMatch(/broken MIME/);
    expect(Buffer.from(broken.raw).toString("latin1")).toContain("It must not be lost.");
    expect((await row("26-missing-from.eml")).error).toMatch(/no sender/);
    expect((await row("27-garbage.eml")).status).toBe("quarantined");
  });

  it("28: the same Message-ID again is a duplicate of case A", async () => {
    expect(await row("28-duplicate-message-id.eml")).toMatchObject({ status: "duplicate", case_id: caseA });
  });

  it("29–30: unknown senders get a contact: under a new account for their domain, or for themselves", async () => {
    const bob = await caseOf("29-new-domain.eml");
    expect(await c.accounts.accountIn(c.db.kysely, bob.account_id!)).toMatchObject({
      name: "newco.test",
      domain: "newco.test",
    });
    expect(await c.accounts.contactIn(c.db.kysely, bob.contact_id!)).toMatchObject({
      name: "Bob Builder",
      email: "bob@newco.test",
    });
    const jane = await caseOf("30-free-mail.eml");
    expect(await c.accounts.accountIn(c.db.kysely, jane.account_id!)).toMatchObject({
      name: "Jane Doe",
      domain: null,
    });
  });

  it("35: a long folded subject is unfolded and cut to 300 characters", async () => {
    const k = await caseOf("35-long-subject.eml");
    expect(k.subject.startsWith("Very long subject lorem ipsum dolor sit amet lorem")).toBe(true);
    expect(k.subject.length).toBeLessThanOrEqual(300);
    expect(k.subject).not.toMatch(/[\r\n]/);
  });
});

describe("the SMTP listener", () => {
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

  /** A message with one base64 attachment of `bytes` (generated, not a fixture). */
  const big = (bytes: number, id: string) => {
    const b64 = Buffer.alloc(bytes, 0x41).toString("base64").replace(/.{76}/g, "$&\r\n");
    return [
      "From: Wile E. Coyote <wile@acme.test>",
      `To: support@help.example.test`,
      "Subject: Log files",
      `Message-ID: <${id}@acme.test>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "The logs are attached.",
      "--b",
      'Content-Type: text/plain; name="huge.log"',
      'Content-Disposition: attachment; filename="huge.log"',
      "Content-Transfer-Encoding: base64",
      "",
      b64,
      "--b--",
      "",
    ].join("\r\n");
  };

  it("keeps a large message and names the attachment that is over the file limit", async () => {
    const id = await client.send(big(11 * 1024 * 1024, "big-1"));
    await drain(c);
    const r = await inboundRow(c, id);
    expect(r.status).toBe("processed");
    expect(r.size).toBeGreaterThan(11 * 1024 * 1024);
    const k = await caseRow(c, r.case_id!);
    expect(k.description).toContain("huge.log (11 MB): files may be at most 10 MB");
  }, 300_000);

  it("refuses a message over the 25 MB limit with 552, storing nothing", async () => {
    const before = await c.db.kysely.selectFrom("inbound_mail").select("id").execute();
    const err = await client.send(big(19 * 1024 * 1024 + 512 * 1024, "too-big")).catch((e: unknown) => e);
    expect((err as { responseCode?: number }).responseCode).toBe(552);
    expect(String((err as Error).message)).toMatch(/too large/i);
    expect(await c.db.kysely.selectFrom("inbound_mail").select("id").execute()).toHaveLength(before.length);
  });

  it("accepts any recipient and keeps the envelope", async () => {
    const id = await client.send(fixture("02-multipart-alternative.eml"), {
      from: "bounce-road@acme.test",
      to: ["sales@anything.test", "support+abc@help.example.test"],
    });
    const r = await inboundRow(c, id);
    expect(r).toMatchObject({
      status: "pending",
      envelope_from: "bounce-road@acme.test",
      envelope_to: ["sales@anything.test", "support+abc@help.example.test"],
    });
    await drain(c);
    expect((await inboundRow(c, id)).status).toBe("processed");
  });
});
