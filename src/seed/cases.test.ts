import { describe, expect, it } from "vitest";
import {
  BUILTIN_CATEGORY,
  BUILTIN_TRANSITIONS,
  type BuiltinStatus,
} from "../modules/cases/case-status-machine.ts";
import { CASE_PROBLEMS, INCIDENTS, QUEUE_PLAN } from "./case-catalogue.ts";
import { type CaseAccount, CustomerPicker } from "./case-customers.ts";
import { casesPerDay, isWeekday, ZoneClock } from "./case-time.ts";
import { CaseFactory, type CaseOrg, type CaseTeam, type CaseWorker, type MadeCase } from "./cases.ts";
import { DAY_MS, Rng } from "./random.ts";

const CUTOFF = Date.parse("2026-03-02T00:00:00Z");
const YEAR_AGO = CUTOFF - 365 * DAY_MS;

/** Four teams of case workers and the planned queues, without a database. */
function org(rng: Rng): CaseOrg {
  const teams = new Map<string, CaseTeam>();
  const workers: CaseWorker[] = [];
  const teamNames = [...new Set(QUEUE_PLAN.map((q) => q.team))];
  for (const name of teamNames) {
    const members: CaseWorker[] = Array.from({ length: 4 }, (_, i) => ({
      id: rng.id(new Date(YEAR_AGO)),
      name: `${name.split(" ")[0]} Agent${i}`,
      role: i === 0 ? "manager" : "agent",
      timeZone: i % 2 === 0 ? "Europe/London" : "America/New_York",
      skills: ["Analytics Cloud", "Billing Portal", "Data Connectors"],
      // One of them joined recently: cases from before cannot be theirs.
      createdAt: i === 3 ? CUTOFF - 20 * DAY_MS : YEAR_AGO - DAY_MS,
    }));
    workers.push(...members);
    const id = rng.id(new Date(YEAR_AGO));
    teams.set(id, { id, name, leadId: members[0]!.id, workers: members });
  }
  const teamByName = new Map([...teams.values()].map((t) => [t.name, t.id]));
  const queues = new Map(
    QUEUE_PLAN.map((q) => [
      q.key,
      { id: rng.id(new Date(YEAR_AGO)), key: q.key, teamId: teamByName.get(q.team)! },
    ]),
  );
  return { teams, queues, workers };
}

function accounts(rng: Rng, n: number): CaseAccount[] {
  return Array.from({ length: n }, (_, i) => ({
    id: rng.id(new Date(YEAR_AGO)),
    name: `Account ${i}`,
    annualRevenue: i < 5 ? 500_000 : 10_000,
    key: i < 5,
    country: ["GB", "DE", "US", "CH"][i % 4]!,
    timeZone: ["Europe/London", "Europe/Berlin", "America/Chicago", "Europe/Zurich"][i % 4]!,
    accountManager: "Sally Sales",
    createdAt: YEAR_AGO - 400 * DAY_MS,
    contacts: Array.from({ length: i < 5 ? 6 : 2 }, (_, k) => ({
      id: rng.id(new Date(YEAR_AGO)),
      name: `Person${k} Account${i}`,
      timeZone: null,
      // The last one joined a month ago.
      createdAt: k === 1 ? CUTOFF - 30 * DAY_MS : YEAR_AGO - 300 * DAY_MS,
    })),
  }));
}

/** Six months of cases and the incidents, made and replayed to the cut-off. */
function make(seed: number, options: { maxMessages?: number } = {}) {
  const rng = new Rng(seed);
  const o = org(rng);
  const zones = new ZoneClock();
  const factory = new CaseFactory(rng, o, zones, options);
  const pool = accounts(rng, 40);
  const picker = new CustomerPicker(rng, pool);
  const firstDay = CUTOFF / DAY_MS - 183;
  const made: MadeCase[] = [];
  casesPerDay(firstDay, 183, 1_500).forEach((n, i) => {
    const dayStart = (firstDay + i) * DAY_MS;
    for (let k = 0; k < n; k++) {
      const customer = picker.pick(dayStart)!;
      const received = Math.min(zones.customerMoment(rng, dayStart, customer.timeZone), CUTOFF - 3_600_000);
      made.push(factory.materialise(factory.regular(received, customer), CUTOFF));
    }
  });
  for (const plan of INCIDENTS) {
    const start = CUTOFF - plan.daysAgo * DAY_MS + plan.startHourUtc * 3_600_000;
    const lives = factory.incident(plan, start, picker.pickDistinct(plan.reports, start));
    made.push(...lives.map((l) => factory.materialise(l, CUTOFF)));
  }
  return { made: made.filter((m) => m.row.created_at.getTime() <= CUTOFF), o, pool };
}

