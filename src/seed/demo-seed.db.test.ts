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
});
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

describe("the demo seed with the same seed", () => {
  it("makes the same accounts with the same revenues (and ids)", async () => {
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
    } finally {
      await other.testDb.drop();
    }
  });

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
  });
});
