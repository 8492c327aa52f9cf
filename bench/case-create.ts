import { sql } from "kysely";
import { SYSTEM } from "../src/platform/auth/actor.ts";
import type { Database, DbKind } from "../src/platform/db/database.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import type { LoadResult } from "./lib/load.ts";
import {
  baselineSpec,
  benchContainer,
  failed,
  measureSides,
  type Servers,
  type Session,
  sessionHeaders,
  signIn,
  startServers,
} from "./lib/stack.ts";

/**
 * What creating a case costs, through the whole stack, against the cheapest write. The
 * baseline is the bare Fastify route doing one INSERT (as in insert-overhead); the stack is
 * `POST /api/v1/cases` as a signed-in agent for an account and contact made first through the
 * API: session lookup, CSRF check, TypeBox validation, the service's checks (account, contact,
 * team and queue exist, the contact belongs to the account), the case row with its number from
 * the sequence and its generated search vector, a history row, and the case.created and
 * case.assigned events with their NOTIFY, in one transaction, with request logging on.
 */
export const caseCreate: Bench = {
  name: "case-create",
  description: "req/s and p99 of POST /api/v1/cases through the full stack vs one INSERT behind bare Fastify",
  async run(options) {
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const engine of options.engines) {
      const r = await measureEngine(engine, options);
      rows.push([
        engine,
        fmt(r.baseline.requestsPerSecond),
        fmt(r.baseline.latencyP99),
        fmt(r.cases.requestsPerSecond),
        fmt(r.cases.latencyP99),
        (r.cases.requestsPerSecond / r.baseline.requestsPerSecond).toFixed(2),
        String(failed(r.baseline, r.cases)),
      ]);
      notes.push(`${engine}: ${r.where}; ${r.check}`);
    }
    options.progress.stop();
    console.log(
      [
        "",
        `case-create: ${options.connections} connections, ${options.duration} s per measurement × ${options.rounds} round(s), autocannon on 127.0.0.1`,
        machineLine(),
        "",
        formatTable(
          ["engine", "baseline req/s", "p99 ms", "POST /cases req/s", "p99 ms", "cases/baseline", "failed"],
          rows,
        ),
        "",
        ...notes,
        "",
      ].join("\n"),
    );
  },
};

type Measured = { baseline: LoadResult; cases: LoadResult; where: string; check: string };

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<Measured> {
  const { progress } = options;
  const setup = progress.task(`${engine} setup`, 4);
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 10 });
  setup.tick();
  let servers: Servers | undefined;
  try {
    const c = benchContainer(bench);
    const password = "bench-password-1";
    const agent = await c.users.create(SYSTEM, {
      email: "agent@bench.example",
      name: "Bench Agent",
      role: "agent",
      password,
    });
    setup.tick();
    servers = await startServers(c, bench.db);
    setup.tick();
    const session = await signIn(servers.stackUrl, "agent@bench.example", password);
    const { accountId, contactId } = await customer(servers.stackUrl, session);
    setup.tick();
    setup.done();

    const run = Date.now().toString(36);
    // A realistic case: the customer, a product and category, the agent as owner, tags.
    const body = JSON.stringify({
      subject: "Dashboards very slow to load {unique}",
      description:
        "Since Monday our 'Weekly Sales' dashboard takes more than a minute to load; it used to take a few seconds. Other dashboards seem fine.",
      accountId,
      contactId,
      product: "Dashboards",
      category: "Performance",
      priority: "high",
      channel: "email",
      ownerId: agent.id,
      tags: ["performance", "dashboards"],
    });
    const results = await measureSides(
      engine,
      {
        baseline: baselineSpec(servers.baselineUrl, options, `b${run}`),
        cases: {
          url: servers.stackUrl,
          connections: options.connections,
          duration: options.duration,
          method: "POST",
          path: "/api/v1/cases",
          headers: sessionHeaders(session),
          body,
          unique: `c${run}`,
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

/** The account and contact the cases are for, made through the API as an agent would. */
async function customer(
  baseUrl: string,
  session: Session,
): Promise<{ accountId: string; contactId: string }> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: sessionHeaders(session),
      body: JSON.stringify(body),
    });
    if (res.status !== 201)
      throw new Error(`bench setup: POST ${path} answered ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const account = await post("/api/v1/accounts", {
    name: "Bench Retail GmbH",
    domain: "bench-retail.example",
    annualRevenue: 120_000,
    country: "DE",
    timeZone: "Europe/Berlin",
  });
  const contact = await post("/api/v1/contacts", {
    accountId: account.id,
    name: "Jana Becker",
    email: "jana.becker@bench-retail.example",
    language: "de",
  });
  return { accountId: account.id, contactId: contact.id };
}

/** Proof the stack did all its writes: per case a history row and a case.created event. */
async function countRows(db: Database): Promise<string> {
  const { rows } = await sql<{
    inserts: number;
    cases: number;
    history: number;
    events: number;
    max: number;
  }>`
    select (select count(*)::int from bench_insert) as inserts,
           (select count(*)::int from cases) as cases,
           (select count(*)::int from case_history where field = 'created') as history,
           (select count(*)::int from events where type = 'case.created') as events,
           (select coalesce(max(number), 0)::int from cases) as max`.execute(db.kysely);
  const r = rows[0]!;
  return `rows written: ${fmt(r.inserts)} baseline inserts; ${fmt(r.cases)} cases (numbers up to ${fmt(r.max)}), ${fmt(r.history)} creation history rows, ${fmt(r.events)} case.created events`;
}
