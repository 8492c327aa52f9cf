import { CASE_WORKERS } from "../modules/cases/case-access.ts";
import { formatCaseNumber } from "../modules/cases/case-number.ts";
import type { Channel, HistoryActorKind, MessageKind, Priority } from "../modules/cases/cases.tables.ts";
import type { Role } from "../platform/auth/actor.ts";
import {
  AGENT_ACKS,
  AGENT_CLOSINGS,
  AGENT_FOLLOW_ACKS,
  AGENT_GREETINGS,
  AGENT_NO_ANSWER,
  AGENT_REOPEN_REPLIES,
  AGENT_SIGNOFFS,
  AGENT_UPDATES,
  AGENT_WORKING,
  BROWSERS,
  CASE_PROBLEMS,
  type CaseProblem,
  CHANNEL_WEIGHTS,
  COLLEAGUE_NAMES,
  CONNECTORS,
  CUSTOMER_CHASERS,
  CUSTOMER_COMEBACKS,
  CUSTOMER_CONFIRMATIONS,
  CUSTOMER_FOLLOW_GREETINGS,
  CUSTOMER_GREETINGS,
  CUSTOMER_SIGNOFFS,
  DASHBOARDS,
  EXTRA_TAGS,
  GENERIC_NOTES,
  HOLD_NOTES,
  HOLD_REPLIES,
  type HoldReason,
  IDPS,
  type IncidentPlan,
  MOBILE_OS,
  PHONE_SUMMARY_PREFIXES,
  PRIORITY_WEIGHTS,
  SYNC_ERRORS,
} from "./case-catalogue.ts";
import { ZoneClock } from "./case-time.ts";
import type { CaseHistorySeedRow, CaseMessageSeedRow, CaseSeedRow } from "./cases.repository.ts";
import { DAY_MS, type Rng, WeightedIndex } from "./random.ts";

/**
 * Realistic cases, shared by the demo seed (a few thousand) and the bench generator (a million).
 *
 * A case is made as a life: what it looked like when it was created, then everything that
 * happened to it in order (messages, status changes, assignment, linking to a parent), with
 * timestamps drawn from how customers and agents really behave (office hours, response times
 * by priority, customers taking hours to answer). `materialise` then replays the life up to a
 * cut-off moment (the seed's reference day): what happened by then is the case's thread and
 * history, and the state it reached is its row. So statuses follow age by themselves — old
 * cases are resolved and closed, recent ones new, open or waiting — and every timestamp,
 * status and history line agrees with the others and with the cases module's rules (the first
 * reply opens a new case, a customer answering ends waiting_on_customer, a customer writing
 * to a resolved case reopens it).
 *
 * No domain events are written for this history: seeding is loading, and nothing downstream
 * (SLA timers, notifications, webhooks) should fire for things that happened months ago.
 */

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** A staff member who can own cases. */
export type CaseWorker = {
  id: string;
  name: string;
  role: Role;
  timeZone: string;
  skills: readonly string[];
  createdAt: number;
};
export type CaseTeam = { id: string; name: string; leadId: string | null; workers: CaseWorker[] };
export type CaseQueue = { id: string; key: string; teamId: string | null };

/** The organisation cases are assigned in: teams with their case workers, queues by key. */
export type CaseOrg = {
  teams: ReadonlyMap<string, CaseTeam>;
  queues: ReadonlyMap<string, CaseQueue>;
  /** Everyone who can work cases, for "asked a colleague" notes. */
  workers: readonly CaseWorker[];
};

/**
 * The organisation from its staff, teams and queues: each team with its members who may work
 * cases (not sales); everyone but admins for "asked a colleague" notes.
 */
export function caseOrg(
  staff: readonly (CaseWorker & { teamIds: readonly string[] })[],
  teams: readonly { id: string; name: string; leadId: string | null }[],
  queues: readonly CaseQueue[],
): CaseOrg {
  const workers = staff
    .filter((u) => (CASE_WORKERS as readonly string[]).includes(u.role))
    .map((u) => ({
      ...u,
      worker: {
        id: u.id,
        name: u.name,
        role: u.role,
        timeZone: u.timeZone,
        skills: u.skills,
        createdAt: u.createdAt,
      },
    }));
  return {
    teams: new Map(
      teams.map((t) => [
        t.id,
        {
          id: t.id,
          name: t.name,
          leadId: t.leadId,
          workers: workers.filter((w) => w.teamIds.includes(t.id)).map((w) => w.worker),
        },
      ]),
    ),
    queues: new Map(queues.map((q) => [q.key, q])),
    workers: workers.filter((w) => w.role !== "admin").map((w) => w.worker),
  };
}

/** Who raises the case. */
export type CaseCustomer = {
  accountId: string;
  accountName: string;
  key: boolean;
  country: string;
  timeZone: string;
  accountManager: string | null;
  contact: { id: string; name: string; timeZone: string | null };
};

type Actor = { kind: HistoryActorKind; id: string | null };
const SYSTEM_ACTOR: Actor = { kind: "system", id: null };

