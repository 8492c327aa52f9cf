import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import type { Container } from "../src/container.ts";
import { slaRepository } from "../src/modules/sla/sla.repository.ts";
import { SLA_BREACH_TIMER } from "../src/modules/sla/sla.service.ts";
import type { SlaAction } from "../src/modules/sla/sla-config.service.ts";
import type { Clock } from "../src/platform/clock.ts";
import type { DbKind, Executor } from "../src/platform/db/database.ts";
import { newId } from "../src/platform/ids.ts";
import { sweepBatch } from "../src/platform/timers/timers.ts";
import type { Progress } from "../src/seed/progress.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import { benchContainer } from "./lib/stack.ts";

/**
 * SLA sweep throughput: N cases whose first-response breach timers are all due at the same
 * instant in the past (a worker catching up after downtime, or a Monday-morning wave), fired by
 * the real sweeper (`sweepBatch`, batches of 50, FOR UPDATE SKIP LOCKED) through the real SLA
 * handler (`SlaService.onBreachTimer`: lock the clock and the case, mark breached, append
 * `sla.breached`, run the policy's breach actions — notify: in-app notification + queued mail to
 * the owner and the team lead; addTag: a case change through `CasesService.commit` with its
 * history, events and hooks — and refresh the case's SLA summary).
 *
 * Baseline, in the same run and by the same sweeper: as many timers of a registered no-op kind
 * (the sweeper's own cost: claim, savepoint, mark done). Reported: timers per second of each and
 * SLA ÷ baseline, with 1 sweeper, and on Postgres also 2 sweepers at once (two sweep loops in
 * this process on a pool of 10, each claiming with SKIP LOCKED, like two `startWorker` loops).
 * Each measurement fires its own set of N cases, so every breach is a first one. Setup writes the
 * rows directly in bulk (unnest, a few statements per 5,000 cases), not through the services.
 * With --rounds n, each measurement is split into n rounds of N/n timers per side, alternating
 * which side goes first, and merged (evens out a machine whose load drifts during a long sweep).
 * --duration does not apply: each sweep runs until its timers are done.
 */
export const slaSweep: Bench = {
  name: "sla-sweep",
  description: "SLA breach timers fired per second (N due at once, --cases) vs no-op timers, same sweeper",
  async run(options) {
    for (const engine of options.engines) {
      const report = await measureEngine(engine, options);
      options.progress.stop();
      console.log(report);
    }
  },
};

/** Cases (= breach timers) per measurement by default. */
export const DEFAULT_SWEEP_CASES: Record<DbKind, number> = { postgres: 100_000, pglite: 10_000 };
/** The no-op timer kind of the baseline. */
export const NOOP_TIMER = "bench.noop";
/** What a breach adds to the case (the policy's addTag action). */
export const BREACH_TAG = "sla-breached";
/** The worker's batch size (src/platform/worker.ts). */
export const SWEEP_BATCH = 50;
const CHUNK = 5_000;
const PHASE_GAP_MINUTES = 10;
const FIRST_RESPONSE_MINUTES = 60;
const RESOLUTION_MINUTES = 2_880;
const AGENTS = 20;
const MINUTE = 60_000;

/**
 * One round of a measurement: `cases` no-op timers due at `baselineAt` and as many SLA breaches
 * due at `dueAt`, swept in that order or, every other round, the other way round.
 */
export type SweepSlice = { cases: number; baselineAt: Date; dueAt: Date; slaFirst: boolean };
/** One measurement (one sweeper count): N no-op timers and N breaches, over its rounds. */
export type SweepSet = { index: number; cases: number; slices: SweepSlice[] };

export type SweepFixture = {
  policyId: string;
  teamId: string;
  leadId: string;
  agentIds: string[];
  sets: SweepSet[];
};

export type SweepResult = { timers: number; seconds: number; perSecond: number };

/** What one set's breaches left behind; `check` throws unless every clock breached exactly once. */
export type SetOutcome = {
  clocks: number;
  breached: number;
  breachedAtDue: number;
  breachEvents: number;
  clocksWithOneEvent: number;
  timersDone: number;
  timersNotDone: number;
  tagged: number;
  escalationHistory: number;
  notifications: number;
  mails: number;
  events: number;
  resolutionStillRunning: number;
};

