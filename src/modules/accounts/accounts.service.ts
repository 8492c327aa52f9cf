import { type Actor, actorId, type RequestCtx, type Role, requireRole } from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { AppError, conflict, invalid, notFound } from "../../platform/errors.ts";
import { type EventBus, readAccountEvents } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, type Page, toPage } from "../../platform/pagination.ts";
import { assertTimeZone } from "../../platform/time-zone.ts";
import type { UsersService } from "../users/users.service.ts";
import {
  type AccountRow,
  type AccountSort,
  type ContactRow,
  accountsRepository as repo,
} from "./accounts.repository.ts";
import type { HealthBand } from "./accounts.tables.ts";
import { paretoTiers, type Tier } from "./pareto.ts";

export type Account = {
  id: string;
  name: string;
  annualRevenue: number;
  tier: Tier;
  ownerId: string | null;
  domain: string | null;
  industry: string | null;
  country: string | null;
  timeZone: string;
  customerSince: string | null;
  /** Both null until the health capability has scored the account ("not yet scored"). */
  health: { score: number | null; band: HealthBand | null };
  createdAt: string;
  updatedAt: string;
};

export type Contact = {
  id: string;
  accountId: string;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  /** Null: the account's time zone applies. */
  timeZone: string | null;
  language: string;
  createdAt: string;
  updatedAt: string;
};

export type CreateAccount = {
  name: string;
  annualRevenue?: number | undefined;
  ownerId?: string | null | undefined;
  domain?: string | null | undefined;
  industry?: string | null | undefined;
  country?: string | null | undefined;
  timeZone?: string | undefined;
  customerSince?: string | null | undefined;
};
export type UpdateAccount = Partial<CreateAccount>;

