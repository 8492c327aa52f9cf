import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContainer, type TestContainer } from "../../test/support/test-db.ts";
import { paretoKeyIds } from "../modules/accounts/pareto.ts";
import { type DemoLogin, seedDemo } from "./demo-seed.ts";

let c: TestContainer;
let logins: DemoLogin[];

beforeAll(async () => {
  c = await createTestContainer();
  logins = await seedDemo(c, { seed: 7, progress: false });
  // Generous: a busy machine (CI shares its cores) can take minutes to seed 5,000 cases.
}, 300_000);
afterAll(async () => c?.testDb.drop());

const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(c.db.kysely)).rows;

describe("the demo seed", () => {
  it("makes about 25 staff in every role", async () => {
    const byRole = await rows<{ role: string; n: number }>(
      sql`select role, count(*)::int as n from users group by role`,
    );
    const n = Object.fromEntries(byRole.map((r) => [r.role, r.n]));
    expect(n.admin).toBeGreaterThanOrEqual(1);
    expect(n.admin).toBeLessThanOrEqual(2);
    expect(n.manager).toBe(4);
    expect(n.agent).toBeGreaterThanOrEqual(12);
    expect(n.agent).toBeLessThanOrEqual(18);
    expect(n.sales).toBeGreaterThanOrEqual(3);
    const total = byRole.reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(20);
    expect(total).toBeLessThanOrEqual(30);
  });

  it("makes four teams, each led by a manager who is a member", async () => {
    const teams = await rows<{
      name: string;
      lead_role: string;
      lead_is_member: boolean;
      members: number;
    }>(sql`
      select t.name, u.role as lead_role,
             exists (select 1 from team_members m where m.team_id = t.id and m.user_id = t.lead_id) as lead_is_member,
             (select count(*)::int from team_members m where m.team_id = t.id) as members
      from teams t join users u on u.id = t.lead_id
      order by t.name`);
    expect(teams.map((t) => t.name)).toEqual([
      "Billing & Accounts",
      "Customer Success",
      "Frontline Support",
      "Technical Support",
    ]);
    for (const t of teams) {
      expect(t.lead_role).toBe("manager");
      expect(t.lead_is_member).toBe(true);
      expect(t.members).toBeGreaterThanOrEqual(3);
    }
  });

  it("gives agents skills, a capacity and a time zone", async () => {
    const agents = await rows<{ skills: string[]; capacity: number; time_zone: string }>(
      sql`select skills, capacity, time_zone from users where role = 'agent'`,
    );
    for (const a of agents) {
      expect(a.skills.length).toBeGreaterThan(0);
      expect(a.capacity).toBeGreaterThan(0);
      expect(() => new Intl.DateTimeFormat("en", { timeZone: a.time_zone })).not.toThrow();
    }
  });

  it("makes about 300 accounts and 1,000 contacts, every account with a contact and an owner in sales", async () => {
    const [counts] = await rows<{ accounts: number; contacts: number; empty: number; bad_owner: number }>(sql`
      select (select count(*)::int from accounts) as accounts,
             (select count(*)::int from contacts) as contacts,
             (select count(*)::int from accounts a where not exists (select 1 from contacts c where c.account_id = a.id)) as empty,
             (select count(*)::int from accounts a left join users u on u.id = a.owner_id
               where u.role is distinct from 'sales') as bad_owner`);
    expect(counts!.accounts).toBeGreaterThanOrEqual(250);
    expect(counts!.accounts).toBeLessThanOrEqual(350);
    expect(counts!.contacts).toBeGreaterThanOrEqual(800);
    expect(counts!.contacts).toBeLessThanOrEqual(1_200);
    expect(counts!.empty).toBe(0);
    expect(counts!.bad_owner).toBe(0);
  });

  it("gives accounts unique domains and contacts emails on their account's domain", async () => {
    const [r] = await rows<{ domains: number; accounts: number; off_domain: number }>(sql`
      select count(distinct lower(domain))::int as domains, count(*)::int as accounts,
             (select count(*)::int from contacts c join accounts a on a.id = c.account_id
               where lower(c.email) not like '%@' || lower(a.domain)) as off_domain
      from accounts`);
    expect(r!.domains).toBe(r!.accounts);
    expect(r!.off_domain).toBe(0);
  });

  it("gives bigger accounts more contacts", async () => {
    const [r] = await rows<{ key_avg: number; standard_avg: number }>(sql`
      select avg(n) filter (where tier = 'key')::float as key_avg, avg(n) filter (where tier = 'standard')::float as standard_avg
      from (select a.tier, count(c.id) as n from accounts a join contacts c on c.account_id = a.id group by a.id, a.tier) x`);
    expect(r!.key_avg).toBeGreaterThan(r!.standard_avg * 2);
  });

  it("tiers accounts by the Pareto cut over their revenue, key accounts a minority", async () => {
    const accounts = await rows<{ id: string; annual_revenue: number; tier: string }>(
      sql`select id, annual_revenue, tier from accounts`,
    );
    const key = paretoKeyIds(accounts.map((a) => ({ id: a.id, annualRevenue: a.annual_revenue })));
    for (const a of accounts) expect(a.tier, a.id).toBe(key.has(a.id) ? "key" : "standard");
    const share = key.size / accounts.length;
    expect(share).toBeGreaterThanOrEqual(0.1);
    expect(share).toBeLessThanOrEqual(0.3);
  });

  it("dates customers over the last five years, not in the future", async () => {
    const [r] = await rows<{ oldest: string; newest: string }>(
      sql`select min(customer_since)::text as oldest, max(customer_since)::text as newest from accounts`,
    );
    // The test clock stands at 2026-03-02.
    expect(r!.oldest >= "2021-03-01").toBe(true);
    expect(r!.newest <= "2026-03-02").toBe(true);
  });

  it("returns one sign-in per role, each of which can sign in", async () => {
    expect(logins.map((l) => l.role).sort()).toEqual(["admin", "agent", "manager", "sales"]);
    for (const login of logins) {
      const signedIn = await c.auth.login({ email: login.email, password: login.password }, {});
      expect(signedIn.user.role).toBe(login.role);
    }
  });
});

