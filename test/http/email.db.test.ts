import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAccount } from "../../src/modules/cases/cases.fixtures.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let contactId: string;
const UNKNOWN = "0190a3c4-0000-7000-8000-000000000000";

const BROKEN = Buffer.from(
  "From: Wile <wile@acme.test>\r\nSubject: Broken\r\nMessage-ID: <broken@acme.test>\r\nContent-Type: multipart/mixed\r\n\r\nNo boundary, no parts.\r\n",
);
const GOOD = Buffer.from(
  "From: Wile <wile@acme.test>\r\nSubject: Printer on fire\r\nMessage-ID: <good@acme.test>\r\nContent-Type: text/plain\r\n\r\nPlease help.\r\n",
);

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  const accountId = await insertAccount(t.c.db.kysely, "Acme");
  const res = await admin.request({
    method: "POST",
    url: "/api/v1/contacts",
    payload: { accountId, name: "Wile E. Coyote", email: "wile@acme.test" },
  });
  contactId = res.json().id;
});
afterAll(async () => t?.close());

const receive = async (raw: Buffer) => {
  const id = await t.c.inboundMail.receive(raw, {
    mailFrom: "wile@acme.test",
    rcptTo: ["support@127.0.0.1"],
  });
  await drainWork(t.c);
  return id;
};

describe("inbound mail and its quarantine (admin)", () => {
  let brokenId: string;
  let goodId: string;

  beforeAll(async () => {
    brokenId = await receive(BROKEN);
    goodId = await receive(GOOD);
  });

  it("is for admins only", async () => {
    for (const s of [manager, agent]) {
      expect((await s.request({ method: "GET", url: "/api/v1/inbound-mail" })).statusCode).toBe(403);
      expect(
        (await s.request({ method: "GET", url: `/api/v1/inbound-mail/${brokenId}/raw` })).statusCode,
      ).toBe(403);
      expect(
        (await s.request({ method: "POST", url: `/api/v1/inbound-mail/${brokenId}/retry` })).statusCode,
      ).toBe(403);
    }
  });

  it("lists the quarantine with the reason, and counts every status", async () => {
    const res = await admin.request({ method: "GET", url: "/api/v1/inbound-mail?status=quarantined" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      id: brokenId,
      status: "quarantined",
      from: "wile@acme.test",
      subject: "Broken",
      messageId: "<broken@acme.test>",
      caseId: null,
    });
    expect(body.items[0].error).toMatch(/broken MIME/);
    expect(body.counts).toEqual({ quarantined: 1, processed: 1 });
    const all = await admin.request({
      method: "GET",
      url: "/api/v1/inbound-mail?status=quarantined,processed&limit=1",
    });
    expect(all.json().items).toHaveLength(1);
    expect(all.json().nextCursor).toEqual(expect.any(String));
    const bad = await admin.request({ method: "GET", url: "/api/v1/inbound-mail?status=lost" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe("/status");
  });

  it("shows one mail with its text and where it went", async () => {
    const res = await admin.request({ method: "GET", url: `/api/v1/inbound-mail/${goodId}` });
    expect(res.json()).toMatchObject({ status: "processed", threadedBy: "new_case", text: "Please help.\n" });
    const k = await agent.request({ method: "GET", url: `/api/v1/cases/${res.json().caseId}` });
    expect(k.json()).toMatchObject({ subject: "Printer on fire", channel: "email", contactId });
    expect((await admin.request({ method: "GET", url: `/api/v1/inbound-mail/${UNKNOWN}` })).statusCode).toBe(
      404,
    );
  });

  it("downloads the raw message byte for byte", async () => {
    const res = await admin.request({ method: "GET", url: `/api/v1/inbound-mail/${brokenId}/raw` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("message/rfc822");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="inbound-\d{8}T\d{6}Z-[0-9a-f]{8}\.eml"/,
    );
    expect(res.rawPayload.equals(BROKEN)).toBe(true);
  });

  it("retries (still quarantined, with the attempt counted), then discards; neither twice", async () => {
    const retry = await admin.request({ method: "POST", url: `/api/v1/inbound-mail/${brokenId}/retry` });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ status: "quarantined", attempts: 2 });
    const discard = await admin.request({ method: "POST", url: `/api/v1/inbound-mail/${brokenId}/discard` });
    expect(discard.json()).toMatchObject({ status: "discarded" });
    for (const action of ["retry", "discard"]) {
      const again = await admin.request({
        method: "POST",
        url: `/api/v1/inbound-mail/${brokenId}/${action}`,
      });
      expect(again.statusCode).toBe(422);
    }
    expect(
      (await admin.request({ method: "POST", url: `/api/v1/inbound-mail/${goodId}/retry` })).statusCode,
    ).toBe(422);
    const raw = await admin.request({ method: "GET", url: `/api/v1/inbound-mail/${brokenId}/raw` });
    expect(raw.statusCode).toBe(200);
    const audit = await t.c.db.kysely
      .selectFrom("audit_log")
      .select("action")
      .where("target_id", "=", brokenId)
      .orderBy("at")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["inbound_mail.retried", "inbound_mail.discarded"]);
  });
});

