import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import type { Container } from "../src/container.ts";
import {
  INCIDENT_NOTIFY_TIMER,
  NOTIFY_BATCH,
  STATUS_LABEL,
} from "../src/modules/incidents/incidents.service.ts";
import type { RequestCtx } from "../src/platform/auth/actor.ts";
import type { DbKind, Executor } from "../src/platform/db/database.ts";
import { newId } from "../src/platform/ids.ts";
import { sweepBatch } from "../src/platform/timers/timers.ts";
import type { Progress, ProgressTask } from "../src/seed/progress.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import { benchContainer } from "./lib/stack.ts";

/**
 * How fast customers are told about a service incident: an incident whose `affects` segment
 * (an industry of its own) covers N accounts with k contacts each, a few hundred of whose open
 * cases are linked to it. One notifying update is posted through `IncidentsService.postUpdate`
 * (what `POST /incidents/{id}/updates` calls) as a manager, and its `incident.notify` timers are
 * drained by the real sweeper (`sweepBatch`): 200 contacts a run — a public reply on each linked
 * case (mailed by the email module in the same transaction), one `incident.notice` mail to every
 * other contact, a row in `incident_notices` each, and at the end one `incident.notice_sent`
 * event per account.
 *
 * Baseline, in the same run and by the same sweeper: as many contacts mailed by a timer kind of
 * the bench's own (`bench.mail`) that reads the next 200 addresses from a bench table (primary
 * key range) and calls `MailService.enqueue` for each, then schedules its next run — the same
 * chain of 200-contact runs, with nothing but the mails. The ratio is what the incident's
 * bookkeeping (segment query, notice rows, replies on cases, events) costs on top of the mails.
 *
 * The queued mails' `mail.send` timers are due at once, like the next notify run: between two
 * sweeps (outside the timed part) they are held back (`available_at` = infinity), so the sweeper
 * fires only the measured chain, not the deliveries. Each round has its own incident, accounts,
 * contacts and cases (and the baseline its own addresses), so nobody is skipped as already told;
 * `--rounds n` measures both sides n times, alternating which goes first. After each measurement
 * it checks, and throws otherwise, that every contact was told exactly once.
 */
export const incidentNotify: Bench = {
  name: "incident-notify",
  description:
    "contacts told of an incident update per second (--cases contacts) vs bare MailService.enqueue, same sweeper",
  async run(options) {
    for (const engine of options.engines) {
      const report = await measureEngine(engine, options);
      options.progress.stop();
      console.log(report);
    }
  },
};

/** Contacts told per measurement by default. */
export const DEFAULT_NOTIFY_CONTACTS: Record<DbKind, number> = { postgres: 100_000, pglite: 10_000 };
export const CONTACTS_PER_ACCOUNT = 5;
/** Open cases linked to each round's incident (their contacts are told on the case). */
export const DEFAULT_LINKED_CASES = 300;
/** The baseline's timer kind: `MailService.enqueue` for the next 200 addresses, nothing else. */
export const BASELINE_TIMER = "bench.mail";
/** The worker's batch size (src/platform/worker.ts). */
export const SWEEP_BATCH = 50;
const CHUNK_ACCOUNTS = 2_000;
const DOMAIN = "incident-bench.example";

export type NotifyPlan = {
  accounts: number;
  contactsPerAccount: number;
  linkedCases: number;
  rounds: number;
};

/** One round: an incident of its own over its own accounts, and the baseline's own addresses. */
export type NotifyRound = {
  index: number;
  /** The industry of the round's accounts: the incident's segment. */
  industry: string;
  incidentId: string;
  incidentNumber: string;
  accounts: number;
  contacts: number;
  linkedCases: number;
  /** Which side is measured first this round (alternating). */
  incidentFirst: boolean;
};

export type NotifyFixture = { manager: RequestCtx; rounds: NotifyRound[] };