describe("made cases", () => {
  const { made, o, pool } = make(11);

  it("move only along the status machine, and their timestamps follow their status", () => {
    for (const m of made) {
      const moves = m.history.filter((h) => h.field === "status");
      let status: string = "new";
      for (const h of moves) {
        expect(h.old_value, m.row.subject).toBe(status);
        expect(BUILTIN_TRANSITIONS[status as BuiltinStatus]).toContain(h.new_value);
        status = h.new_value as string;
      }
      const r = m.row;
      expect(r.status).toBe(status);
      const category = BUILTIN_CATEGORY[r.status as BuiltinStatus];
      expect(r.resolved_at !== null, `${r.status} resolved_at`).toBe(category === "resolved");
      expect(r.closed_at !== null, `${r.status} closed_at`).toBe(r.status === "closed");
      if (r.resolved_at) expect(r.resolved_at.getTime()).toBeGreaterThanOrEqual(r.created_at.getTime());
      if (r.closed_at) expect(r.closed_at.getTime()).toBeGreaterThanOrEqual(r.resolved_at!.getTime());
      expect(r.reopen_count).toBe(m.history.filter((h) => h.field === "reopenCount").length);
    }
  });

  it("keep every moment in order: received, created, the thread, the last update, the cut-off", () => {
    for (const m of made) {
      const r = m.row;
      expect(r.received_at.getTime()).toBeLessThanOrEqual(r.created_at.getTime());
      let last = r.created_at.getTime();
      for (const msg of m.messages) {
        expect(msg.created_at.getTime()).toBeGreaterThanOrEqual(last);
        last = msg.created_at.getTime();
      }
      for (const h of m.history) expect(h.at.getTime()).toBeLessThanOrEqual(r.updated_at.getTime());
      expect(r.updated_at.getTime()).toBeLessThanOrEqual(CUTOFF);
      expect(m.history[0]!.field).toBe("created");
      expect(m.history.filter((h) => h.field === "message")).toHaveLength(m.messages.length);
    }
  });

  it("answer the first reply by opening the case, and a waiting case by the customer's message", () => {
    for (const m of made) {
      const firstReply = m.messages.find((x) => x.kind === "reply");
      if (firstReply) expect(m.row.status).not.toBe("new");
      const lines = m.history;
      lines.forEach((h, i) => {
        if (h.field !== "message" || (h.new_value as { kind: string }).kind !== "customer") return;
        const before = lines.slice(0, i).findLast((x) => x.field === "status")?.new_value ?? "new";
        if (before === "waiting_on_customer" || before === "resolved" || before === "closed") {
          expect(lines[i + 1]?.field, m.row.subject).toBe("status");
          expect(lines[i + 1]?.new_value).toBe("open");
        }
      });
    }
  });

  it("are mostly closed when old and still being worked when recent", () => {
    const old = made.filter((m) => m.row.created_at.getTime() < CUTOFF - 60 * DAY_MS);
    const recent = made.filter((m) => m.row.created_at.getTime() > CUTOFF - 3 * DAY_MS);
    const closedShare = old.filter((m) => m.row.status === "closed").length / old.length;
    expect(closedShare).toBeGreaterThan(0.9);
    const working = recent.filter((m) => BUILTIN_CATEGORY[m.row.status as BuiltinStatus] !== "resolved");
    expect(working.length / recent.length).toBeGreaterThan(0.5);
  });

  it("have threads of at most eight messages, from the right people", () => {
    const workers = new Set(o.workers.map((w) => w.id));
    for (const m of made) {
      expect(m.messages.length).toBeLessThanOrEqual(8);
      for (const msg of m.messages) {
        if (msg.kind === "customer") expect(msg.contact_id).toBe(m.row.contact_id);
        else if (msg.author_id) expect(workers.has(msg.author_id)).toBe(true);
      }
    }
    const lengths = new Set(made.map((m) => m.messages.length));
    for (let n = 1; n <= 8; n++) expect(lengths.has(n), `a thread of ${n}`).toBe(true);
  });

  it("are owned by someone of the case's team who worked here at the time", () => {
    const teamOf = new Map([...o.teams.values()].flatMap((t) => t.workers.map((w) => [w.id, t.id] as const)));
    const joined = new Map(o.workers.map((w) => [w.id, w.createdAt]));
    for (const m of made) {
      if (!m.row.owner_id) continue;
      expect(teamOf.get(m.row.owner_id)).toBe(m.row.team_id);
      expect(joined.get(m.row.owner_id)!).toBeLessThanOrEqual(m.row.created_at.getTime());
    }
  });

  it("are raised by contacts of the case's account who were contacts then, big accounts more", () => {
    const contactsOf = new Map(pool.map((a) => [a.id, new Map(a.contacts.map((c) => [c.id, c.createdAt]))]));
    const perAccount = new Map<string, number>();
    for (const m of made) {
      if (!m.row.account_id) continue;
      const since = contactsOf.get(m.row.account_id)!.get(m.row.contact_id!);
      expect(since).toBeDefined();
      expect(since!).toBeLessThanOrEqual(m.row.received_at.getTime());
      perAccount.set(m.row.account_id, (perAccount.get(m.row.account_id) ?? 0) + 1);
    }
    const avg = (key: boolean) => {
      const ids = pool.filter((a) => a.key === key).map((a) => perAccount.get(a.id) ?? 0);
      return ids.reduce((s, n) => s + n, 0) / ids.length;
    };
    expect(avg(true)).toBeGreaterThan(avg(false) * 3);
  });

  it("read as written by people: every placeholder filled, subjects from the catalogue", () => {
    for (const m of made) {
      for (const text of [m.row.subject, m.row.description ?? "", ...m.messages.map((x) => x.body)]) {
        expect(text).not.toMatch(/\{\w+\}/);
      }
      expect(m.row.tags.every((t) => t === t.toLowerCase() && !t.includes(","))).toBe(true);
    }
    const categories = new Set(made.map((m) => m.row.category));
    for (const p of CASE_PROBLEMS) expect(categories.has(p.category)).toBe(true);
  });

  it("link incident reports to their parent once it exists", () => {
    const parents = made.filter((m) => m.row.account_id === null);
    expect(parents).toHaveLength(INCIDENTS.length);
    const outage = parents.find((p) => p.row.subject.includes("EU region"))!;
    const children = made.filter((m) => m.parentId === outage.row.id);
    expect(children).toHaveLength(20);
    for (const c of children) {
      const linked = c.history.find((h) => h.field === "parentId")!;
      expect(linked.at.getTime()).toBeGreaterThanOrEqual(outage.row.created_at.getTime());
      expect(c.row.status).toBe("closed");
    }
  });
});

