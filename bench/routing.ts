import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import type { Container } from "../src/container.ts";
import type { CaseDraft, CreateCase } from "../src/modules/cases/cases.service.ts";
import { routingRepository } from "../src/modules/routing/routing.repository.ts";
import type { Strategy } from "../src/modules/routing/routing.tables.ts";
import {
  type CaseFacts,
  type Directory,
  evaluateRules,
  NOTHING_GIVEN,
  type Priority,
  type RuleSpec,
  type RuleThen,
  type RuleWhen,
} from "../src/modules/routing/routing-rules.ts";
import { type RequestCtx, SYSTEM } from "../src/platform/auth/actor.ts";
import type { DbKind } from "../src/platform/db/database.ts";
import { newId } from "../src/platform/ids.ts";
import type { ProgressTask } from "../src/seed/progress.ts";
import { type Bench, type BenchOptions, fmt, formatTable, machineLine } from "./lib/bench.ts";
import { openBenchDatabase } from "./lib/engines.ts";
import { benchContainer } from "./lib/stack.ts";

/**
 * Routing decisions per second with 200 rules and 100 agents, in process (no HTTP), against a
 * plain INSERT of the same case row measured in the same run:
 *
 * - baseline: one `INSERT INTO cases` of the case's row in its own transaction.
 * - decision: `RoutingService.beforeInsert` in a transaction — load the 200 active rules, the
 *   account and contact facts and the names the rules refer to, evaluate, and when the case lands
 *   in a queue pick its agent: advisory locks on the queue and its 10 agents, their load counted
 *   in SQL, the strategy (round robin / least loaded / skills). Nothing is inserted.
 * - rules in memory: `evaluateRules` alone over the same 200 rules (no database).
 * - create + routing / create, routing off: `CasesService.create` end to end (routing, SLA and
 *   entitlement hooks, history, events, the decision row, a notification to the assignee), with
 *   the rules on, and then switched off and no queue (so no assignment).
 * - create + routing × N: the same with `--connections` creations at once (on PGlite they
 *   queue for its one connection; on Postgres they contend for the queues' advisory locks).
 *
 * Checks afterwards: every created case has its decision, and no agent holds more open cases
 * than their capacity.
 */
export const routingBench: Bench = {
  name: "routing",
  description: "routing decisions per second (200 rules, 100 agents) vs a plain INSERT of the case row",
  async run(options) {
    for (const engine of options.engines) {
      const report = await measureEngine(engine, options);
      options.progress.stop();
      console.log(report);
    }
  },
};

const RULES = 200;
const AGENTS = 100;
const TEAMS = 10;
const CAPACITY = 1_000;
const PRODUCTS = [
  "Analytics Cloud",
  "Data Connectors",
  "Dashboards",
  "Mobile App",
  "Public API",
  "Billing Portal",
];
const LANGUAGES = ["en", "de", "fr", "es", "nl"];
const WORDS = [
  "invoice",
  "refund",
  "password",
  "login",
  "export",
  "import",
  "sync",
  "webhook",
  "timeout",
  "crash",
  "slow",
  "error",
  "csv",
  "chart",
  "dashboard",
  "token",
  "sso",
  "saml",
  "renewal",
  "upgrade",
  "downgrade",
  "charge",
  "vat",
  "receipt",
  "mobile",
  "android",
  "ios",
  "notification",
  "email",
  "bounce",
  "api",
  "limit",
  "quota",
  "salesforce",
  "hubspot",
  "schedule",
  "report",
  "filter",
  "permission",
  "role",
];
const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];
const CHANNELS = ["email", "portal", "phone", "web", "api"] as const;
const STRATEGIES: Strategy[] = ["least_loaded", "round_robin", "skills"];

type Fixture = {
  queueIds: string[];
  inputs: CreateCase[];
  rules: RuleSpec[];
  creator: RequestCtx;
};

type Side =
  | "baseline"
  | "decision"
  | "rules in memory"
  | "create + routing"
  | "create, routing off"
  | "create + routing × N";

