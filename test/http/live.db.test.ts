import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import type { NewEvent, StoredEvent } from "../../src/platform/events/event-bus.ts";
import { openSse, type SseStream } from "../support/sse-client.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let base: string;
let agent: Session;
const open: SseStream[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  agent = await t.signInAs("agent");
});
afterAll(async () => {
  for (const s of open) s.close();
  await t?.close();
});

async function connect(headers: Record<string, string> = {}): Promise<SseStream> {
  const s = await openSse(`${base}/api/v1/stream`, { cookie: agent.cookie, ...headers });
  open.push(s);
  return s;
}

async function append(event: Partial<NewEvent> = {}): Promise<StoredEvent> {
  return t.c.db.kysely
    .transaction()
    .execute((trx) =>
      t.c.bus.append(trx, { type: "case.created", entityType: "case", entityId: "c-1", ...event }),
    );
}

function expectFrameOf(frame: Awaited<ReturnType<SseStream["next"]>>, e: StoredEvent) {
  expect(frame?.event).toBe(e.type);
  expect(frame?.id).toBe(String(e.seq));
  expect(JSON.parse(frame!.data!)).toEqual({
    seq: e.seq,
    id: e.id,
    type: e.type,
    entityType: e.entityType,
    entityId: e.entityId,
    accountId: e.accountId,
    actorId: e.actorId,
    customerVisible: e.customerVisible,
    at: e.occurredAt.toISOString(),
  });
}

describe("GET /api/v1/stream", () => {
  it("answers 401 problem+json when not signed in", async () => {
    const res = await openSse(`${base}/api/v1/stream`);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.parse(res.body)).toMatchObject({ status: 401 });
    const badCookie = await openSse(`${base}/api/v1/stream`, { cookie: "kd_session=not-a-session" });
    expect(badCookie.status).toBe(401);
  });

  it("streams each committed event as an `event: <type>` frame with its fields", async () => {
    const s = await connect();
    expect(s.status).toBe(200);
    expect(s.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(s.headers.get("cache-control")).toContain("no-cache");
    expect(await s.next()).toEqual({ comment: "connected" });

    const created = await append({
      entityId: "c-42",
      accountId: "0190b3c1-0000-7000-8000-000000000001",
      actorId: agent.userId,
    });
    expectFrameOf(await s.nextEvent(), created);
    const closed = await append({ type: "case.closed", entityId: "c-42" });
    expectFrameOf(await s.nextEvent(), closed);
    s.close();
  });

  it("sends nothing for a rolled-back change", async () => {
    const s = await connect();
    await expect(
      t.c.db.kysely.transaction().execute(async (trx) => {
        await t.c.bus.append(trx, { type: "case.deleted", entityType: "case", entityId: "rolled-back" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    const committed = await append({ entityId: "after-rollback" });
    expectFrameOf(await s.nextEvent(), committed);
    s.close();
  });

  it("replays the events after Last-Event-ID, then goes on live, each once", async () => {
    const seen = await append({ entityId: "seen" });
    const missed1 = await append({ entityId: "missed-1" });
    const missed2 = await append({ type: "case.closed", entityId: "missed-2" });
    const s = await connect({ "last-event-id": String(seen.seq) });
    expectFrameOf(await s.nextEvent(), missed1);
    expectFrameOf(await s.nextEvent(), missed2);
    const live = await append({ entityId: "live" });
    expectFrameOf(await s.nextEvent(), live);
    const live2 = await append({ entityId: "live-2" });
    expectFrameOf(await s.nextEvent(), live2);
    s.close();
  });

  it("ignores a Last-Event-ID that is not a sequence number", async () => {
    await append({ entityId: "old" });
    const s = await connect({ "last-event-id": "garbage" });
    const live = await append({ entityId: "live" });
    expectFrameOf(await s.nextEvent(), live);
    s.close();
  });

  it("forgets a client that went away", async () => {
    await expect.poll(() => t.app.hub.size).toBe(0);
    const s = await connect();
    await s.next();
    expect(t.app.hub.size).toBe(1);
    s.close();
    await expect.poll(() => t.app.hub.size).toBe(0);
  });

  it("ends open streams when the server shuts down, so shutdown does not wait for browsers", async () => {
    const app = await buildApp(t.c);
    await app.listen({ port: 0, host: "127.0.0.1" });
    const port = (app.server.address() as AddressInfo).port;
    const s = await openSse(`http://127.0.0.1:${port}/api/v1/stream`, { cookie: agent.cookie });
    open.push(s);
    expect(await s.next()).toEqual({ comment: "connected" });
    expect(app.hub.size).toBe(1);
    await app.close();
    expect(await s.next()).toBeUndefined();
    expect(app.hub.size).toBe(0);
  });
});
