import { sql } from "kysely";
import { ALWAYS_OPEN, BusinessCalendar, type WeeklyHours } from "../../modules/sla/business-time.ts";
import type { ClockStatus, Kpi } from "../../modules/sla/sla.tables.ts";
import { type AppliesWhen, choosePolicy, clockPoints } from "../../modules/sla/sla-rules.ts";
import type { Executor } from "../../platform/db/database.ts";
import { inBatches } from "../demo-seed.repository.ts";
import { DAY_MS } from "../random.ts";
import { type DemoCase, need, type SeedStep } from "../seed-context.ts";

const OFFICE: [string, string][] = [["08:00", "18:00"]];
const WEEKDAYS: WeeklyHours = {
  mon: OFFICE,
  tue: OFFICE,
  wed: OFFICE,
  thu: OFFICE,
  fri: OFFICE,
  sat: [],
  sun: [],
};
/** England's 2026 bank holidays. */
const UK_HOLIDAYS_2026 = [
  "2026-01-01",
  "2026-04-03",
  "2026-04-06",
  "2026-05-04",
  "2026-05-25",
  "2026-08-31",
  "2026-12-25",
  "2026-12-28",
];

type PolicyPlan = {
  key: string;
  name: string;
  order: number;
  calendar: "office" | "always";
  when: AppliesWhen;
  first: number;
  next: number | null;
  resolution: number;
  breach: unknown[];
};

const POLICIES: PolicyPlan[] = [
  {
    key: "key-urgent",
    name: "Key accounts — urgent",
    order: 10,
    calendar: "always",
    when: { priority: ["urgent"], accountTier: ["key"] },
    first: 120,
    next: 120,
    resolution: 8_000,
    breach: [{ type: "notify", to: ["owner", "teamLead", "managers"] }],
  },
  {
    key: "urgent",
    name: "Urgent",
    order: 20,
    calendar: "office",
    when: { priority: ["urgent"] },
    first: 120,
    next: 240,
    resolution: 2_400,
    breach: [{ type: "notify" }, { type: "addTag", tag: "sla-breached" }],
  },
  {
    key: "key",
    name: "Key accounts",
    order: 30,
    calendar: "office",
    when: { accountTier: ["key"] },
    first: 480,
    next: 480,
    resolution: 2_880,
    breach: [{ type: "notify" }, { type: "raisePriority" }],
  },
  {
    key: "standard",
    name: "Standard",
    order: 100,
    calendar: "office",
    when: {},
    first: 720,
    next: 720,
    resolution: 4_320,
    breach: [{ type: "notify" }, { type: "addTag", tag: "sla-breached" }],
  },
];

/**
 * Targets sit near the 85th percentile of how fast the seeded desk answers and resolves, so the
 * compliance report shows a desk that mostly keeps its word, key accounts a little less.
 *
 * The SLA step: two calendars (office hours in London with its bank holidays, and 24×7), four
 * policies (key urgent, urgent, key, standard), entitlements for some key accounts, and the
 * clocks of every seeded case as they stand at the reference day: met or breached for what has
 * been answered or resolved, running (with their warning and breach timers) or paused for what
 * is still open. Like the cases, written as rows: months-old breaches fire no actions.
 */