describe("the demo seed's cases", () => {
  it("makes about 5,000 cases over the last six months, numbered by the case sequence", async () => {
    const [r] = await rows<{
      cases: number;
      numbers: number;
      min: number;
      max: number;
      next: number;
      oldest: string;
      newest: string;
    }>(sql`
      select count(*)::int as cases, count(distinct number)::int as numbers, min(number)::int as min,
             max(number)::int as max, (select last_value::int from case_number_seq) as next,
             min(received_at)::text as oldest, max(created_at)::text as newest
      from cases`);
    expect(r!.cases).toBeGreaterThanOrEqual(4_900);
    expect(r!.cases).toBeLessThanOrEqual(5_100);
    expect(r!.numbers).toBe(r!.cases);
    // The sequence stands after the last number: the next case made through the API follows on.
    expect(r!.next).toBe(r!.max);
    // The test clock stands at 2026-03-02 09:00; the seed's reference day starts at midnight.
    expect(r!.oldest >= "2025-08-30").toBe(true);
    expect(r!.newest < "2026-03-02").toBe(true);
  });

  it("has every case's contact in the case's account, and bigger accounts raising more cases", async () => {
    const [r] = await rows<{
      foreign: number;
      no_contact: number;
      key_avg: number;
      standard_avg: number;
    }>(sql`
      select (select count(*)::int from cases c join contacts k on k.id = c.contact_id
               where k.account_id is distinct from c.account_id) as foreign,
             (select count(*)::int from cases where account_id is not null and contact_id is null) as no_contact,
             (select avg(n) filter (where tier = 'key')::float from (select a.tier, count(c.id) as n
               from accounts a left join cases c on c.account_id = a.id group by a.id, a.tier) x) as key_avg,
             (select avg(n) filter (where tier = 'standard')::float from (select a.tier, count(c.id) as n
               from accounts a left join cases c on c.account_id = a.id group by a.id, a.tier) x) as standard_avg`);
    expect(r!.foreign).toBe(0);
    expect(r!.no_contact).toBe(0);
    expect(r!.key_avg).toBeGreaterThan(r!.standard_avg * 2);
  });

  it("has statuses that agree with the timestamps", async () => {
    const bad = await rows<{ number: number; status: string }>(sql`
      select c.number, c.status from cases c join case_statuses s on s.key = c.status
      where (s.category = 'resolved') <> (c.resolved_at is not null)
         or (c.status = 'closed') <> (c.closed_at is not null)
         or c.created_at < c.received_at or c.updated_at < c.created_at
         or c.resolved_at < c.created_at or c.closed_at < c.resolved_at or c.updated_at < c.resolved_at
      limit 5`);
    expect(bad).toEqual([]);
    const byStatus = Object.fromEntries(
      (
        await rows<{ status: string; n: number }>(
          sql`select status, count(*)::int as n from cases group by status`,
        )
      ).map((r) => [r.status, r.n]),
    );
    // Old cases are done; recent ones are still being worked.
    expect(byStatus.closed).toBeGreaterThan(4_000);
    for (const s of ["new", "open", "waiting_on_customer", "on_hold", "resolved"]) {
      expect(byStatus[s], s).toBeGreaterThan(5);
    }
    const [recent] = await rows<{ old_open: number; recent_working: number; recent: number }>(sql`
      select count(*) filter (where s.category <> 'resolved' and c.created_at < timestamptz '2026-03-02' - interval '90 days'
                                and c.status <> 'on_hold')::int as old_open,
             count(*) filter (where s.category <> 'resolved' and c.created_at > timestamptz '2026-03-02' - interval '3 days')::int as recent_working,
             count(*) filter (where c.created_at > timestamptz '2026-03-02' - interval '3 days')::int as recent
      from cases c join case_statuses s on s.key = c.status`);
    expect(recent!.old_open).toBeLessThan(10);
    expect(recent!.recent_working).toBeGreaterThan(recent!.recent / 2);
  });

  it("mixes channels (email most) and priorities (normal most)", async () => {
    const share = async (column: "channel" | "priority"): Promise<Record<string, number>> =>
      Object.fromEntries(
        (
          await rows<{ k: string; n: number }>(
            sql`select ${sql.ref(column)} as k, count(*)::int as n from cases group by 1`,
          )
        ).map((r) => [r.k, r.n]),
      );
    const channels = await share("channel");
    for (const ch of ["email", "portal", "phone", "web", "api"]) expect(channels[ch], ch).toBeGreaterThan(50);
    expect(Math.max(...Object.values(channels))).toBe(channels.email);
    const priorities = await share("priority");
    expect(Math.max(...Object.values(priorities))).toBe(priorities.normal);
    expect(priorities.urgent).toBeLessThan(priorities.normal! / 3);
  });

  it("gives cases threads of one to eight messages, all after the case was received", async () => {
    const [r] = await rows<{ early: number; late: number; longest: number; none: number; notes: number }>(sql`
      select (select count(*)::int from case_messages m join cases c on c.id = m.case_id
               where m.created_at < c.received_at or m.created_at < c.created_at) as early,
             (select count(*)::int from case_messages m join cases c on c.id = m.case_id
               where m.created_at > c.updated_at) as late,
             (select max(n)::int from (select count(*) as n from case_messages group by case_id) x) as longest,
             (select count(*)::int from cases c where not exists (select 1 from case_messages m where m.case_id = c.id)) as none,
             (select count(*)::int from case_messages where kind = 'note') as notes`);
    expect(r!.early).toBe(0);
    expect(r!.late).toBe(0);
    expect(r!.longest).toBe(8);
    // Only a phone case nobody has answered yet has no message: the call is in its description.
    expect(r!.none).toBeLessThan(20);
    expect(r!.notes).toBeGreaterThan(500);
  });

  it("records each case's creation and status changes in its history, in order", async () => {
    const [r] = await rows<{ cases: number; created: number; broken: number; unmatched: number }>(sql`
      select (select count(*)::int from cases) as cases,
             (select count(*)::int from case_history where field = 'created') as created,
             -- every status line starts where the one before it ended
             (select count(*)::int from (
                select old_value, lag(new_value, 1, '"new"'::jsonb) over (partition by case_id order by seq) as prev
                from case_history where field = 'status') x where old_value <> prev) as broken,
             -- the last status line is the case's status
             (select count(*)::int from cases c where c.status <> coalesce(
                (select h.new_value #>> '{}' from case_history h where h.case_id = c.id and h.field = 'status'
                 order by h.seq desc limit 1), 'new')) as unmatched`);
    expect(r!.created).toBe(r!.cases);
    expect(r!.broken).toBe(0);
    expect(r!.unmatched).toBe(0);
  });

  it("fills the search vectors, so the cases API finds seeded cases by their words", async () => {
    const admin = logins.find((l) => l.role === "admin")!;
    const { user } = await c.auth.login({ email: admin.email, password: admin.password }, {});
    const actor = { kind: "user" as const, id: user.id, email: user.email, role: user.role, teamIds: [] };
    const found = await c.cases.list(actor, { q: "invoice", limit: 10 });
    expect(found.items.length).toBe(10);
    const open = await c.cases.list(actor, { status: ["open"], sort: "-updatedAt", limit: 5 });
    expect(open.items.every((i) => i.status === "open")).toBe(true);
    const history = await c.cases.history(actor, open.items[0]!.id, {});
    expect(history.items[0]!.field).toBe("created");
  });

  it("makes queues for every team, and an outage with about 20 linked reports", async () => {
    const queues = await rows<{ team: string; n: number }>(sql`
      select t.name as team, count(q.id)::int as n from teams t left join queues q on q.team_id = t.id group by t.name`);
    for (const q of queues) expect(q.n, q.team).toBeGreaterThanOrEqual(2);
    const incidents = await rows<{ subject: string; children: number; status: string }>(sql`
      select p.subject, p.status, count(c.id)::int as children from cases p join cases c on c.parent_id = p.id
      group by p.id, p.subject, p.status order by children desc`);
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    expect(incidents[0]!.children).toBeGreaterThanOrEqual(18);
    expect(incidents[0]!.status).toBe("closed");
  });
});