/**
 * `runs`: timers fired. `earlyMs` / `lateMs`: mean time of a sweep in the first / last tenth of
 * the chain (the last without the final run); `finalMs`: the final run (for the incident it also
 * reports every account: one `incident.notice_sent` each).
 */
export type SideResult = {
  contacts: number;
  seconds: number;
  perSecond: number;
  runs: number;
  earlyMs: number;
  lateMs: number;
  finalMs: number;
};

/** What one round's update left behind; `checkIncident` throws unless each contact was told once. */
export type IncidentOutcome = {
  contacts: number;
  notices: number;
  contactsNotTold: number;
  noticesOutside: number;
  caseNotices: number;
  mailNotices: number;
  replies: number;
  mails: number;
  noticeMails: number;
  replyMails: number;
  addressesMailedTwice: number;
  contactsNotMailed: number;
  accounts: number;
  accountEvents: number;
  accountsWithOneEvent: number;
  notifyRuns: number;
  notifyRunsNotDone: number;
};

export type BaselineOutcome = {
  targets: number;
  mails: number;
  addressesMailedTwice: number;
  targetsNotMailed: number;
  runs: number;
  runsNotDone: number;
};

/**
 * A manager, and per round: N accounts of the round's own industry with k contacts each (bulk
 * unnest, 2,000 accounts a transaction), `linkedCases` open cases of distinct contacts spread
 * over them, an incident created through the service (segment: that industry; first update
 * without notify) with those cases linked through the service, and as many addresses for the
 * baseline as the round has contacts.
 */
export async function setupNotify(
  c: Container,
  plan: NotifyPlan,
  progress: Progress,
): Promise<NotifyFixture> {
  const db = c.db.kysely;
  const now = c.clock.now();
  const managerId = newId();
  const managerEmail = "incident-bench-manager@bench.example";
  await sql`insert into users (id, email, name, role, status, created_at, updated_at)
    values (${managerId}, ${managerEmail}, 'Incident Bench Manager', 'manager', 'available', ${now}, ${now})`.execute(
    db,
  );
  const manager: RequestCtx = {
    actor: { kind: "user", id: managerId, email: managerEmail, role: "manager", teamIds: [] },
  };
  await sql`create table if not exists bench_mail_targets (
    set_id integer not null, n integer not null, name text not null, email text not null,
    primary key (set_id, n))`.execute(db);

  const k = plan.contactsPerAccount;
  const linked = Math.min(plan.linkedCases, plan.accounts * k);
  const rounds: NotifyRound[] = [];
  const task = progress.task("accounts + contacts + cases", plan.rounds * plan.accounts);
  for (let r = 1; r <= plan.rounds; r++) {
    const industry = `Incident bench r${r}`;
    const contactIds: string[] = [];
    for (let done = 0; done < plan.accounts; done += CHUNK_ACCOUNTS) {
      const n = Math.min(CHUNK_ACCOUNTS, plan.accounts - done);
      const ids = Array.from({ length: n }, () => newId());
      await db.transaction().execute(async (trx) => {
        contactIds.push(...(await insertAccounts(trx, { round: r, industry, ids, offset: done, k, now })));
        await insertTargets(trx, r, done * k, n * k);
      });
      task.tick(n);
    }
    const caseIds = await insertLinkedCases(c, r, contactIds, linked, now);
    const incident = await c.incidents.create(manager, {
      title: `Billing exports failing (bench round ${r})`,
      impact: "major",
      affects: { industries: [industry] },
      message: "We are investigating reports that billing exports fail.",
      notify: false,
    });
    await c.incidents.linkCases(manager, incident.id, { caseIds });
    rounds.push({
      index: r,
      industry,
      incidentId: incident.id,
      incidentNumber: incident.number,
      accounts: plan.accounts,
      contacts: plan.accounts * k,
      linkedCases: caseIds.length,
      incidentFirst: r % 2 === 0,
    });
  }
  task.done();
  await sql`analyze`.execute(db);
  return { manager, rounds };
}