export const slaStep: SeedStep = {
  name: "sla",
  async run(ctx) {
    const { c, trx, rng, refDate } = ctx;
    const accounts = need(ctx.data, "accounts");
    const cases = need(ctx.data, "cases");
    const now = c.clock.now();
    const since = new Date(refDate.getTime() - 200 * DAY_MS);
    const task = ctx.progress(cases.length);

    const calendars = {
      office: {
        id: rng.id(since),
        name: "Support hours (London)",
        zone: "Europe/London",
        hours: WEEKDAYS,
        holidays: UK_HOLIDAYS_2026,
      },
      always: {
        id: rng.id(since),
        name: "Around the clock",
        zone: "UTC",
        hours: ALWAYS_OPEN,
        holidays: [] as string[],
      },
    };
    for (const cal of Object.values(calendars)) {
      await trx
        .insertInto("calendars")
        .values({
          id: cal.id,
          name: cal.name,
          time_zone: cal.zone,
          hours: JSON.stringify(cal.hours),
          holidays: JSON.stringify(cal.holidays),
          created_at: since,
          updated_at: since,
        })
        .execute();
    }
    const math = {
      office: new BusinessCalendar({
        timeZone: "Europe/London",
        hours: WEEKDAYS,
        holidays: UK_HOLIDAYS_2026,
      }),
      always: new BusinessCalendar({ timeZone: "UTC", hours: ALWAYS_OPEN, holidays: [] }),
    };
    const policies = POLICIES.map((p) => ({
      ...p,
      id: rng.id(since),
      position: p.order,
      appliesWhen: p.when,
    }));
    for (const p of policies) {
      await trx
        .insertInto("sla_policies")
        .values({
          id: p.id,
          name: p.name,
          calendar_id: calendars[p.calendar].id,
          position: p.order,
          applies_when: JSON.stringify(p.when),
          first_response_minutes: p.first,
          next_response_minutes: p.next,
          resolution_minutes: p.resolution,
          warning_percent: 75,
          warning_minutes_before: null,
          pause_on: ["waiting_on_customer"],
          warning_actions: JSON.stringify([{ type: "notify" }]),
          breach_actions: JSON.stringify(p.breach),
          active: true,
          created_at: since,
          updated_at: since,
        })
        .execute();
    }

    // A support plan for a third of the key accounts: 60 cases a year, used at resolution.
    const tierOf = new Map(accounts.map((a) => [a.id, a.tier]));
    const planned = accounts.filter((a) => a.tier === "key" && rng.chance(0.35));
    const planOf = new Map<string, { id: string; used: number }>();
    const year = refDate.toISOString().slice(0, 4);
    for (const a of planned) {
      const id = rng.id(since);
      planOf.set(a.id, { id, used: 0 });
      await trx
        .insertInto("entitlements")
        .values({
          id,
          account_id: a.id,
          contact_id: null,
          name: `Premier support ${year}`,
          unit: "cases",
          total: 60,
          used: 0,
          starts_on: `${year}-01-01`,
          ends_on: `${year}-12-31`,
          channels: null,
          products: null,
          sla_policy_id: null,
          consume_on: "resolution",
          when_exhausted: "flag",
          created_at: since,
          updated_at: since,
        })
        .execute();
    }

    const firstReplies = await firstReplyTimes(trx);
    const clocks: ClockSeedRow[] = [];
    const choices: {
      case_id: string;
      policy_id: string;
      policy_name: string;
      reason: string;
      evaluated_at: Date;
    }[] = [];
    const links: {
      case_id: string;
      entitlement_id: string;
      flag: null;
      consumed: number;
      created_at: Date;
    }[] = [];
    const summaries: { id: string; due: Date | null; state: ClockStatus | null }[] = [];
    for (const k of cases) {
      task.tick(1);
      const plan = k.accountId ? planOf.get(k.accountId) : undefined;
      const entitled = plan !== undefined && k.receivedAt.toISOString().slice(0, 4) === year;
      if (entitled && plan) {
        const consumed = k.resolvedAt ? 1 : 0;
        plan.used += consumed;
        links.push({ case_id: k.id, entitlement_id: plan.id, flag: null, consumed, created_at: k.createdAt });
      }
      const choice = choosePolicy(policies, {
        priority: k.priority,
        channel: k.channel,
        product: k.product,
        accountTier: k.accountId ? (tierOf.get(k.accountId) ?? null) : null,
        entitlement: entitled ? { name: `Premier support ${year}`, slaPolicyId: null } : null,
      });
      if (!choice) continue;
      const p = choice.policy;
      const cal = math[p.calendar];
      choices.push({
        case_id: k.id,
        policy_id: p.id,
        policy_name: p.name,
        reason: choice.reason,
        evaluated_at: k.createdAt,
      });
      const answered = firstReplies.get(k.id) ?? k.resolvedAt;
      const own = [
        clockOf(k, "firstResponse", p.first, answered, cal, p.id, now, rng.id(k.createdAt)),
        clockOf(k, "resolution", p.resolution, k.resolvedAt, cal, p.id, now, rng.id(k.createdAt)),
      ];
      clocks.push(...own);
      const open = own.filter((o) => o.met_at === null && o.status !== "paused");
      const owed = own.filter((o) => o.met_at === null);
      const rank: ClockStatus[] = ["breached", "warning", "running", "paused", "met"];
      summaries.push({
        id: k.id,
        due: open.length > 0 ? new Date(Math.min(...open.map((o) => o.due_at.getTime()))) : null,
        state: rank.find((s) => (owed.length > 0 ? owed : own).some((o) => o.status === s)) ?? null,
      });
    }

    await inBatches(choices, (b) =>
      trx
        .insertInto("case_slas")
        .values([...b])
        .execute()
        .then(() => undefined),
    );
    await inBatches(clocks, (b) =>
      trx
        .insertInto("sla_clocks")
        .values([...b])
        .execute()
        .then(() => undefined),
    );
    await inBatches(links, (b) =>
      trx
        .insertInto("case_entitlements")
        .values([...b])
        .execute()
        .then(() => undefined),
    );
    for (const plan of planOf.values()) {
      await trx.updateTable("entitlements").set({ used: plan.used }).where("id", "=", plan.id).execute();
    }
    await inBatches(summaries, (b) => setSummaries(trx, b), undefined, 2_000);
    // Running clocks get their warning and breach points, as a live case would.
    for (const k of clocks) {
      if (k.status !== "running" && k.status !== "warning") continue;
      if (k.warning_at && k.status === "running") {
        await c.timers.schedule(trx, {
          kind: "sla.warning",
          dueAt: k.warning_at,
          payload: { clockId: k.id },
          dedupeKey: `sla:${k.id}:warning`,
        });
      }
      await c.timers.schedule(trx, {
        kind: "sla.breach",
        dueAt: k.due_at,
        payload: { clockId: k.id },
        dedupeKey: `sla:${k.id}:breach`,
      });
    }
    task.done();
  },
};