describe("the demo seed's SLAs", () => {
  it("runs every case under a policy, with clocks that agree with the case", async () => {
    const [n] = await rows<{
      cases: number;
      with_sla: number;
      open_running: number;
      resolved_unmet: number;
    }>(sql`
      select
        (select count(*)::int from cases) as cases,
        (select count(*)::int from case_slas) as with_sla,
        (select count(*)::int from sla_clocks k join cases c on c.id = k.case_id
           where k.status in ('running', 'warning') and c.resolved_at is null) as open_running,
        (select count(*)::int from sla_clocks k join cases c on c.id = k.case_id
           where k.kpi = 'resolution' and c.resolved_at is not null and k.met_at is null) as resolved_unmet`);
    expect(n!.with_sla).toBe(n!.cases);
    expect(n!.open_running).toBeGreaterThan(0);
    expect(n!.resolved_unmet).toBe(0);
  });

  it("puts open cases on the queue's countdown and has both met and breached history to report", async () => {
    const report = await c.sla.compliance(
      { kind: "system" },
      { from: "2025-01-01T00:00:00Z", to: c.clock.now().toISOString() },
    );
    const first = report.rows.find((r) => r.kpi === "firstResponse")!;
    expect(first.met).toBeGreaterThan(0);
    expect(first.breached).toBeGreaterThan(0);
    expect(first.met).toBeGreaterThan(first.breached);
    // Every clock still running has its breach point waiting in the timers; overdue ones
    // (already breached) count down on the queue too, with no timer left to fire.
    const [due] = await rows<{ n: number; running: number; timers: number }>(sql`
      select (select count(*)::int from cases where sla_due_at is not null) as n,
             (select count(*)::int from sla_clocks where status in ('running', 'warning')) as running,
             (select count(*)::int from timers where kind = 'sla.breach' and status = 'pending') as timers`);
    expect(due!.n).toBeGreaterThan(0);
    expect(due!.running).toBeGreaterThan(0);
    expect(due!.timers).toBe(due!.running);
  });

  it("gives some key accounts a support plan whose use matches their resolved cases", async () => {
    const plans = await rows<{ used: number; linked: number }>(sql`
      select e.used::int as used,
             (select count(*)::int from case_entitlements l where l.entitlement_id = e.id and l.consumed > 0) as linked
      from entitlements e`);
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect(p.used).toBe(p.linked);
  });
});

