import type { Executor } from "../../platform/db/database.ts";
import { INCIDENTS, QUEUE_PLAN } from "../case-catalogue.ts";
import { type CaseAccount, CustomerPicker } from "../case-customers.ts";
import { casesPerDay, isWeekday, ZoneClock } from "../case-time.ts";
import {
  type CaseHistorySeedRow,
  type QueueSeedRow,
  casesSeedRepository as repo,
} from "../cases.repository.ts";
import { CaseFactory, type CaseLife, caseOrg, type MadeCase } from "../cases.ts";
import { inBatches } from "../demo-seed.repository.ts";
import { DAY_MS, type Rng } from "../random.ts";
import {
  type DemoAccount,
  type DemoCase,
  type DemoContact,
  type DemoQueue,
  type DemoUser,
  need,
  type SeedStep,
} from "../seed-context.ts";

/** About 5,000 cases over the last six months: a busy support desk of 15 agents. */
export const DEMO_CASES = 5_000;
export const DEMO_CASE_DAYS = 183;

/**
 * The cases step: a few queues per team, then about 5,000 cases over the six months before the
 * reference day, raised by the seeded contacts (bigger accounts more), each with its thread and
 * history, plus a few incidents (a parent case with its customers' reports as children): a
 * regional outage with 20 reports, a connector failure, and one still going on.
 *
 * What happened is written as rows (cases, messages, history), not replayed through the
 * services: no domain events, so no SLA timers, notifications or webhooks fire for months-old
 * history. Numbers come from the case sequence (see cases.repository.ts), search vectors are
 * generated columns; the cases module keeps no other counters.
 */
export const casesStep: SeedStep = {
  name: "cases",
  async run(ctx) {
    const { rng, refDate, trx } = ctx;
    const users = need(ctx.data, "users");
    const teams = need(ctx.data, "teams");
    const accounts = need(ctx.data, "accounts");
    const contacts = need(ctx.data, "contacts");
    const cutoff = refDate.getTime();

    const queues = await makeQueues(trx, rng, teams, cutoff - (DEMO_CASE_DAYS + 14) * DAY_MS);
    const org = caseOrg(
      users.map((u) => ({ ...u, createdAt: u.createdAt.getTime() })),
      teams,
      queues,
    );
    const zones = new ZoneClock();
    const factory = new CaseFactory(rng, org, zones);
    const picker = new CustomerPicker(rng, caseAccounts(accounts, contacts, users));

    const lives: CaseLife[] = [];
    const incidentCases = INCIDENTS.reduce((s, i) => s + i.reports + 1, 0);
    const firstDay = Math.floor(cutoff / DAY_MS) - DEMO_CASE_DAYS;
    casesPerDay(firstDay, DEMO_CASE_DAYS, DEMO_CASES - incidentCases).forEach((n, i) => {
      const dayStart = (firstDay + i) * DAY_MS;
      for (let k = 0; k < n; k++) {
        const customer = picker.pick(dayStart + DAY_MS / 2);
        if (!customer) continue;
        const zone = customer.contact.timeZone ?? customer.timeZone;
        // Nobody writes from the future: the last day's late cases come in before the cut-off.
        const receivedAt = Math.min(
          zones.customerMoment(rng, dayStart, zone),
          cutoff - rng.int(20, 120) * 60_000,
        );
        lives.push(factory.regular(receivedAt, customer));
      }
    });
    for (const plan of INCIDENTS) {
      let day = Math.floor(cutoff / DAY_MS) - plan.daysAgo;
      // Big outages are remembered from a working day; the one still going on started when it did.
      while (plan.durationHours !== null && !isWeekday(day)) day -= 1;
      const start = day * DAY_MS + plan.startHourUtc * 3_600_000;
      lives.push(...factory.incident(plan, start, picker.pickDistinct(plan.reports, start, plan.countries)));
    }

    const made = lives
      .map((life) => factory.materialise(life, cutoff))
      .filter((m) => m.row.created_at.getTime() <= cutoff)
      .sort((a, b) => a.row.created_at.getTime() - b.row.created_at.getTime() || cmp(a.row.id, b.row.id));
    const messages = made.flatMap((m) => m.messages);
    const history = chronological(made);
    const task = ctx.progress(made.length + messages.length + history.length);

    const numbers = new Map<string, number>();
    await inBatches(
      made.map((m) => m.row),
      async (batch) => {
        for (const [id, n] of await repo.insertCases(trx, batch)) numbers.set(id, n);
      },
      task.tick,
    );
    for (const m of made) CaseFactory.numbered(m, numbers.get(m.row.id)!);
    await repo.setParents(
      trx,
      made.filter((m) => m.parentId).map((m) => ({ id: m.row.id, parent_id: m.parentId! })),
    );
    await inBatches(messages, (batch) => repo.insertMessages(trx, batch), task.tick);
    await inBatches(history, (batch) => repo.insertHistory(trx, batch), task.tick, 5_000);
    task.done();

    ctx.data.queues = queues;
    ctx.data.cases = made.map((m) => demoCase(m, numbers.get(m.row.id)!));
  },
};