type LifeEvent =
  | {
      at: number;
      type: "message";
      kind: MessageKind;
      body: string;
      authorId: string | null;
      contactId: string | null;
      actor: Actor;
    }
  | { at: number; type: "status"; to: string; actor: Actor }
  | { at: number; type: "owner"; to: string; actor: Actor }
  | { at: number; type: "parent"; to: string; actor: Actor };

/** A case as created, and everything that happens to it afterwards, in the order it happens. */
export type CaseLife = {
  row: CaseSeedRow;
  createdBy: Actor;
  events: LifeEvent[];
};

/** A case as it stands at the cut-off: its row, its thread and its history. */
export type MadeCase = {
  row: CaseSeedRow;
  parentId: string | null;
  messages: CaseMessageSeedRow[];
  history: CaseHistorySeedRow[];
};

export type CaseFactoryOptions = {
  /**
   * Messages kept per case (8 at most; 0: none). The case's life is the same whatever the cap
   * (statuses, timestamps, history of status changes): only its first messages are kept, so a
   * generator can load fewer rows without changing what queues look like.
   */
  maxMessages?: number;
  /** Days after resolution when a case is closed (by the system). */
  closeAfterDays?: number;
};

const CATEGORY_OF: Record<string, "open" | "paused" | "resolved"> = {
  new: "open",
  open: "open",
  waiting_on_customer: "paused",
  on_hold: "paused",
  resolved: "resolved",
  closed: "resolved",
};

/** Median hours to a first answer, by priority (before office hours are applied). */
const FIRST_RESPONSE_H: Record<Priority, number> = { urgent: 0.5, high: 2, normal: 5, low: 12 };
/** Median hours to the next answer after the customer wrote. */
const FOLLOW_UP_H: Record<Priority, number> = { urgent: 0.5, high: 2, normal: 5, low: 10 };
/** Median hours of work to a fix once the problem is understood, by category. */
const FIX_H: Record<string, number> = {
  Bug: 40,
  Performance: 30,
  Integrations: 24,
  Outage: 3,
  Billing: 16,
  "Login & access": 4,
  "Account & users": 6,
  "Data export": 8,
  "How-to": 3,
  Onboarding: 48,
  "Feature request": 12,
};
/** How likely a problem that can wait on someone goes on hold, and for how many days (median). */
const HOLD: Record<HoldReason, { chance: number; medianDays: number; forever: number }> = {
  engineering: { chance: 0.3, medianDays: 4, forever: 0.03 },
  product: { chance: 0.6, medianDays: 25, forever: 0.35 },
  finance: { chance: 0.4, medianDays: 2, forever: 0 },
};
const THREAD_LIMIT = 8;
/** Problems that can come back after a fix (a bill refunded stays refunded). */
const COMES_BACK = new Set(["Bug", "Performance", "Integrations", "Login & access", "Outage", "Data export"]);
const CURRENCY: Record<string, string> = {
  GB: "£",
  CH: "CHF ",
  SE: "SEK ",
  NO: "NOK ",
  DK: "DKK ",
  PL: "PLN ",
};
const EURO = new Set(["DE", "FR", "NL", "ES", "IT", "IE", "AT", "BE"]);
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

export class CaseFactory {
  private readonly problems = new WeightedIndex(CASE_PROBLEMS.map((p) => p.weight));
  private readonly maxMessages: number;
  private readonly closeAfterMs: number;

  constructor(
    private readonly rng: Rng,
    private readonly org: CaseOrg,
    private readonly zones: ZoneClock = new ZoneClock(),
    options: CaseFactoryOptions = {},
  ) {
    this.maxMessages = Math.max(0, Math.min(THREAD_LIMIT, options.maxMessages ?? THREAD_LIMIT));
    this.closeAfterMs = (options.closeAfterDays ?? 7) * DAY_MS;
  }