async function insertAccounts(
  trx: Executor,
  a: { round: number; industry: string; ids: string[]; offset: number; k: number; now: Date },
): Promise<string[]> {
  const n = a.ids.length;
  const numbers = Array.from({ length: n }, (_, i) => a.offset + i + 1);
  await sql`
    insert into accounts (id, name, domain, industry, country, created_at, updated_at)
    select u.id, 'Bench Customer ' || ${a.round}::int || '-' || u.n, 'a' || u.n || '.r' || ${a.round}::int || '.' || ${DOMAIN},
           ${a.industry}, 'GB', ${a.now}::timestamptz, ${a.now}::timestamptz
    from unnest(${a.ids}::uuid[], ${numbers}::int[]) as u(id, n)`.execute(trx);
  const contactIds = Array.from({ length: n * a.k }, () => newId());
  const owners = a.ids.flatMap((id) => Array.from({ length: a.k }, () => id));
  const accountNumbers = numbers.flatMap((m) => Array.from({ length: a.k }, () => m));
  const slots = numbers.flatMap(() => Array.from({ length: a.k }, (_, j) => j + 1));
  await sql`
    insert into contacts (id, account_id, name, email, created_at, updated_at)
    select u.id, u.account_id, 'Contact ' || u.j || ' of ' || ${a.round}::int || '-' || u.n,
           'c' || u.j || '@a' || u.n || '.r' || ${a.round}::int || '.' || ${DOMAIN},
           ${a.now}::timestamptz, ${a.now}::timestamptz
    from unnest(${contactIds}::uuid[], ${owners}::uuid[], ${accountNumbers}::int[], ${slots}::int[])
      as u(id, account_id, n, j)`.execute(trx);
  return contactIds;
}

/** The baseline's addresses for round `set`: numbers `from + 1 … from + n`. */
async function insertTargets(trx: Executor, set: number, from: number, n: number): Promise<void> {
  await sql`
    insert into bench_mail_targets (set_id, n, name, email)
    select ${set}::int, g, 'Baseline Contact ' || g, 'b' || g || '@r' || ${set}::int || '.mail-bench.example'
    from generate_series(${from + 1}::int, ${from + n}::int) as g`.execute(trx);
}

/** `count` open cases, each of a different contact, spread evenly over the round's contacts. */
async function insertLinkedCases(
  c: Container,
  round: number,
  contactIds: string[],
  count: number,
  now: Date,
): Promise<string[]> {
  if (count === 0) return [];
  const contacts = Array.from(
    { length: count },
    (_, i) => contactIds[Math.floor((i * contactIds.length) / count)]!,
  );
  const caseIds = contacts.map(() => newId());
  await sql`
    insert into cases (id, subject, description, account_id, contact_id, priority, channel, status,
                       received_at, created_at, updated_at)
    select u.id, 'Billing export fails (' || ${round}::int || '-' || u.n || ')',
           'The nightly billing export stopped with an error.', ct.account_id, ct.id, 'normal', 'email', 'open',
           ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${caseIds}::uuid[], ${contacts}::uuid[]) with ordinality as u(id, contact_id, n)
    join contacts ct on ct.id = u.contact_id`.execute(c.db.kysely);
  return caseIds;
}

/** Registers the baseline's timer kind (once per container). */
export function registerBaseline(c: Container): void {
  if (c.timers.handler(BASELINE_TIMER)) return;
  c.timers.register(BASELINE_TIMER, async (timer, trx) => {
    const set = Number(timer.payload.set);
    const after = Number(timer.payload.after ?? 0);
    const { rows } = await sql<{ n: number; name: string; email: string }>`
      select n, name, email from bench_mail_targets
      where set_id = ${set} and n > ${after} order by n limit ${NOTIFY_BATCH}`.execute(trx);
    for (const r of rows) await c.mail.enqueue(trx, baselineMail(set, r));
    if (rows.length === NOTIFY_BATCH)
      await c.timers.schedule(trx, {
        kind: BASELINE_TIMER,
        dueAt: c.clock.now(),
        payload: { set, after: rows[rows.length - 1]!.n },
      });
  });
}