/** A small deterministic generator. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function setup(c: Container, task: ProgressTask): Promise<Fixture> {
  const db = c.db.kysely;
  const rnd = lcg(20260302);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const now = c.clock.now();
  const agentIds = Array.from({ length: AGENTS }, () => newId()).sort();
  const teamIds = Array.from({ length: TEAMS }, () => newId());
  const queueIds = Array.from({ length: TEAMS }, () => newId());
  await db.transaction().execute(async (trx) => {
    await sql`
      insert into users (id, email, name, role, status, capacity, skills, created_at, updated_at)
      select u.id, 'routing-agent-' || u.n || '@bench.example', 'Routing Agent ' || u.n, 'agent', 'available',
             ${CAPACITY}, array[u.p1, u.p2, 'lang:' || u.lang], ${now}::timestamptz, ${now}::timestamptz
      from unnest(${agentIds}::uuid[], ${agentIds.map(() => pick(PRODUCTS))}::text[],
                  ${agentIds.map(() => pick(PRODUCTS))}::text[], ${agentIds.map(() => pick(LANGUAGES))}::text[])
        with ordinality as u(id, p1, p2, lang, n)`.execute(trx);
    for (const [i, teamId] of teamIds.entries()) {
      await sql`insert into teams (id, name, created_at, updated_at) values (${teamId}, ${`Routing team ${i + 1}`}, ${now}, ${now})`.execute(
        trx,
      );
      const members = agentIds.slice(i * (AGENTS / TEAMS), (i + 1) * (AGENTS / TEAMS));
      await sql`insert into team_members (team_id, user_id) select ${teamId}::uuid, u from unnest(${members}::uuid[]) u`.execute(
        trx,
      );
      await sql`insert into queues (id, name, team_id, created_at, updated_at)
        values (${queueIds[i]!}, ${`Routing queue ${i + 1}`}, ${teamId}, ${now}, ${now})`.execute(trx);
      await routingRepository.upsertAssignment(trx, queueIds[i]!, STRATEGIES[i % STRATEGIES.length]!, now);
    }
  });
  task.tick();

  // 200 rules: specific ones first (product + keywords, priority, channel, tier, language), a
  // few tagging rules that continue, and a default rule last.
  const rules: RuleSpec[] = [];
  for (let i = 0; i < RULES; i++) {
    const last = i === RULES - 1;
    const when: RuleWhen = {};
    const then: RuleThen = {};
    if (!last) {
      const kind = i % 5;
      if (kind === 0) {
        when.product = [pick(PRODUCTS)];
        when.keywords = [pick(WORDS), pick(WORDS)];
      } else if (kind === 1) {
        when.keywords = [pick(WORDS), `${pick(WORDS).slice(0, 4)}*`];
        when.channel = [pick(CHANNELS), pick(CHANNELS)];
      } else if (kind === 2) {
        when.priority = [pick(PRIORITIES)];
        when.product = [pick(PRODUCTS), pick(PRODUCTS)];
        when.keywords = [pick(WORDS)];
      } else if (kind === 3) {
        when.accountTier = ["key"];
        when.keywords = [pick(WORDS)];
      } else {
        when.language = [pick(LANGUAGES.slice(1))];
        when.keywords = [pick(WORDS), pick(WORDS), pick(WORDS)];
      }
    }
    const tagging = !last && i % 17 === 0;
    if (tagging) then.tags = [pick(WORDS)];
    else {
      then.queueId = pick(queueIds);
      if (rnd() < 0.3) then.priority = pick(PRIORITIES);
    }
    const spec: RuleSpec = {
      id: newId(),
      name: last ? "Everything else" : `Rule ${i + 1}`,
      when,
      then,
      continue: tagging,
    };
    rules.push(spec);
    await routingRepository.insertRule(db, {
      id: spec.id,
      name: spec.name,
      position: (i + 1) * 10,
      conditions: when as Record<string, unknown>,
      actions: then as Record<string, unknown>,
      continue_after: tagging,
      active: true,
      created_at: now,
      updated_at: now,
    });
  }
  await routingRepository.bumpRulesVersion(db);
  task.tick();

  // Customers: 20 accounts (a quarter key), 3 contacts each in various languages.
  const contacts: { accountId: string; contactId: string }[] = [];
  for (let a = 0; a < 20; a++) {
    const accountId = newId();
    await sql`insert into accounts (id, name, tier, created_at, updated_at)
      values (${accountId}, ${`Routing customer ${a + 1}`}, ${a % 4 === 0 ? "key" : "standard"}, ${now}, ${now})`.execute(
      db,
    );
    for (let k = 0; k < 3; k++) {
      const contactId = newId();
      await sql`insert into contacts (id, account_id, name, email, language, created_at, updated_at)
        values (${contactId}, ${accountId}, ${`Contact ${a}-${k}`}, ${`c${a}-${k}@routing.example`},
                ${pick(LANGUAGES)}, ${now}, ${now})`.execute(db);
      contacts.push({ accountId, contactId });
    }
  }
  const creatorUser = await c.users.create(SYSTEM, {
    email: "routing-creator@bench.example",
    name: "Creator",
    role: "agent",
  });
  task.tick();

  const inputs: CreateCase[] = Array.from({ length: 500 }, (_, i) => {
    const who = pick(contacts);
    return {
      subject: `${pick(WORDS)} ${pick(WORDS)} not working (${i})`,
      description: `Since this morning the ${pick(WORDS)} fails with an ${pick(WORDS)} when we ${pick(WORDS)}.`,
      product: pick(PRODUCTS),
      priority: rnd() < 0.5 ? undefined : pick(PRIORITIES),
      channel: pick(CHANNELS),
      accountId: who.accountId,
      contactId: who.contactId,
    };
  });
  task.tick();
  task.done();
  return {
    queueIds,
    inputs,
    rules,
    creator: {
      actor: { kind: "user", id: creatorUser.id, email: creatorUser.email, role: "agent", teamIds: [] },
    },
  };
}

/** The row a case input becomes (the baseline inserts it; the decision routes it). */
function draftOf(c: Container, input: CreateCase): CaseDraft {
  const now = c.clock.now();
  return {
    id: newId(),
    subject: input.subject,
    description: input.description ?? null,
    account_id: input.accountId ?? null,
    contact_id: input.contactId ?? null,
    product: input.product ?? null,
    category: null,
    priority: input.priority ?? "normal",
    channel: input.channel ?? "api",
    status: "new",
    owner_id: null,
    team_id: null,
    queue_id: null,
    tags: [],
    received_at: now,
    created_at: now,
    updated_at: now,
    resolved_at: null,
    closed_at: null,
    parent_id: null,
    merged_into_id: null,
    related_case_id: null,
  };
}