  /** An ordinary case: one customer, one problem from the catalogue, its whole conversation. */
  regular(receivedAt: number, customer: CaseCustomer): CaseLife {
    const { rng } = this;
    const problem = CASE_PROBLEMS[this.problems.pick(rng)]!;
    // One variant for every list of the problem: lists of the same length go together (the
    // subject with its description, a question with its answer and fix); 60 divides by 1–6.
    const variant = rng.int(0, 59);
    const product = rng.pick(problem.products);
    const channel = rng.weighted(CHANNEL_WEIGHTS);
    let priority = rng.weighted(problem.priority ?? PRIORITY_WEIGHTS);
    // Key accounts get a little more urgency: they say so, and agents listen.
    if (customer.key && rng.chance(0.2)) priority = raise(priority);
    let queueKey: string = problem.queue;
    if (customer.key && ["general", "howto", "access"].includes(queueKey) && rng.chance(0.3)) {
      queueKey = "key-accounts";
    }
    const queue = this.org.queues.get(queueKey) ?? null;
    const team = queue?.teamId ? (this.org.teams.get(queue.teamId) ?? null) : null;
    const phone = channel === "phone";
    // A phone case is logged after the call; a written one a moment after it arrives.
    const createdAt = phone ? receivedAt + rng.int(3, 15) * MINUTE_MS : receivedAt + rng.int(4, 90) * 1_000;
    const owner = team ? this.pickOwner(team, product, createdAt) : null;
    const ticketPrefix = problem.hold === "product" ? "PRD" : "ENG";
    const text = new Filler(rng, this.org, customer, owner, product, receivedAt, ticketPrefix);

    let description = text.fill(nth(problem.descriptions, variant));
    if (phone) description = `${text.fill(rng.pick(PHONE_SUMMARY_PREFIXES))} ${description}`;
    const customerActor: Actor =
      channel === "portal" ? { kind: "contact", id: customer.contact.id } : SYSTEM_ACTOR;
    const life: CaseLife = {
      row: {
        id: rng.id(new Date(createdAt)),
        subject: text.fill(nth(problem.subjects, variant)),
        description,
        account_id: customer.accountId,
        contact_id: customer.contact.id,
        product,
        category: problem.category,
        priority,
        channel,
        status: "new",
        // The agent who took the call owns the case from the start; written ones get an owner
        // when someone picks them up.
        owner_id: phone ? (owner?.id ?? null) : null,
        team_id: team?.id ?? null,
        queue_id: queue?.id ?? null,
        tags: this.tags(problem, customer),
        received_at: new Date(receivedAt),
        created_at: new Date(createdAt),
        updated_at: new Date(createdAt),
        resolved_at: null,
        closed_at: null,
        reopen_count: 0,
      },
      createdBy: phone && owner ? { kind: "user", id: owner.id } : customerActor,
      events: [],
    };
    new Conversation(this.playing, life, {
      problem,
      variant,
      priority,
      owner,
      customer,
      customerActor,
      text,
      phone,
    }).play();
    return life;
  }

  /**
   * An incident: a parent case opened by the team running it, and the reports of customers who
   * ran into it, each linked to the parent, answered while it runs and resolved when it ends.
   * Returns the parent first.
   */
  incident(plan: IncidentPlan, start: number, reporters: readonly CaseCustomer[]): CaseLife[] {
    const { rng } = this;
    const queue = this.org.queues.get("incidents") ?? null;
    const team = queue?.teamId ? (this.org.teams.get(queue.teamId) ?? null) : null;
    const end = plan.durationHours === null ? Number.POSITIVE_INFINITY : start + plan.durationHours * HOUR_MS;
    const spread = Math.min(plan.durationHours ?? 10, 10) * HOUR_MS;
    const reportTimes = reporters
      .map(() => start + 3 * MINUTE_MS + rng.next() ** 1.6 * spread)
      .sort((a, b) => a - b);
    const parentCreated = reportTimes[0]! + rng.int(12, 25) * MINUTE_MS;
    const lead = team ? (team.workers.find((w) => w.id === team.leadId) ?? team.workers[0] ?? null) : null;
    const leadActor: Actor = lead ? { kind: "user", id: lead.id } : SYSTEM_ACTOR;

    const parent: CaseLife = {
      row: {
        id: rng.id(new Date(parentCreated)),
        subject: plan.title,
        description: plan.description,
        account_id: null,
        contact_id: null,
        product: plan.product,
        category: "Outage",
        priority: plan.reports >= 10 ? "urgent" : "high",
        channel: "api",
        status: "new",
        owner_id: lead?.id ?? null,
        team_id: team?.id ?? null,
        queue_id: queue?.id ?? null,
        tags: [...plan.tags],
        received_at: new Date(parentCreated),
        created_at: new Date(parentCreated),
        updated_at: new Date(parentCreated),
        resolved_at: null,
        closed_at: null,
        reopen_count: 0,
      },
      createdBy: leadActor,
      events: [],
    };
    const note = (at: number, body: string) =>
      parent.events.push({
        at,
        type: "message",
        kind: "note",
        body,
        authorId: lead?.id ?? null,
        contactId: null,
        actor: leadActor,
      });
    parent.events.push({ at: parentCreated + 2 * MINUTE_MS, type: "status", to: "open", actor: leadActor });
    const updateSpan = Number.isFinite(end) ? end - parentCreated : 4 * HOUR_MS;
    plan.updates.forEach((u, i) => {
      note(parentCreated + ((i + 1) / (plan.updates.length + 1)) * updateSpan, u);
    });
    if (Number.isFinite(end)) {
      note(end, plan.rootCause);
      parent.events.push({ at: end + MINUTE_MS, type: "status", to: "resolved", actor: leadActor });
      parent.events.push({
        at: end + MINUTE_MS + this.closeAfterMs,
        type: "status",
        to: "closed",
        actor: SYSTEM_ACTOR,
      });
    }

    const children = reporters.map((customer, i) => {
      const receivedAt = reportTimes[i]!;
      const channel = rng.weighted<Channel>([
        ["email", 40],
        ["phone", 30],
        ["portal", 20],
        ["web", 10],
      ]);
      const phone = channel === "phone";
      const createdAt = receivedAt + (phone ? rng.int(3, 10) * MINUTE_MS : rng.int(4, 60) * 1_000);
      const owner = team ? this.pickOwner(team, plan.product, createdAt) : null;
      const ownerActor: Actor = owner ? { kind: "user", id: owner.id } : SYSTEM_ACTOR;
      const customerActor: Actor =
        channel === "portal" ? { kind: "contact", id: customer.contact.id } : SYSTEM_ACTOR;
      const text = new Filler(rng, this.org, customer, owner, plan.product, receivedAt);
      let description = rng.pick(plan.reportDescriptions);
      if (phone) description = `${text.fill(rng.pick(PHONE_SUMMARY_PREFIXES))} ${description}`;
      const life: CaseLife = {
        row: {
          id: rng.id(new Date(createdAt)),
          subject: rng.pick(plan.reportSubjects),
          description,
          account_id: customer.accountId,
          contact_id: customer.contact.id,
          product: plan.product,
          category: "Outage",
          priority: customer.key || rng.chance(0.3) ? "urgent" : "high",
          channel,
          status: "new",
          owner_id: phone ? (owner?.id ?? null) : null,
          team_id: team?.id ?? null,
          queue_id: queue?.id ?? null,
          tags: ["incident", ...(customer.key && rng.chance(0.5) ? ["vip"] : [])],
          received_at: new Date(receivedAt),
          created_at: new Date(createdAt),
          updated_at: new Date(createdAt),
          resolved_at: null,
          closed_at: null,
          reopen_count: 0,
        },
        createdBy: phone ? ownerActor : customerActor,
        events: [],
      };
      const ev = life.events;
      const message = (at: number, kind: MessageKind, body: string, by: "agent" | "customer") =>
        ev.push({
          at,
          type: "message",
          kind,
          body,
          authorId: by === "agent" ? (owner?.id ?? null) : null,
          contactId: by === "customer" ? customer.contact.id : null,
          actor: by === "agent" ? ownerActor : customerActor,
        });
      if (!phone) message(createdAt, "customer", text.customerOpener(description), "customer");
      // Acknowledged quickly, at any hour (incidents are on call), once the parent exists to link to.
      let ack = Math.max(createdAt, parentCreated) + rng.int(4, 30) * MINUTE_MS;
      if (ack >= end) ack = end + rng.int(2, 20) * MINUTE_MS;
      if (!phone && owner) ev.push({ at: ack - MINUTE_MS, type: "owner", to: owner.id, actor: ownerActor });
      ev.push({ at: ack, type: "parent", to: parent.row.id, actor: ownerActor });
      message(ack, "reply", text.agentReply(text.fill(rng.pick(plan.acknowledgements)), "first"), "agent");
      ev.push({ at: ack, type: "status", to: "open", actor: ownerActor });
      if (ack < end) ev.push({ at: ack, type: "status", to: "on_hold", actor: ownerActor });
      if (Number.isFinite(end)) {
        const fixed = Math.max(ack, end) + rng.int(5, 40) * MINUTE_MS;
        message(fixed, "reply", text.agentReply(text.fill(rng.pick(plan.resolutions)), "none"), "agent");
        ev.push({ at: fixed, type: "status", to: "resolved", actor: ownerActor });
        ev.push({ at: fixed + this.closeAfterMs, type: "status", to: "closed", actor: SYSTEM_ACTOR });
      }
      return life;
    });
    return [parent, ...children];
  }

