import type { Faker } from "@faker-js/faker";
import { fakerDE, fakerEN_AU, fakerEN_GB, fakerEN_US, fakerFR } from "@faker-js/faker";
import type { Role } from "../../platform/auth/actor.ts";
import { hashPassword } from "../../platform/auth/passwords.ts";
import {
  AGENT_LANGUAGES,
  DEMO_EMAIL_DOMAIN,
  DEMO_PASSWORD,
  PRODUCTS,
  STAFF_TIME_ZONES,
} from "../demo-catalogue.ts";
import { demoSeedRepository as repo, type TeamSeedRow, type UserSeedRow } from "../demo-seed.repository.ts";
import { asciiWord } from "../names.ts";
import { DAY_MS } from "../random.ts";
import type { DemoTeam, DemoUser, SeedStep } from "../seed-context.ts";

type TeamPlan = { name: string; agents: number; sales: number; products: readonly string[] };

/** Four teams, each led by a manager: 15 agents, 4 account managers, 4 leads and 2 admins. */
export const TEAM_PLAN: readonly TeamPlan[] = [
  { name: "Frontline Support", agents: 6, sales: 0, products: PRODUCTS },
  {
    name: "Technical Support",
    agents: 4,
    sales: 0,
    products: ["Analytics Cloud", "Data Connectors", "Public API", "Mobile App"],
  },
  { name: "Billing & Accounts", agents: 3, sales: 0, products: ["Billing Portal"] },
  { name: "Customer Success", agents: 2, sales: 4, products: ["Analytics Cloud", "Dashboards"] },
];
const ADMINS = 2;

/** The people printed as demo sign-ins get easy addresses; everybody else first.last. */
const LOGIN_EMAILS: Record<Role, string> = {
  admin: `admin@${DEMO_EMAIL_DOMAIN}`,
  manager: `manager@${DEMO_EMAIL_DOMAIN}`,
  agent: `agent@${DEMO_EMAIL_DOMAIN}`,
  sales: `sales@${DEMO_EMAIL_DOMAIN}`,
};

const FAKER_BY_ZONE: Record<string, Faker> = {
  "Europe/London": fakerEN_GB,
  "Europe/Berlin": fakerDE,
  "Australia/Sydney": fakerEN_AU,
};
const ZONE_LANGUAGE: Record<string, string> = { "Europe/Berlin": "de" };

export const staffStep: SeedStep = {
  name: "staff",
  async run(ctx) {
    const { rng, refDate } = ctx;
    const headcount = ADMINS + TEAM_PLAN.reduce((s, t) => s + 1 + t.agents + t.sales, 0);
    const task = ctx.progress(headcount + TEAM_PLAN.length);
    // One argon2 hash for everybody: they all share the demo password, and hashing it 25 times
    // would add about 0.3 s to the first start for nothing.
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const emails = new Set<string>(Object.values(LOGIN_EMAILS));
    const loginTaken = new Set<Role>();
    const users: DemoUser[] = [];
    const rows: UserSeedRow[] = [];

    const person = (role: Role, skills: string[], capacity: number): DemoUser => {
      const timeZone = rng.weighted(STAFF_TIME_ZONES);
      const faker = FAKER_BY_ZONE[timeZone] ?? (rng.chance(0.15) ? fakerFR : fakerEN_US);
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      let email: string;
      if (!loginTaken.has(role)) {
        loginTaken.add(role);
        email = LOGIN_EMAILS[role];
      } else {
        email = uniqueEmail(`${asciiWord(first)}.${asciiWord(last)}`, emails);
      }
      const language = ZONE_LANGUAGE[timeZone] ?? (faker === fakerFR ? "fr" : undefined);
      const langSkills = new Set<string>(language ? [`lang:${language}`] : []);
      if (role === "agent" && rng.chance(0.4)) langSkills.add(`lang:${rng.pick(AGENT_LANGUAGES)}`);
      const id = rng.id(refDate);
      const status =
        role === "agent" || role === "manager"
          ? rng.weighted([
              ["available", 6],
              ["away", 1],
              ["offline", 3],
            ] as const)
          : "offline";
      const user: DemoUser = {
        id,
        email,
        name: `${first} ${last}`,
        role,
        teamIds: [],
        skills: [...skills, ...[...langSkills].sort()],
        timeZone,
        createdAt: new Date(refDate.getTime() - rng.int(30, 1_500) * DAY_MS),
      };
      users.push(user);
      rows.push({
        id: user.id,
        email: user.email,
        name: user.name,
        role,
        status,
        password_hash: passwordHash,
        capacity,
        skills: user.skills,
        time_zone: timeZone,
        created_at: user.createdAt,
      });
      task.tick();
      return user;
    };

    for (let i = 0; i < ADMINS; i++) person("admin", [], 0);
    const teams: DemoTeam[] = [];
    const teamRows: TeamSeedRow[] = [];
    for (const plan of TEAM_PLAN) {
      const lead = person("manager", [...plan.products], 4);
      const members = [lead];
      for (let i = 0; i < plan.agents; i++) {
        // Each agent knows two or three of the team's products.
        const products = rng
          .shuffle([...plan.products])
          .slice(0, Math.min(plan.products.length, rng.int(2, 3)));
        members.push(person("agent", products.sort(), rng.int(6, 14)));
      }
      for (let i = 0; i < plan.sales; i++) members.push(person("sales", [], 0));
      // A team is as old as its longest-serving member.
      const founded = new Date(Math.min(...members.map((m) => m.createdAt.getTime())));
      const team: DemoTeam = {
        id: rng.id(refDate),
        name: plan.name,
        leadId: lead.id,
        memberIds: members.map((m) => m.id),
        createdAt: founded,
      };
      for (const m of members) m.teamIds.push(team.id);
      teams.push(team);
      teamRows.push({ id: team.id, name: team.name, lead_id: lead.id, created_at: founded });
    }

    await repo.insertUsers(ctx.trx, rows);
    await repo.insertTeams(ctx.trx, teamRows);
    await repo.insertTeamMembers(
      ctx.trx,
      teams.flatMap((t) => t.memberIds.map((user_id) => ({ team_id: t.id, user_id }))),
    );
    task.tick(teams.length);
    task.done();

    ctx.data.users = users;
    ctx.data.teams = teams;
    ctx.data.logins = (["admin", "manager", "agent", "sales"] as const).map((role) => ({
      email: LOGIN_EMAILS[role],
      password: DEMO_PASSWORD,
      role,
    }));
  },
};

function uniqueEmail(local: string, taken: Set<string>): string {
  let candidate = `${local}@${DEMO_EMAIL_DOMAIN}`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${local}${n}@${DEMO_EMAIL_DOMAIN}`;
  taken.add(candidate);
  return candidate;
}