/** Runs `op` over the inputs in turn for `seconds`; `parallel` loops at once. */
async function measure(
  count: number,
  seconds: number,
  op: (i: number) => Promise<unknown>,
  task: ProgressTask,
  parallel = 1,
): Promise<{ ops: number; ms: number }> {
  let ops = 0;
  let next = 0;
  let shown = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        const i = next++ % count;
        await op(i);
        ops++;
        const whole = Math.min(seconds, Math.floor((performance.now() - started) / 1000));
        if (whole > shown) {
          task.tick(whole - shown);
          shown = whole;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  task.done();
  return { ops, ms };
}

async function measureEngine(engine: DbKind, options: BenchOptions): Promise<string> {
  const { progress } = options;
  const bench = await openBenchDatabase(engine, {
    memory: options.memory,
    poolSize: Math.max(10, options.connections),
  });
  try {
    const c = benchContainer(bench);
    const f = await setup(c, progress.task(`${engine} setup: ${AGENTS} agents, ${RULES} rules`, 4));
    const db = c.db.kysely;

    // The in-memory side: the same rules and facts, names resolved once.
    const queueRows = await routingRepository.queues(db, f.queueIds);
    const dir: Directory = {
      team: () => ({ name: "team" }),
      queue: (id) => {
        const q = queueRows.find((r) => r.id === id);
        return q ? { name: q.name, teamId: q.team_id } : undefined;
      },
      user: () => undefined,
      calendar: () => undefined,
    };
    const facts: CaseFacts[] = [];
    for (const input of f.inputs) {
      const known = await routingRepository.caseFacts(db, input.accountId ?? null, input.contactId ?? null);
      facts.push({
        subject: input.subject,
        description: input.description ?? null,
        priority: input.priority ?? "normal",
        channel: input.channel ?? "api",
        product: input.product ?? null,
        category: null,
        tags: [],
        language: known.language,
        accountTier: known.tier,
        healthBand: known.health_band,
        accountOwnerId: known.account_owner_id,
        receivedAt: c.clock.now(),
      });
    }
    let matchedAt = 0;
    for (const fx of facts) {
      const e = evaluateRules(
        f.rules,
        fx,
        { teamId: null, queueId: null, priority: fx.priority, ownerId: null, tags: [] },
        NOTHING_GIVEN,
        dir,
      );
      matchedAt += e.trace.length;
    }

    const sides: Record<Side, { op: (i: number) => Promise<unknown>; parallel?: number }> = {
      baseline: {
        op: (i) =>
          db
            .transaction()
            .execute((trx) => trx.insertInto("cases").values(draftOf(c, f.inputs[i]!)).execute()),
      },
      decision: {
        op: (i) =>
          db
            .transaction()
            .execute((trx) =>
              c.routing.beforeInsert(trx, f.creator, draftOf(c, f.inputs[i]!), NOTHING_GIVEN),
            ),
      },
      "rules in memory": {
        op: async (i) => {
          const fx = facts[i]!;
          evaluateRules(
            f.rules,
            fx,
            { teamId: null, queueId: null, priority: fx.priority, ownerId: null, tags: [] },
            NOTHING_GIVEN,
            dir,
          );
        },
      },
      "create + routing": { op: (i) => c.cases.create(f.creator, f.inputs[i]!) },
      "create, routing off": { op: (i) => c.cases.create(f.creator, f.inputs[i]!) },
      "create + routing × N": {
        op: (i) => c.cases.create(f.creator, f.inputs[i]!),
        parallel: options.connections,
      },
    };
    const names = Object.keys(sides) as Side[];
    const totals = Object.fromEntries(names.map((n) => [n, { ops: 0, ms: 0 }])) as Record<
      Side,
      { ops: number; ms: number }
    >;
    const rulesOff = async (off: boolean) => {
      await sql`update routing_rules set active = ${!off}`.execute(db);
      await routingRepository.bumpRulesVersion(db);
    };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        await rulesOff(name === "create, routing off");
        const label = `${engine} ${name}${options.rounds > 1 ? ` ${round + 1}` : ""}`;
        const side = sides[name];
        // In-memory evaluation is too quick to see one at a time: batches of 100.
        const op =
          name === "rules in memory"
            ? async (i: number) => {
                for (let k = 0; k < 100; k++) await side.op((i * 100 + k) % f.inputs.length);
              }
            : side.op;
        const r = await measure(
          f.inputs.length,
          options.duration,
          op,
          progress.task(label, options.duration),
          side.parallel ?? 1,
        );
        totals[name].ops += name === "rules in memory" ? r.ops * 100 : r.ops;
        totals[name].ms += r.ms;
      }
    }
    await rulesOff(false);

    const check = await checks(c, CAPACITY);
    const perSecond = (n: Side) => (totals[n].ops / totals[n].ms) * 1000;
    const base = perSecond("baseline");
    const rows = names.map((n) => [
      n === "baseline"
        ? "baseline: INSERT the case row"
        : n === "create + routing × N"
          ? `create + routing × ${options.connections}`
          : n,
      fmt(perSecond(n)),
      fmt(1000 / perSecond(n), 3),
      (perSecond(n) / base).toFixed(2),
      fmt(totals[n].ops),
    ]);
    return [
      "",
      `routing (${engine}): ${RULES} active rules (the default one last), ${AGENTS} agents in ${TEAMS} teams and queues (least loaded, round robin, skills); ${options.duration} s per measurement × ${options.rounds} round(s)`,
      machineLine(),
      `${bench.where}; on average a case is checked against ${(matchedAt / facts.length).toFixed(1)} rules before one decides`,
      "",
      formatTable(["measurement", "per second", "ms each", "/baseline", "count"], rows),
      "",
      check,
      "",
    ].join("\n");
  } finally {
    await bench.dispose();
  }
}