type ClockSeedRow = {
  id: string;
  case_id: string;
  policy_id: string;
  kpi: Kpi;
  target_minutes: number;
  started_at: Date;
  used_minutes: number;
  running_since: Date | null;
  paused_at: Date | null;
  due_at: Date;
  warning_at: Date | null;
  status: ClockStatus;
  warned_at: Date | null;
  met_at: Date | null;
  breached_at: Date | null;
  elapsed_wall_seconds: number | null;
  elapsed_business_minutes: number | null;
  superseded_at: null;
  superseded_reason: null;
  created_at: Date;
};

/** One clock as it stands at `now`: met (on time or late), breached, paused or running. */
function clockOf(
  k: DemoCase,
  kpi: Kpi,
  target: number,
  doneAt: Date | null,
  cal: BusinessCalendar,
  policyId: string,
  now: Date,
  id: string,
): ClockSeedRow {
  const start = k.receivedAt;
  const { dueAt, warningAt } = clockPoints(
    cal,
    { targetMinutes: target, usedMinutes: 0, runningSince: start },
    { percent: 75, minutesBefore: null },
  );
  const base = {
    id,
    case_id: k.id,
    policy_id: policyId,
    kpi,
    target_minutes: target,
    started_at: start,
    due_at: dueAt,
    warning_at: warningAt,
    superseded_at: null,
    superseded_reason: null,
    created_at: k.createdAt,
  } as const;
  if (doneAt && doneAt.getTime() <= now.getTime()) {
    const used = cal.minutesBetween(start, doneAt);
    const late = doneAt.getTime() > dueAt.getTime();
    return {
      ...base,
      used_minutes: used,
      running_since: null,
      paused_at: null,
      status: late ? "breached" : "met",
      warned_at: warningAt && warningAt <= doneAt ? warningAt : null,
      met_at: doneAt,
      breached_at: late ? dueAt : null,
      elapsed_wall_seconds: (doneAt.getTime() - start.getTime()) / 1000,
      elapsed_business_minutes: used,
    };
  }
  const open = { met_at: null, elapsed_wall_seconds: null, elapsed_business_minutes: null } as const;
  if (dueAt.getTime() <= now.getTime()) {
    return {
      ...base,
      ...open,
      used_minutes: 0,
      running_since: start,
      paused_at: null,
      status: "breached",
      warned_at: warningAt,
      breached_at: dueAt,
    };
  }
  if (k.status === "waiting_on_customer") {
    return {
      ...base,
      ...open,
      used_minutes: cal.minutesBetween(start, now),
      running_since: null,
      paused_at: now,
      status: "paused",
      warned_at: null,
      breached_at: null,
    };
  }
  const warned = warningAt !== null && warningAt.getTime() <= now.getTime();
  return {
    ...base,
    ...open,
    used_minutes: 0,
    running_since: start,
    paused_at: null,
    status: warned ? "warning" : "running",
    warned_at: warned ? warningAt : null,
    breached_at: null,
  };
}

/** When a person first answered each case (automatic messages have no author). */
async function firstReplyTimes(db: Executor): Promise<Map<string, Date>> {
  const rows = await db
    .selectFrom("case_messages")
    .select(["case_id", (eb) => eb.fn.min<Date>("created_at").as("at")])
    .where("kind", "=", "reply")
    .where("author_id", "is not", null)
    .groupBy("case_id")
    .execute();
  return new Map(rows.map((r) => [r.case_id, new Date(r.at)]));
}

async function setSummaries(
  db: Executor,
  rows: readonly { id: string; due: Date | null; state: ClockStatus | null }[],
) {
  if (rows.length === 0) return;
  await sql`
    update cases set sla_due_at = v.due, sla_state = v.state
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.due?.toISOString() ?? null)}::timestamptz[],
                ${rows.map((r) => r.state)}::text[]) as v(id, due, state)
    where cases.id = v.id`.execute(db);
}
