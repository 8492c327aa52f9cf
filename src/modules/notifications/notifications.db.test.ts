import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSse, type SseStream } from "../../../test/support/sse-client.ts";
import { createTestApp, type Session, type TestApp } from "../../../test/support/test-app.ts";
import { type Actor, SYSTEM } from "../../platform/auth/actor.ts";
import { AppError } from "../../platform/errors.ts";
import { readEvents } from "../../platform/events/event-bus.ts";
import { drainWork } from "../../platform/worker.ts";
import type { Authenticated } from "../auth/auth.service.ts";
import type { Notification, NotificationPage, Notify } from "./notifications.service.ts";

let t: TestApp;
let alice: Session;
let bob: Session;
let base: string;
const streams: SseStream[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  alice = await t.signInAs("agent", "alice@example.test");
  bob = await t.signInAs("manager", "bob@example.test");
});
afterAll(async () => {
  for (const s of streams) s.close();
  await t?.close();
});

const CASE_ID = "0190b3c1-0000-7000-8000-0000000000c1";

const notify = (input: Partial<Notify> & Pick<Notify, "userIds">) =>
  t.c.db.kysely.transaction().execute((trx) =>
    t.c.notifications.notify(trx, {
      kind: "sla.warning",
      title: "CS-000042 is close to its first-response target",
      body: "12 minutes left.",
      link: `/cases/${CASE_ID}`,
      caseId: CASE_ID,
      ...input,
    }),
  );

