import { sql } from "kysely";
import type { ChurnReason } from "../../modules/health/health.tables.ts";
import { HEALTH_SIGNAL_RECORDED } from "../../modules/health/health-entries.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import type { Trx } from "../../platform/db/database.ts";
import { DAY_MS, type Rng } from "../random.ts";
import { need, type SeedStep } from "../seed-context.ts";

declare module "../seed-context.ts" {
  interface SeedData {
    /** How many ledger events the health step wrote for the seeded history. */
    healthEvents?: number;
  }
}

type HistoryEvent = {
  at: Date;
  type: string;
  entityType: string;
  entityId: string;
  accountId: string;
  data: Record<string, unknown>;
};

/** The business's own churn, roughly the seeds' shape: mostly treatment, then product, competitors, price. */
const CHURN_MIX: [ChurnReason, number][] = [
  ["customer_service", 0.6],
  ["low_quality", 0.08],
  ["missing_features", 0.06],
  ["too_complex", 0.03],
  ["switched_service", 0.1],
  ["too_expensive", 0.08],
  ["unused", 0.05],
];

const STAGES = ["qualify", "propose", "negotiate", "won", "lost"] as const;

/**
 * The health step: the seeded history (cases, SLA clocks met and breached, promises kept and
 * broken, answered surveys) is written as the domain events it would have produced, with its
 * own timestamps and no deliveries (nothing downstream re-runs for the past), plus a few churn
 * signals and value touches; then the ledger is rebuilt from them, so the demo shows varied
 * health. Accounts at risk get their plays (key accounts first), a few lost customers their
 * churn records, and healthy key accounts some opportunities.
 */