/** A mail of the incident notice's shape and size. */
function baselineMail(set: number, r: { name: string; email: string }) {
  const message = "We have identified the cause of the failing billing exports and are rolling out a fix.";
  const line = `INC-BENCH-${set} · Billing exports failing · ${STATUS_LABEL.identified}`;
  return {
    to: r.email,
    toName: r.name,
    subject: `[Status] Billing exports failing — ${STATUS_LABEL.identified}`,
    text: [message, "", line, "", "You receive this because your organisation is affected. — Keepdesk"].join(
      "\n",
    ),
    html: [
      `<p>${message}</p>`,
      `<p><strong>INC-BENCH-${set}</strong> · Billing exports failing · ${STATUS_LABEL.identified}</p>`,
      `<p style="color:#666">You receive this because your organisation is affected. — Keepdesk</p>`,
    ].join("\n"),
    headers: { "Auto-Submitted": "auto-generated", "X-Keepdesk-Bench": String(set) },
    purpose: "bench.mail",
  };
}

/** Holds back the queued mails' send timers, so the sweeper fires only the measured chain. */
async function parkMails(db: Executor): Promise<void> {
  await sql`update timers set available_at = 'infinity'
    where status = 'pending' and kind = 'mail.send' and available_at < 'infinity'`.execute(db);
}

/**
 * Starts a chain (`start`, timed) and sweeps with the real sweeper until nothing is due, holding
 * back the mails between sweeps (not timed). `runs` counts the timers fired.
 */
async function drain(
  c: Container,
  contacts: number,
  task: ProgressTask,
  start: () => Promise<unknown>,
): Promise<SideResult> {
  await parkMails(c.db.kysely);
  let started = performance.now();
  await start();
  let seconds = (performance.now() - started) / 1000;
  let runs = 0;
  let told = 0;
  const sweepMs: number[] = [];
  for (;;) {
    started = performance.now();
    const n = await sweepBatch(c.db, c.timers, c.clock, c.log, { batchSize: SWEEP_BATCH });
    const ms = performance.now() - started;
    seconds += ms / 1000;
    if (n === 0) break;
    sweepMs.push(ms);
    runs += n;
    await parkMails(c.db.kysely);
    const step = Math.min(n * NOTIFY_BATCH, contacts - told);
    told += step;
    task.tick(step);
  }
  task.done();
  const chain = sweepMs.slice(0, -1);
  const tenth = Math.max(1, Math.floor(chain.length / 10));
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    contacts,
    seconds,
    perSecond: contacts / seconds,
    runs,
    earlyMs: mean(chain.slice(0, tenth)),
    lateMs: mean(chain.slice(-tenth)),
    finalMs: sweepMs.at(-1) ?? 0,
  };
}

/** The round's notifying update, posted as the manager through the service, and its telling. */
export async function measureIncident(
  c: Container,
  fixture: NotifyFixture,
  round: NotifyRound,
  task: ProgressTask,
): Promise<{ updateId: string; result: SideResult }> {
  let updateId = "";
  const result = await drain(c, round.contacts, task, async () => {
    const update = await c.incidents.postUpdate(fixture.manager, round.incidentId, {
      status: "identified",
      message: "We have identified the cause of the failing billing exports and are rolling out a fix.",
      notify: true,
    });
    updateId = update.id;
  });
  return { updateId, result };
}

/** The baseline: the round's addresses mailed by the `bench.mail` chain. */
export async function measureBaseline(
  c: Container,
  round: NotifyRound,
  task: ProgressTask,
): Promise<SideResult> {
  registerBaseline(c);
  return drain(c, round.contacts, task, () =>
    c.timers.schedule(c.db.kysely, {
      kind: BASELINE_TIMER,
      dueAt: c.clock.now(),
      payload: { set: round.index, after: 0 },
    }),
  );
}