async function list(s: Session, qs = ""): Promise<NotificationPage> {
  const res = await s.request({ method: "GET", url: `/api/v1/notifications${qs}` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("NotificationsService.notify", () => {
  it("writes one notification per distinct active user and announces each to its recipient only", async () => {
    const carol = await t.c.users.create(SYSTEM, {
      email: "carol@example.test",
      name: "Carol",
      role: "agent",
      password: "correct-horse-battery",
    });
    await t.c.users.update(SYSTEM, carol.id, { active: false });
    const before = (await readEvents(t.c.db.kysely, 0, 100_000)).at(-1)?.seq ?? 0;

    const created = await notify({ userIds: [alice.userId, alice.userId, carol.id, "not-a-uuid"] });

    expect(created).toEqual([{ id: expect.any(String), userId: alice.userId }]);
    const events = await readEvents(t.c.db.kysely, before, 100);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "notification.created",
      entityType: "notification",
      entityId: created[0]!.id,
      audienceUserId: alice.userId,
      customerVisible: false,
      accountId: null,
      data: {
        notificationId: created[0]!.id,
        recipientId: alice.userId,
        kind: "sla.warning",
        title: "CS-000042 is close to its first-response target",
        link: `/cases/${CASE_ID}`,
      },
    });
  });

  it("adds nothing for a user already notified with the same dedupe key", async () => {
    const first = await notify({
      userIds: [alice.userId],
      dedupeKey: "sla.warning:c1:firstResponse",
      email: true,
    });
    expect(first).toHaveLength(1);
    const again = await notify({
      userIds: [alice.userId, bob.userId],
      dedupeKey: "sla.warning:c1:firstResponse",
      email: true,
    });
    expect(again).toEqual([{ id: expect.any(String), userId: bob.userId }]);
    const mails = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .select("to_address")
      .where("purpose", "=", "sla.warning")
      .execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual(["alice@example.test", "bob@example.test"]);
  });

  it("emails the recipient when asked, with the link as an absolute URL, sent by the worker", async () => {
    const [n] = await notify({
      userIds: [bob.userId],
      kind: "promise.reminder",
      title: "Call Wile back",
      email: true,
    });
    const mail = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .selectAll()
      .where("purpose", "=", "promise.reminder")
      .executeTakeFirstOrThrow();
    expect(mail).toMatchObject({
      to_address: "bob@example.test",
      to_name: (await t.c.users.get(SYSTEM.actor, bob.userId)).name,
      subject: "Call Wile back",
      case_id: CASE_ID,
      status: "queued",
      headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    });
    const url = `${t.c.config.publicUrl}/cases/${CASE_ID}`;
    expect(mail.text_body).toBe(`Call Wile back\n\n12 minutes left.\n\nOpen in Keepdesk: ${url}\n`);
    expect(mail.html_body).toContain(`<a href="${url}">`);
    expect(n).toBeDefined();
    await drainWork(t.c);
    expect(
      (
        await t.c.db.kysely
          .selectFrom("outbound_mail")
          .select("status")
          .where("id", "=", mail.id)
          .executeTakeFirst()
      )?.status,
    ).toBe("sent");
  });

  it("does not email unless asked", async () => {
    await notify({ userIds: [alice.userId], kind: "quiet.kind" });
    const mails = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .select("id")
      .where("purpose", "=", "quiet.kind")
      .execute();
    expect(mails).toEqual([]);
  });

  it("escapes the title and body in the HTML mail", async () => {
    await notify({
      userIds: [alice.userId],
      kind: "html.check",
      title: "<script>x</script>",
      body: "a & b",
      email: true,
    });
    const mail = await t.c.db.kysely
      .selectFrom("outbound_mail")
      .select(["html_body"])
      .where("purpose", "=", "html.check")
      .executeTakeFirstOrThrow();
    expect(mail.html_body).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(mail.html_body).toContain("a &amp; b");
    expect(mail.html_body).not.toContain("<script>");
  });

  it.each([
    ["/link", { link: "https://evil.example.test/" }],
    ["/link", { link: "//evil.example.test/x" }],
    ["/title", { title: "   " }],
  ])("refuses a bad %s", async (path, input) => {
    const e = await refusal(notify({ userIds: [alice.userId], ...input }));
    expect(e.code).toBe("validation");
    expect(e.extra.errors).toEqual([{ path, message: expect.any(String) }]);
  });
});

describe("GET /api/v1/notifications and marking read", () => {
  let dave: Session;
  let erin: Session;
  let ids: string[];

  beforeAll(async () => {
    dave = await t.signInAs("agent", "dave@example.test");
    erin = await t.signInAs("sales", "erin@example.test");
    ids = [];
    for (const title of ["first", "second", "third"]) {
      ids.push((await notify({ userIds: [dave.userId], title }))[0]!.id);
      t.c.clock.advance(1000);
    }
  });

  it("lists the signed-in user's own notifications, newest first, with the unread count", async () => {
    const page = await list(dave);
    expect(page.items.map((n) => n.title)).toEqual(["third", "second", "first"]);
    expect(page.unreadCount).toBe(3);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toEqual({
      id: ids[2],
      kind: "sla.warning",
      title: "third",
      body: "12 minutes left.",
      link: `/cases/${CASE_ID}`,
      caseId: CASE_ID,
      createdAt: expect.any(String),
      readAt: null,
    });
    expect(await list(erin)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it("pages by cursor", async () => {
    const one = await list(dave, "?limit=2");
    expect(one.items.map((n) => n.title)).toEqual(["third", "second"]);
    expect(one.unreadCount).toBe(3);
    const two = await list(dave, `?limit=2&cursor=${one.nextCursor}`);
    expect(two.items.map((n) => n.title)).toEqual(["first"]);
    expect(two.nextCursor).toBeNull();
  });

  it("lets only the recipient mark one read (404 for anyone else), idempotently", async () => {
    const url = `/api/v1/notifications/${ids[1]}/read`;
    const stranger = await erin.request({ method: "POST", url });
    expect(stranger.statusCode).toBe(404);
    expect((await list(dave)).unreadCount).toBe(3);

    const res = await dave.request({ method: "POST", url });
    expect(res.statusCode).toBe(200);
    const read = res.json() as Notification;
    expect(read).toMatchObject({ id: ids[1], readAt: t.c.clock.now().toISOString() });
    t.c.clock.advance(5000);
    const again = await dave.request({ method: "POST", url });
    expect(again.json().readAt).toBe(read.readAt);

    const page = await list(dave);
    expect(page.unreadCount).toBe(2);
    expect((await list(dave, "?unread=true")).items.map((n) => n.title)).toEqual(["third", "first"]);

    const missing = await dave.request({
      method: "POST",
      url: "/api/v1/notifications/0190b3c1-0000-7000-8000-00000000dead/read",
    });
    expect(missing.statusCode).toBe(404);
    const bad = await dave.request({ method: "POST", url: "/api/v1/notifications/nope/read" });
    expect(bad.statusCode).toBe(400);
  });

  it("marks all read for the signed-in user only", async () => {
    await notify({ userIds: [erin.userId], title: "for erin" });
    const res = await dave.request({ method: "POST", url: "/api/v1/notifications/read-all" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ updated: 2 });
    expect((await list(dave)).unreadCount).toBe(0);
    expect((await list(dave, "?unread=true")).items).toEqual([]);
    expect((await list(erin)).unreadCount).toBe(1);
    const again = await dave.request({ method: "POST", url: "/api/v1/notifications/read-all" });
    expect(again.json()).toEqual({ updated: 0 });
  });

  it("answers 401 when signed out and 403 to a portal contact", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/notifications" })).statusCode).toBe(401);
    const contact: Actor = {
      kind: "contact",
      id: "0190b3c1-0000-7000-8000-0000000000aa",
      email: "wile@acme.test",
      accountId: "0190b3c1-0000-7000-8000-0000000000bb",
    };
    const auth = t.c.auth;
    const real = auth.authenticateToken.bind(auth);
    auth.authenticateToken = async (token: string) =>
      token === "portal-stand-in"
        ? ({ actor: contact, via: "token" } as unknown as Authenticated)
        : real(token);
    try {
      const headers = { authorization: "Bearer portal-stand-in" };
      for (const [method, url] of [
        ["GET", "/api/v1/notifications"],
        ["POST", `/api/v1/notifications/${ids[0]}/read`],
        ["POST", "/api/v1/notifications/read-all"],
      ] as const) {
        const res = await t.app.inject({ method, url, headers });
        expect(res.statusCode).toBe(403);
      }
    } finally {
      auth.authenticateToken = real;
    }
  });
});

describe("live updates", () => {
  it("carries notification.created to its recipient's stream only", async () => {
    const open = async (s: Session) => {
      const stream = await openSse(`${base}/api/v1/stream`, { cookie: s.cookie });
      streams.push(stream);
      expect(await stream.next()).toEqual({ comment: "connected" });
      return stream;
    };
    const aliceStream = await open(alice);
    const bobStream = await open(bob);

    const [n] = await notify({ userIds: [alice.userId], title: "only for alice" });
    // An ordinary event after it: everyone's next frame. Bob's first frame being this one
    // proves the notification never reached him.
    const marker = await t.c.db.kysely
      .transaction()
      .execute((trx) => t.c.bus.append(trx, { type: "case.updated", entityType: "case", entityId: CASE_ID }));

    const a1 = await aliceStream.nextEvent();
    expect(a1?.event).toBe("notification.created");
    expect(JSON.parse(a1!.data!)).toMatchObject({ entityId: n!.id, audienceUserId: alice.userId });
    expect((await aliceStream.nextEvent())?.id).toBe(String(marker.seq));
    const b1 = await bobStream.nextEvent();
    expect(b1?.event).toBe("case.updated");
    expect(b1?.id).toBe(String(marker.seq));

    // Replay after a reconnect follows the same rule.
    const replayed = await openSse(`${base}/api/v1/stream`, {
      cookie: bob.cookie,
      "last-event-id": String(marker.seq - 2),
    });
    streams.push(replayed);
    expect(await replayed.next()).toEqual({ comment: "connected" });
    expect((await replayed.nextEvent())?.id).toBe(String(marker.seq));
  });
});