/**
 * The SLA configuration (a 24×7 calendar, one policy breaching with notify + addTag), a team
 * with a lead and 20 agents, and `sets` sets of `cases` open cases, each with a running
 * first-response clock (due at its round's instant) and a running resolution clock (due two days
 * later), their breach timers, and as many no-op timers. A set's cases are split over `rounds`
 * (default 1) rounds, which sweep baseline and breaches in alternating order. Every phase (a
 * round's no-ops or breaches) has its own instant, 10 minutes apart in the order they are swept
 * and all before `c.clock.now()`, so a sweep whose clock stands at a phase's instant claims that
 * phase's timers only: not the next phase's, nor the mails the breaches queue (due at the real
 * now), nor the resolution timers (due days later).
 */
export async function setupSweep(
  c: Container,
  plan: { cases: number; sets: number; rounds?: number },
  progress: Progress,
): Promise<SweepFixture> {
  const db = c.db.kysely;
  const now = c.clock.now();
  const rounds = Math.max(1, Math.min(plan.rounds ?? 1, plan.cases));
  const phases = plan.sets * rounds * 2;
  let phase = 0;
  const next = () => new Date(now.getTime() - (phases - phase++) * PHASE_GAP_MINUTES * MINUTE);
  const sets: SweepSet[] = Array.from({ length: plan.sets }, (_, i) => ({
    index: i + 1,
    cases: plan.cases,
    slices: Array.from({ length: rounds }, (_, r) => {
      const cases = Math.floor((plan.cases * (r + 1)) / rounds) - Math.floor((plan.cases * r) / rounds);
      const slaFirst = r % 2 === 1;
      const first = next();
      const second = next();
      return slaFirst
        ? { cases, baselineAt: second, dueAt: first, slaFirst }
        : { cases, baselineAt: first, dueAt: second, slaFirst };
    }),
  }));

  const leadId = newId();
  const agentIds = Array.from({ length: AGENTS }, () => newId());
  const teamId = newId();
  const policyId = newId();
  const calendarId = newId();
  const staff = [
    { id: leadId, email: "sla-sweep-lead@bench.example", name: "Bench Lead", role: "manager" },
    ...agentIds.map((id, i) => ({
      id,
      email: `sla-sweep-agent-${i + 1}@bench.example`,
      name: `Bench Agent ${i + 1}`,
      role: "agent",
    })),
  ];
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into users (id, email, name, role, status, created_at, updated_at)
      select u.id, u.email, u.name, u.role, 'available', ${now}::timestamptz, ${now}::timestamptz
      from unnest(${staff.map((s) => s.id)}::uuid[], ${staff.map((s) => s.email)}::text[],
                  ${staff.map((s) => s.name)}::text[], ${staff.map((s) => s.role)}::text[])
        as u(id, email, name, role)`.execute(trx);
    await sql`insert into teams (id, name, lead_id, created_at, updated_at)
      values (${teamId}, 'SLA sweep bench', ${leadId}, ${now}, ${now})`.execute(trx);
    await sql`insert into team_members (team_id, user_id)
      select ${teamId}::uuid, u from unnest(${[leadId, ...agentIds]}::uuid[]) as u`.execute(trx);
    const day = [["00:00", "24:00"]];
    await slaRepository.insertCalendar(trx, {
      id: calendarId,
      name: "SLA sweep bench 24×7",
      time_zone: "UTC",
      hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
      holidays: [],
      created_at: now,
      updated_at: now,
    });
    const breachActions: SlaAction[] = [{ type: "notify" }, { type: "addTag", tag: BREACH_TAG }];
    await slaRepository.insertPolicy(trx, {
      id: policyId,
      name: "SLA sweep bench",
      calendar_id: calendarId,
      position: 1,
      applies_when: {},
      first_response_minutes: FIRST_RESPONSE_MINUTES,
      next_response_minutes: null,
      resolution_minutes: RESOLUTION_MINUTES,
      warning_percent: null,
      warning_minutes_before: null,
      pause_on: ["waiting_on_customer"],
      warning_actions: [],
      breach_actions: breachActions,
      active: true,
      created_at: now,
      updated_at: now,
    });
  });

  const fixture: SweepFixture = { policyId, teamId, leadId, agentIds, sets };
  const task = progress.task("cases + clocks + timers", plan.cases * plan.sets);
  for (const set of sets) {
    let offset = 0;
    for (const slice of set.slices) {
      for (let done = 0; done < slice.cases; done += CHUNK) {
        const n = Math.min(CHUNK, slice.cases - done);
        await db.transaction().execute((trx) => insertChunk(trx, fixture, set.index, slice, offset, n));
        offset += n;
        task.tick(n);
      }
    }
  }
  task.done();
  await sql`analyze`.execute(db);
  return fixture;
}

/** `n` cases of a round (every other one owned by an agent) with their clocks and timers. */
async function insertChunk(
  trx: Executor,
  f: SweepFixture,
  setIndex: number,
  slice: SweepSlice,
  offset: number,
  n: number,
): Promise<void> {
  const received = new Date(slice.dueAt.getTime() - FIRST_RESPONSE_MINUTES * MINUTE);
  const resolutionDue = new Date(received.getTime() + RESOLUTION_MINUTES * MINUTE);
  const ids = (k: number) => Array.from({ length: k }, () => newId());
  const caseIds = ids(n);
  const owners = caseIds.map((_, i) => ((offset + i) % 2 === 0 ? f.agentIds[(offset + i) % AGENTS]! : null));
  const firstIds = ids(n);
  const resolutionIds = ids(n);
  await sql`
    insert into cases (id, subject, description, priority, channel, status, owner_id, team_id, tags,
                       received_at, created_at, updated_at, sla_due_at, sla_state)
    select u.id,
           (array['Cannot sign in to the portal', 'Invoice shows the wrong amount', 'Export to CSV times out',
                  'Webhook deliveries failing', 'Password reset email never arrives'])[1 + (u.n % 5)::int]
             || ' (' || (${offset}::int + u.n) || ')',
           'Set ' || ${setIndex}::text || ': we have been waiting for an answer since this morning.',
           (array['low', 'normal', 'normal', 'high'])[1 + (u.n % 4)::int], 'email', 'open',
           u.owner_id, ${f.teamId}::uuid, '{billing}'::text[], ${received}::timestamptz, ${received}::timestamptz,
           ${received}::timestamptz, ${slice.dueAt}::timestamptz, 'running'
    from unnest(${caseIds}::uuid[], ${owners}::uuid[]) with ordinality as u(id, owner_id, n)`.execute(trx);
  await sql`
    insert into case_slas (case_id, policy_id, policy_name, reason, evaluated_at)
    select u, ${f.policyId}::uuid, 'SLA sweep bench', 'first matching policy (order 1)', ${received}::timestamptz
    from unnest(${caseIds}::uuid[]) as u`.execute(trx);
  await sql`
    insert into sla_clocks (id, case_id, policy_id, kpi, target_minutes, started_at, used_minutes,
                            running_since, due_at, status, created_at)
    select k.id, u.case_id, ${f.policyId}::uuid, k.kpi, k.target, ${received}::timestamptz, 0, ${received}::timestamptz,
           k.due, 'running', ${received}::timestamptz
    from unnest(${caseIds}::uuid[], ${firstIds}::uuid[], ${resolutionIds}::uuid[]) as u(case_id, first_id, res_id)
    cross join lateral (values
      (u.first_id, 'firstResponse', ${FIRST_RESPONSE_MINUTES}::numeric, ${slice.dueAt}::timestamptz),
      (u.res_id, 'resolution', ${RESOLUTION_MINUTES}::numeric, ${resolutionDue}::timestamptz)
    ) as k(id, kpi, target, due)`.execute(trx);
  // The clocks' breach timers, as SlaService.scheduleTimers writes them, and the baseline's no-ops.
  const clockIds = [...firstIds, ...resolutionIds];
  const dues = [...firstIds.map(() => slice.dueAt), ...resolutionIds.map(() => resolutionDue)];
  await sql`
    insert into timers (id, kind, due_at, available_at, payload, dedupe_key, created_at)
    select t.id, ${SLA_BREACH_TIMER}, t.due, t.due, jsonb_build_object('clockId', t.clock_id),
           'sla:' || t.clock_id || ':breach', ${received}::timestamptz
    from unnest(${ids(2 * n)}::uuid[], ${clockIds}::uuid[], ${dues}::timestamptz[]) as t(id, clock_id, due)`.execute(
    trx,
  );
  await sql`
    insert into timers (id, kind, due_at, available_at, payload, created_at)
    select t.id, ${NOOP_TIMER}, ${slice.baselineAt}::timestamptz, ${slice.baselineAt}::timestamptz,
           jsonb_build_object('n', ${offset}::int + t.n), ${received}::timestamptz
    from unnest(${ids(n)}::uuid[]) with ordinality as t(id, n)`.execute(trx);
}

/** Registers the baseline's timer kind (once per container). */
export function registerNoop(c: Container): void {
  if (!c.timers.handler(NOOP_TIMER)) c.timers.register(NOOP_TIMER, async () => {});
}

/**
 * Sweeps with `sweepers` concurrent loops of `sweepBatch` until none finds a timer due at `cutoff`.
 * The sweeper's clock stands at `cutoff`, so it claims only the timers of this measurement
 * (not the mails the breaches queue, due at the real now); the handlers use the container's clock.
 */
export async function sweep(
  c: Container,
  cutoff: Date,
  sweepers: number,
  onFired: (n: number) => void = () => {},
): Promise<SweepResult> {
  const clock: Clock = { now: () => cutoff };
  let timers = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: sweepers }, async () => {
      for (;;) {
        const n = await sweepBatch(c.db, c.timers, clock, c.log, { batchSize: SWEEP_BATCH });
        if (n === 0) return;
        timers += n;
        onFired(n);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { timers, seconds, perSecond: timers / seconds };
}

/**
 * One set's measurement: each round sweeps its no-op timers and its breaches (alternating which
 * goes first); the figures of each side are merged over the rounds (timers ÷ seconds).
 */
export async function sweepSet(
  c: Container,
  set: SweepSet,
  sweepers: number,
  progress: Progress,
  label = "",
): Promise<{ baseline: SweepResult; sla: SweepResult }> {
  registerNoop(c);
  const sides = {
    baseline: { task: progress.task(`${label}no-op timers`, set.cases), timers: 0, seconds: 0 },
    sla: { task: progress.task(`${label}SLA breaches`, set.cases), timers: 0, seconds: 0 },
  };
  const run = async (side: keyof typeof sides, at: Date) => {
    const s = sides[side];
    const r = await sweep(c, new Date(at.getTime() + 1000), sweepers, (n) => s.task.tick(n));
    s.timers += r.timers;
    s.seconds += r.seconds;
  };
  for (const slice of set.slices) {
    if (slice.slaFirst) {
      await run("sla", slice.dueAt);
      await run("baseline", slice.baselineAt);
    } else {
      await run("baseline", slice.baselineAt);
      await run("sla", slice.dueAt);
    }
  }
  const result = (side: keyof typeof sides): SweepResult => {
    const s = sides[side];
    s.task.done();
    return { timers: s.timers, seconds: s.seconds, perSecond: s.timers / s.seconds };
  };
  return { baseline: result("baseline"), sla: result("sla") };
}

/** Counts what one set's sweep did (the first-response clocks due at its rounds' instants). */
export async function outcome(db: Executor, set: SweepSet): Promise<SetOutcome> {
  const { rows } = await sql<SetOutcome>`
    with clocks as (
      select id, case_id, status, breached_at, due_at from sla_clocks
      where kpi = 'firstResponse' and due_at = any(${dueAts(set)}::timestamptz[]) and superseded_at is null
    ), evs as (
      select (e.data ->> 'clockId')::uuid as clock_id, count(*) as n
      from events e where e.type = 'sla.breached' and e.entity_id in (select case_id::text from clocks)
      group by 1
    ), set_timers as (
      select t.status, t.attempts from timers t join clocks k on t.dedupe_key = 'sla:' || k.id || ':breach'
    )
    select
      (select count(*)::int from clocks) as clocks,
      (select count(*)::int from clocks where status = 'breached') as breached,
      (select count(*)::int from clocks where breached_at = due_at) as "breachedAtDue",
      (select coalesce(sum(n), 0)::int from evs) as "breachEvents",
      (select count(*)::int from evs join clocks k on k.id = evs.clock_id where evs.n = 1) as "clocksWithOneEvent",
      (select count(*)::int from set_timers where status = 'done' and attempts = 1) as "timersDone",
      (select count(*)::int from set_timers where not (status = 'done' and attempts = 1)) as "timersNotDone",
      (select count(*)::int from cases where id in (select case_id from clocks) and ${BREACH_TAG} = any(tags)) as tagged,
      (select count(*)::int from case_history where field = 'slaEscalation'
         and case_id in (select case_id from clocks)) as "escalationHistory",
      (select count(*)::int from notifications where kind = 'sla.breached'
         and case_id in (select case_id from clocks)) as notifications,
      (select count(*)::int from outbound_mail where purpose = 'sla.breached'
         and case_id in (select case_id from clocks)) as mails,
      (select count(*)::int from events where entity_id in (select case_id::text from clocks)
         or (type like 'notification.%' and data ->> 'notificationId' in (
           select id::text from notifications where case_id in (select case_id from clocks)))) as events,
      (select count(*)::int from sla_clocks where kpi = 'resolution' and status = 'running'
         and case_id in (select case_id from clocks)) as "resolutionStillRunning"
  `.execute(db);
  return rows[0]!;
}

const dueAts = (set: SweepSet) => set.slices.map((s) => s.dueAt);

/** Throws, naming what is off, unless each of the set's N clocks breached exactly once. */
export async function checkOutcome(db: Executor, set: SweepSet, o: SetOutcome): Promise<void> {
  const n = set.cases;
  const wrong = (
    [
      ["clocks", o.clocks],
      ["breached clocks", o.breached],
      ["clocks breached at their due instant", o.breachedAtDue],
      ["sla.breached events", o.breachEvents],
      ["clocks with exactly one sla.breached event", o.clocksWithOneEvent],
      ["breach timers done after one attempt", o.timersDone],
      ["cases tagged by the breach action", o.tagged],
      ["slaEscalation history lines", o.escalationHistory],
      ["resolution clocks still running", o.resolutionStillRunning],
    ] as const
  ).filter(([, v]) => v !== n);
  if (wrong.length === 0 && o.timersNotDone === 0) return;
  const { rows } = await sql<{ status: string; attempts: number; last_error: string | null; n: number }>`
    select t.status, t.attempts, t.last_error, count(*)::int as n
    from timers t join sla_clocks k on t.dedupe_key = 'sla:' || k.id || ':breach'
    where k.kpi = 'firstResponse' and k.due_at = any(${dueAts(set)}::timestamptz[]) and not (t.status = 'done' and t.attempts = 1)
    group by 1, 2, 3 order by n desc limit 5`.execute(db);
  throw new Error(
    [
      `sla-sweep set ${set.index}: expected every one of ${fmt(n)} clocks breached exactly once, but`,
      ...wrong.map(([what, v]) => `  ${what}: ${fmt(v)} (expected ${fmt(n)})`),
      ...(o.timersNotDone > 0 ? [`  breach timers not done after one attempt: ${fmt(o.timersNotDone)}`] : []),
      ...rows.map(
        (r) => `  timers ${r.status} after ${r.attempts} attempt(s) × ${r.n}: ${r.last_error ?? ""}`,
      ),
    ].join("\n"),
  );
}

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<string> {
  const { progress } = options;
  const cases = options.cases ?? DEFAULT_SWEEP_CASES[engine];
  // PGlite is one connection: a second sweeper would only queue behind the first.
  const sweeperCounts = engine === "postgres" ? [1, 2] : [1];
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 10 });
  try {
    const c = benchContainer(bench);
    const setupStarted = performance.now();
    const fixture = await setupSweep(
      c,
      { cases, sets: sweeperCounts.length, rounds: options.rounds },
      progress,
    );
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const rows: (string | number)[][] = [];
    const checks: string[] = [];
    for (const [i, sweepers] of sweeperCounts.entries()) {
      const set = fixture.sets[i]!;
      // Each measurement starts from a vacuumed, analysed database, not the previous one's dead rows.
      await sql`vacuum analyze`.execute(c.db.kysely);
      const who = `${sweepers} sweeper${sweepers > 1 ? "s" : ""}`;
      const { baseline, sla } = await sweepSet(c, set, sweepers, progress, `${engine} ${who}: `);
      const o = await outcome(c.db.kysely, set);
      await checkOutcome(c.db.kysely, set, o);
      rows.push(
        [
          `baseline: no-op timers, ${who}`,
          fmt(baseline.timers),
          baseline.seconds.toFixed(1),
          fmt(baseline.perSecond),
          "",
        ],
        [
          `SLA breaches, ${who}`,
          fmt(sla.timers),
          sla.seconds.toFixed(1),
          fmt(sla.perSecond),
          (sla.perSecond / baseline.perSecond).toFixed(3),
        ],
      );
      checks.push(
        `${who}: ${fmt(o.breached)} of ${fmt(cases)} clocks breached, each exactly once (one sla.breached event, at its due instant, timer done after 1 attempt); ${fmt(o.tagged)} cases tagged ${BREACH_TAG}; ${fmt(o.notifications)} in-app notifications and ${fmt(o.mails)} mails queued; ${fmt(o.events)} events appended`,
      );
    }
    progress.stop();
    return [
      "",
      `sla-sweep on ${engine}: ${fmt(cases)} open cases per measurement, each with a running first-response clock whose breach timer is due at the same instant in the past (24×7 calendar; breach actions notify + addTag; half the cases owned; one team with a lead); sweepBatch in batches of ${SWEEP_BATCH}; ${fixture.sets[0]!.slices.length} round(s) per measurement, alternating which side goes first; set up in ${setupSeconds.toFixed(0)} s`,
      machineLine(),
      "",
      formatTable(["sweep", "timers", "seconds", "timers/s", "SLA/baseline"], rows),
      "",
      ...checks,
      bench.where,
      "",
    ].join("\n");
  } finally {
    await bench.dispose();
  }
}