  /**
   * Replays a life up to `cutoff`: the row as it stands then, its messages and its history
   * (the "created" line first, its number filled in once the database has numbered the case).
   */
  materialise(life: CaseLife, cutoff: number): MadeCase {
    const { rng } = this;
    const row: CaseSeedRow = { ...life.row, tags: [...life.row.tags] };
    const messages: CaseMessageSeedRow[] = [];
    const history: CaseHistorySeedRow[] = [];
    let parentId: string | null = null;
    const line = (at: Date, actor: Actor, field: string, from: unknown, to: unknown) =>
      history.push({
        id: rng.id(at),
        case_id: row.id,
        at,
        actor_kind: actor.kind,
        actor_id: actor.id,
        field,
        old_value: from,
        new_value: to,
      });
    line(row.created_at, life.createdBy, "created", null, { number: null, status: row.status });
    // Stable: events of the same moment keep the order they happened in (a message, then the
    // status it caused).
    const events = life.events
      .map((e, i) => [e, i] as const)
      .filter(([e]) => e.at <= cutoff && e.at >= life.row.created_at.getTime())
      .sort((a, b) => a[0].at - b[0].at || a[1] - b[1]);
    for (const [e] of events) {
      const at = new Date(e.at);
      switch (e.type) {
        case "message": {
          // Past the cap the case's life goes on (statuses, times), its messages unwritten.
          if (messages.length >= this.maxMessages) break;
          const id = rng.id(at);
          messages.push({
            id,
            case_id: row.id,
            kind: e.kind,
            body: e.body,
            author_id: e.authorId,
            contact_id: e.contactId,
            created_at: at,
          });
          line(at, e.actor, "message", null, { id, kind: e.kind });
          break;
        }
        case "status": {
          const from = row.status;
          if (from === e.to) continue;
          const fromCategory = CATEGORY_OF[from];
          const toCategory = CATEGORY_OF[e.to];
          line(at, e.actor, "status", from, e.to);
          if (fromCategory !== "resolved" && toCategory === "resolved") row.resolved_at = at;
          if (e.to === "closed") row.closed_at = at;
          if (fromCategory === "resolved" && toCategory !== "resolved") {
            row.resolved_at = null;
            row.closed_at = null;
            line(at, e.actor, "reopenCount", row.reopen_count, row.reopen_count + 1);
            row.reopen_count += 1;
          }
          row.status = e.to;
          break;
        }
        case "owner":
          if (row.owner_id === e.to) continue;
          line(at, e.actor, "ownerId", row.owner_id, e.to);
          row.owner_id = e.to;
          break;
        case "parent":
          line(at, e.actor, "parentId", parentId, e.to);
          parentId = e.to;
          break;
      }
      row.updated_at = at;
    }
    return { row, parentId, messages, history };
  }