/** Every routed case has a decision, and nobody is above capacity. */
async function checks(c: Container, capacity: number): Promise<string> {
  const { rows } = await sql<{
    cases: number;
    decided: number;
    assigned: number;
    over: number;
    busiest: number;
  }>`
    select (select count(*)::int from cases where created_at is not null and exists (select 1 from case_history h where h.case_id = cases.id and h.field = 'created')) as cases,
           (select count(distinct case_id)::int from routing_decisions) as decided,
           (select count(*)::int from cases where owner_id is not null) as assigned,
           (select count(*)::int from (select owner_id from cases where owner_id is not null and status in ('new', 'open')
              group by owner_id having count(*) > ${capacity}) o) as over,
           (select coalesce(max(n), 0)::int from (select count(*) as n from cases where owner_id is not null group by owner_id) b) as busiest`.execute(
    c.db.kysely,
  );
  const r = rows[0]!;
  const ok = r.cases === r.decided && r.over === 0;
  return `check: ${fmt(r.cases)} cases created through the service, ${fmt(r.decided)} with a routing decision, ${fmt(r.assigned)} assigned, the busiest agent holds ${fmt(r.busiest)} of ${fmt(capacity)}; agents above capacity: ${r.over}${ok ? "" : " — CHECK FAILED, the figures are void"}`;
}