export const healthStep: SeedStep = {
  name: "health",
  async run(ctx) {
    const { c, trx, rng } = ctx;
    const accounts = need(ctx.data, "accounts");
    const now = c.clock.now();
    const history = await historyOf(trx);
    addSignals(history, accounts, rng, now);
    history.sort((a, b) => a.at.getTime() - b.at.getTime() || a.type.localeCompare(b.type));
    const task = ctx.progress(history.length + accounts.length);
    for (let i = 0; i < history.length; i += 2000) {
      const chunk = history.slice(i, i + 2000);
      await sql`insert into events (id, type, entity_type, entity_id, account_id, actor_id, customer_visible, data, occurred_at)
        select u.id, u.type, u.entity_type, u.entity_id, u.account_id, null, false, u.data, u.occurred_at
        from unnest(${chunk.map((e) => rng.id(e.at))}::uuid[], ${chunk.map((e) => e.type)}::text[],
          ${chunk.map((e) => e.entityType)}::text[], ${chunk.map((e) => e.entityId)}::text[],
          ${chunk.map((e) => e.accountId)}::uuid[], ${chunk.map((e) => JSON.stringify(e.data))}::jsonb[],
          ${chunk.map((e) => e.at.toISOString())}::timestamptz[])
          with ordinality as u(id, type, entity_type, entity_id, account_id, data, occurred_at, n)
        order by u.n`.execute(trx);
      task.tick(chunk.length);
    }
    await c.health.rebuildIn(trx, { asOf: now });
    ctx.data.healthEvents = history.length;

    const byId = new Map(accounts.map((a) => [a.id, a]));
    const scored = await trx.selectFrom("account_health").select(["account_id", "band", "score"]).execute();
    const atRisk = scored
      .filter((s) => s.band === "at_risk")
      .map((s) => byId.get(s.account_id)!)
      .filter(Boolean)
      .sort((a, b) => (a.tier === b.tier ? b.annualRevenue - a.annualRevenue : a.tier === "key" ? -1 : 1));
    // The lowest-scored standard accounts (about 4% of them) have already left; the at-risk rest get a play.
    const standard = scored
      .filter((s) => byId.get(s.account_id)?.tier === "standard")
      .sort((a, b) => a.score - b.score || a.account_id.localeCompare(b.account_id));
    const lost = standard
      .slice(0, Math.max(1, Math.round(standard.length * 0.04)))
      .map((s) => byId.get(s.account_id)!);
    const lostIds = new Set(lost.map((a) => a.id));
    for (const a of atRisk.filter((x) => !lostIds.has(x.id)).slice(0, 12))
      await c.retention.startIn(trx, SYSTEM, a.id, "entered_at_risk", { seeded: true });
    for (const [i, a] of lost.entries()) {
      const reason = pickReason(rng, i);
      await c.retention.markLostIn(trx, SYSTEM, a.id, {
        lostOn: new Date(now.getTime() - rng.int(3, 120) * DAY_MS).toISOString().slice(0, 10),
        reason,
        notes: reason === "customer_service" ? "Felt nobody got back to them in time." : null,
      });
    }
    const healthyKey = scored
      .filter((s) => s.band === "healthy")
      .map((s) => byId.get(s.account_id)!)
      .filter((a) => a && a.tier === "key")
      .slice(0, 18);
    for (const [i, a] of healthyKey.entries()) {
      const at = new Date(now.getTime() - rng.int(2, 60) * DAY_MS);
      await trx
        .insertInto("opportunities")
        .values({
          id: rng.id(at),
          account_id: a.id,
          name: ["Premium support upgrade", "Additional seats", "Analytics add-on", "Multi-year renewal"][
            i % 4
          ]!,
          amount: Math.round((a.annualRevenue * rng.int(5, 30)) / 100),
          stage: STAGES[i % STAGES.length]!,
          close_date: new Date(now.getTime() + rng.int(-20, 90) * DAY_MS).toISOString().slice(0, 10),
          owner_id: a.ownerId,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    task.tick(accounts.length);
    task.done();
  },
};

function pickReason(rng: Rng, i: number): ChurnReason {
  if (i === 0) return "customer_service";
  let r = rng.next();
  for (const [reason, p] of CHURN_MIX) {
    r -= p;
    if (r <= 0) return reason;
  }
  return "other";
}

/** The seeded rows as the events they would have produced. */
async function historyOf(trx: Trx): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  const cases = await sql<{
    id: string;
    account_id: string;
    created_at: Date;
    parent_id: string | null;
    number: number;
  }>`
    select id, account_id, created_at, parent_id, number from cases where account_id is not null`.execute(
    trx,
  );
  for (const k of cases.rows)
    out.push({
      at: k.created_at,
      type: "case.created",
      entityType: "case",
      entityId: k.id,
      accountId: k.account_id,
      data: { number: k.number, ...(k.parent_id ? { parentId: k.parent_id } : {}) },
    });
  const clocks = await sql<{
    case_id: string;
    account_id: string;
    kpi: string;
    status: string;
    met_at: Date | null;
    breached_at: Date | null;
  }>`
    select k.case_id, c.account_id, k.kpi, k.status, k.met_at, k.breached_at
    from sla_clocks k join cases c on c.id = k.case_id
    where c.account_id is not null and k.superseded_at is null and (k.met_at is not null or k.breached_at is not null)`.execute(
    trx,
  );
  for (const k of clocks.rows) {
    if (k.breached_at)
      out.push({
        at: k.breached_at,
        type: "sla.breached",
        entityType: "case",
        entityId: k.case_id,
        accountId: k.account_id,
        data: { kpi: k.kpi },
      });
    else if (k.met_at)
      out.push({
        at: k.met_at,
        type: "sla.met",
        entityType: "case",
        entityId: k.case_id,
        accountId: k.account_id,
        data: { kpi: k.kpi },
      });
  }
  const promises = await sql<{
    id: string;
    account_id: string;
    case_id: string | null;
    status: string;
    kept_at: Date | null;
    broken_at: Date | null;
    subject: string;
  }>`
    select id, account_id, case_id, status, kept_at, broken_at, subject from activities
    where type = 'promise' and account_id is not null and status in ('kept', 'broken')`.execute(trx);
  for (const p of promises.rows) {
    const at = p.status === "kept" ? p.kept_at : p.broken_at;
    if (!at) continue;
    out.push({
      at,
      type: p.status === "kept" ? "promise.kept" : "promise.broken",
      entityType: "activity",
      entityId: p.id,
      accountId: p.account_id,
      data: { subject: p.subject, caseId: p.case_id },
    });
  }
  const hasSurveys = await sql<{ t: string | null }>`select to_regclass('public.surveys')::text as t`.execute(
    trx,
  );
  if (hasSurveys.rows[0]?.t) {
    const surveys = await sql<{
      id: string;
      account_id: string;
      case_id: string | null;
      type: string;
      score: number;
      answered_at: Date;
    }>`
      select id, account_id, case_id, type, score, answered_at from surveys
      where status = 'answered' and score is not null and answered_at is not null`.execute(trx);
    for (const s of surveys.rows)
      out.push({
        at: s.answered_at,
        type: "survey.answered",
        entityType: "survey",
        entityId: s.id,
        accountId: s.account_id,
        data: { type: s.type, score: s.score, caseId: s.case_id, surveyId: s.id },
      });
  }
  return out;
}

/** Churn signals sales heard and value-adding touches account managers logged. */
function addSignals(
  out: HistoryEvent[],
  accounts: { id: string; createdAt: Date }[],
  rng: Rng,
  now: Date,
): void {
  for (const a of accounts) {
    const roll = rng.next();
    const at = new Date(now.getTime() - rng.int(1, 150) * DAY_MS - rng.int(0, 8) * 3_600_000);
    if (at < a.createdAt) continue;
    let kinds: string[] = [];
    if (roll < 0.06) kinds = ["price_complaint", "discount_request"];
    else if (roll < 0.1) kinds = ["downgrade_request"];
    else if (roll < 0.3) kinds = ["value_touch"];
    else if (roll < 0.36) kinds = ["value_touch", "value_touch"];
    for (const [i, kind] of kinds.entries()) {
      const when = new Date(at.getTime() + i * 9 * DAY_MS);
      if (when > now) continue;
      out.push({
        at: when,
        type: HEALTH_SIGNAL_RECORDED,
        entityType: "account",
        entityId: a.id,
        accountId: a.id,
        data: { kind, notes: null },
      });
    }
  }
}