  /** Sets the case number in the "created" history line, once the database has drawn it. */
  static numbered(made: MadeCase, number: number): void {
    const created = made.history[0]!;
    const { status } = created.new_value as { status: string };
    created.new_value = { number: formatCaseNumber(number), status };
  }

  /** An agent of the team who knows the product (mostly), and who worked here at the time. */
  pickOwner(team: CaseTeam, product: string, at: number): CaseWorker | null {
    const { rng } = this;
    const present = team.workers.filter((w) => w.createdAt <= at);
    if (present.length === 0) return null;
    const agents = present.filter((w) => w.role === "agent");
    const pool = agents.length > 0 && rng.chance(0.9) ? agents : present;
    const skilled = pool.filter((w) => w.skills.includes(product));
    return rng.pick(skilled.length > 0 && rng.chance(0.8) ? skilled : pool);
  }

  private tags(problem: CaseProblem, customer: CaseCustomer): string[] {
    const { rng } = this;
    const tags = new Set<string>([rng.pick(problem.tags)]);
    if (problem.tags.length > 1 && rng.chance(0.4)) tags.add(rng.pick(problem.tags));
    if (rng.chance(0.1)) tags.add(rng.weighted(EXTRA_TAGS));
    if (customer.key && rng.chance(0.4)) tags.add("vip");
    return [...tags];
  }

  /** What a conversation needs from the factory. */
  private get playing(): Playing {
    return {
      rng: this.rng,
      zones: this.zones,
      closeAfterMs: this.closeAfterMs,
    };
  }
}

type Playing = { rng: Rng; zones: ZoneClock; closeAfterMs: number };

/** How one ordinary case's conversation goes: planned first, then played out as events. */
class Conversation {
  private status = "new";
  private assigned: boolean;
  private replied = false;
  private lastFrom: "agent" | "customer" | null = null;
  private readonly rng: Rng;
  private readonly zones: ZoneClock;
  private readonly agentActor: Actor;

  constructor(
    private readonly playing: Playing,
    private readonly life: CaseLife,
    private readonly c: {
      problem: CaseProblem;
      variant: number;
      priority: Priority;
      owner: CaseWorker | null;
      customer: CaseCustomer;
      customerActor: Actor;
      text: Filler;
      phone: boolean;
    },
  ) {
    this.rng = playing.rng;
    this.zones = playing.zones;
    this.assigned = life.row.owner_id !== null;
    this.agentActor = c.owner ? { kind: "user", id: c.owner.id } : SYSTEM_ACTOR;
  }

