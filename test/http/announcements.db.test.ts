import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvents } from "../../src/platform/events/event-bus.ts";
import { newId } from "../../src/platform/ids.ts";
import { sweepBatch } from "../../src/platform/timers/timers.ts";
import { drainWork } from "../../src/platform/worker.ts";
import { Rng } from "../../src/seed/random.ts";
import type { DemoAccount, DemoContact, DemoUser, SeedData } from "../../src/seed/seed-context.ts";
import { announcementsStep } from "../../src/seed/steps/announcements.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

/**
 * Announcements over HTTP: drafts, audience counts with opt-outs, sending in batches by the
 * timer with RFC 8058 headers and personal links, the unsubscribe page, schedules and cancel,
 * and the contact's preference from staff and from the portal.
 */

let t: TestApp;
let admin: Session;
let manager: Session;
let agent: Session;
let sales: Session;

type Counts = { total: number; pending: number; sent: number; optedOut: number };
type Announcement = {
  id: string;
  subject: string;
  body: string;
  segment: Record<string, unknown>;
  segmentDescription: string;
  languages: string[];
  status: string;
  scheduledFor: string | null;
  sentAt: string | null;
  recipients: Counts;
  createdById: string | null;
};
type Prefs = {
  contactId: string;
  announcements: boolean;
  source: string | null;
  history: {
    announcements: boolean;
    source: string;
    changedById: string | null;
    announcementId: string | null;
  }[];
};
type Recipient = { contactId: string; email: string; status: string; skipReason: string | null };

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
async function req(s: Session, method: Method, url: string, payload?: unknown) {
  return s.request({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}
async function ok<T>(s: Session, method: Method, url: string, payload?: unknown, code?: number) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(
    code ?? (method === "POST" && !url.includes("/api/v1/announcements/") ? 201 : 200),
  );
  return res.json() as T;
}
async function refused(s: Session, method: Method, url: string, payload: unknown, code: number) {
  const res = await req(s, method, url, payload);
  expect(res.statusCode, res.body).toBe(code);
  expect(res.headers["content-type"]).toContain("application/problem+json");
  return res.json() as { detail: string; errors?: { path: string; message: string }[] };
}

let n = 0;
/** An account in its own country, so each test's segment holds only its own accounts. */
async function account(country: string, extra: Record<string, unknown> = {}) {
  return (
    await ok<{ id: string }>(admin, "POST", "/api/v1/accounts", {
      name: `Account ${++n}`,
      country,
      ...extra,
    })
  ).id;
}
async function contact(accountId: string, language = "en") {
  const i = ++n;
  return ok<{ id: string; email: string; name: string }>(admin, "POST", "/api/v1/contacts", {
    accountId,
    name: `Person ${i} Tester`,
    email: `person${i}@announce.test`,
    language,
  });
}
/** Many contacts at once (straight into the table: the HTTP path is tested above). */
async function manyContacts(accountId: string, count: number) {
  const now = t.c.clock.now();
  const rows = Array.from({ length: count }, () => {
    const i = ++n;
    return {
      id: newId(),
      account_id: accountId,
      name: `Bulk ${String(i).padStart(5, "0")}`,
      email: `bulk${i}@announce.test`,
      language: "en",
      created_at: now,
      updated_at: now,
    };
  });
  await t.c.db.kysely.insertInto("contacts").values(rows).execute();
  return rows;
}
const draft = (segment: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ok<Announcement>(manager, "POST", "/api/v1/announcements", {
    subject: "Introducing 24/7 phone support",
    body: "We now answer the phone **day and night**.\n\n- Call us any time\n- Same team, same care\n\nRead more at [our site](https://example.test/phone).",
    segment,
    ...extra,
  });
const optOut = (contactId: string) =>
  ok<Prefs>(agent, "PUT", `/api/v1/contacts/${contactId}/communication-preferences`, {
    announcements: false,
  });
const mailsTo = (email: string, purpose = "announcement") =>
  t.c.db.kysely
    .selectFrom("outbound_mail")
    .selectAll()
    .where("to_address", "=", email)
    .where("purpose", "=", purpose)
    .execute();
const tokenOf = (url: string) => /\/u\/([A-Za-z0-9_-]+)$/.exec(url)?.[1];
async function linkOf(email: string) {
  const [m] = await mailsTo(email);
  expect(m).toBeDefined();
  const header = (m!.headers as Record<string, string>)["List-Unsubscribe"]!;
  return header.slice(1, -1);
}
const prefs = (contactId: string) =>
  ok<Prefs>(agent, "GET", `/api/v1/contacts/${contactId}/communication-preferences`);
const pathOf = (url: string) => new URL(url).pathname;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signInAs("admin");
  manager = await t.signInAs("manager");
  agent = await t.signInAs("agent");
  sales = await t.signInAs("sales");
});
afterAll(() => t.close());