describe("email templates", () => {
  it("admins and managers read them with the placeholders; agents may not", async () => {
    const res = await manager.request({ method: "GET", url: "/api/v1/email-templates" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { moment: string }) => i.moment)).toEqual([
      "received",
      "assigned",
      "waiting",
      "resolved",
    ]);
    expect(body.items.every((i: { isDefault: boolean; enabled: boolean }) => i.isDefault && i.enabled)).toBe(
      true,
    );
    expect(body.placeholders.map((p: { key: string }) => p.key)).toContain("sla.firstResponseDue");
    expect((await agent.request({ method: "GET", url: "/api/v1/email-templates" })).statusCode).toBe(403);
    expect((await admin.request({ method: "GET", url: "/api/v1/email-templates/nope" })).statusCode).toBe(
      404,
    );
  });

  it("only admins edit; a bad placeholder is a 400 naming the field", async () => {
    const url = "/api/v1/email-templates/received";
    expect((await manager.request({ method: "PUT", url, payload: { enabled: false } })).statusCode).toBe(403);
    const bad = await admin.request({ method: "PUT", url, payload: { body: "Hi {{contact.nam}}" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: "/body", message: "{{contact.nam}} is not a placeholder Keepdesk knows" },
    ]);
    const unknownField = await admin.request({ method: "PUT", url, payload: { colour: "red" } });
    expect(unknownField.statusCode).toBe(400);
    const ok = await admin.request({
      method: "PUT",
      url,
      payload: { subject: "Got it: {{case.subject}}", body: "Hi {{contact.name}}, {{case.number}} is open." },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ isDefault: false, enabled: true, subject: "Got it: {{case.subject}}" });
    expect((await admin.request({ method: "GET", url })).json().body).toBe(
      "Hi {{contact.name}}, {{case.number}} is open.",
    );
  });

  it("previews a draft with sample values or a real case, escaped in HTML", async () => {
    const url = "/api/v1/email-templates/received/preview";
    const sample = await manager.request({
      method: "POST",
      url,
      payload: { body: "By {{sla.firstResponseDue}}" },
    });
    expect(sample.statusCode).toBe(200);
    expect(sample.json().text).toMatch(/^By \w+day \d+ \w+, \d\d:\d\d \(GMT\)$/);
    const created = await agent.request({
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "<script>alert(1)</script>", contactId },
    });
    const real = await admin.request({ method: "POST", url, payload: { caseId: created.json().id } });
    expect(real.json()).toMatchObject({
      subject: `Got it: <script>alert(1)</script> [${created.json().number}]`,
      text: `Hi Wile E. Coyote, ${created.json().number} is open.`,
    });
    expect(real.json().html).not.toContain("<script>");
    const missing = await admin.request({ method: "POST", url, payload: { caseId: UNKNOWN } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors[0].path).toBe("/caseId");
  });

  it("resets to the default", async () => {
    const res = await admin.request({ method: "DELETE", url: "/api/v1/email-templates/received" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ isDefault: true, enabled: true });
    expect(res.json().body).toContain("We aim to answer by {{sla.firstResponseDue}}");
  });
});

describe("a case's automatic mail", () => {
  it("lists what was sent to the customer and what was held back (staff)", async () => {
    const created = await agent.request({
      method: "POST",
      url: "/api/v1/cases",
      payload: { subject: "Hello", contactId, channel: "portal" },
    });
    await drainWork(t.c);
    const res = await agent.request({ method: "GET", url: `/api/v1/cases/${created.json().id}/auto-mail` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        moment: "received",
        to: "wile@acme.test",
        status: "sent",
        mailId: expect.any(String),
      }),
    ]);
    const mail = await admin.request({
      method: "GET",
      url: `/api/v1/dev-mailbox/${res.json().items[0].mailId}`,
    });
    expect(mail.json()).toMatchObject({
      purpose: "case.notification.received",
      headers: { "Auto-Submitted": "auto-generated" },
    });
    expect(
      (await agent.request({ method: "GET", url: `/api/v1/cases/${UNKNOWN}/auto-mail` })).statusCode,
    ).toBe(404);
  });
});