  play(): void {
    const { rng, c } = this;
    const { problem, priority, text, variant } = c;
    const created = this.life.row.created_at.getTime();
    const { closeAfterMs } = this.playing;

    // The plan: which turns this conversation takes.
    const plan = {
      opener: !c.phone,
      qaRounds: problem.questions.length > 0 && rng.chance(0.6) ? (rng.chance(0.2) ? 2 : 1) : 0,
      noAnswer: rng.chance(0.07),
      hold: problem.hold && rng.chance(HOLD[problem.hold].chance) ? problem.hold : null,
      notes: rng.weighted([
        [0, 60],
        [1, 30],
        [2, 10],
      ] as const) as number,
      confirm: rng.chance(0.35),
      reopen: rng.chance(0.06) && COMES_BACK.has(problem.category),
      chaser: rng.chance(0.12),
      /** A progress update while it waits on someone else. */
      update: rng.chance(0.4),
      /** Hours of work to the fix; a long one gets a first answer saying someone is on it. */
      fixHours: rng.logNormal(FIX_H[problem.category] ?? 8, 1.0),
      ack: false,
    };
    plan.ack = plan.qaRounds === 0 && plan.fixHours > 6 && rng.chance(0.8);
    if (plan.qaRounds === 0) plan.noAnswer = false;
    // Long conversations get shorter to fit the thread limit, least important turns first.
    const length = () =>
      (plan.opener ? 1 : 0) +
      plan.qaRounds * 2 +
      (plan.noAnswer ? 0 : 1) +
      (plan.hold ? (plan.update ? 2 : 1) : 0) +
      plan.notes +
      (plan.ack ? 1 : 0) +
      (plan.confirm ? 1 : 0) +
      (plan.reopen ? 3 : 0) +
      (plan.chaser ? 1 : 0);
    const trims: (() => void)[] = [
      () => (plan.chaser = false),
      () => (plan.update = false),
      () => (plan.notes = 0),
      () => (plan.qaRounds = Math.min(plan.qaRounds, 1)),
      () => (plan.reopen = false),
      () => (plan.confirm = false),
      () => (plan.ack = false),
      () => (plan.hold = null),
      () => {
        plan.qaRounds = 0;
        plan.noAnswer = false;
      },
      () => (plan.opener = false),
    ];
    for (const trim of trims) if (length() > THREAD_LIMIT) trim();

    if (plan.opener) this.customer(created, text.customerOpener(this.life.row.description ?? ""));
    let t = this.agentTime(created, FIRST_RESPONSE_H[priority]);
    if (plan.chaser && t - created > 6 * HOUR_MS) {
      this.customer(created + (t - created) * 0.7, text.customerFollowUp(rng.pick(CUSTOMER_CHASERS), false));
    }
    if (plan.notes > 0 && !plan.hold) {
      this.note(Math.max(created + MINUTE_MS, t - rng.int(5, 60) * MINUTE_MS), this.noteText());
      plan.notes -= 1;
    }

    for (let round = 0; round < plan.qaRounds; round++) {
      const question = text.fill(nth(problem.questions, variant + round));
      this.reply(t, question);
      if (rng.chance(0.75)) this.setStatus(t, "waiting_on_customer", this.agentActor);
      if (plan.noAnswer && round === plan.qaRounds - 1) {
        // The customer never answers: a last word after about a week, then resolved.
        t = this.agentTime(t + rng.int(5, 8) * DAY_MS, 1);
        this.reply(t, rng.pick(AGENT_NO_ANSWER));
        this.setStatus(t, "resolved", this.agentActor);
        this.setStatus(t + closeAfterMs, "closed", SYSTEM_ACTOR);
        return;
      }
      t = this.customerTime(t, 10);
      this.customer(t, text.customerFollowUp(text.fill(nth(problem.answers, variant + round))));
      t = this.agentTime(t, FOLLOW_UP_H[priority]);
    }

    if (plan.ack) {
      this.reply(t, rng.pick(AGENT_WORKING));
      if (plan.hold) t = this.agentTime(t, 2);
    }
    if (!plan.hold) t = this.agentTime(t, (plan.qaRounds > 0 ? 0.5 : 1) * plan.fixHours);

    if (plan.hold) {
      const hold = HOLD[plan.hold];
      this.reply(t, text.fill(rng.pick(HOLD_REPLIES[plan.hold])));
      this.setStatus(t, "on_hold", this.agentActor);
      if (plan.notes > 0) {
        this.note(t + rng.int(2, 20) * MINUTE_MS, text.fill(rng.pick(HOLD_NOTES[plan.hold])));
        plan.notes -= 1;
      }
      // Some requests wait for good (a feature nobody builds): those stay on hold.
      const forever = rng.chance(hold.forever);
      const waited = rng.logNormal(hold.medianDays, 0.7) * DAY_MS;
      if (plan.update && (forever || waited > 2 * DAY_MS)) {
        const at = this.agentTime(t + (forever ? 14 * DAY_MS : waited / 2), 0);
        this.reply(at, text.fill(rng.pick(AGENT_UPDATES)));
      }
      if (forever) return;
      t = this.agentTime(t + waited, 0);
    } else if (plan.notes > 0) {
      this.note(Math.max(created + MINUTE_MS, t - rng.int(5, 30) * MINUTE_MS), this.noteText());
    }

    const solution = text.fill(nth(problem.solutions, variant));
    this.reply(t, solution, rng.pick(AGENT_CLOSINGS));
    t = this.resolve(t, plan.confirm);
    if (plan.reopen) {
      // Within the close delay, or it would be a follow-up case rather than a reopen.
      const back = t + rng.next() * (closeAfterMs - DAY_MS) + HOUR_MS;
      this.customer(back, text.customerFollowUp(rng.pick(CUSTOMER_COMEBACKS)));
      t = this.agentTime(back, FOLLOW_UP_H[priority]);
      this.reply(t, rng.pick(AGENT_REOPEN_REPLIES));
      t = this.agentTime(t + rng.logNormal(1, 0.6) * DAY_MS, 0);
      this.reply(t, text.fill(nth(problem.solutions, variant + 1)));
      t = this.resolve(t, false);
    }
    this.setStatus(t + closeAfterMs, "closed", SYSTEM_ACTOR);
  }

  /** Resolves now, or first asks the customer to confirm the fix and resolves after they do. */
  private resolve(t: number, confirm: boolean): number {
    if (confirm) {
      this.setStatus(t, "waiting_on_customer", this.agentActor);
      t = this.customerTime(t, 5);
      this.customer(t, this.c.text.customerFollowUp(this.rng.pick(CUSTOMER_CONFIRMATIONS)));
      t = this.agentTime(t, 1.5);
    }
    this.setStatus(t, "resolved", this.agentActor);
    return t;
  }

  private noteText(): string {
    const { rng, c } = this;
    const pool = c.problem.notes && rng.chance(0.6) ? c.problem.notes : GENERIC_NOTES;
    return c.text.fill(rng.pick(pool));
  }

