import Fastify, { type FastifyInstance } from "fastify";
import { sql } from "kysely";
import pino from "pino";
import { createContainer } from "../src/container.ts";
import { buildApp } from "../src/http/app.ts";
import { SYSTEM } from "../src/platform/auth/actor.ts";
import { systemClock } from "../src/platform/clock.ts";
import { loadConfig } from "../src/platform/config.ts";
import type { Database, DbKind } from "../src/platform/db/database.ts";
import { newId } from "../src/platform/ids.ts";
import { createLogger } from "../src/platform/logger.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import { type LoadResult, type LoadSpec, type RawLoad, runLoad, summarize } from "./lib/load.ts";

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
  const servers: FastifyInstance[] = [];
  try {
    const log = createLogger("info", pino.destination({ dest: "/dev/null", sync: false }));
    const config = loadConfig({ KEEPDESK_DATA_DIR: bench.dataDir, LOG_LEVEL: "info" });
    const c = createContainer({ config, db: bench.db, clock: systemClock, log });
    const password = "bench-password-1";
    await c.users.create(SYSTEM, {
      email: "bench@keepdesk.example",
      name: "Bench Admin",
      role: "admin",
      password,
    });
    setup.tick();

    const baseline = await baselineApp(bench.db);
    servers.push(baseline);
    const baselineUrl = await baseline.listen({ host: "127.0.0.1", port: 0 });
    const stack = await buildApp(c);
    servers.push(stack);
    const stackUrl = await stack.listen({ host: "127.0.0.1", port: 0 });
    setup.tick();
    const session = await signIn(stackUrl, "bench@keepdesk.example", password);
    setup.tick();
    setup.done();

    const run = Date.now().toString(36);
    const specs: Record<"baseline" | "stack", LoadSpec> = {
      baseline: {
        url: baselineUrl,
        connections: options.connections,
        duration: options.duration,
        method: "POST",
        path: "/bench/insert",
        headers: { "content-type": "application/json" },
        body: '{"name":"{unique}"}',
        unique: `b${run}`,
      },
      stack: {
        url: stackUrl,
        connections: options.connections,
        duration: options.duration,
        method: "POST",
        path: "/api/v1/teams",
        headers: {
          "content-type": "application/json",
          cookie: session.cookie,
          "x-csrf-token": session.csrfToken,
        },
        body: '{"name":"Team {unique}"}',
        unique: `s${run}`,
      },
    };

    // Warm both up (JIT, pools, caches) before anything counts.
    for (const side of ["baseline", "stack"] as const) {
      await runLoad(
        { ...specs[side], duration: 1, unique: `${specs[side].unique}w` },
        progress.task(`${engine} ${side} warm-up`, 1),
      );
    }
    const results: Record<"baseline" | "stack", RawLoad[]> = { baseline: [], stack: [] };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (["baseline", "stack"] as const) : (["stack", "baseline"] as const);
      for (const side of order) {
        const label = options.rounds > 1 ? `${engine} ${side} ${round + 1}` : `${engine} ${side}`;
        results[side].push(
          await runLoad(
            { ...specs[side], unique: `${specs[side].unique}r${round}` },
            progress.task(label, options.duration),
          ),
        );
      }
    }
    const check = await countRows(bench.db);
    return {
      baseline: summarize(results.baseline, specs.baseline),
      stack: summarize(results.stack, specs.stack),
      where: bench.where,
      check,
    };
  } finally {
    for (const s of servers.reverse()) await s.close();
    await bench.dispose();
  }
}

/** The baseline: no auth, no validation beyond JSON parsing, no audit, no event. */
async function baselineApp(db: Database): Promise<FastifyInstance> {
  await sql`create table if not exists bench_insert (
    id uuid primary key, name text not null, created_at timestamptz not null
  )`.execute(db.kysely);
  const app = Fastify({ logger: false });
  app.post<{ Body: { name: string } }>("/bench/insert", async (request, reply) => {
    const id = newId();
    await sql`insert into bench_insert (id, name, created_at) values (${id}, ${request.body.name}, now())`.execute(
      db.kysely,
    );
    return reply.code(201).send({ id });
  });
  return app;
}

async function signIn(baseUrl: string, email: string, password: string) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("kd_session="));
  if (!cookie) throw new Error("bench sign-in set no session cookie");
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(";")[0]!, csrfToken: body.csrfToken };
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
