import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { createContainer } from "../src/container.ts";
import { systemClock } from "../src/platform/clock.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { DbKind, Executor } from "../src/platform/db/database.ts";
import { newId } from "../src/platform/ids.ts";
import { createLogger } from "../src/platform/logger.ts";
import type { Progress } from "../src/seed/progress.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";

/**
 * Health ledger rebuild: A accounts and E ledger events (a realistic mix: SLA met and breached,
 * cases created and reopened, promises kept and broken, survey answers) written in bulk, then
 * `HealthService.rebuild` replays them all (read in seq order, entries computed, written with
 * unnest, states and accounts' health written) in one transaction: events per second.
 *
 * Baseline, in the same run and database: a plain insert of E rows of the entry table's shape
 * into a scratch table, with the same unnest chunking (the cheapest way to write the rows the
 * rebuild writes). Reported: events/s of the rebuild, rows/s of the baseline, and their ratio.
 *
 * Then the cost of one incremental update: U single events, each appended and posted to the
 * ledger by the real bus handler in its own transaction (state lock, entry, state, account,
 * tick timer), against U single-row insert transactions: mean and p99 ms, and the ratio.
 *
 * Default 100,000 accounts and 5,000,000 events; `--cases <n>` sets the events (accounts = n/50).
 */
export const healthRebuild: Bench = {
  name: "health-rebuild",
  description:
    "Ledger rebuild events/s (100,000 accounts, 5,000,000 events; --cases) vs plain insert; one update",
  async run(options) {
    for (const engine of options.engines) {
      const report = await measure(engine, options);
      options.progress.stop();
      console.log(report);
    }
  },
};

export const DEFAULT_EVENTS = 5_000_000;
const EVENTS_PER_ACCOUNT = 50;
const CHUNK = 10_000;
const UPDATES = 500;
const DAY = 86_400_000;

const MIX: [string, number, (i: number) => Record<string, unknown>][] = [
  ["sla.met", 0.42, (i) => ({ kpi: i % 2 ? "firstResponse" : "resolution" })],
  ["sla.breached", 0.12, (i) => ({ kpi: i % 2 ? "firstResponse" : "resolution" })],
  ["case.created", 0.22, (i) => ({ number: i })],
  ["case.reopened", 0.03, () => ({ reopenCount: 1 })],
  ["promise.kept", 0.1, () => ({ subject: "Call back" })],
  ["promise.broken", 0.04, () => ({ subject: "Call back" })],
  ["survey.answered", 0.07, (i) => ({ type: "csat", score: 1 + (i % 5) })],
];

/** A deterministic stream (xorshift) so every run generates the same history. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

export async function generateHistory(
  db: Executor,
  plan: { accounts: number; events: number; start: Date; end: Date },
  progress: Progress,
): Promise<void> {
  const rand = rng(42);
  const accountIds = Array.from({ length: plan.accounts }, () => newId());
  const created = plan.start;
  const aTask = progress.task("accounts", plan.accounts);
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    const ids = accountIds.slice(i, i + CHUNK);
    await sql`insert into accounts (id, name, annual_revenue, created_at, updated_at, customer_since)
      select u.id, 'Bench account ' || u.n, (1000 + (u.n * 7919) % 500000)::numeric, ${created}::timestamptz,
        ${created}::timestamptz, '2020-01-01'::date
      from unnest(${ids}::uuid[]) with ordinality as u(id, n)`.execute(db);
    aTask.tick(ids.length);
  }
  aTask.done();
  const lastCase = new Array<string | null>(plan.accounts).fill(null);
  const span = plan.end.getTime() - plan.start.getTime();
  const eTask = progress.task("events", plan.events);
  const cumulative: number[] = [];
  MIX.reduce((s, [, p], i) => {
    cumulative[i] = s + p;
    return s + p;
  }, 0);
  for (let done = 0; done < plan.events; done += CHUNK) {
    const n = Math.min(CHUNK, plan.events - done);
    const ids: string[] = [];
    const types: string[] = [];
    const entityTypes: string[] = [];
    const entityIds: string[] = [];
    const accounts: string[] = [];
    const data: string[] = [];
    const at: string[] = [];
    for (let k = 0; k < n; k++) {
      const i = done + k;
      const a = Math.floor(rand() * plan.accounts);
      const r = rand() * cumulative[cumulative.length - 1]!;
      const m = MIX[cumulative.findIndex((c) => r <= c)] ?? MIX[0]!;
      const [type, , dataOf] = m;
      let entityId: string;
      let entityType = "case";
      if (type === "case.created" || lastCase[a] === null) {
        entityId = newId();
        lastCase[a] = entityId;
      } else entityId = lastCase[a]!;
      if (type.startsWith("promise.")) entityType = "activity";
      if (type === "survey.answered") entityType = "survey";
      ids.push(newId());
      types.push(type);
      entityTypes.push(entityType);
      entityIds.push(entityId);
      accounts.push(accountIds[a]!);
      data.push(JSON.stringify(dataOf(i)));
      at.push(new Date(plan.start.getTime() + Math.floor((span * i) / plan.events)).toISOString());
    }
    await sql`insert into events (id, type, entity_type, entity_id, account_id, data, occurred_at)
      select * from unnest(${ids}::uuid[], ${types}::text[], ${entityTypes}::text[], ${entityIds}::text[],
        ${accounts}::uuid[], ${data}::jsonb[], ${at}::timestamptz[])`.execute(db);
    eTask.tick(n);
  }
  eTask.done();
}

/** The baseline: E rows of the entry table's shape into a scratch table, same chunking. */
async function plainInsert(db: Executor, rows: number, progress: Progress): Promise<number> {
  await sql`create table bench_health_entries (like health_entries including all)`.execute(db);
  const task = progress.task("baseline: plain insert", rows);
  const account = newId();
  const t0 = performance.now();
  for (let done = 0; done < rows; done += CHUNK) {
    const n = Math.min(CHUNK, rows - done);
    const ids = Array.from({ length: n }, () => newId());
    const at = new Date().toISOString();
    await sql`insert into bench_health_entries (id, account_id, source_event_id, source_seq, kind, case_id, at,
        base_weight, multiplier, weight, balance_after, score_before, score_after, detail)
      select u.id, ${account}::uuid, u.id, u.n, 'sla_met', null, ${at}::timestamptz, 1, 1, 1, u.n, 70, 71, '{}'::jsonb
      from unnest(${ids}::uuid[]) with ordinality as u(id, n)`.execute(db);
    task.tick(n);
  }
  const seconds = (performance.now() - t0) / 1000;
  task.done();
  await sql`drop table bench_health_entries`.execute(db);
  return seconds;
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0;
};
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