export type AccountQuery = {
  tier?: Tier | undefined;
  ownerId?: string | undefined;
  q?: string | undefined;
  sort?: AccountSort | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

export type CreateContact = {
  accountId: string;
  name: string;
  email: string;
  phone?: string | null | undefined;
  title?: string | null | undefined;
  timeZone?: string | null | undefined;
  language?: string | undefined;
};
export type UpdateContact = Partial<CreateContact>;

export type ContactQuery = {
  accountId?: string | undefined;
  q?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

/** Sales are account managers: every staff role looks after customers. */
const EDITORS: readonly Role[] = ["admin", "manager", "agent", "sales"];
const DELETERS: readonly Role[] = ["admin", "manager"];

type Changes = Record<string, { from: unknown; to: unknown }>;

export function presentAccount(r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    annualRevenue: Number(r.annual_revenue),
    tier: r.tier,
    ownerId: r.owner_id,
    domain: r.domain,
    industry: r.industry,
    country: r.country,
    timeZone: r.time_zone,
    customerSince: r.customer_since,
    health: { score: r.health_score, band: r.health_band },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function presentContact(r: ContactRow): Contact {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    title: r.title,
    timeZone: r.time_zone,
    language: r.language,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/**
 * Customers: accounts, their contacts, and the value tier every account gets from the Pareto
 * cut over all revenues. Staff read everything and edit (deleting is for admins and managers);
 * a portal contact reads its own account and its contacts, and for it nothing else exists.
 */
export type TimelineEntry = {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  actorId: string | null;
  at: string;
  data: Record<string, unknown>;
};

export class AccountsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly users: UsersService,
  ) {}

  // ---- for other modules ----

  /**
   * An account read on the caller's executor, for other modules that check it inside their own
   * transaction (PGlite has one connection, so `getAccount` would wait for theirs). No permission
   * check: the calling service has made its own.
   */
  async accountIn(db: Executor, id: string): Promise<Account | undefined> {
    const row = await repo.findAccount(db, id);
    return row && presentAccount(row);
  }

  /** A contact read on the caller's executor; see `accountIn`. */
  async contactIn(db: Executor, id: string): Promise<Contact | undefined> {
    const row = await repo.findContact(db, id);
    return row && presentContact(row);
  }

  /** A contact by email (any letter case) on the caller's executor; see `accountIn`. */
  async contactByEmailIn(db: Executor, email: string): Promise<Contact | undefined> {
    const row = await repo.findContactByEmail(db, email.trim());
    return row && presentContact(row);
  }

  /** The account whose `domain` is this email domain, on the caller's executor (inbound email). */
  async accountByDomainIn(db: Executor, domain: string): Promise<Account | undefined> {
    const row = await repo.findAccountByDomain(db, domain.trim());
    return row && presentAccount(row);
  }

  /**
   * Creates an account without revenue inside the caller's transaction (inbound email from an
   * unknown sender); without revenue it cannot move the Pareto cut. No permission check: the
   * calling service has made its own.
   */
  async createAccountIn(
    trx: Trx,
    ctx: RequestCtx,
    input: { name: string; domain?: string | null | undefined },
  ): Promise<Account> {
    const id = await this.insertAccount(trx, ctx, {
      name: nonBlank(input.name, "/name"),
      domain: input.domain,
    });
    return presentAccount((await repo.findAccount(trx, id))!);
  }

  /** Creates a contact inside the caller's transaction (inbound email); a taken email is a 409. */
  async createContactIn(trx: Trx, ctx: RequestCtx, input: CreateContact): Promise<Contact> {
    const name = nonBlank(input.name, "/name");
    const email = input.email.trim();
    assertTimeZone(input.timeZone ?? undefined, "/timeZone");
    if (!(await repo.findAccount(trx, input.accountId))) throw invalid("/accountId", "no such account");
    await this.assertEmailFree(trx, email);
    const now = this.clock.now();
    const id = newId();
    await writeContact(email, () =>
      repo.insertContact(trx, {
        id,
        account_id: input.accountId,
        name,
        email,
        phone: input.phone?.trim() || null,
        title: input.title?.trim() || null,
        time_zone: input.timeZone ?? null,
        language: input.language ?? "en",
        created_at: now,
        updated_at: now,
      }),
    );
    await this.bus.append(trx, {
      type: "contact.created",
      entityType: "contact",
      entityId: id,
      accountId: input.accountId,
      actorId: actorId(ctx.actor),
      data: { name, email },
    });
    return presentContact((await repo.findContact(trx, id))!);
  }

  /**
   * Health score and band as the ledger computed them (src/modules/health is the source of
   * `health`), in the caller's transaction; null clears it ("not yet scored").
   */
  async setHealthIn(db: Executor, accountId: string, health: { score: number; band: HealthBand } | null) {
    await repo.setHealth(db, accountId, health);
  }

  /** Many accounts at once (a ledger rebuild); `clearFirst` unscores every account beforehand. */
  async setHealthManyIn(
    db: Executor,
    rows: { id: string; score: number; band: HealthBand }[],
    options: { clearFirst?: boolean } = {},
  ) {
    if (options.clearFirst) await repo.clearAllHealth(db);
    await repo.setHealthMany(db, rows);
  }

  // ---- accounts ----

  async getAccount(actor: Actor, id: string): Promise<Account> {
    if (!mayReadAccount(actor, id)) throw notFound("Account");
    const row = await repo.findAccount(this.db.kysely, id);
    if (!row) throw notFound("Account");
    return presentAccount(row);
  }

  /**
   * The customer's whole story in one list: every event recorded for the account (cases,
   * messages, contacts, tier changes, and whatever later capabilities record), newest first.
   * Portal contacts see only the customer-visible part.
   */
  async timeline(
    actor: Actor,
    id: string,
    query: { limit?: number; cursor?: string; type?: string[] },
  ): Promise<Page<TimelineEntry>> {
    if (!mayReadAccount(actor, id)) throw notFound("Account");
    if (!(await repo.findAccount(this.db.kysely, id))) throw notFound("Account");
    const limit = clampLimit(query.limit);
    const before = decodeCursor(query.cursor, ["number"]) as [number] | undefined;
    const events = await readAccountEvents(this.db.kysely, id, {
      beforeSeq: before?.[0],
      limit: limit + 1,
      customerVisibleOnly: actor.kind === "contact",
      types: query.type,
    });
    return toPage(
      events,
      limit,
      (e) => [e.seq],
      (e): TimelineEntry => ({
        seq: e.seq,
        type: e.type,
        entityType: e.entityType,
        entityId: e.entityId,
        actorId: actor.kind === "contact" ? null : e.actorId,
        at: e.occurredAt.toISOString(),
        data: actor.kind === "contact" ? {} : e.data,
      }),
    );
  }

  async listAccounts(actor: Actor, query: AccountQuery): Promise<Page<Account>> {
    const sort = query.sort ?? "name";
    const limit = clampLimit(query.limit);
    const after = accountCursor(query.cursor, sort);
    const rows = await repo.listAccounts(this.db.kysely, {
      ...query,
      ...(actor.kind === "contact" ? { id: actor.accountId } : {}),
      sort,
      after,
      limit,
    });
    return toPage(
      rows,
      limit,
      (r) => [sort === "name" ? r.name_key : Number(r.annual_revenue), r.id],
      presentAccount,
    );
  }

  async createAccount(ctx: RequestCtx, input: CreateAccount): Promise<Account> {
    requireEditor(ctx.actor, "create accounts");
    const name = nonBlank(input.name, "/name");
    assertRevenue(input.annualRevenue);
    assertTimeZone(input.timeZone, "/timeZone");
    if (input.ownerId) await this.assertActiveStaff(ctx.actor, input.ownerId, "/ownerId");
    const revenue = input.annualRevenue ?? 0;
    return this.db.kysely.transaction().execute(async (trx) => {
      // An account without revenue cannot move the cut (it is never key and adds nothing to
      // the total), so only one with revenue takes the lock and recomputes.
      if (revenue > 0) await repo.lockTiers(trx);
      const id = await this.insertAccount(trx, ctx, { ...input, name, annualRevenue: revenue });
      if (revenue > 0) await this.recomputeTiers(trx, ctx);
      return presentAccount((await repo.findAccount(trx, id))!);
    });
  }

  /** Writes the account row and `account.created`; the caller validated and holds any tier lock. */
  private async insertAccount(trx: Trx, ctx: RequestCtx, input: CreateAccount): Promise<string> {
    const now = this.clock.now();
    const id = newId();
    const revenue = input.annualRevenue ?? 0;
    await repo.insertAccount(trx, {
      id,
      name: input.name,
      annual_revenue: revenue,
      owner_id: input.ownerId ?? null,
      tier: "standard",
      domain: normaliseDomain(input.domain),
      industry: input.industry?.trim() || null,
      country: input.country ?? null,
      time_zone: input.timeZone ?? "UTC",
      customer_since: input.customerSince ?? null,
      health_score: null,
      health_band: null,
      created_at: now,
      updated_at: now,
    });
    await this.bus.append(trx, {
      type: "account.created",
      entityType: "account",
      entityId: id,
      accountId: id,
      actorId: actorId(ctx.actor),
      data: { name: input.name, annualRevenue: revenue, ownerId: input.ownerId ?? null },
    });
    return id;
  }

  async updateAccount(ctx: RequestCtx, id: string, input: UpdateAccount): Promise<Account> {
    requireEditor(ctx.actor, "edit accounts");
    const wanted: Partial<AccountRow> = {};
    if (input.name !== undefined) wanted.name = nonBlank(input.name, "/name");
    if (input.annualRevenue !== undefined) {
      assertRevenue(input.annualRevenue);
      wanted.annual_revenue = input.annualRevenue;
    }
    if (input.ownerId !== undefined) {
      if (input.ownerId !== null) await this.assertActiveStaff(ctx.actor, input.ownerId, "/ownerId");
      wanted.owner_id = input.ownerId;
    }
    if (input.domain !== undefined) wanted.domain = normaliseDomain(input.domain);
    if (input.industry !== undefined) wanted.industry = input.industry?.trim() || null;
    if (input.country !== undefined) wanted.country = input.country;
    if (input.timeZone !== undefined) {
      assertTimeZone(input.timeZone, "/timeZone");
      wanted.time_zone = input.timeZone;
    }
    if (input.customerSince !== undefined) wanted.customer_since = input.customerSince;

    return this.db.kysely.transaction().execute(async (trx) => {
      // The tier lock comes before the row lock (see lockTiers).
      if (wanted.annual_revenue !== undefined) await repo.lockTiers(trx);
      const current = await repo.findAccountForUpdate(trx, id);
      if (!current) throw notFound("Account");
      const { set, changes } = diff(current, wanted, ACCOUNT_FIELDS);
      if (Object.keys(changes).length === 0) return presentAccount(current);
      await repo.updateAccount(trx, id, { ...set, updated_at: this.clock.now() });
      await this.bus.append(trx, {
        type: "account.updated",
        entityType: "account",
        entityId: id,
        accountId: id,
        actorId: actorId(ctx.actor),
        data: { changes },
      });
      if (changes.annualRevenue) await this.recomputeTiers(trx, ctx);
      return presentAccount((await repo.findAccount(trx, id))!);
    });
  }

  /** Deletes the account and its contacts. */
  async deleteAccount(ctx: RequestCtx, id: string): Promise<void> {
    requireDeleter(ctx.actor, "delete accounts");
    await this.db.kysely.transaction().execute(async (trx) => {
      await repo.lockTiers(trx);
      const current = await repo.findAccountForUpdate(trx, id);
      if (!current) throw notFound("Account");
      const contactsDeleted = await repo.deleteAccount(trx, id);
      await this.bus.append(trx, {
        type: "account.deleted",
        entityType: "account",
        entityId: id,
        accountId: id,
        actorId: actorId(ctx.actor),
        data: { name: current.name, annualRevenue: Number(current.annual_revenue), contactsDeleted },
      });
      if (Number(current.annual_revenue) > 0) await this.recomputeTiers(trx, ctx);
    });
  }

  /**
   * Re-applies the Pareto cut to every account and records each tier that moved. The caller
   * holds the tier lock, so concurrent revenue changes each see the one before them and the
   * stored tiers always match the committed revenues.
   */
  private async recomputeTiers(trx: Trx, ctx: RequestCtx): Promise<void> {
    const rows = await repo.revenuesAndTiers(trx);
    const tiers = paretoTiers(rows.map((r) => ({ id: r.id, annualRevenue: Number(r.annual_revenue) })));
    const moved = rows
      .filter((r) => tiers.get(r.id) !== r.tier)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (moved.length === 0) return;
    const now = this.clock.now();
    await repo.setTier(
      trx,
      moved.filter((r) => r.tier === "standard").map((r) => r.id),
      "key",
      now,
    );
    await repo.setTier(
      trx,
      moved.filter((r) => r.tier === "key").map((r) => r.id),
      "standard",
      now,
    );
    for (const r of moved) {
      await this.bus.append(trx, {
        type: "account.tier_changed",
        entityType: "account",
        entityId: r.id,
        accountId: r.id,
        actorId: actorId(ctx.actor),
        data: { from: r.tier, to: tiers.get(r.id)! },
      });
    }
  }

  private async assertActiveStaff(actor: Actor, userId: string, path: string): Promise<void> {
    // Checked through the users service, before the transaction: that service reads on its own
    // connection, which inside a PGlite transaction would wait for ours.
    const user = await this.users.get(actor, userId).catch((e: unknown) => {
      if (e instanceof AppError && e.code === "not_found") throw invalid(path, "no such user");
      throw e;
    });
    if (!user.active) throw invalid(path, "is deactivated");
  }

  // ---- contacts ----

  async getContact(actor: Actor, id: string): Promise<Contact> {
    const row = await repo.findContact(this.db.kysely, id);
    if (!row || !mayReadAccount(actor, row.account_id)) throw notFound("Contact");
    return presentContact(row);
  }

  async listContacts(actor: Actor, query: ContactQuery): Promise<Page<Contact>> {
    const limit = clampLimit(query.limit);
    const after = nameCursor(query.cursor);
    let accountId = query.accountId;
    if (actor.kind === "contact") {
      // Another account's contacts do not exist for a portal contact: an empty list, not a 404.
      if (accountId && accountId !== actor.accountId) return { items: [], nextCursor: null };
      accountId = actor.accountId;
    }
    const rows = await repo.listContacts(this.db.kysely, { accountId, q: query.q, after, limit });
    return toPage(rows, limit, (r) => [r.name_key, r.id], presentContact);
  }

  /** `GET /accounts/{id}/contacts`: like the filtered list, but an unknown account is a 404. */
  async listAccountContacts(
    actor: Actor,
    accountId: string,
    query: Omit<ContactQuery, "accountId">,
  ): Promise<Page<Contact>> {
    await this.getAccount(actor, accountId);
    return this.listContacts(actor, { ...query, accountId });
  }

  async createContact(ctx: RequestCtx, input: CreateContact): Promise<Contact> {
    requireEditor(ctx.actor, "create contacts");
    const name = nonBlank(input.name, "/name");
    const email = input.email.trim();
    assertTimeZone(input.timeZone ?? undefined, "/timeZone");
    return this.db.kysely
      .transaction()
      .execute((trx) => this.createContactIn(trx, ctx, { ...input, name, email }));
  }

  async updateContact(ctx: RequestCtx, id: string, input: UpdateContact): Promise<Contact> {
    requireEditor(ctx.actor, "edit contacts");
    const wanted: Partial<ContactRow> = {};
    if (input.accountId !== undefined) wanted.account_id = input.accountId;
    if (input.name !== undefined) wanted.name = nonBlank(input.name, "/name");
    if (input.email !== undefined) wanted.email = input.email.trim();
    if (input.phone !== undefined) wanted.phone = input.phone?.trim() || null;
    if (input.title !== undefined) wanted.title = input.title?.trim() || null;
    if (input.timeZone !== undefined) {
      assertTimeZone(input.timeZone ?? undefined, "/timeZone");
      wanted.time_zone = input.timeZone;
    }
    if (input.language !== undefined) wanted.language = input.language;

    return this.db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findContactForUpdate(trx, id);
      if (!current) throw notFound("Contact");
      if (wanted.account_id !== undefined && wanted.account_id !== current.account_id) {
        if (!(await repo.findAccount(trx, wanted.account_id))) throw invalid("/accountId", "no such account");
      }
      // Changing only the letter case of an email keeps it; another contact's email is a 409.
      if (wanted.email !== undefined && wanted.email.toLowerCase() !== current.email.toLowerCase()) {
        await this.assertEmailFree(trx, wanted.email);
      }
      const { set, changes } = diff(current, wanted, CONTACT_FIELDS);
      if (Object.keys(changes).length === 0) return presentContact(current);
      await writeContact(wanted.email ?? current.email, () =>
        repo.updateContact(trx, id, { ...set, updated_at: this.clock.now() }),
      );
      await this.bus.append(trx, {
        type: "contact.updated",
        entityType: "contact",
        entityId: id,
        accountId: set.account_id ?? current.account_id,
        actorId: actorId(ctx.actor),
        data: { changes },
      });
      return presentContact((await repo.findContact(trx, id))!);
    });
  }

  async deleteContact(ctx: RequestCtx, id: string): Promise<void> {
    requireDeleter(ctx.actor, "delete contacts");
    await this.db.kysely.transaction().execute(async (trx) => {
      const current = await repo.findContactForUpdate(trx, id);
      if (!current) throw notFound("Contact");
      await repo.deleteContact(trx, id);
      await this.bus.append(trx, {
        type: "contact.deleted",
        entityType: "contact",
        entityId: id,
        accountId: current.account_id,
        actorId: actorId(ctx.actor),
        data: { name: current.name, email: current.email },
      });
    });
  }

  private async assertEmailFree(db: Executor, email: string): Promise<void> {
    if (await repo.findContactByEmail(db, email))
      throw conflict(`A contact with email ${email} already exists`, "/email");
  }
}

