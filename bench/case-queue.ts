import { sql } from "kysely";
import { formatCaseNumber } from "../src/modules/cases/case-number.ts";
import type { CaseQuery } from "../src/modules/cases/cases.service.ts";
import type { Actor } from "../src/platform/auth/actor.ts";
import type { DbKind, Kdb } from "../src/platform/db/database.ts";
import { DEMO_PASSWORD } from "../src/seed/demo-catalogue.ts";
import { seedDemo } from "../src/seed/demo-seed.ts";
import { DEMO_CASES } from "../src/seed/steps/cases.ts";
import { DEFAULT_PLAN, generate } from "./generate.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import { explainCaseList } from "./lib/explain.ts";
import {
  baselineSpec,
  benchContainer,
  measureSides,
  type Servers,
  signIn,
  startServers,
} from "./lib/stack.ts";
import { runTimed, type TimedResult } from "./lib/timed.ts";

/** Cases in the database by default: a large installation on the server, less in-process. */
export const DEFAULT_CASES: Record<DbKind, number> = { postgres: 1_000_000, pglite: 100_000 };
/** How deep the deep pages are, in pages of 50. */
const DEEP_QUEUE_PAGES = 40;
const DEEP_LIST_PAGES = 200;
/** Words agents search for, common to rare (they come from the case catalogue). */
const SEARCHES = ["invoice", "salesforce sync", '"password reset"', "refund", "webhook signature"];

/**
 * How fast an agent's queue and search answer on a big database. The demo organisation (staff,
 * queues, 5,000 cases) is seeded, then accounts and cases are generated up to `--cases` (default
 * a million on Postgres) with the first 2 messages of their threads and their history, over two years.
 * Then, through the whole HTTP stack as the demo agent, one request at a time: the open queue
 * (`status=open&sort=-updatedAt&limit=50`), the same for one owner and one team, deep pages
 * reached by following cursors, and full-text searches. The reference is the bare-INSERT
 * baseline measured in the same run: its req/s under autocannon, and its latency one request
 * at a time, measured the way the queries are. EXPLAIN ANALYZE of the queue and search queries
 * (the SQL the cases service really runs) follows the table.
 */
export const caseQueue: Bench = {
  name: "case-queue",
  description:
    "latency p50/p95 of queue pages and full-text search over N generated cases (--cases), vs one INSERT",
  async run(options) {
    for (const engine of options.engines) {
      const report = await measureEngine(engine, options);
      options.progress.stop();
      console.log(report);
    }
  },
};

