import { sql } from "kysely";
import { SYSTEM } from "../src/platform/auth/actor.ts";
import type { Database, DbKind } from "../src/platform/db/database.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import type { LoadResult } from "./lib/load.ts";
import {
  baselineSpec,
  benchContainer,
  measureSides,
  type Servers,
  sessionHeaders,
  signIn,
  startServers,
} from "./lib/stack.ts";

/**
 * What Keepdesk's stack costs on a write. The baseline is a bare Fastify route doing one
 * INSERT; the stack is `POST /api/v1/teams` as a signed-in admin: session lookup, CSRF check,
 * TypeBox validation, the service's checks, the team row, an audit row and an outbox event
 * with its NOTIFY, in one transaction, with request logging on (to /dev/null).
 */
export const insertOverhead: Bench = {
  name: "insert-overhead",
  description: "req/s of one INSERT behind bare Fastify vs POST /api/v1/teams through the full stack",
  async run(options) {
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const engine of options.engines) {
      const r = await measureEngine(engine, options);
      rows.push([
        engine,
        fmt(r.baseline.requestsPerSecond),
        fmt(r.baseline.latencyP99),
        fmt(r.stack.requestsPerSecond),
        fmt(r.stack.latencyP99),
        (r.stack.requestsPerSecond / r.baseline.requestsPerSecond).toFixed(2),
        String(r.baseline.non2xx + r.baseline.errors + r.stack.non2xx + r.stack.errors),
      ]);
      notes.push(`${engine}: ${r.where}; ${r.check}`);
    }
    options.progress.stop();
    console.log(
      [
        "",
        `insert-overhead: ${options.connections} connections, ${options.duration} s per measurement × ${options.rounds} round(s), autocannon on 127.0.0.1`,
        machineLine(),
        "",
        formatTable(
          ["engine", "baseline req/s", "p99 ms", "stack req/s", "p99 ms", "stack/baseline", "failed"],
          rows,
        ),
        "",
        ...notes,
        "",
      ].join("\n"),
    );
  },
};

type Measured = { baseline: LoadResult; stack: LoadResult; where: string; check: string };

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<Measured> {
  const { progress } = options;
  const setup = progress.task(`${engine} setup`, 4);
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 10 });
  setup.tick();
  let servers: Servers | undefined;
  try {
    const c = benchContainer(bench);
    const password = "bench-password-1";
    await c.users.create(SYSTEM, {
      email: "bench@keepdesk.example",
      name: "Bench Admin",
      role: "admin",
      password,
    });
    setup.tick();
    servers = await startServers(c, bench.db);
    setup.tick();
    const session = await signIn(servers.stackUrl, "bench@keepdesk.example", password);
    setup.tick();
    setup.done();

    const run = Date.now().toString(36);
    const results = await measureSides(
      engine,
      {
        baseline: baselineSpec(servers.baselineUrl, options, `b${run}`),
        stack: {
          url: servers.stackUrl,
          connections: options.connections,
          duration: options.duration,
          method: "POST",
          path: "/api/v1/teams",
          headers: sessionHeaders(session),
          body: '{"name":"Team {unique}"}',
          unique: `s${run}`,
        },
      },
      options,
    );
    return { ...results, where: bench.where, check: await countRows(bench.db) };
  } finally {
    await servers?.close();
    await bench.dispose();
  }
}

/** Proof the stack did all its writes: one team, one audit row and one event per request. */
async function countRows(db: Database): Promise<string> {
  const { rows } = await sql<{ inserts: number; teams: number; audit: number; events: number }>`
    select (select count(*)::int from bench_insert) as inserts,
           (select count(*)::int from teams) as teams,
           (select count(*)::int from audit_log where action = 'team.created') as audit,
           (select count(*)::int from events where type = 'team.created') as events`.execute(db.kysely);
  const r = rows[0]!;
  return `rows written: ${fmt(r.inserts)} baseline inserts; ${fmt(r.teams)} teams, ${fmt(r.audit)} audit rows, ${fmt(r.events)} events`;
}
