import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainWork } from "../../src/platform/worker.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/** The public web form: cases with channel web, honeypot, per-IP rate limit, field errors. */

let t: TestApp;
let admin: Session;
let agent: Session;
let n = 0;
const ip = () => `10.7.0.${++n}`;

const submit = (
  payload: Record<string, unknown> | string,
  remoteAddress = ip(),
  headers: Record<string, string> = {},
) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/web-form",
    remoteAddress,
    headers,
    ...(typeof payload === "string" ? { body: payload } : { payload }),
  });

async function casesOf(email: string) {
  const contacts = await agent.request({
    method: "GET",
    url: `/api/v1/contacts?q=${encodeURIComponent(email)}`,
  });
  const contact = (contacts.json().items as { id: string; email: string; accountId: string }[]).find(
    (c) => c.email === email,
  );
  if (!contact)
    return {
      contact: undefined,
      cases: [] as { id: string; channel: string; subject: string; description: string }[],
    };
  const res = await agent.request({ method: "GET", url: `/api/v1/cases?contactId=${contact.id}` });
  return {
    contact,
    cases: res.json().items as { id: string; channel: string; subject: string; description: string }[],
  };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  agent = await t.signInAs("agent");
});

afterAll(async () => {
  await t?.close();
});

describe("POST /api/v1/web-form", () => {
  it("opens a case with channel web for a new sender (JSON), acknowledged by email", async () => {
    const res = await submit({
      name: "Jane Roe",
      email: "jane@roe-industries.test",
      subject: "Quote",
      message: "How much for 10?",
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    const { contact, cases } = await casesOf("jane@roe-industries.test");
    expect(contact).toBeDefined();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ channel: "web", subject: "Quote", description: "How much for 10?" });
    const account = await agent.request({ method: "GET", url: `/api/v1/accounts/${contact!.accountId}` });
    expect(account.json().name).toBe("roe-industries.test");
    await drainWork(t.c);
    const acks = await t.c.mail.list(t.c.db.kysely, { kind: "system" }, { to: "jane@roe-industries.test" });
    expect(acks.items.some((m) => m.purpose === "case.notification.received")).toBe(true);
  });

  it("accepts a plain HTML form post (url-encoded) and thanks the person in HTML; a known contact is reused", async () => {
    const res = await submit(
      "name=Jane+Roe&email=jane%40roe-industries.test&subject=Second+question&message=Delivery+times%3F",
      ip(),
      { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.body).toContain("Thank you");
    const { cases } = await casesOf("jane@roe-industries.test");
    expect(cases.map((c) => c.subject).sort()).toEqual(["Quote", "Second question"]);
  });

  it("answers CORS preflight", async () => {
    const res = await t.app.inject({
      method: "OPTIONS",
      url: "/api/v1/web-form",
      headers: { origin: "https://www.example.com", "access-control-request-method": "POST" },
    });
    expect(res.statusCode).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(String(res.headers["access-control-allow-methods"])).toContain("POST");
  });

  it("a filled-in honeypot is answered like a real post and creates nothing", async () => {
    const real = await submit({ email: "real@x-corp.test", subject: "s", message: "m" });
    const spam = await submit({
      email: "bot@spam.test",
      subject: "Cheap pills",
      message: "Buy",
      website: "http://spam.test",
    });
    expect(spam.statusCode).toBe(202);
    expect(spam.body).toBe(real.body);
    const { contact } = await casesOf("bot@spam.test");
    expect(contact).toBeUndefined();
    const rows = await t.c.db.kysely
      .selectFrom("web_form_submissions")
      .selectAll()
      .where("outcome", "=", "spam")
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("names the field that is wrong", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ subject: "s", message: "m" }, "/email"],
      [{ email: "not-an-email", subject: "s", message: "m" }, "/email"],
      [{ email: "a@b-corp.test", subject: "  ", message: "m" }, "/subject"],
      [{ email: "a@b-corp.test", subject: "s" }, "/message"],
      [{ email: "a@b-corp.test", subject: "s".repeat(501), message: "m" }, "/subject"],
      [{ email: "a@b-corp.test", subject: "s", message: 42 }, "/message"],
    ];
    for (const [payload, path] of cases) {
      const res = await submit(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.json().errors[0].path).toBe(path);
      // A page on another site can read why (CORS on errors too).
      expect(res.headers["access-control-allow-origin"]).toBe("*");
    }
  });

  it("limits posts per client address (429 problem+json), spam included, until the window passes", async () => {
    const addr = "10.99.0.1";
    for (let i = 0; i < 4; i++)
      expect(
        (await submit({ email: `p${i}@rate-corp.test`, subject: "s", message: "m" }, addr)).statusCode,
      ).toBe(202);
    expect(
      (await submit({ email: "bot@spam.test", subject: "s", message: "m", website: "x" }, addr)).statusCode,
    ).toBe(202);
    const limited = await submit({ email: "late@rate-corp.test", subject: "s", message: "m" }, addr);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["content-type"]).toContain("application/problem+json");
    expect(limited.headers["retry-after"]).toBe("600");
    expect(limited.headers["access-control-allow-origin"]).toBe("*");
    expect((await casesOf("late@rate-corp.test")).contact).toBeUndefined();
    // Another address is not affected; the window passes.
    expect(
      (await submit({ email: "other@rate-corp.test", subject: "s", message: "m" }, "10.99.0.2")).statusCode,
    ).toBe(202);
    t.c.clock.advance(11 * 60_000);
    expect(
      (await submit({ email: "late@rate-corp.test", subject: "s", message: "m" }, addr)).statusCode,
    ).toBe(202);
  });

  it("the embeddable snippet is for admins and managers", async () => {
    const res = await admin.request({ method: "GET", url: "/api/v1/web-form/snippet" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.html).toContain(`action="${t.c.config.publicUrl}/api/v1/web-form"`);
    expect(body.html).toContain('name="website"');
    expect(body.stats.spam).toBeGreaterThan(0);
    expect((await agent.request({ method: "GET", url: "/api/v1/web-form/snippet" })).statusCode).toBe(403);
  });
});