export async function incidentOutcome(
  db: Executor,
  round: NotifyRound,
  updateId: string,
): Promise<IncidentOutcome> {
  const { rows } = await sql<IncidentOutcome>`
    with cts as (
      select ct.id, ct.account_id, lower(ct.email) as email
      from contacts ct join accounts a on a.id = ct.account_id where a.industry = ${round.industry}
    ), notices as (
      select contact_id, channel from incident_notices where update_id = ${updateId}
    ), linked as (
      select case_id from incident_cases where incident_id = ${round.incidentId}
    ), mails as (
      select lower(m.to_address) as email, m.purpose, m.headers, m.case_id
      from outbound_mail m where lower(m.to_address) in (select email from cts)
    ), evs as (
      select entity_id, count(*) as n from events
      where type = 'incident.notice_sent' and data ->> 'updateId' = ${updateId} group by 1
    ), runs as (
      select status, attempts from timers where kind = ${INCIDENT_NOTIFY_TIMER} and payload ->> 'updateId' = ${updateId}
    )
    select
      (select count(*)::int from cts) as contacts,
      (select count(*)::int from notices) as notices,
      (select count(*)::int from cts where not exists (select 1 from notices n where n.contact_id = cts.id)) as "contactsNotTold",
      (select count(*)::int from notices n where not exists (select 1 from cts where cts.id = n.contact_id)) as "noticesOutside",
      (select count(*)::int from notices where channel = 'case') as "caseNotices",
      (select count(*)::int from notices where channel = 'email') as "mailNotices",
      (select count(*)::int from case_messages m where m.kind = 'reply' and m.case_id in (select case_id from linked)) as replies,
      (select count(*)::int from mails) as mails,
      (select count(*)::int from mails where purpose = 'incident.notice'
         and headers ->> 'X-Keepdesk-Incident' = ${round.incidentNumber}) as "noticeMails",
      (select count(*)::int from mails where purpose = 'case.reply' and case_id in (select case_id from linked)) as "replyMails",
      (select count(*)::int from (select email from mails group by 1 having count(*) > 1) d) as "addressesMailedTwice",
      (select count(*)::int from cts where not exists (select 1 from mails m where m.email = cts.email)) as "contactsNotMailed",
      (select count(distinct account_id)::int from cts) as accounts,
      (select coalesce(sum(n), 0)::int from evs) as "accountEvents",
      (select count(*)::int from evs where n = 1 and entity_id in (select account_id::text from cts)) as "accountsWithOneEvent",
      (select count(*)::int from runs) as "notifyRuns",
      (select count(*)::int from runs where not (status = 'done' and attempts = 1)) as "notifyRunsNotDone"
  `.execute(db);
  return rows[0]!;
}

/** Throws, naming what is off, unless each of the round's contacts was told exactly once. */
export function checkIncident(round: NotifyRound, o: IncidentOutcome): void {
  const n = round.contacts;
  const expected: [string, number, number][] = [
    ["contacts of the segment", o.contacts, n],
    ["incident_notices rows", o.notices, n],
    ["contacts not told", o.contactsNotTold, 0],
    ["notices to contacts outside the segment", o.noticesOutside, 0],
    ["notices on a linked case", o.caseNotices, round.linkedCases],
    ["notices by mail", o.mailNotices, n - round.linkedCases],
    ["replies on linked cases", o.replies, round.linkedCases],
    ["mails to the contacts", o.mails, n],
    ["incident.notice mails", o.noticeMails, n - round.linkedCases],
    ["case.reply mails", o.replyMails, round.linkedCases],
    ["addresses mailed more than once", o.addressesMailedTwice, 0],
    ["contacts not mailed", o.contactsNotMailed, 0],
    ["incident.notice_sent events", o.accountEvents, round.accounts],
    ["accounts with exactly one incident.notice_sent", o.accountsWithOneEvent, round.accounts],
    ["notify runs not done after one attempt", o.notifyRunsNotDone, 0],
  ];
  const wrong = expected.filter(([, got, want]) => got !== want);
  if (wrong.length === 0) return;
  throw new Error(
    [
      `incident-notify round ${round.index}: expected every one of ${fmt(n)} contacts told exactly once, but`,
      ...wrong.map(([what, got, want]) => `  ${what}: ${fmt(got)} (expected ${fmt(want)})`),
    ].join("\n"),
  );
}