// ---- permissions ----

function mayReadAccount(actor: Actor, accountId: string): boolean {
  return actor.kind !== "contact" || actor.accountId === accountId;
}

/** A portal contact only reads: for it, every change is to something that does not exist. */
function hideFromPortal(actor: Actor): void {
  if (actor.kind === "contact") throw new AppError("not_found", "Not found");
}

function requireEditor(actor: Actor, doing: string): void {
  hideFromPortal(actor);
  requireRole(actor, EDITORS, doing);
}

function requireDeleter(actor: Actor, doing: string): void {
  hideFromPortal(actor);
  requireRole(actor, DELETERS, doing);
}

// ---- input rules the schemas cannot say ----

function nonBlank(value: string, path: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalid(path, "must not be blank");
  return trimmed;
}

/** The column keeps cents: a third decimal would be silently rounded away. */
function assertRevenue(revenue: number | undefined): void {
  if (revenue === undefined) return;
  if (!/^\d+(\.\d{1,2})?$/.test(String(revenue))) {
    throw invalid("/annualRevenue", "must be an amount with at most two decimals");
  }
}

function normaliseDomain(domain: string | null | undefined): string | null {
  return domain ? domain.trim().toLowerCase() : null;
}

// ---- cursors ----

/** Decodes and type-checks a cursor: a forged or stale one is a 400, never a failing SQL cast. */
function accountCursor(cursor: string | undefined, sort: AccountSort): [string | number, string] | undefined {
  const values = decodeCursor(cursor, [sort === "name" ? "string" : "number", "uuid"]);
  if (values && typeof values[0] === "number" && values[0] < 0) {
    throw invalid("/cursor", "not a cursor this list issued");
  }
  return values as [string | number, string] | undefined;
}

