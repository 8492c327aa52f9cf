import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { systemClock } from "../src/platform/clock.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Database, type DbKind, openDatabase, type Trx } from "../src/platform/db/database.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { type CaseAccount, CustomerPicker } from "../src/seed/case-customers.ts";
import { casesPerDay, ZoneClock } from "../src/seed/case-time.ts";
import { casesSeedRepository as casesRepo } from "../src/seed/cases.repository.ts";
import { CaseFactory, caseOrg, type MadeCase } from "../src/seed/cases.ts";
import { CustomerFactory, contactCounts, drawRevenues } from "../src/seed/customers.ts";
import { seedFakers } from "../src/seed/demo-catalogue.ts";
import { inBatches, demoSeedRepository as repo } from "../src/seed/demo-seed.repository.ts";
import { createProgress, type Progress, progressMode } from "../src/seed/progress.ts";
import { DAY_MS, Rng, startOfDayUtc } from "../src/seed/random.ts";
import { makeQueues } from "../src/seed/steps/cases.ts";
import { fmt } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";

/**
 * Fills a database with many realistic rows, fast: the volume benches and capacity checks run
 * on. Rows are made batch by batch and each batch is inserted in its own transaction through
 * the seed's `INSERT … SELECT FROM unnest(…)`, so memory stays flat and progress is visible
 * however many rows are asked for.
 *
 * A generator for a new kind of row (cases, messages, events …) is one more `Generator`: it
 * reads what it hangs off (account and contact ids) back from the database in keyset pages
 * rather than holding a million rows in memory, and makes `batches` batches.
 */
export type Generator = {
  name: string;
  /** Rows it will make, per table (progress bars). */
  totals: Record<string, number>;
  batches: number;
  /** Makes and inserts batch `index`; returns the rows it inserted per table. */
  batch(trx: Trx, index: number): Promise<Record<string, number>>;
  /** Runs once after the last batch (derived columns such as tiers). */
  finish?(db: Database): Promise<void>;
};

export type GeneratePlan = {
  accounts: number;
  /** Average; large accounts get many, small ones one (see contactCounts). */
  contactsPerAccount: number;
  seed: number;
  /** Accounts (each with its contacts), or cases (each with its thread and history), per batch. */
  batchSize: number;
  /** Cases to add, raised by the accounts in the database (those just generated included). */
  cases?: number;
  /**
   * Messages kept per case (0–8), its first ones: fewer load faster. The cases' lives (statuses,
   * times, status history) do not change with it; the demo seed keeps up to 8.
   */
  messagesPerCase?: number;
  /** Months back from today the cases are spread over. */
  caseMonths?: number;
};

export const DEFAULT_PLAN: GeneratePlan = {
  accounts: 10_000,
  contactsPerAccount: 3.3,
  seed: 1,
  batchSize: 2_000,
  messagesPerCase: 2,
  caseMonths: 24,
};

/** Accounts with Pareto-shaped revenue and their contacts, then the Pareto tiers over the whole table. */
export async function accountsGenerator(db: Database, plan: GeneratePlan): Promise<Generator> {
  const existing = await repo.countAccounts(db.kysely);
  // Ids are drawn from the seed too: a second run with the same seed must draw other ones.
  // Same seed and same starting table, same rows.
  const runSeed = (Math.imul(plan.seed, 0x9e3779b1) ^ existing) >>> 0;
  const rng = new Rng(runSeed);
  seedFakers(runSeed);
  const refDate = startOfDayUtc(systemClock.now());
  const owners = (
    await sql<{ id: string }>`select id from users where role = 'sales' and active order by id`.execute(
      db.kysely,
    )
  ).rows.map((r) => r.id);
  const revenues = drawRevenues(rng, plan.accounts);
  const counts = contactCounts(revenues, Math.round(plan.accounts * plan.contactsPerAccount));
  // Every run its own domains, so contact emails (unique) never collide with an earlier run's.
  const factory = new CustomerFactory(rng, refDate, {
    yearsOfCustomers: 8,
    domainSuffix: `g${plan.seed}-${existing.toString(36)}.example`,
  });
  return {
    name: "accounts",
    totals: { accounts: plan.accounts, contacts: counts.reduce((s, n) => s + n, 0) },
    batches: Math.ceil(plan.accounts / plan.batchSize),
    async batch(trx, index) {
      const from = index * plan.batchSize;
      const to = Math.min(plan.accounts, from + plan.batchSize);
      const accounts = [];
      const contacts = [];
      for (let i = from; i < to; i++) {
        const account = factory.account({
          revenue: revenues[i]!,
          ownerId: owners.length > 0 ? owners[i % owners.length]! : null,
        });
        accounts.push(account);
        contacts.push(
          ...factory.contacts(
            {
              id: account.id,
              domain: account.domain,
              country: account.country,
              timeZone: account.time_zone,
              createdAt: account.created_at,
            },
            counts[i]!,
          ),
        );
      }
      await inBatches(accounts, (b) => repo.insertAccounts(trx, b));
      await inBatches(contacts, (b) => repo.insertContacts(trx, b));
      return { accounts: accounts.length, contacts: contacts.length };
    },
    async finish(database) {
      await repo.retierAccounts(database.kysely);
    },
  };
}