  /** When an agent gets to it: a log-normal delay, then their office hours (urgent: at once). */
  private agentTime(after: number, medianHours: number): number {
    const delay = medianHours > 0 ? this.rng.logNormal(medianHours, 0.8) * HOUR_MS : 0;
    const t = after + Math.max(2 * MINUTE_MS, delay);
    if (this.c.priority === "urgent" || !this.c.owner) return t;
    return this.zones.nextWorkingTime(this.rng, t, this.c.owner.timeZone);
  }

  /** When the customer answers: hours later, mostly in their office hours. */
  private customerTime(after: number, medianHours: number): number {
    const t = after + Math.max(5 * MINUTE_MS, this.rng.logNormal(medianHours, 1.2) * HOUR_MS);
    if (!this.rng.chance(0.8)) return t;
    const zone = this.c.customer.contact.timeZone ?? this.c.customer.timeZone;
    return this.zones.nextWorkingTime(this.rng, t, zone, { startHour: 8, endHour: 19 });
  }

  private assign(at: number): void {
    if (this.assigned || !this.c.owner) return;
    this.assigned = true;
    const created = this.life.row.created_at.getTime();
    const when = Math.max(created + 1_000, at - this.rng.int(1, 15) * MINUTE_MS);
    this.life.events.push({ at: when, type: "owner", to: this.c.owner.id, actor: this.agentActor });
  }

  private setStatus(at: number, to: string, actor: Actor): void {
    if (this.status === to) return;
    this.status = to;
    this.life.events.push({ at, type: "status", to, actor });
  }

  private message(at: number, kind: MessageKind, body: string, by: "agent" | "customer"): void {
    if (kind !== "note") this.lastFrom = by;
    this.life.events.push({
      at,
      type: "message",
      kind,
      body,
      authorId: by === "agent" ? (this.c.owner?.id ?? null) : null,
      contactId: by === "customer" ? this.c.customer.contact.id : null,
      actor: by === "agent" ? this.agentActor : this.c.customerActor,
    });
  }

  /**
   * A reply to the customer, thanking them as fits (for writing in, or for what they just sent);
   * the first one opens a new case (as the cases module does).
   */
  private reply(at: number, core: string, closing?: string): void {
    this.assign(at);
    const ack = !this.replied ? "first" : this.lastFrom === "customer" ? "follow" : "none";
    this.message(at, "reply", this.c.text.agentReply(core, ack, closing), "agent");
    this.replied = true;
    if (this.status === "new") this.setStatus(at, "open", this.agentActor);
  }

  private note(at: number, body: string): void {
    this.assign(at);
    this.message(at, "note", body, "agent");
  }

  /** The customer writes: it ends waiting_on_customer, and reopens a resolved case. */
  private customer(at: number, body: string): void {
    this.message(at, "customer", body, "customer");
    if (this.status === "waiting_on_customer" || CATEGORY_OF[this.status] === "resolved") {
      this.setStatus(at, "open", this.c.customerActor);
    }
  }
}

/**
 * Fills `{placeholders}` in catalogue texts with values that fit the case (the customer's
 * currency, a connector, an invoice number of the right year …), the same value every time a
 * case mentions it. Unknown placeholders stay as they are.
 */
class Filler {
  private readonly values = new Map<string, string>();

  constructor(
    private readonly rng: Rng,
    private readonly org: CaseOrg,
    private readonly customer: CaseCustomer,
    private readonly agent: CaseWorker | null,
    private readonly product: string,
    private readonly receivedAt: number,
    /** Engineering tickets are ENG-…, product feedback PRD-…. */
    private readonly ticketPrefix: "ENG" | "PRD" = "ENG",
  ) {}