export async function baselineOutcome(db: Executor, round: NotifyRound): Promise<BaselineOutcome> {
  const { rows } = await sql<BaselineOutcome>`
    with targets as (
      select lower(email) as email from bench_mail_targets where set_id = ${round.index}
    ), mails as (
      select lower(to_address) as email from outbound_mail
      where purpose = 'bench.mail' and headers ->> 'X-Keepdesk-Bench' = ${String(round.index)}
    ), runs as (
      select status, attempts from timers where kind = ${BASELINE_TIMER} and (payload ->> 'set')::int = ${round.index}
    )
    select
      (select count(*)::int from targets) as targets,
      (select count(*)::int from mails) as mails,
      (select count(*)::int from (select email from mails group by 1 having count(*) > 1) d) as "addressesMailedTwice",
      (select count(*)::int from targets t where not exists (select 1 from mails m where m.email = t.email)) as "targetsNotMailed",
      (select count(*)::int from runs) as runs,
      (select count(*)::int from runs where not (status = 'done' and attempts = 1)) as "runsNotDone"
  `.execute(db);
  return rows[0]!;
}

export function checkBaseline(round: NotifyRound, o: BaselineOutcome): void {
  const n = round.contacts;
  const wrong = (
    [
      ["addresses", o.targets, n],
      ["mails", o.mails, n],
      ["addresses mailed more than once", o.addressesMailedTwice, 0],
      ["addresses not mailed", o.targetsNotMailed, 0],
      ["runs not done after one attempt", o.runsNotDone, 0],
    ] as [string, number, number][]
  ).filter(([, got, want]) => got !== want);
  if (wrong.length === 0) return;
  throw new Error(
    [
      `incident-notify baseline round ${round.index}: expected ${fmt(n)} addresses mailed once each, but`,
      ...wrong.map(([what, got, want]) => `  ${what}: ${fmt(got)} (expected ${fmt(want)})`),
    ].join("\n"),
  );
}

export type RoundResult = {
  incident: SideResult;
  baseline: SideResult;
  outcome: IncidentOutcome;
  baselineOutcome: BaselineOutcome;
};

/** Both sides of one round, in the round's order, each checked right after it ran. */
export async function measureRound(
  c: Container,
  fixture: NotifyFixture,
  round: NotifyRound,
  progress: Progress,
  label = "",
): Promise<RoundResult> {
  const db = c.db.kysely;
  const sides: (() => Promise<void>)[] = [];
  let incident: SideResult | undefined;
  let baseline: SideResult | undefined;
  let outcome: IncidentOutcome | undefined;
  let base: BaselineOutcome | undefined;
  sides.push(async () => {
    const task = progress.task(`${label}incident: contacts told`, round.contacts);
    const { updateId, result } = await measureIncident(c, fixture, round, task);
    outcome = await incidentOutcome(db, round, updateId);
    checkIncident(round, outcome);
    incident = result;
  });
  sides.push(async () => {
    const task = progress.task(`${label}baseline: mails enqueued`, round.contacts);
    baseline = await measureBaseline(c, round, task);
    base = await baselineOutcome(db, round);
    checkBaseline(round, base);
  });
  if (!round.incidentFirst) sides.reverse();
  for (const side of sides) await side();
  return { incident: incident!, baseline: baseline!, outcome: outcome!, baselineOutcome: base! };
}

