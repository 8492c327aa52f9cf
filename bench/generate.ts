import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { systemClock } from "../src/platform/clock.ts";
import { loadConfig } from "../src/platform/config.ts";
import { type Database, type DbKind, openDatabase, type Trx } from "../src/platform/db/database.ts";
import { migrate } from "../src/platform/db/migrate.ts";
import { CustomerFactory, contactCounts, drawRevenues } from "../src/seed/customers.ts";
import { seedFakers } from "../src/seed/demo-catalogue.ts";
import { inBatches, demoSeedRepository as repo } from "../src/seed/demo-seed.repository.ts";
import { createProgress, type Progress, progressMode } from "../src/seed/progress.ts";
import { Rng, startOfDayUtc } from "../src/seed/random.ts";
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
  /** Accounts per batch (each with its contacts). */
  batchSize: number;
};

export const DEFAULT_PLAN: GeneratePlan = {
  accounts: 10_000,
  contactsPerAccount: 3.3,
  seed: 1,
  batchSize: 2_000,
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

/** Runs generators one after the other, each batch in a transaction of its own. */
export async function runGenerators(db: Database, generators: Generator[], progress: Progress) {
  const made: Record<string, number> = {};
  for (const g of generators) {
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

/** Generates into `db`; returns the rows made and the seconds it took. */
export async function generate(db: Database, plan: GeneratePlan, progress: Progress) {
  const started = performance.now();
  const made = await runGenerators(db, [await accountsGenerator(db, plan)], progress);
  return { made, seconds: (performance.now() - started) / 1000 };
}

const USAGE = `Usage: node --import tsx bench/generate.ts [options]

Adds generated accounts and contacts to the database Keepdesk is configured with
(DATABASE_URL, or embedded PGlite in KEEPDESK_DATA_DIR, default ./data), and migrates it first.

  --accounts <n>              accounts to add (default ${DEFAULT_PLAN.accounts})
  --contacts-per-account <x>  average contacts per account (default ${DEFAULT_PLAN.contactsPerAccount})
  --seed <n>                  random seed (default ${DEFAULT_PLAN.seed})
  --batch <n>                 accounts per transaction (default ${DEFAULT_PLAN.batchSize})
  --scratch <engine>          generate into a throwaway database instead (pglite | postgres),
                              to time the generator; it is removed afterwards
`;

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      accounts: { type: "string" },
      "contacts-per-account": { type: "string" },
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
  const plan: GeneratePlan = {
    accounts: positiveInt(values.accounts, DEFAULT_PLAN.accounts, "--accounts"),
    contactsPerAccount: Number(values["contacts-per-account"] ?? DEFAULT_PLAN.contactsPerAccount),
    seed: positiveInt(values.seed, DEFAULT_PLAN.seed, "--seed"),
    batchSize: positiveInt(values.batch, DEFAULT_PLAN.batchSize, "--batch"),
  };
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
    console.error(`generate: ${fmt(plan.accounts)} accounts into ${where}`);
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