describe("drafts", () => {
  it("refuse bad input with a 400 naming the field", async () => {
    const base = { subject: "New service", body: "Hello", segment: {} };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, subject: "" }, "/subject"],
      [{ ...base, subject: "   " }, "/subject"],
      [{ ...base, subject: "x".repeat(201) }, "/subject"],
      [{ ...base, body: "x".repeat(20_001) }, "/body"],
      [{ ...base, body: " \n " }, "/body"],
      [{ ...base, segment: { tiers: ["gold"] } }, "/segment/tiers/0"],
      [{ ...base, segment: { countries: ["nz"] } }, "/segment/countries/0"],
      [{ ...base, segment: { colour: ["red"] } }, "/segment/colour"],
      [{ ...base, languages: ["english please"] }, "/languages/0"],
      [{ subject: "x", body: "y" }, "/segment"],
      [{ ...base, status: "sent" }, "/status"],
    ];
    for (const [payload, path] of cases) {
      const res = await refused(manager, "POST", "/api/v1/announcements", payload, 400);
      expect(res.errors?.[0]?.path, JSON.stringify(payload).slice(0, 80)).toBe(path);
    }
    const a = await draft({});
    const past = await refused(
      manager,
      "POST",
      `/api/v1/announcements/${a.id}/send`,
      { scheduledFor: new Date(t.c.clock.now().getTime() - 60_000).toISOString() },
      400,
    );
    expect(past.errors).toEqual([{ path: "/scheduledFor", message: "must be in the future" }]);
    const tooFar = await refused(
      manager,
      "POST",
      `/api/v1/announcements/${a.id}/send`,
      { scheduledFor: new Date(t.c.clock.now().getTime() + 400 * 86_400_000).toISOString() },
      400,
    );
    expect(tooFar.errors).toEqual([{ path: "/scheduledFor", message: "must be within a year" }]);
    const notDate = await refused(
      manager,
      "POST",
      `/api/v1/announcements/${a.id}/send`,
      { scheduledFor: "soon" },
      400,
    );
    expect(notDate.errors?.[0]?.path).toBe("/scheduledFor");
    const badStatus = await refused(manager, "GET", "/api/v1/announcements?status=shouting", undefined, 400);
    expect(badStatus.errors?.[0]?.path).toBe("/status");
  });

  it("are written, listed, read and edited; their segment is kept normalised and described", async () => {
    const a = await draft({ tiers: ["key"], countries: [] }, { languages: ["DE", "de", "en"] });
    expect(a).toMatchObject({
      status: "draft",
      segment: { tiers: ["key"] },
      segmentDescription: "key accounts",
      languages: ["de", "en"],
      scheduledFor: null,
      sentAt: null,
      recipients: { total: 0, pending: 0, sent: 0, optedOut: 0 },
    });
    const edited = await ok<Announcement>(manager, "PATCH", `/api/v1/announcements/${a.id}`, {
      subject: "  Phone support, day and night ",
      languages: null,
    });
    expect(edited).toMatchObject({ subject: "Phone support, day and night", languages: [] });
    const list = await ok<{ items: Announcement[] }>(
      agent,
      "GET",
      "/api/v1/announcements?status=draft&limit=200",
    );
    expect(list.items.map((x) => x.id)).toContain(a.id);
    expect(await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`)).toMatchObject({
      subject: "Phone support, day and night",
    });
    expect((await req(manager, "DELETE", `/api/v1/announcements/${a.id}`)).statusCode).toBe(204);
    expect((await req(agent, "GET", `/api/v1/announcements/${a.id}`)).statusCode).toBe(404);
  });

  it("page newest first by cursor", async () => {
    const first = await draft({});
    t.c.clock.advance(1000);
    const second = await draft({});
    const p1 = await ok<{ items: Announcement[]; nextCursor: string | null }>(
      agent,
      "GET",
      "/api/v1/announcements?limit=1",
    );
    expect(p1.items[0]!.id).toBe(second.id);
    const p2 = await ok<{ items: Announcement[] }>(
      agent,
      "GET",
      `/api/v1/announcements?limit=1&cursor=${p1.nextCursor}`,
    );
    expect(p2.items[0]!.id).toBe(first.id);
    const bad = await refused(agent, "GET", "/api/v1/announcements?cursor=nope", undefined, 400);
    expect(bad.errors?.[0]?.path).toBe("/cursor");
  });
});

describe("who may do what", () => {
  it("agents read; sales draft their own; admins and managers send", async () => {
    const acc = await account("PT");
    await contact(acc);
    const seg = { countries: ["PT"] };
    await refused(agent, "POST", "/api/v1/announcements", { subject: "s", body: "b", segment: seg }, 403);
    const mine = await ok<Announcement>(sales, "POST", "/api/v1/announcements", {
      subject: "From sales",
      body: "b",
      segment: seg,
    });
    await ok<Announcement>(sales, "PATCH", `/api/v1/announcements/${mine.id}`, { body: "better" });
    await ok(sales, "POST", `/api/v1/announcements/${mine.id}/test`, {});
    await refused(sales, "POST", `/api/v1/announcements/${mine.id}/send`, {}, 403);
    await refused(agent, "POST", `/api/v1/announcements/${mine.id}/send`, {}, 403);
    await refused(agent, "PATCH", `/api/v1/announcements/${mine.id}`, { body: "x" }, 403);
    await refused(agent, "POST", `/api/v1/announcements/${mine.id}/test`, {}, 403);
    const theirs = await draft(seg);
    await refused(sales, "PATCH", `/api/v1/announcements/${theirs.id}`, { body: "x" }, 403);
    await refused(sales, "DELETE", `/api/v1/announcements/${theirs.id}`, undefined, 403);
    // Agents read everything, including the recipient list.
    await ok(agent, "GET", `/api/v1/announcements/${theirs.id}`);
    await ok(agent, "GET", `/api/v1/announcements/${theirs.id}/recipients`);
    await ok(agent, "POST", "/api/v1/announcements/preview-audience", { segment: seg });
    const sent = await ok<Announcement>(admin, "POST", `/api/v1/announcements/${mine.id}/send`, {});
    expect(sent.status).toBe("sending");
    await drainWork(t.c);
    // Not signed in: 401.
    expect((await t.app.inject({ method: "GET", url: "/api/v1/announcements" })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: "GET", url: `/api/v1/contacts/${newId()}/communication-preferences` }))
        .statusCode,
    ).toBe(401);
  });
});

describe("the audience", () => {
  it("counts contacts with an email at the segment's accounts, by language, less those who opted out", async () => {
    const a1 = await account("IS", { industry: "Fishing" });
    const a2 = await account("IS", { industry: "Fishing" });
    await account("IS", { industry: "Fishing" }); // no contacts: reaches nobody
    const elsewhere = await account("FI", { industry: "Fishing" });
    const c1 = await contact(a1, "en");
    await contact(a1, "de");
    const c3 = await contact(a2, "en");
    await contact(elsewhere, "en");
    const preview = (body: Record<string, unknown>) =>
      ok<{ accounts: number; contacts: number; optedOut: number; segmentDescription: string }>(
        manager,
        "POST",
        "/api/v1/announcements/preview-audience",
        body,
      );
    expect(await preview({ segment: { countries: ["IS"] } })).toEqual({
      segmentDescription: "in IS",
      accounts: 2,
      contacts: 3,
      optedOut: 0,
    });
    expect(await preview({ segment: { countries: ["IS"] }, languages: ["DE"] })).toMatchObject({
      accounts: 1,
      contacts: 1,
      optedOut: 0,
    });
    await optOut(c3.id);
    expect(await preview({ segment: { countries: ["IS"] } })).toMatchObject({
      accounts: 1,
      contacts: 2,
      optedOut: 1,
    });
    await optOut(c1.id);
    expect(await preview({ segment: { countries: ["IS"] }, languages: ["en"] })).toMatchObject({
      accounts: 0,
      contacts: 0,
      optedOut: 2,
    });
    // Industry compares case-insensitively: Iceland (2 of 3 opted out) and Finland (1).
    expect(await preview({ segment: { industries: ["fishing"] } })).toMatchObject({
      accounts: 2,
      contacts: 2,
      optedOut: 2,
    });
    // A segment where everybody opted out cannot be sent.
    const a = await draft({ countries: ["IS"] }, { languages: ["en"] });
    const res = await refused(manager, "POST", `/api/v1/announcements/${a.id}/send`, {}, 422);
    expect(res.detail).toContain("opted out");
  });
});

describe("sending", () => {
  let announcement: Announcement;
  let bulk: { id: string; email: string; name: string }[];
  let optedOutContact: { id: string; email: string };

  it("fixes the list at send time, then mails 200 per run of the timer, each once", async () => {
    const acc = await account("NZ");
    const acc2 = await account("NZ");
    bulk = [...(await manyContacts(acc, 180)), ...(await manyContacts(acc2, 50))];
    optedOutContact = await contact(acc2);
    await optOut(optedOutContact.id);
    announcement = await draft({ countries: ["NZ"] }, { subject: "Hello {{account}}: phone support" });
    const started = await ok<Announcement>(
      manager,
      "POST",
      `/api/v1/announcements/${announcement.id}/send`,
      {},
    );
    expect(started).toMatchObject({
      status: "sending",
      recipients: { total: 231, pending: 230, sent: 0, optedOut: 1 },
    });
    // A contact added after the list was fixed is not on it.
    const late = await contact(acc);
    // Editing or re-sending now is refused.
    await refused(manager, "PATCH", `/api/v1/announcements/${announcement.id}`, { body: "x" }, 422);
    await refused(manager, "POST", `/api/v1/announcements/${announcement.id}/send`, {}, 422);

    // One run of the timer: one batch.
    const fired = await sweepBatch(t.c.db, t.c.timers, t.c.clock, t.c.log, { batchSize: 1 });
    expect(fired).toBe(1);
    const during = await ok<Announcement>(agent, "GET", `/api/v1/announcements/${announcement.id}`);
    expect(during).toMatchObject({
      status: "sending",
      recipients: { total: 231, pending: 30, sent: 200, optedOut: 1 },
    });

    await drainWork(t.c);
    const done = await ok<Announcement>(agent, "GET", `/api/v1/announcements/${announcement.id}`);
    expect(done).toMatchObject({
      status: "sent",
      sentAt: t.c.clock.now().toISOString(),
      recipients: { total: 231, pending: 0, sent: 230, optedOut: 1 },
    });
    expect(await mailsTo(late.email)).toHaveLength(0);
    expect(await mailsTo(optedOutContact.email)).toHaveLength(0);

    const mails = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .selectAll()
      .where("purpose", "=", "announcement")
      .where("to_address", "like", "bulk%@announce.test")
      .execute();
    expect(mails).toHaveLength(230);
    expect(new Set(mails.map((m) => m.to_address)).size).toBe(230);
    expect(new Set(mails.map((m) => m.to_address))).toEqual(new Set(bulk.map((b) => b.email)));
    const links = new Set<string>();
    for (const m of mails) {
      const headers = m.headers as Record<string, string>;
      expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
      const url = /^<(https?:\/\/[^>]+\/u\/[A-Za-z0-9_-]{20,})>$/.exec(headers["List-Unsubscribe"]!)?.[1];
      expect(url, headers["List-Unsubscribe"]).toBeDefined();
      links.add(url!);
      const person = bulk.find((b) => b.email === m.to_address)!;
      expect(m.text_body.startsWith(`Hello ${person.name},\n`)).toBe(true);
      expect(m.text_body).toContain(url!);
      expect(m.html_body).toContain(`href="${url}"`);
      expect(m.html_body).toContain("<strong>day and night</strong>");
      expect(m.to_name).toBe(person.name);
      expect(m.subject).toMatch(/^Hello Account \d+: phone support$/);
    }
    // Every link is personal.
    expect(links.size).toBe(230);
    // Tokens are kept hashed only.
    const stored = await t.c.db.kysely
      .selectFrom("announcement_recipients")
      .select("token_hash")
      .where("announcement_id", "=", announcement.id)
      .where("status", "=", "sent")
      .execute();
    for (const s of stored) expect([...links].some((l) => l.endsWith(s.token_hash!))).toBe(false);

    const events = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.type === "announcement.sent" && e.entityId === announcement.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ total: 231, sent: 230, optedOut: 1 });

    // Draining again sends nothing more.
    await drainWork(t.c);
    const count = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("purpose", "=", "announcement")
      .where("to_address", "like", "bulk%@announce.test")
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(230);
    expect(await mailsTo(bulk[0]!.email)).toHaveLength(1);
    // A sent announcement is kept: no edit, no delete.
    await refused(manager, "PATCH", `/api/v1/announcements/${announcement.id}`, { subject: "x" }, 422);
    await refused(manager, "DELETE", `/api/v1/announcements/${announcement.id}`, undefined, 422);
  });

  it("lists recipients by status, paged", async () => {
    const skipped = await ok<{ items: Recipient[] }>(
      agent,
      "GET",
      `/api/v1/announcements/${announcement.id}/recipients?status=skipped`,
    );
    expect(skipped.items).toEqual([
      expect.objectContaining({ contactId: optedOutContact.id, status: "skipped", skipReason: "opted_out" }),
    ]);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: Recipient[]; nextCursor: string | null } = await ok(
        agent,
        "GET",
        `/api/v1/announcements/${announcement.id}/recipients?status=sent&limit=100${cursor ? `&cursor=${cursor}` : ""}`,
      );
      for (const r of page.items) {
        expect(r.status).toBe("sent");
        seen.add(r.contactId);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(230);
    const bad = await refused(
      agent,
      "GET",
      `/api/v1/announcements/${announcement.id}/recipients?status=lost`,
      undefined,
      400,
    );
    expect(bad.errors?.[0]?.path).toBe("/status");
  });

  it("the link's GET changes nothing; its POST unsubscribes; a later announcement skips the contact", async () => {
    const person = bulk[0]!;
    const url = await linkOf(person.email);
    const path = pathOf(url);
    const page = await t.app.inject({ method: "GET", url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("Unsubscribe from announcements?");
    expect(page.body).toContain(`action="${path}"`);
    // Prefetching it again and again changes nothing.
    await t.app.inject({ method: "GET", url: path });
    expect((await prefs(person.id)).announcements).toBe(true);

    const posted = await t.app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "action=unsubscribe",
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain("You are unsubscribed");
    expect(posted.body).toContain('value="resubscribe"');
    const after = await prefs(person.id);
    expect(after).toMatchObject({ announcements: false, source: "link" });
    expect(after.history[0]).toMatchObject({
      announcements: false,
      source: "link",
      changedById: null,
      announcementId: announcement.id,
    });
    // Posting again is harmless.
    const again = await t.app.inject({ method: "POST", url: path });
    expect(again.body).toContain("already unsubscribed");
    expect((await prefs(person.id)).history).toHaveLength(1);

    // RFC 8058 one-click, as a mailbox sends it (no page, no cookie).
    const other = bulk[1]!;
    const oneClick = await t.app.inject({
      method: "POST",
      url: pathOf(await linkOf(other.email)),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await prefs(other.id)).announcements).toBe(false);
    // The multipart form of it too.
    const third = bulk[2]!;
    const boundary = "----kd";
    const multipart = await t.app.inject({
      method: "POST",
      url: pathOf(await linkOf(third.email)),
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode).toBe(200);
    expect((await prefs(third.id)).announcements).toBe(false);

    const next = await draft({ countries: ["NZ"] }, { subject: "Second" });
    const started = await ok<Announcement>(manager, "POST", `/api/v1/announcements/${next.id}/send`, {});
    expect(started.recipients).toMatchObject({ optedOut: 4 });
    await drainWork(t.c);
    expect(await mailsTo(person.email)).toHaveLength(1);
    expect(await mailsTo(other.email)).toHaveLength(1);
    expect(await mailsTo(bulk[3]!.email)).toHaveLength(2);
    const skipped = await ok<{ items: Recipient[] }>(
      agent,
      "GET",
      `/api/v1/announcements/${next.id}/recipients?status=skipped`,
    );
    expect(skipped.items.map((r) => r.contactId).sort()).toEqual(
      [person.id, other.id, third.id, optedOutContact.id].sort(),
    );
  });

  it("resubscribes from the page", async () => {
    const person = bulk[0]!;
    const path = pathOf(await linkOf(person.email));
    const res = await t.app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "action=resubscribe",
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("subscribed again");
    const p = await prefs(person.id);
    expect(p).toMatchObject({ announcements: true, source: "link" });
    expect(p.history.map((h) => h.announcements)).toEqual([true, false]);
  });

  it("a token changes only its own contact; an unknown one is a 404", async () => {
    const a = bulk[10]!;
    const b = bulk[11]!;
    const tokenA = tokenOf(await linkOf(a.email))!;
    await t.app.inject({ method: "POST", url: `/u/${tokenA}` });
    expect((await prefs(a.id)).announcements).toBe(false);
    expect((await prefs(b.id)).announcements).toBe(true);
    // Altered tokens reach nobody.
    for (const bad of [`${tokenA}x`, tokenA.slice(0, -1), "x".repeat(90), newId()]) {
      const res = await t.app.inject({ method: "POST", url: `/u/${bad}` });
      expect(res.statusCode).toBe(404);
      expect((await t.app.inject({ method: "GET", url: `/u/${bad}` })).statusCode).toBe(404);
    }
    expect((await prefs(b.id)).announcements).toBe(true);
  });

  it("skips a contact who opts out after the list was fixed but before their batch", async () => {
    const acc = await account("WS");
    const [x, y] = [await contact(acc), await contact(acc)];
    const a = await draft({ countries: ["WS"] });
    const started = await ok<Announcement>(manager, "POST", `/api/v1/announcements/${a.id}/send`, {});
    expect(started.recipients).toMatchObject({ pending: 2, optedOut: 0 });
    await optOut(y.id);
    await drainWork(t.c);
    expect(await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`)).toMatchObject({
      status: "sent",
      recipients: { total: 2, sent: 1, optedOut: 1, pending: 0 },
    });
    expect(await mailsTo(x.email)).toHaveLength(1);
    expect(await mailsTo(y.email)).toHaveLength(0);
  });

  it("an opted-out contact still gets service mail: replies to their case", async () => {
    const acc = await account("TO");
    const person = await contact(acc);
    await optOut(person.id);
    const kase = await ok<{ id: string }>(agent, "POST", "/api/v1/cases", {
      subject: "Invoice question",
      contactId: person.id,
      channel: "email",
    });
    await ok(
      agent,
      "POST",
      `/api/v1/cases/${kase.id}/messages`,
      { kind: "reply", body: "Here is your answer." },
      201,
    );
    await drainWork(t.c);
    expect((await mailsTo(person.email, "case.reply")).length).toBe(1);
  });

  it("sends a test copy to the signed-in user, with a sample link that changes nothing", async () => {
    const a = await draft({});
    const res = await ok<{ to: string }>(manager, "POST", `/api/v1/announcements/${a.id}/test`, {});
    const { user: me } = await ok<{ user: { email: string; name: string } }>(manager, "GET", "/api/v1/me");
    expect(res.to).toBe(me.email);
    const [m] = await mailsTo(me.email, "announcement.test");
    expect(m!.subject).toBe("[Test] Introducing 24/7 phone support");
    expect(m!.text_body.startsWith(`Hello ${me.name},`)).toBe(true);
    const link = (m!.headers as Record<string, string>)["List-Unsubscribe"]!.slice(1, -1);
    const page = await t.app.inject({ method: "POST", url: pathOf(link) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("test copy");
    // And to another address, if asked.
    await ok(manager, "POST", `/api/v1/announcements/${a.id}/test`, { email: "reviewer@announce.test" });
    expect(await mailsTo("reviewer@announce.test", "announcement.test")).toHaveLength(1);
    const bad = await refused(manager, "POST", `/api/v1/announcements/${a.id}/test`, { email: "nope" }, 400);
    expect(bad.errors?.[0]?.path).toBe("/email");
    // Nothing was sent to customers and the draft stays a draft.
    expect((await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`)).status).toBe("draft");
  });

  it("renders the mail preview for the compose page", async () => {
    const res = await ok<{ subject: string; text: string; html: string }>(
      manager,
      "POST",
      "/api/v1/announcements/preview-mail",
      {
        subject: "News for {{account}}",
        body: "Hi {{firstName}}, <b>not bold</b> but **bold**.\n\n## What is new\nA line under it.\n\n- one\n- two",
      },
    );
    expect(res.html).toContain(">What is new</h2>");
    expect(res.html).toContain(">A line under it.</p>");
    expect(res.html).toContain("<li>one</li><li>two</li>");
    expect(res.subject).toBe("News for Acme Corporation");
    expect(res.html).toContain("&lt;b&gt;not bold&lt;/b&gt;");
    expect(res.html).toContain("<strong>bold</strong>");
    expect(res.text).toContain("Unsubscribe from announcements:");
  });
});

describe("schedules", () => {
  it("a scheduled announcement starts at its time, fixing the list then", async () => {
    const acc = await account("FJ");
    const first = await contact(acc);
    const a = await draft({ countries: ["FJ"] });
    const at = new Date(t.c.clock.now().getTime() + 2 * 3_600_000).toISOString();
    const scheduled = await ok<Announcement>(manager, "POST", `/api/v1/announcements/${a.id}/send`, {
      scheduledFor: at,
    });
    expect(scheduled).toMatchObject({ status: "scheduled", scheduledFor: at, recipients: { total: 0 } });
    // Still editable while scheduled (by a manager).
    await ok(manager, "PATCH", `/api/v1/announcements/${a.id}`, { subject: "Scheduled news" });
    // Joined before the time: on the list.
    const second = await contact(acc);
    await drainWork(t.c);
    t.c.clock.advance(3_600_000);
    await drainWork(t.c);
    expect((await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`)).status).toBe("scheduled");
    expect(await mailsTo(first.email)).toHaveLength(0);
    t.c.clock.advance(3_600_000);
    await drainWork(t.c);
    const sent = await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`);
    expect(sent).toMatchObject({ status: "sent", recipients: { total: 2, sent: 2 } });
    expect((await mailsTo(first.email))[0]!.subject).toBe("Scheduled news");
    expect(await mailsTo(second.email)).toHaveLength(1);
  });

  it("cancel stops a scheduled announcement; only scheduled ones are cancelled", async () => {
    const acc = await account("CK");
    const person = await contact(acc);
    const a = await draft({ countries: ["CK"] });
    await refused(manager, "POST", `/api/v1/announcements/${a.id}/cancel`, undefined, 422);
    const at = new Date(t.c.clock.now().getTime() + 3_600_000).toISOString();
    await ok(manager, "POST", `/api/v1/announcements/${a.id}/send`, { scheduledFor: at });
    await refused(sales, "POST", `/api/v1/announcements/${a.id}/cancel`, undefined, 403);
    const cancelled = await ok<Announcement>(manager, "POST", `/api/v1/announcements/${a.id}/cancel`);
    expect(cancelled).toMatchObject({ status: "cancelled", scheduledFor: null });
    t.c.clock.advance(2 * 3_600_000);
    await drainWork(t.c);
    expect((await ok<Announcement>(agent, "GET", `/api/v1/announcements/${a.id}`)).status).toBe("cancelled");
    expect(await mailsTo(person.email)).toHaveLength(0);
    // A cancelled one can be sent after all.
    await ok(manager, "POST", `/api/v1/announcements/${a.id}/send`, {});
    await drainWork(t.c);
    expect(await mailsTo(person.email)).toHaveLength(1);
    await refused(manager, "POST", `/api/v1/announcements/${a.id}/cancel`, undefined, 422);
  });
});

describe("preferences", () => {
  it("staff record a contact's wish, with who and when; unknown contacts are 404", async () => {
    const acc = await account("NU");
    const person = await contact(acc);
    expect(await prefs(person.id)).toMatchObject({ announcements: true, source: null, history: [] });
    const off = await optOut(person.id);
    expect(off).toMatchObject({ announcements: false, source: "staff" });
    expect(off.history[0]).toMatchObject({
      announcements: false,
      source: "staff",
      changedById: agent.userId,
    });
    // The same wish again records nothing new.
    expect((await optOut(person.id)).history).toHaveLength(1);
    const on = await ok<Prefs>(manager, "PUT", `/api/v1/contacts/${person.id}/communication-preferences`, {
      announcements: true,
    });
    expect(on.history.map((h) => [h.announcements, h.changedById])).toEqual([
      [true, manager.userId],
      [false, agent.userId],
    ]);
    await refused(agent, "GET", `/api/v1/contacts/${newId()}/communication-preferences`, undefined, 404);
    const bad = await refused(
      agent,
      "PUT",
      `/api/v1/contacts/${person.id}/communication-preferences`,
      { announcements: "no" },
      400,
    );
    expect(bad.errors?.[0]?.path).toBe("/announcements");
    const events = (await readEvents(t.c.db.kysely, 0, 100_000)).filter(
      (e) => e.entityId === person.id && e.type.startsWith("contact.announcements"),
    );
    expect(events.map((e) => e.type)).toEqual([
      "contact.announcements_opted_out",
      "contact.announcements_resubscribed",
    ]);
  });

  it("a portal contact sees and changes its own, and only its own", async () => {
    const acc = await account("PW");
    const person = await contact(acc);
    const colleague = await contact(acc);
    const asked = await t.app.inject({
      method: "POST",
      url: "/api/v1/portal/auth/request-link",
      payload: { email: person.email },
      remoteAddress: "10.77.0.1",
    });
    expect(asked.statusCode, asked.body).toBe(202);
    const page = await t.c.mail.list(
      t.c.db.kysely,
      { kind: "system" },
      { to: person.email, purpose: "portal.sign_in" },
    );
    const token = decodeURIComponent(
      /\/portal\/sign-in\?token=([A-Za-z0-9_%.~-]+)/.exec(page.items[0]!.text)![1]!,
    );
    const signedIn = await t.app.inject({
      method: "POST",
      url: "/api/v1/portal/auth/sign-in",
      payload: { token },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const cookie = `kd_portal=${signedIn.cookies.find((k) => k.name === "kd_portal")!.value}`;
    const csrf = (signedIn.json() as { csrfToken: string }).csrfToken;
    const portal = (method: "GET" | "PUT", payload?: Record<string, unknown>) =>
      t.app.inject({
        method,
        url: "/api/v1/portal/preferences",
        headers: { cookie, "x-csrf-token": csrf },
        ...(payload ? { payload } : {}),
      });
    expect((await portal("GET")).json()).toEqual({ announcements: true, updatedAt: null });
    const changed = await portal("PUT", { announcements: false });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ announcements: false });
    expect(await prefs(person.id)).toMatchObject({ announcements: false, source: "portal" });
    expect((await prefs(colleague.id)).announcements).toBe(true);
    // Without the CSRF token: refused.
    const noCsrf = await t.app.inject({
      method: "PUT",
      url: "/api/v1/portal/preferences",
      headers: { cookie },
      payload: { announcements: true },
    });
    expect(noCsrf.statusCode).toBe(403);
    // Staff sessions are not portal sessions; portal sessions reach no staff endpoint.
    expect((await agent.request({ method: "GET", url: "/api/v1/portal/preferences" })).statusCode).toBe(401);
    expect(
      (
        await t.app.inject({
          method: "GET",
          url: `/api/v1/contacts/${colleague.id}/communication-preferences`,
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe("the demo seed step", () => {
  it("leaves one announcement sent last month, with its recipients, and one draft", async () => {
    const acc = await account("MV", { annualRevenue: 900_000_000 });
    const people = [await contact(acc), await contact(acc)];
    const me = await ok<{ user: { id: string } }>(manager, "GET", "/api/v1/me");
    const data: SeedData = {
      users: [{ id: me.user.id, role: "manager" } as DemoUser],
      accounts: [{ id: acc, tier: "key" } as DemoAccount],
      contacts: people.map((p) => ({ id: p.id, accountId: acc }) as DemoContact),
    };
    await t.c.db.kysely.transaction().execute((trx) =>
      announcementsStep.run({
        c: t.c,
        trx,
        rng: new Rng(7),
        refDate: new Date("2026-03-02T00:00:00Z"),
        data,
        progress: () => ({ tick() {}, done() {} }),
      }),
    );
    const [sentId, draftId] = data.announcements!;
    const sent = await ok<Announcement>(agent, "GET", `/api/v1/announcements/${sentId}`);
    expect(sent).toMatchObject({ status: "sent", segmentDescription: "key accounts" });
    expect(sent.sentAt! < "2026-02-01").toBe(true);
    // Its contacts at key accounts who opted out before were skipped.
    expect(sent.recipients.optedOut).toBe(2);
    expect(sent.recipients.pending).toBe(0);
    expect(sent.recipients.sent).toBe(sent.recipients.total - 2);
    expect((await prefs(people[0]!.id)).history[0]).toMatchObject({ announcements: false, source: "link" });
    expect((await ok<Announcement>(agent, "GET", `/api/v1/announcements/${draftId}`)).status).toBe("draft");
  });
});