describe("the case factory", () => {
  it("makes the same cases from the same seed", () => {
    const a = make(5).made.map((m) => [m.row.id, m.row.subject, m.row.status, m.messages.length]);
    const b = make(5).made.map((m) => [m.row.id, m.row.subject, m.row.status, m.messages.length]);
    expect(b).toEqual(a);
  });

  it("keeps threads short when asked (the bench generator), or leaves them out, lives unchanged", () => {
    const statuses = (made: MadeCase[]) => {
      const n: Record<string, number> = {};
      for (const m of made) n[m.row.status] = (n[m.row.status] ?? 0) + 1;
      return n;
    };
    const full = statuses(make(3).made);
    const short = make(3, { maxMessages: 2 }).made;
    expect(Math.max(...short.map((m) => m.messages.length))).toBe(2);
    // Cases still wait on customers, sit on hold, get reopened: only their threads are shorter.
    const shortStatuses = statuses(short);
    for (const s of ["new", "open", "waiting_on_customer", "on_hold", "resolved", "closed"]) {
      expect(shortStatuses[s] ?? 0, s).toBeGreaterThan((full[s] ?? 0) * 0.5);
    }
    expect(short.some((m) => m.row.reopen_count > 0)).toBe(true);
    const none = make(3, { maxMessages: 0 }).made;
    expect(none.every((m) => m.messages.length === 0)).toBe(true);
    expect(none.filter((m) => m.row.status === "closed").length).toBeGreaterThan(none.length * 0.8);
  });
});

describe("case time", () => {
  it("shares cases out over days, fewer at weekends, exactly the total", () => {
    const first = Date.parse("2026-01-05T00:00:00Z") / DAY_MS; // a Monday
    const counts = casesPerDay(first, 14, 1_000);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(1_000);
    expect(counts[5]!).toBeLessThan(counts[4]! / 4); // Saturday vs Friday
    expect(isWeekday(first)).toBe(true);
    expect(isWeekday(first + 5)).toBe(false);
  });

  it("moves agent work into office hours in the agent's zone", () => {
    const zones = new ZoneClock();
    const rng = new Rng(1);
    // Saturday 12:00 UTC → Monday 08:00–08:40 in New York (UTC-5 in January).
    const t = zones.nextWorkingTime(rng, Date.parse("2026-01-10T12:00:00Z"), "America/New_York");
    expect(t).toBeGreaterThanOrEqual(Date.parse("2026-01-12T13:00:00Z"));
    expect(t).toBeLessThan(Date.parse("2026-01-12T13:40:00Z"));
    const inside = Date.parse("2026-01-12T10:00:00Z");
    expect(zones.nextWorkingTime(rng, inside, "Europe/London")).toBe(inside);
  });
});