/**
 * Runs generators one after the other, each batch in a transaction of its own. A generator given
 * as a function is made when its turn comes, so it can read what the ones before it wrote.
 */
export async function runGenerators(
  db: Database,
  generators: (Generator | (() => Promise<Generator>))[],
  progress: Progress,
) {
  const made: Record<string, number> = {};
  for (const next of generators) {
    const g = typeof next === "function" ? await next() : next;
    const tasks = Object.fromEntries(Object.entries(g.totals).map(([t, n]) => [t, progress.task(t, n)]));
    for (let i = 0; i < g.batches; i++) {
      const rows = await db.kysely.transaction().execute((trx) => g.batch(trx, i));
      for (const [table, n] of Object.entries(rows)) {
        tasks[table]?.tick(n);
        made[table] = (made[table] ?? 0) + n;
      }
    }
    if (g.finish) {
      const finishing = progress.task(`${g.name} finish`, 1);
      await g.finish(db);
      finishing.done();
    }
    for (const t of Object.values(tasks)) t.done();
  }
  return made;
}

/**
 * Cases raised by the accounts and contacts already in the database, worked by its staff, the
 * same shapes as the demo seed's (src/seed/cases.ts): problems from the catalogue, statuses by
 * age, threads (their first `messagesPerCase` messages) and history, over `caseMonths` months up to
 * today. Accounts and contacts are read back in keyset pages and kept as ids, names and dates;
 * cases are made day by day, a batch at a time. The demo's queues are made for the teams that
 * have the demo's names; without staff the cases have no team, queue or owner.
 */