/**
 * A few queues per team (QUEUE_PLAN, by team name), made at `since` (before the first case they
 * hold) or when the team was, if later. A queue of the same name already there is reused.
 */
export async function makeQueues(
  db: Executor,
  rng: Rng,
  teams: readonly { id: string; name: string; createdAt: Date }[],
  since: number,
): Promise<DemoQueue[]> {
  const byName = new Map(teams.map((t) => [t.name, t]));
  const planned = QUEUE_PLAN.flatMap((q) => {
    const team = byName.get(q.team);
    if (!team) return [];
    const createdAt = new Date(Math.max(team.createdAt.getTime(), since));
    const row: QueueSeedRow = {
      id: rng.id(createdAt),
      name: q.name,
      team_id: team.id,
      created_at: createdAt,
    };
    return [{ key: q.key, teamId: team.id, row }];
  });
  const ids = await repo.upsertQueues(
    db,
    planned.map((p) => p.row),
  );
  return planned.map((p) => ({ id: ids.get(p.row.id)!, key: p.key, name: p.row.name, teamId: p.teamId }));
}

function caseAccounts(
  accounts: readonly DemoAccount[],
  contacts: readonly DemoContact[],
  users: readonly DemoUser[],
): CaseAccount[] {
  const names = new Map(users.map((u) => [u.id, u.name]));
  const byAccount = new Map<string, CaseAccount["contacts"]>();
  for (const c of contacts) {
    const list = byAccount.get(c.accountId) ?? [];
    list.push({ id: c.id, name: c.name, timeZone: c.timeZone, createdAt: c.createdAt.getTime() });
    byAccount.set(c.accountId, list);
  }
  return accounts.map((a) => ({
    id: a.id,
    name: a.name,
    annualRevenue: a.annualRevenue,
    key: a.tier === "key",
    country: a.country,
    timeZone: a.timeZone,
    accountManager: a.ownerId ? (names.get(a.ownerId) ?? null) : null,
    createdAt: a.createdAt.getTime(),
    contacts: byAccount.get(a.id) ?? [],
  }));
}

/**
 * Every case's history in the order it happened across all cases (the `seq` the history list
 * sorts by then follows time), each case's own lines in their order.
 */
function chronological(made: readonly MadeCase[]): CaseHistorySeedRow[] {
  return made
    .flatMap((m) => m.history)
    .map((h, i) => [h, i] as const)
    .sort((a, b) => a[0].at.getTime() - b[0].at.getTime() || a[1] - b[1])
    .map(([h]) => h);
}

function demoCase(m: MadeCase, number: number): DemoCase {
  const r = m.row;
  return {
    id: r.id,
    number,
    accountId: r.account_id,
    contactId: r.contact_id,
    ownerId: r.owner_id,
    teamId: r.team_id,
    queueId: r.queue_id,
    status: r.status,
    priority: r.priority,
    channel: r.channel,
    product: r.product,
    category: r.category,
    receivedAt: r.received_at,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    parentId: m.parentId,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