function nameCursor(cursor: string | undefined): [string, string] | undefined {
  return decodeCursor(cursor, ["string", "uuid"]) as [string, string] | undefined;
}

// ---- change sets ----

const ACCOUNT_FIELDS = {
  name: "name",
  annualRevenue: "annual_revenue",
  ownerId: "owner_id",
  domain: "domain",
  industry: "industry",
  country: "country",
  timeZone: "time_zone",
  customerSince: "customer_since",
} as const satisfies Record<string, keyof AccountRow>;

const CONTACT_FIELDS = {
  accountId: "account_id",
  name: "name",
  email: "email",
  phone: "phone",
  title: "title",
  timeZone: "time_zone",
  language: "language",
} as const satisfies Record<string, keyof ContactRow>;

/** The columns that really change, and the same as `{apiField: {from, to}}` for the event. */
function diff<Row extends object>(
  current: Row,
  wanted: Partial<Row>,
  fields: Record<string, keyof Row>,
): { set: Partial<Row>; changes: Changes } {
  const set: Partial<Row> = {};
  const changes: Changes = {};
  for (const [apiName, column] of Object.entries(fields)) {
    if (!(column in wanted)) continue;
    const to = wanted[column];
    const from = current[column];
    // numeric comes back as a number; compare values, not representations.
    if (to === from || (typeof to === "number" && Number(from) === to)) continue;
    set[column] = wanted[column];
    changes[apiName] = { from: typeof to === "number" ? Number(from) : from, to };
  }
  return { set, changes };
}

/**
 * A concurrent change can pass the checks above and still meet a constraint: another contact
 * took the email (unique index), or the account was deleted meanwhile (foreign key). Both are
 * the client's problem, never a 500.
 */
async function writeContact(email: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === "23505") throw conflict(`A contact with email ${email} already exists`, "/email");
    if (code === "23503") throw invalid("/accountId", "no such account");
    throw e;
  }
}
