/**
 * The outbox and the timers are exactly-once across real worker processes: several `keepdesk
 * worker`s share the work through FOR UPDATE SKIP LOCKED, and a worker killed mid-batch loses
 * nothing and doubles nothing, because a handler's writes commit with its "done" mark or not at
 * all. Each worker is a separate Node process (test/support/probe-worker.ts) on the server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import { ManualClock } from "../../src/platform/clock.ts";
import { EventBus } from "../../src/platform/events/event-bus.ts";
import { TimerRegistry } from "../../src/platform/timers/timers.ts";
import {
  PROBE_EVENT_TYPE,
  PROBE_HANDLER,
  PROBE_TABLE_SQL,
  PROBE_TIMER_KIND,
} from "../support/probe-worker.ts";
import { createTestContainer, type TestContainer } from "../support/test-db.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PROBE_WORKER = path.join(ROOT, "test/support/probe-worker.ts");
/** Liveness guard for waits on other processes; never an assertion about speed. */
const DEADLINE_MS = 45_000;

let c: TestContainer;
let bus: EventBus;
let timers: TimerRegistry;

beforeAll(async () => {
  // The workers run on the system clock: append and schedule "a minute ago", so all is due.
  c = await createTestContainer({ clock: new ManualClock(new Date(Date.now() - 60_000)) });
  await sql.raw(PROBE_TABLE_SQL).execute(c.db.kysely);
  // Same handler name as in the workers, so append() writes a delivery for it; it never runs here.
  bus = new EventBus(c.clock);
  bus.register({
    name: PROBE_HANDLER,
    types: [PROBE_EVENT_TYPE],
    handle: async () => {
      throw new Error("the probe handler runs only in the worker processes");
    },
  });
  timers = new TimerRegistry(c.clock);
});
afterAll(async () => c?.testDb.drop());

type Worker = {
  name: string;
  child: ChildProcess;
  pid: number;
  lines: string[];
  output: string[];
  exited: Promise<number | null>;
};
/** The worker processes of the running test. */
let workers: Worker[] = [];

beforeEach(async () => {
  await sql`truncate events, event_deliveries, timers, probe restart identity cascade`.execute(c.db.kysely);
  const current: Worker[] = [];
  workers = current;
  onTestFailed(() => {
    for (const w of current) console.error(`--- worker ${w.name} (pid ${w.pid}) ---\n${w.output.join("")}`);
  });
});
afterEach(async () => {
  for (const w of workers) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
    await w.exited;
  }
});

function startWorker(name: string, env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", PROBE_WORKER], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: c.testDb.url!, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const w: Worker = {
    name,
    child,
    pid: child.pid!,
    lines: [],
    output: [],
    exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
  };
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    w.output.push(chunk);
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    w.lines.push(...parts);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => w.output.push(chunk));
  workers.push(w);
  return w;
}

/** Polls until `ready()` holds; fails (with the workers' output) if it does not by the deadline. */
async function waitUntil(what: string, ready: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!(await ready())) {
    for (const w of workers) {
      if (w.child.exitCode !== null)
        throw new Error(`worker ${w.name} exited (${w.child.exitCode}) while waiting for ${what}`);
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const linesMatching = (w: Worker, re: RegExp) => w.lines.filter((l) => re.test(l));

async function stopGracefully(w: Worker) {
  w.child.kill("SIGTERM");
  expect(await w.exited).toBe(0);
}

/** Appends events and schedules due timers, all in one transaction, so they appear at once. */
async function addWork(n: { events: number; timers: number }) {
  const eventSeqs: string[] = [];
  const timerIds: string[] = [];
  await c.db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < n.timers; i++) {
      // Spread over the last minute, so the sweepers' batches are ordered by due time.
      const dueAt = new Date(c.clock.now().getTime() - i);
      timerIds.push(await timers.schedule(trx, { kind: PROBE_TIMER_KIND, dueAt }));
    }
    for (let i = 0; i < n.events; i++) {
      const e = await bus.append(trx, { type: PROBE_EVENT_TYPE, entityType: "probe", entityId: `p${i}` });
      eventSeqs.push(String(e.seq));
    }
  });
  return { eventSeqs, timerIds };
}

async function outstanding(): Promise<number> {
  const r = await sql<{ n: number }>`
    select (select count(*) from event_deliveries where status <> 'done')
         + (select count(*) from timers where status <> 'done') as n`.execute(c.db.kysely);
  return Number(r.rows[0]!.n);
}

type ProbeRow = { kind: string; ref: string; pid: number };
async function probeRows(): Promise<ProbeRow[]> {
  return (await sql<ProbeRow>`select kind, ref, pid from probe`.execute(c.db.kysely)).rows;
}