async function measure(engine: DbKind, options: BenchOptions): Promise<string> {
  const events = options.cases ?? DEFAULT_EVENTS;
  const accounts = Math.max(1, Math.floor(events / EVENTS_PER_ACCOUNT));
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 4 });
  try {
    // No HTTP here: a silent logger (the shared bench container logs requests to /dev/null).
    const c = createContainer({
      config: loadConfig({ KEEPDESK_DATA_DIR: bench.dataDir }),
      db: bench.db,
      clock: systemClock,
      log: createLogger("silent"),
    });
    const db = c.db.kysely;
    const end = new Date(Math.floor(Date.now() / DAY) * DAY);
    const start = new Date(end.getTime() - 365 * DAY);
    const g0 = performance.now();
    await generateHistory(db, { accounts, events, start, end }, options.progress);
    const generated = (performance.now() - g0) / 1000;
    await sql`analyze`.execute(db);

    const baselineSeconds = await plainInsert(db, events, options.progress);

    const task = options.progress.task("rebuild", events);
    let seen = 0;
    const r0 = performance.now();
    const result = await c.health.rebuild({
      onProgress: (done) => {
        task.tick(done - seen);
        seen = done;
      },
    });
    const rebuildSeconds = (performance.now() - r0) / 1000;
    task.done();
    if (result.events !== events) throw new Error(`rebuild read ${result.events} events, expected ${events}`);

    // One incremental update: an event appended and posted by the real handler, one transaction each.
    const handler = c.bus.handler("health.ledger")!;
    const ids = (await db.selectFrom("accounts").select("id").limit(UPDATES).execute()).map((r) => r.id);
    const update: number[] = [];
    const single: number[] = [];
    await sql`create table bench_single (id uuid primary key, at timestamptz not null)`.execute(db);
    const uTask = options.progress.task("incremental updates", UPDATES * 2);
    for (const [i, accountId] of ids.entries()) {
      const t0 = performance.now();
      await db.transaction().execute(async (trx) => {
        const e = await c.bus.append(trx, {
          type: i % 3 === 0 ? "sla.breached" : "sla.met",
          entityType: "case",
          entityId: newId(),
          accountId,
          data: { kpi: "resolution" },
        });
        await handler.handle(e, trx);
      });
      update.push(performance.now() - t0);
      const t1 = performance.now();
      await db
        .transaction()
        .execute((trx) => sql`insert into bench_single (id, at) values (${newId()}, now())`.execute(trx));
      single.push(performance.now() - t1);
      uTask.tick(2);
    }
    uTask.done();

    const rebuildRate = events / rebuildSeconds;
    const baselineRate = events / baselineSeconds;
    return [
      "",
      `health-rebuild on ${bench.where}: ${fmt(accounts)} accounts, ${fmt(events)} events (generated in ${fmt(generated, 1)} s), ${fmt(result.entries)} entries`,
      machineLine(),
      formatTable(
        ["measure", "seconds", "per second", "vs baseline"],
        [
          ["baseline: plain insert of E rows", fmt(baselineSeconds, 1), fmt(baselineRate), "1.00"],
          [
            "rebuild: events replayed",
            fmt(rebuildSeconds, 1),
            fmt(rebuildRate),
            fmt(rebuildRate / baselineRate, 2),
          ],
        ],
      ),
      formatTable(
        ["one change (n = " + fmt(ids.length) + ")", "mean ms", "p99 ms", "vs baseline (mean)"],
        [
          ["baseline: one-row insert transaction", fmt(mean(single), 2), fmt(p99(single), 2), "1.00"],
          [
            "ledger: append + post one event",
            fmt(mean(update), 2),
            fmt(p99(update), 2),
            fmt(mean(update) / mean(single), 2),
          ],
        ],
      ),
      "",
    ].join("\n");
  } finally {
    await bench.dispose();
  }
}