export async function casesGenerator(
  db: Database,
  plan: GeneratePlan,
  now: Date = systemClock.now(),
): Promise<Generator> {
  const total = plan.cases ?? 0;
  const existing = await casesRepo.countCases(db.kysely);
  const runSeed = (Math.imul(plan.seed, 0x85ebca6b) ^ existing ^ 0x5eed) >>> 0;
  const rng = new Rng(runSeed);
  const cutoff = startOfDayUtc(now).getTime();
  const days = Math.max(1, Math.round((plan.caseMonths ?? DEFAULT_PLAN.caseMonths!) * 30.44));
  const firstDay = Math.floor(cutoff / DAY_MS) - days;

  const teams = await casesRepo.teams(db.kysely);
  const queues = await makeQueues(
    db.kysely,
    rng,
    teams.map((t) => ({ id: t.id, name: t.name, createdAt: t.created_at })),
    (firstDay - 14) * DAY_MS,
  );
  const staff = await casesRepo.caseWorkers(db.kysely);
  const org = caseOrg(
    staff.map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      timeZone: u.time_zone,
      skills: u.skills,
      createdAt: u.created_at.getTime(),
      teamIds: u.team_ids ?? [],
    })),
    teams.map((t) => ({ id: t.id, name: t.name, leadId: t.lead_id })),
    queues,
  );
  const accounts = await loadCaseAccounts(db);
  if (accounts.length === 0) throw new Error("No accounts to raise cases: generate some first (--accounts)");
  const zones = new ZoneClock();
  const picker = new CustomerPicker(rng, accounts);
  const factory = new CaseFactory(rng, org, zones, { maxMessages: plan.messagesPerCase ?? 2 });
  const perDay = casesPerDay(firstDay, days, total);

  let day = 0;
  let pending: MadeCase[] = [];
  /** The next `n` cases in time order, making days as needed. */
  const nextCases = (n: number): MadeCase[] => {
    while (pending.length < n && day < days) {
      const dayStart = (firstDay + day) * DAY_MS;
      for (let k = 0; k < perDay[day]!; k++) {
        const customer = picker.pick(dayStart + DAY_MS / 2);
        if (!customer) continue;
        const zone = customer.contact.timeZone ?? customer.timeZone;
        const receivedAt = Math.min(
          zones.customerMoment(rng, dayStart, zone),
          cutoff - rng.int(20, 120) * 60_000,
        );
        const made = factory.materialise(factory.regular(receivedAt, customer), cutoff);
        if (made.row.created_at.getTime() <= cutoff) pending.push(made);
      }
      day += 1;
    }
    pending.sort((a, b) => a.row.created_at.getTime() - b.row.created_at.getTime());
    const batch = pending.slice(0, n);
    pending = pending.slice(n);
    return batch;
  };

  return {
    name: "cases",
    totals: { cases: total },
    batches: Math.ceil(total / plan.batchSize),
    async batch(trx) {
      const made = nextCases(plan.batchSize);
      const numbers = new Map<string, number>();
      await inBatches(
        made.map((m) => m.row),
        async (rows) => {
          for (const [id, n] of await casesRepo.insertCases(trx, rows)) numbers.set(id, n);
        },
      );
      for (const m of made) CaseFactory.numbered(m, numbers.get(m.row.id)!);
      const messages = made.flatMap((m) => m.messages);
      await inBatches(messages, (rows) => casesRepo.insertMessages(trx, rows));
      const history = made
        .flatMap((m) => m.history)
        .map((h, i) => [h, i] as const)
        .sort((a, b) => a[0].at.getTime() - b[0].at.getTime() || a[1] - b[1])
        .map(([h]) => h);
      await inBatches(history, (rows) => casesRepo.insertHistory(trx, rows), undefined, 5_000);
      return { cases: made.length, "case messages": messages.length, "case history": history.length };
    },
    async finish(database) {
      // Fresh statistics for the planner: a million rows just arrived, and autovacuum's
      // analyze may not have run yet when the bench's first query does.
      await sql`analyze cases`.execute(database.kysely);
      await sql`analyze case_messages`.execute(database.kysely);
      await sql`analyze case_history`.execute(database.kysely);
    },
  };
}

/** Every account with its contacts, read in keyset pages (ids, names, dates: what cases need). */
async function loadCaseAccounts(db: Database): Promise<CaseAccount[]> {
  const byId = new Map<string, CaseAccount>();
  const page = 20_000;
  for (let after: string | null = null; ; ) {
    const rows = await casesRepo.accountsPage(db.kysely, after, page);
    for (const r of rows) {
      byId.set(r.id, {
        id: r.id,
        name: r.name,
        annualRevenue: r.annual_revenue,
        key: r.tier === "key",
        country: r.country ?? "US",
        timeZone: r.time_zone,
        accountManager: r.owner_name,
        createdAt: r.created_at.getTime(),
        contacts: [],
      });
    }
    if (rows.length < page) break;
    after = rows[rows.length - 1]!.id;
  }
  for (let after: string | null = null; ; ) {
    const rows = await casesRepo.contactsPage(db.kysely, after, page);
    for (const r of rows) {
      byId.get(r.account_id)?.contacts.push({
        id: r.id,
        name: r.name,
        timeZone: r.time_zone,
        createdAt: r.created_at.getTime(),
      });
    }
    if (rows.length < page) break;
    after = rows[rows.length - 1]!.id;
  }
  return [...byId.values()];
}