/** How often each ref was handled, per kind. */
function handledCounts(rows: ProbeRow[], kind: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.kind === kind) counts.set(r.ref, (counts.get(r.ref) ?? 0) + 1);
  return counts;
}

function expectExactlyOnce(rows: ProbeRow[], kind: string, refs: string[]) {
  const counts = handledCounts(rows, kind);
  const doubled = [...counts].filter(([, n]) => n !== 1);
  expect(doubled, `${kind}s handled more than once`).toEqual([]);
  expect([...counts.keys()].sort()).toEqual([...refs].sort());
  expect(rows.filter((r) => r.kind === kind)).toHaveLength(refs.length);
}

describe("two worker processes", () => {
  it("share 3000 events and 3000 timers, each handled exactly once", async () => {
    const a = startWorker("A", { PROBE_BATCH_SIZE: "50" });
    const b = startWorker("B", { PROBE_BATCH_SIZE: "50" });
    await waitUntil("both workers to start", () => a.lines.includes("ready") && b.lines.includes("ready"));

    const { timerIds, eventSeqs } = await addWork({ events: 3000, timers: 3000 });
    await waitUntil("all work to be done", async () => (await outstanding()) === 0);

    const rows = await probeRows();
    expectExactlyOnce(rows, "timer", timerIds);
    expectExactlyOnce(rows, "event", eventSeqs);
    expect(rows).toHaveLength(6000);
    // Both processes did part of it, and nobody else did any.
    const byPid = new Map<number, number>();
    for (const r of rows) byPid.set(r.pid, (byPid.get(r.pid) ?? 0) + 1);
    expect([...byPid.keys()].sort()).toEqual([a.pid, b.pid].sort());
    expect(byPid.get(a.pid)).toBeGreaterThan(0);
    expect(byPid.get(b.pid)).toBeGreaterThan(0);
    // Every attempt succeeded the first time: no handler ran twice and rolled back.
    const attempts = await sql<{ n: number }>`
      select (select count(*) from event_deliveries where attempts <> 1)
           + (select count(*) from timers where attempts <> 1) as n`.execute(c.db.kysely);
    expect(Number(attempts.rows[0]!.n)).toBe(0);

    await stopGracefully(a);
    await stopGracefully(b);
  });
});

describe("a worker killed mid-batch", () => {
  it.each([
    ["events", "event"],
    ["timers", "timer"],
  ] as const)("leaves its claimed %s to the next worker, losing and doubling nothing", async (what, kind) => {
    const work = await addWork(what === "events" ? { events: 300, timers: 0 } : { events: 0, timers: 300 });
    const refs = what === "events" ? work.eventSeqs : work.timerIds;

    // A is slow: 50 ms per item, 100 per batch, announcing each item before the batch commits.
    const a = startWorker("A", { PROBE_SLEEP_MS: "50", PROBE_ANNOUNCE: "1", PROBE_BATCH_SIZE: "100" });
    await waitUntil("A to claim a batch and handle part of it", () => {
      return a.lines.includes(`claimed ${what} 100`) && linesMatching(a, /^handled /).length >= 5;
    });
    a.child.kill("SIGKILL");
    await a.exited;
    expect(a.child.signalCode).toBe("SIGKILL");
    const killedBatch = linesMatching(a, /^handled /).map((l) => l.split(" ")[2]!);
    expect(linesMatching(a, /^handled /).every((l) => l.startsWith(`handled ${kind} `))).toBe(true);
    expect(killedBatch.length).toBeGreaterThanOrEqual(5);
    expect(killedBatch.length).toBeLessThan(100);

    const b = startWorker("B");
    await waitUntil("B to finish the work", async () => (await outstanding()) === 0);

    const rows = await probeRows();
    expectExactlyOnce(rows, kind, refs);
    expect(rows).toHaveLength(300);
    // A's uncommitted writes vanished with it; B did everything, including A's batch.
    expect(rows.filter((r) => r.pid === a.pid)).toEqual([]);
    const handledByB = new Set(rows.filter((r) => r.pid === b.pid).map((r) => r.ref));
    expect(killedBatch.filter((ref) => !handledByB.has(ref))).toEqual([]);
    // The crash did not count as a failed attempt.
    const table = what === "events" ? "event_deliveries" : "timers";
    const attempts = await sql<{ attempts: number; n: number }>`
      select attempts, count(*)::int as n from ${sql.table(table)} group by attempts`.execute(c.db.kysely);
    expect(attempts.rows).toEqual([{ attempts: 1, n: 300 }]);

    await stopGracefully(b);
  });
});