  fill(template: string): string {
    if (!template.includes("{")) return template;
    return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
      let v = this.values.get(key);
      if (v === undefined) {
        const made = this.make(key);
        if (made === undefined) return whole;
        v = made;
        this.values.set(key, v);
      }
      return v;
    });
  }

  customerOpener(description: string): string {
    const { rng } = this;
    const name = this.customer.contact.name;
    const company = rng.chance(0.5) ? `\n${this.customer.accountName}` : "";
    return `${rng.pick(CUSTOMER_GREETINGS)}\n\n${description}\n\n${rng.pick(CUSTOMER_SIGNOFFS)}\n${name}${company}`;
  }

  /** The customer writes again; to the agent by name once one has answered. */
  customerFollowUp(core: string, knowsAgent = true): string {
    const { rng } = this;
    const greeting =
      knowsAgent && this.agent
        ? this.fill(rng.pick(CUSTOMER_FOLLOW_GREETINGS))
        : rng.pick(CUSTOMER_GREETINGS);
    return `${greeting}\n\n${core}\n\n${rng.pick(CUSTOMER_SIGNOFFS)}\n${this.first(this.customer.contact.name)}`;
  }

  /**
   * An agent's email: greeting, a thank-you as fits (`first` for writing in, `follow` for what
   * they just sent; none when the text already opens with one), the text, a sign-off.
   */
  agentReply(core: string, ack: "first" | "follow" | "none", closing?: string): string {
    const { rng } = this;
    const thanks =
      ack === "none" || SELF_OPENING.test(core)
        ? ""
        : `${rng.pick(ack === "first" ? AGENT_ACKS : AGENT_FOLLOW_ACKS)} `;
    const agentName = this.agent?.name ?? "The support team";
    const end = closing ? `\n\n${closing}` : "";
    return `${this.fill(rng.pick(AGENT_GREETINGS))}\n\n${thanks}${core}${end}\n\n${rng.pick(AGENT_SIGNOFFS)}\n${agentName}`;
  }

  private first(name: string): string {
    return name.split(" ")[0] ?? name;
  }

  private date(daysBefore: number): string {
    const d = new Date(this.receivedAt - daysBefore * DAY_MS);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  }

  private money(amount: number): string {
    const c = this.customer.country;
    const symbol = CURRENCY[c] ?? (EURO.has(c) ? "€" : "$");
    return `${symbol}${Math.round(amount)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.00`;
  }

  private make(key: string): string | undefined {
    const { rng } = this;
    const year = new Date(this.receivedAt).getUTCFullYear();
    switch (key) {
      case "product":
        return this.product;
      case "first":
        return this.first(this.customer.contact.name);
      case "contact":
        return this.customer.contact.name;
      case "agent":
        return this.agent ? this.first(this.agent.name) : "there";
      case "colleagueAgent": {
        const others = this.org.workers.filter((w) => w.id !== this.agent?.id);
        return others.length > 0 ? this.first(rng.pick(others).name) : "a colleague";
      }
      case "accountManager":
        return this.customer.accountManager ?? "not assigned";
      case "tier":
        return this.customer.key ? "Key" : "Standard";
      case "timeZone":
        return this.customer.timeZone;
      case "connector":
        return rng.pick(CONNECTORS);
      case "idp":
        return rng.pick(IDPS);
      case "browser":
        return rng.pick(BROWSERS);
      case "os":
        return rng.pick(MOBILE_OS);
      case "dashboard":
        return rng.pick(DASHBOARDS);
      case "syncError":
        return rng.pick(SYNC_ERRORS);
      case "colleague":
        return rng.pick(COLLEAGUE_NAMES);
      case "n":
        return String(rng.int(2, 12));
      case "seatsUsed":
        return String(rng.int(5, 60));
      case "seats":
        return String(Number(this.fill("{seatsUsed}")) + rng.int(2, 15));
      case "invoice":
        return `INV-${year}-${String(rng.int(1_000, 99_999)).padStart(5, "0")}`;
      case "creditNote":
        return `CN-${year}-${String(rng.int(100, 9_999)).padStart(4, "0")}`;
      case "po":
        return `PO-${rng.int(100_000, 999_999)}`;
      case "vatId":
        return `${this.customer.country}${rng.int(100_000_000, 999_999_999)}`;
      case "amount":
        return this.money(rng.logNormal(2_500, 0.9));
      case "amountCorrected":
        return this.money(rng.logNormal(1_900, 0.9));
      case "date":
        return this.date(rng.int(1, 10));
      case "month":
        return MONTHS[new Date(this.receivedAt - 30 * DAY_MS).getUTCMonth()]!;
      case "time": {
        const m = rng.int(7 * 60, 17 * 60);
        return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
      }
      case "timeEnd": {
        const [h, m] = this.fill("{time}").split(":").map(Number);
        const end = h! * 60 + m! + rng.int(20, 90);
        return `${String(Math.floor(end / 60) % 24).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
      }
      case "last4":
        return String(rng.int(0, 9_999)).padStart(4, "0");
      case "txn":
      case "txn2":
        return `TX${rng.int(10_000_000, 99_999_999)}`;
      case "jobId":
      case "requestId":
        return Array.from(rng.bytes(8), (b) => b.toString(16).padStart(2, "0")).join("");
      case "ticket":
        return `${this.ticketPrefix}-${rng.int(1_000, 9_999)}`;
      case "rpm":
        return String(rng.int(8, 30) * 100);
      case "rows":
        return (rng.int(12, 900) * 1_000).toLocaleString("en-US");
      case "seconds":
        return String(rng.int(2, 9));
      case "minutes":
        return String(rng.int(6, 55));
      case "url":
        return `https://app.analytics-cloud.example/d/${Array.from(rng.bytes(4), (b) => b.toString(16).padStart(2, "0")).join("")}`;
      case "version":
        return `5.${rng.int(0, 2)}.${rng.int(0, 4)}`;
      case "versionFixed": {
        const [major, minor, patch] = this.fill("{version}").split(".").map(Number);
        return `${major}.${minor}.${patch! + 1}`;
      }
      default:
        return undefined;
    }
  }
}

/** Texts that already open with thanks, an apology or good news need no thank-you before them. */
const SELF_OPENING = /^(Thanks|Thank you|Sorry|Good news|Glad|Great|Yes)\b/;

/** Item `i mod length`: see the variant in CaseFactory.regular. */
function nth<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

function raise(p: Priority): Priority {
  return p === "low" ? "normal" : p === "normal" ? "high" : "urgent";
}