type Query = { name: string; path: string; query: CaseQuery; explain?: boolean };

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<string> {
  const { progress } = options;
  const target = options.cases ?? DEFAULT_CASES[engine];
  const bench = await openBenchDatabase(engine, { memory: options.memory, poolSize: 10 });
  let servers: Servers | undefined;
  try {
    const c = benchContainer(bench);
    const loadStarted = performance.now();
    const seeding = progress.task(`${engine} demo seed`, 1);
    await seedDemo(c, { seed: 42, progress: false });
    seeding.done();
    // About 50 cases per account over two years, like a busy B2B desk; at least the demo's 300.
    const accounts = Math.max(0, Math.round(target / 50) - 300);
    const { made } = await generate(
      bench.db,
      {
        ...DEFAULT_PLAN,
        accounts,
        cases: Math.max(0, target - DEMO_CASES),
        messagesPerCase: 2,
        caseMonths: 24,
      },
      progress,
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const sizes = await tableSizes(bench.db.kysely);

    servers = await startServers(c, bench.db);
    const agent = await firstUser(bench.db.kysely, "agent");
    const session = await signIn(servers.stackUrl, agent.email, DEMO_PASSWORD);
    const headers = { cookie: session.cookie };
    const heavy = await busiest(bench.db.kysely);

    const queries: Query[] = [
      {
        name: "open queue",
        path: "/api/v1/cases?status=open&sort=-updatedAt&limit=50",
        query: { status: ["open"], sort: "-updatedAt", limit: 50 },
        explain: true,
      },
      {
        name: "open queue, one owner",
        path: `/api/v1/cases?status=open&sort=-updatedAt&limit=50&ownerId=${heavy.ownerId}`,
        query: { status: ["open"], sort: "-updatedAt", limit: 50, ownerId: heavy.ownerId },
        explain: true,
      },
      {
        name: "open queue, one team",
        path: `/api/v1/cases?status=open&sort=-updatedAt&limit=50&teamId=${heavy.teamId}`,
        query: { status: ["open"], sort: "-updatedAt", limit: 50, teamId: heavy.teamId },
        explain: true,
      },
    ];
    const deepQueue = await walk(servers.stackUrl, headers, queries[0]!.path, DEEP_QUEUE_PAGES);
    queries.push({
      name: `open queue, page ${deepQueue.page + 1} (cursor)`,
      path: `${queries[0]!.path}&cursor=${deepQueue.cursor}`,
      query: { ...queries[0]!.query, cursor: deepQueue.cursor },
      explain: true,
    });
    const deepAll = await walk(
      servers.stackUrl,
      headers,
      "/api/v1/cases?sort=-updatedAt&limit=50",
      DEEP_LIST_PAGES,
    );
    queries.push({
      name: `all cases, page ${deepAll.page + 1} (cursor)`,
      path: `/api/v1/cases?sort=-updatedAt&limit=50&cursor=${deepAll.cursor}`,
      query: { sort: "-updatedAt", limit: 50, cursor: deepAll.cursor },
    });
    // Besides words: a customer's name (it is in their messages' signatures: a rare match) and a
    // case number (`CS-…` also matches the number).
    const rare = await rareSearches(bench.db.kysely);
    for (const q of [...SEARCHES, rare.name, rare.number]) {
      queries.push({
        name: `search ${q}${q === rare.name ? " (a customer)" : q === rare.number ? " (a number)" : ""}`,
        path: `/api/v1/cases?q=${encodeURIComponent(q)}`,
        query: { q },
        explain: q === SEARCHES[0] || q === rare.name || q === rare.number,
      });
    }

    const run = Date.now().toString(36);
    const baselineLoad = (
      await measureSides(engine, { baseline: baselineSpec(servers.baselineUrl, options, `b${run}`) }, options)
    ).baseline;
    const timed = (paths: string[], label: string, extra: Partial<Parameters<typeof runTimed>[0]> = {}) =>
      runTimed(
        {
          url: servers!.stackUrl,
          paths,
          headers,
          warmup: 5,
          maxRequests: 2_000,
          seconds: options.duration,
          ...extra,
        },
        progress.task(`${engine} ${label}`, options.duration),
      );
    const baselineOne = await runTimed(
      {
        url: servers.baselineUrl,
        paths: ["/bench/insert"],
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"name":"{unique}"}',
        unique: `s${run}`,
        warmup: 20,
        maxRequests: 2_000,
        seconds: options.duration,
      },
      progress.task(`${engine} baseline one at a time`, options.duration),
    );
    const measured: [Query, TimedResult][] = [];
    for (const q of queries) measured.push([q, await timed([q.path], q.name)]);

    const plans: string[] = [];
    const actor: Actor = { kind: "user", id: agent.id, email: agent.email, role: "agent", teamIds: [] };
    for (const q of queries.filter((x) => x.explain)) {
      const { sql: text, plan } = await explainCaseList(c, bench.db, actor, q.query);
      plans.push(`-- ${q.name}: GET ${q.path.replace(/cursor=[^&]+/, "cursor=…")}\n${text}\n\n${plan}`);
    }

    const ref = baselineOne.p50;
    const row = (name: string, request: string, items: string, r: TimedResult) => [
      name,
      request,
      items,
      r.p50.toFixed(1),
      r.p95.toFixed(1),
      r.p99.toFixed(1),
      fmt(r.requestsPerSecond),
      (r.p50 / ref).toFixed(1),
      String(r.failed),
    ];
    const rows = [
      [
        "baseline INSERT, autocannon",
        `POST /bench/insert × ${options.connections} conns`,
        "",
        fmt(baselineLoad.latencyP50, 1),
        "",
        fmt(baselineLoad.latencyP99, 1),
        fmt(baselineLoad.requestsPerSecond),
        "",
        String(baselineLoad.non2xx + baselineLoad.errors),
      ],
      row("baseline INSERT, one at a time", "POST /bench/insert", "", baselineOne),
      ...measured.map(([q, r]) =>
        row(
          q.name,
          `GET ${q.path.replace(/cursor=[^&]+/, "cursor=…").replace(/[0-9a-f-]{36}/, "…")}`,
          items(r),
          r,
        ),
      ),
    ];
    const total = Object.entries(sizes)
      .map(([t, n]) => `${fmt(n)} ${t}`)
      .join(", ");
    return [
      "",
      `case-queue on ${engine}: ${total}; loaded in ${loadSeconds.toFixed(0)} s (demo seed, then generated: ${Object.entries(
        made,
      )
        .map(([t, n]) => `${fmt(n)} ${t}`)
        .join(", ")})`,
      `one request at a time for ${options.duration} s (or 2,000 requests) per row, after 5 unmeasured, as the demo agent through the HTTP stack; ms`,
      machineLine(),
      "",
      formatTable(
        ["query", "request", "items", "p50", "p95", "p99", "req/s", "p50/baseline", "failed"],
        rows,
      ),
      "",
      `busiest owner ${heavy.ownerId} (${fmt(heavy.ownerOpen)} open cases), busiest team ${heavy.teamName} (${fmt(heavy.teamOpen)} open); deep pages: open queue ${deepQueue.page + 1} (${fmt(deepQueue.page * 50)} rows skipped), all cases ${deepAll.page + 1} (${fmt(deepAll.page * 50)} rows skipped)`,
      `${bench.where}`,
      "",
      "EXPLAIN (ANALYZE, BUFFERS) of the SQL the cases service runs for these requests:",
      "",
      plans.join("\n\n"),
      "",
    ].join("\n");
  } finally {
    await servers?.close();
    await bench.dispose();
  }
}

