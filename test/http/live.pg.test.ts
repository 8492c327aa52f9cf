/**
 * Live updates across processes: on the server, events reach SSE clients through LISTEN/NOTIFY,
 * so a change committed by another process (a worker, another `serve`) shows up on every screen.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.ts";
import { type Database, openDatabase } from "../../src/platform/db/database.ts";
import { EventBus } from "../../src/platform/events/event-bus.ts";
import { openSse, type SseStream } from "../support/sse-client.ts";
import { createTestApp, type Session, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let base: string;
let agent: Session;
/** A second connection pool on the same database, as another process would have. */
let other: Database;
const open: SseStream[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  agent = await t.signInAs("agent");
  other = await openDatabase({ databaseUrl: t.c.testDb.url!, poolSize: 2 });
});
afterAll(async () => {
  for (const s of open) s.close();
  await other?.close();
  await t?.close();
});

async function connect(url: string, headers: Record<string, string> = {}) {
  const s = await openSse(url, { cookie: agent.cookie, ...headers });
  open.push(s);
  return s;
}

describe("GET /api/v1/stream on a Postgres server", () => {
  it("delivers an event committed through another process's connection, via LISTEN/NOTIFY", async () => {
    const s = await connect(`${base}/api/v1/stream`);
    expect(await s.next()).toEqual({ comment: "connected" });

    const otherBus = new EventBus(t.c.clock);
    const e = await other.kysely
      .transaction()
      .execute((trx) =>
        otherBus.append(trx, { type: "case.assigned", entityType: "case", entityId: "from-elsewhere" }),
      );
    const frame = await s.nextEvent();
    expect(frame?.event).toBe("case.assigned");
    expect(frame?.id).toBe(String(e.seq));
    expect(JSON.parse(frame!.data!)).toMatchObject({
      seq: e.seq,
      id: e.id,
      type: "case.assigned",
      entityId: "from-elsewhere",
      at: e.occurredAt.toISOString(),
    });
  });

  it("forgets a client that leaves while its Last-Event-ID replay is still being read", async () => {
    const app = await buildApp(t.c);
    await app.listen({ port: 0, host: "127.0.0.1" });
    let streamsClosed = 0;
    app.server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
      res.on("close", () => streamsClosed++);
    });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/stream`;
    const seen = await t.c.db.kysely
      .transaction()
      .execute((trx) =>
        t.c.bus.append(trx, { type: "case.created", entityType: "case", entityId: "before" }),
      );
    // Hold the replay query: another connection locks the events table until released.
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const holder = other.kysely.transaction().execute(async (trx) => {
      await sql`lock table events in access exclusive mode`.execute(trx);
      locked();
      await released;
    });
    try {
      await isLocked;

      const leaving = await connect(url, { "last-event-id": String(seen.seq) });
      expect(await leaving.next()).toEqual({ comment: "connected" });
      // The replay is waiting for the lock …
      await expect
        .poll(async () => {
          const r = await sql<{ n: number }>`
            select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
            where c.relname = 'events' and not l.granted`.execute(other.kysely);
          return r.rows[0]!.n;
        })
        .toBe(1);
      // … when the client goes away.
      leaving.close();
      await expect.poll(() => streamsClosed).toBe(1);
      release();
      await holder;

      // Barrier: once a later client has received a later event, the abandoned replay has finished.
      const staying = await connect(url);
      await staying.next();
      const later = await t.c.db.kysely
        .transaction()
        .execute((trx) =>
          t.c.bus.append(trx, { type: "case.created", entityType: "case", entityId: "later" }),
        );
      expect((await staying.nextEvent())?.id).toBe(String(later.seq));
      expect(app.hub.size).toBe(1);
      staying.close();
      await expect.poll(() => app.hub.size).toBe(0);
    } finally {
      release();
      await holder;
      await app.close();
    }
  });
});