describe("the demo seed with the same seed", () => {
  it("makes the same accounts with the same revenues (and ids), and the same cases", async () => {
    const other = await createTestContainer();
    try {
      await seedDemo(other, { seed: 7, progress: false });
      const q = sql<{ id: string; name: string; annual_revenue: number; tier: string }>`
        select id, name, annual_revenue, tier from accounts order by id`;
      const mine = (await q.execute(c.db.kysely)).rows;
      const theirs = (await q.execute(other.db.kysely)).rows;
      expect(theirs).toEqual(mine);
      const contacts = sql<{ email: string }>`select email from contacts order by id`;
      expect((await contacts.execute(other.db.kysely)).rows).toEqual(
        (await contacts.execute(c.db.kysely)).rows,
      );
      const cases = sql<{ number: number; subject: string; status: string }>`
        select number, subject, status from cases order by number`;
      expect((await cases.execute(other.db.kysely)).rows).toEqual((await cases.execute(c.db.kysely)).rows);
    } finally {
      await other.testDb.drop();
    }
  }, 120_000);

  it("and a different seed makes a different organisation", async () => {
    const other = await createTestContainer();
    try {
      await seedDemo(other, { seed: 8, progress: false });
      const names = sql<{
        name: string;
      }>`select name from accounts order by annual_revenue desc, name limit 10`;
      expect((await names.execute(other.db.kysely)).rows).not.toEqual(
        (await names.execute(c.db.kysely)).rows,
      );
    } finally {
      await other.testDb.drop();
    }
  }, 120_000);
});