/** Follows cursors from `path` for up to `pages` pages; the cursor of the deepest page reached. */
async function walk(
  url: string,
  headers: Record<string, string>,
  path: string,
  pages: number,
): Promise<{ page: number; cursor: string }> {
  let cursor: string | null = null;
  let page = 0;
  for (; page < pages; page++) {
    const res = await fetch(`${url}${path}${cursor ? `&cursor=${cursor}` : ""}`, { headers });
    if (res.status !== 200) throw new Error(`walking ${path}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { nextCursor: string | null };
    if (!body.nextCursor) break;
    cursor = body.nextCursor;
  }
  if (!cursor) throw new Error(`${path} has only one page`);
  return { page, cursor };
}

function items(r: TimedResult): string {
  try {
    return String((JSON.parse(r.last) as { items: unknown[] }).items.length);
  } catch {
    return "?";
  }
}

async function firstUser(db: Kdb, role: string) {
  const { rows } = await sql<{ id: string; email: string }>`
    select id, email from users where role = ${role} and active order by email = ${`${role}@keepdesk.example`} desc, id
    limit 1`.execute(db);
  if (!rows[0]) throw new Error(`no ${role} to sign in as`);
  return rows[0];
}

/** The owner and the team with the most open cases: the heaviest filtered queues. */
async function busiest(db: Kdb) {
  const owner = await sql<{ owner_id: string; n: number }>`
    select owner_id, count(*)::int as n from cases where status = 'open' and owner_id is not null
    group by owner_id order by n desc limit 1`.execute(db);
  const team = await sql<{ team_id: string; name: string; n: number }>`
    select c.team_id, t.name, count(*)::int as n from cases c join teams t on t.id = c.team_id
    where c.status = 'open' group by c.team_id, t.name order by n desc limit 1`.execute(db);
  if (!owner.rows[0] || !team.rows[0]) throw new Error("no open cases with an owner and a team");
  return {
    ownerId: owner.rows[0].owner_id,
    ownerOpen: owner.rows[0].n,
    teamId: team.rows[0].team_id,
    teamName: team.rows[0].name,
    teamOpen: team.rows[0].n,
  };
}

/** A contact who raised a few cases (searched by full name), and a case number from the middle. */
async function rareSearches(db: Kdb): Promise<{ name: string; number: string }> {
  const { rows } = await sql<{ name: string; number: number }>`
    select (select k.name from contacts k join cases c on c.contact_id = k.id
            where k.name ~ '^[A-Za-z]+ [A-Za-z]+$'
            group by k.id, k.name having count(*) between 3 and 10 order by k.id limit 1) as name,
           (select (max(number) / 2)::int from cases) as number`.execute(db);
  const r = rows[0]!;
  return { name: r.name ?? "Jana Becker", number: formatCaseNumber(r.number) };
}

async function tableSizes(db: Kdb) {
  const { rows } = await sql<{
    cases: number;
    open: number;
    messages: number;
    history: number;
    accounts: number;
  }>`
    select (select count(*)::int from cases) as cases,
           (select count(*)::int from cases where status = 'open') as open,
           (select count(*)::int from case_messages) as messages,
           (select count(*)::int from case_history) as history,
           (select count(*)::int from accounts) as accounts`.execute(db);
  const r = rows[0]!;
  return {
    cases: r.cases,
    "of them open": r.open,
    "case messages": r.messages,
    "case history rows": r.history,
    accounts: r.accounts,
  };
}