/** Generates into `db`; returns the rows made and the seconds it took. */
export async function generate(db: Database, plan: GeneratePlan, progress: Progress) {
  const started = performance.now();
  const generators: (() => Promise<Generator>)[] = [];
  if (plan.accounts > 0) generators.push(() => accountsGenerator(db, plan));
  if ((plan.cases ?? 0) > 0) generators.push(() => casesGenerator(db, plan));
  const made = await runGenerators(db, generators, progress);
  return { made, seconds: (performance.now() - started) / 1000 };
}

const USAGE = `Usage: node --import tsx bench/generate.ts [options]

Adds generated accounts and contacts, and cases, to the database Keepdesk is configured with
(DATABASE_URL, or embedded PGlite in KEEPDESK_DATA_DIR, default ./data), and migrates it first.

  --accounts <n>              accounts to add (default ${DEFAULT_PLAN.accounts}; with --cases, 0)
  --contacts-per-account <x>  average contacts per account (default ${DEFAULT_PLAN.contactsPerAccount})
  --cases <n>                 cases to add, raised by the accounts in the database
  --messages <n>              messages kept per case (its first ones), 0–8 (default ${DEFAULT_PLAN.messagesPerCase})
  --case-months <n>           months back the cases are spread over (default ${DEFAULT_PLAN.caseMonths})
  --seed <n>                  random seed (default ${DEFAULT_PLAN.seed})
  --batch <n>                 accounts or cases per transaction (default ${DEFAULT_PLAN.batchSize})
  --scratch <engine>          generate into a throwaway database instead (pglite | postgres),
                              to time the generator; it is removed afterwards
`;

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: "string" },
      "contacts-per-account": { type: "string" },
      cases: { type: "string" },
      messages: { type: "string" },
      "case-months": { type: "string" },
      seed: { type: "string" },
      batch: { type: "string" },
      scratch: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const cases = values.cases === undefined ? 0 : positiveInt(values.cases, 0, "--cases");
  const plan: GeneratePlan = {
    accounts: wholeNumber(values.accounts, cases > 0 ? 0 : DEFAULT_PLAN.accounts, "--accounts"),
    contactsPerAccount: Number(values["contacts-per-account"] ?? DEFAULT_PLAN.contactsPerAccount),
    seed: positiveInt(values.seed, DEFAULT_PLAN.seed, "--seed"),
    batchSize: positiveInt(values.batch, DEFAULT_PLAN.batchSize, "--batch"),
    cases,
    messagesPerCase: wholeNumber(values.messages, DEFAULT_PLAN.messagesPerCase!, "--messages"),
    caseMonths: positiveInt(values["case-months"], DEFAULT_PLAN.caseMonths!, "--case-months"),
  };
  if (plan.messagesPerCase! > 8) throw new Error("--messages must be at most 8");
  if (!(plan.contactsPerAccount >= 1)) throw new Error("--contacts-per-account must be at least 1");

  let db: Database;
  let where: string;
  let dispose: () => Promise<void>;
  if (values.scratch) {
    if (values.scratch !== "pglite" && values.scratch !== "postgres") {
      throw new Error("--scratch must be pglite or postgres");
    }
    const scratch = await openBenchDatabase(values.scratch as DbKind);
    ({ db, where } = scratch);
    dispose = scratch.dispose;
  } else {
    const config = loadConfig();
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrate(db);
    where = config.databaseUrl ? "the PostgreSQL server in DATABASE_URL" : `PGlite in ${config.dataDir}`;
    dispose = () => db.close();
  }
  const progress = createProgress("generate", progressMode(true));
  try {
    const what = [
      plan.accounts > 0 ? `${fmt(plan.accounts)} accounts` : "",
      cases > 0 ? `${fmt(cases)} cases (up to ${plan.messagesPerCase} messages each)` : "",
    ].filter(Boolean);
    console.error(`generate: ${what.join(" and ")} into ${where}`);
    const { made, seconds } = await generate(db, plan, progress);
    progress.stop();
    const rows = Object.values(made).reduce((s, n) => s + n, 0);
    console.log(
      `Generated ${Object.entries(made)
        .map(([t, n]) => `${fmt(n)} ${t}`)
        .join(", ")} in ${seconds.toFixed(1)} s (${fmt(rows / seconds)} rows/s) into ${where}.`,
    );
  } finally {
    progress.stop();
    await dispose();
  }
}

function wholeNumber(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  return n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