function tableRow(name: string, r: SideResult, ratio: string): string[] {
  return [
    name,
    fmt(r.contacts),
    fmt(r.runs),
    r.seconds.toFixed(1),
    fmt(r.perSecond),
    ratio,
    fmt(r.earlyMs),
    fmt(r.lateMs),
    fmt(r.finalMs),
  ];
}

/** Sums over the rounds; the per-run times are the rounds' means. */
const merge = (results: SideResult[]): SideResult => {
  const total = (f: (r: SideResult) => number) => results.reduce((s, r) => s + f(r), 0);
  const contacts = total((r) => r.contacts);
  const seconds = total((r) => r.seconds);
  return {
    contacts,
    seconds,
    perSecond: contacts / seconds,
    runs: total((r) => r.runs),
    earlyMs: total((r) => r.earlyMs) / results.length,
    lateMs: total((r) => r.lateMs) / results.length,
    finalMs: total((r) => r.finalMs) / results.length,
  };
};

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<string> {
  const { progress } = options;
  const wanted = options.cases ?? DEFAULT_NOTIFY_CONTACTS[engine];
  const k = CONTACTS_PER_ACCOUNT;
  const plan: NotifyPlan = {
    accounts: Math.ceil(wanted / k),
    contactsPerAccount: k,
    linkedCases: DEFAULT_LINKED_CASES,
    rounds: Math.max(1, options.rounds),
  };
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 10 });
  try {
    const c = benchContainer(bench);
    const setupStarted = performance.now();
    const fixture = await setupNotify(c, plan, progress);
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const results: RoundResult[] = [];
    for (const round of fixture.rounds) {
      // Each round starts from a vacuumed, analysed database, not the previous one's dead rows.
      await sql`vacuum analyze`.execute(c.db.kysely);
      const label = fixture.rounds.length > 1 ? `${engine} round ${round.index}: ` : `${engine}: `;
      results.push(await measureRound(c, fixture, round, progress, label));
    }
    const baseline = merge(results.map((r) => r.baseline));
    const incident = merge(results.map((r) => r.incident));
    const round = fixture.rounds[0]!;
    const o = results.map((r) => r.outcome);
    const sum = (f: (x: IncidentOutcome) => number) => o.reduce((s, x) => s + f(x), 0);
    progress.stop();
    return [
      "",
      `incident-notify on ${engine}: per round an incident whose segment covers ${fmt(round.accounts)} accounts × ${k} contacts = ${fmt(round.contacts)} contacts, ${fmt(round.linkedCases)} of them with a linked open case; one notifying update posted by a manager through IncidentsService.postUpdate, its ${INCIDENT_NOTIFY_TIMER} timers (${NOTIFY_BATCH} contacts a run) drained by sweepBatch; ${fixture.rounds.length} round(s), alternating which side goes first; set up in ${setupSeconds.toFixed(0)} s`,
      machineLine(),
      "",
      formatTable(
        [
          "measurement",
          "contacts",
          "runs",
          "seconds",
          "contacts/s",
          "/baseline",
          "ms/run first 10%",
          "last 10%",
          "final run",
        ],
        [
          tableRow("baseline: MailService.enqueue only", baseline, "1.00"),
          tableRow(
            "incident update: contacts told",
            incident,
            (incident.perSecond / baseline.perSecond).toFixed(2),
          ),
        ],
      ),
      "",
      `Checked after each side: every contact told exactly once — ${fmt(sum((x) => x.notices))} incident_notices for ${fmt(sum((x) => x.contacts))} contacts (${fmt(sum((x) => x.caseNotices))} by a reply on their linked case, ${fmt(sum((x) => x.mailNotices))} by mail), ${fmt(sum((x) => x.mails))} mails queued to them, none to an address twice; ${fmt(sum((x) => x.accountEvents))} incident.notice_sent events, one per account; every notify run done after 1 attempt. Baseline: ${fmt(results.reduce((s, r) => s + r.baselineOutcome.mails, 0))} mails, one per address.`,
      bench.where,
      "",
    ].join("\n");
  } finally {
    await bench.dispose();
  }
}
