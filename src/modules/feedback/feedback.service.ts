import {
  type Actor,
  actorId,
  type RequestCtx,
  requireRole,
  requireStaff,
} from "../../platform/auth/actor.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database, Executor, Trx } from "../../platform/db/database.ts";
import { invalid, notFound, ruleRefused } from "../../platform/errors.ts";
import type { EventBus } from "../../platform/events/event-bus.ts";
import { newId } from "../../platform/ids.ts";
import { clampLimit, decodeCursor, encodeCursor, oneOf, type Page } from "../../platform/pagination.ts";
import { guarded } from "../cases/case-input.ts";
import { formatCaseNumber } from "../cases/case-number.ts";
import { casesRepository } from "../cases/cases.repository.ts";
import type { MailService } from "../mail/mail.service.ts";
import type { SurveysService } from "../surveys/surveys.service.ts";
import { type FeedbackSort, type FeedbackView, feedbackRepository as repo } from "./feedback.repository.ts";
import type { FeedbackKind, FeedbackSource, FeedbackStatus } from "./feedback.tables.ts";

export const FEEDBACK_KINDS: readonly FeedbackKind[] = ["complaint", "idea", "praise", "question"];
export const FEEDBACK_SOURCES: readonly FeedbackSource[] = ["survey", "case", "portal", "council", "agent"];
export const FEEDBACK_STATUSES: readonly FeedbackStatus[] = [
  "new",
  "planned",
  "in_progress",
  "done",
  "wont_do",
];

export type FeedbackItem = {
  id: string;
  kind: FeedbackKind;
  source: FeedbackSource;
  title: string;
  body: string | null;
  status: FeedbackStatus;
  accountId: string | null;
  accountName: string | null;
  contactId: string | null;
  contactName: string | null;
  caseId: string | null;
  caseNumber: string | null;
  surveyId: string | null;
  createdById: string | null;
  votes: number;
  /** The summed annual revenue of the accounts that voted for it. */
  revenue: number;
  loopClosedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type CreateFeedback = {
  kind: FeedbackKind;
  source?: FeedbackSource | undefined;
  title: string;
  body?: string | null | undefined;
  accountId?: string | undefined;
  contactId?: string | undefined;
  caseId?: string | undefined;
  surveyId?: string | undefined;
};

export type FeedbackQuery = {
  status?: string[] | undefined;
  kind?: string[] | undefined;
  accountId?: string | undefined;
  caseId?: string | undefined;
  q?: string | undefined;
  sort?: FeedbackSort | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

const CLOSERS = ["admin", "manager"] as const;

/**
 * Feedback items: complaints, ideas, praise and questions from every source, voted for by
 * accounts (their revenue summed), with a status, and the loop closed by telling every linked
 * contact when an item is done.
 */
export class FeedbackService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly mail: MailService,
    private readonly surveys: SurveysService,
  ) {}

  async list(actor: Actor, query: FeedbackQuery): Promise<Page<FeedbackItem>> {
    requireStaff(actor);
    const limit = clampLimit(query.limit);
    const cursor = decodeCursor(query.cursor, ["number"]);
    const offset = cursor ? Number(cursor[0]) : 0;
    const rows = await repo.list(
      this.db.kysely,
      {
        status: oneOf(query.status, FEEDBACK_STATUSES, "/status"),
        kind: oneOf(query.kind, FEEDBACK_KINDS, "/kind"),
        ...(query.accountId ? { accountId: query.accountId } : {}),
        ...(query.caseId ? { caseId: query.caseId } : {}),
        ...(query.q ? { q: query.q } : {}),
      },
      query.sort ?? "newest",
      limit,
      offset,
    );
    const hasMore = rows.length > limit;
    return {
      items: rows.slice(0, limit).map(present),
      nextCursor: hasMore ? encodeCursor([offset + limit]) : null,
    };
  }

  async get(actor: Actor, id: string): Promise<FeedbackItem & { votesBy: Vote[]; tellings: Telling[] }> {
    requireStaff(actor);
    const row = await repo.find(this.db.kysely, id);
    if (!row) throw notFound("Feedback item");
    return { ...present(row), votesBy: await this.votes(id), tellings: await this.tellings(id) };
  }

  async create(ctx: RequestCtx, input: CreateFeedback): Promise<FeedbackItem> {
    requireStaff(ctx.actor);
    return this.tx((trx) => this.createIn(trx, ctx, input));
  }

  /** One feedback item by id, read in the caller's transaction (council agenda items). */
  async findIn(db: Executor, id: string): Promise<FeedbackItem | undefined> {
    const row = await repo.find(db, id);
    return row ? present(row) : undefined;
  }

  /** Creates an item in the caller's transaction (a council's action item). Same rules as `create`. */
  async createIn(trx: Trx, ctx: RequestCtx, input: CreateFeedback): Promise<FeedbackItem> {
    requireStaff(ctx.actor);
    const title = input.title.trim();
    if (title === "") throw invalid("/title", "must not be blank");
    {
      let accountId = input.accountId ?? null;
      let contactId = input.contactId ?? null;
      let caseId = input.caseId ?? null;
      let body = input.body?.trim() || null;
      let source: FeedbackSource = input.source ?? "agent";
      if (input.surveyId) {
        const survey = await this.surveys.findForFeedback(trx, input.surveyId);
        if (!survey) throw invalid("/surveyId", "no such survey");
        if (survey.feedback_item_id)
          throw ruleRefused("A feedback item was already made from this survey", {
            feedbackItemId: survey.feedback_item_id,
          });
        contactId ??= survey.contact_id;
        accountId ??= survey.account_id;
        caseId ??= survey.case_id;
        body ??= survey.comment;
        source = input.source ?? "survey";
      }
      if (caseId) {
        const kase = await casesRepository.findCase(trx, caseId);
        if (!kase) throw invalid("/caseId", "no such case");
        contactId ??= kase.contact_id;
        accountId ??= kase.account_id;
        if (!input.surveyId) source = input.source ?? "case";
        if (accountId && kase.account_id && kase.account_id !== accountId)
          throw invalid("/caseId", "is a case of another account");
      }
      if (contactId) {
        const contact = await repo.contact(trx, contactId);
        if (!contact) throw invalid("/contactId", "no such contact");
        if (accountId && contact.account_id !== accountId)
          throw invalid("/contactId", "is not a contact of this account");
        accountId ??= contact.account_id;
      }
      if (accountId && !(await repo.accountExists(trx, accountId)))
        throw invalid("/accountId", "no such account");
      const now = this.clock.now();
      const id = newId();
      await repo.insert(trx, {
        id,
        kind: input.kind,
        source,
        title,
        body,
        status: "new",
        account_id: accountId,
        contact_id: contactId,
        case_id: caseId,
        survey_id: input.surveyId ?? null,
        created_by_id: actorId(ctx.actor),
        loop_closed_at: null,
        created_at: now,
        updated_at: now,
      });
      // The account that raised it counts as its first vote.
      if (accountId)
        await repo.addVote(trx, {
          item_id: id,
          account_id: accountId,
          contact_id: contactId,
          created_at: now,
        });
      if (input.surveyId) await this.surveys.linkFeedback(trx, input.surveyId, id);
      await this.bus.append(trx, {
        type: "feedback.created",
        entityType: "feedback",
        entityId: id,
        accountId,
        actorId: actorId(ctx.actor),
        data: { kind: input.kind, source, title, caseId, contactId, surveyId: input.surveyId ?? null },
      });
      return present((await repo.find(trx, id))!);
    }
  }

  async update(
    ctx: RequestCtx,
    id: string,
    input: {
      title?: string | undefined;
      body?: string | null | undefined;
      kind?: FeedbackKind | undefined;
      status?: FeedbackStatus | undefined;
    },
  ): Promise<FeedbackItem> {
    requireStaff(ctx.actor);
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Feedback item");
      const title = input.title?.trim();
      if (title === "") throw invalid("/title", "must not be blank");
      await repo.update(trx, id, {
        ...(title !== undefined ? { title } : {}),
        ...(input.body !== undefined ? { body: input.body?.trim() || null } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.status !== undefined ? { status: input.status } : {}),
        updated_at: this.clock.now(),
      });
      if (input.status !== undefined && input.status !== row.status) {
        await this.bus.append(trx, {
          type: "feedback.status_changed",
          entityType: "feedback",
          entityId: id,
          accountId: row.account_id,
          actorId: actorId(ctx.actor),
          data: { from: row.status, to: input.status, kind: row.kind, title: row.title },
        });
      }
      return present((await repo.find(trx, id))!);
    });
  }

  async delete(ctx: RequestCtx, id: string): Promise<void> {
    requireRole(ctx.actor, CLOSERS, "delete feedback items");
    await this.tx(async (trx) => {
      if (!(await repo.lock(trx, id))) throw notFound("Feedback item");
      await repo.delete(trx, id);
    });
  }

  async vote(
    ctx: RequestCtx,
    id: string,
    input: { accountId: string; contactId?: string | undefined },
  ): Promise<FeedbackItem> {
    requireStaff(ctx.actor);
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Feedback item");
      if (!(await repo.accountExists(trx, input.accountId))) throw invalid("/accountId", "no such account");
      if (input.contactId) {
        const contact = await repo.contact(trx, input.contactId);
        if (!contact) throw invalid("/contactId", "no such contact");
        if (contact.account_id !== input.accountId)
          throw invalid("/contactId", "is not a contact of this account");
      }
      const added = await repo.addVote(trx, {
        item_id: id,
        account_id: input.accountId,
        contact_id: input.contactId ?? null,
        created_at: this.clock.now(),
      });
      if (!added) throw ruleRefused("This account has already voted for the item");
      return present((await repo.find(trx, id))!);
    });
  }

  async unvote(ctx: RequestCtx, id: string, accountId: string): Promise<FeedbackItem> {
    requireStaff(ctx.actor);
    return this.tx(async (trx) => {
      if (!(await repo.lock(trx, id))) throw notFound("Feedback item");
      if (!(await repo.removeVote(trx, id, accountId))) throw notFound("Vote");
      return present((await repo.find(trx, id))!);
    });
  }

  /**
   * Closing the loop: every contact linked to a done item (its own contact and the contacts
   * behind its votes) is told by email, in one action; each telling is recorded. Contacts told
   * before are not told again.
   */
  async closeLoop(
    ctx: RequestCtx,
    id: string,
    input: { message?: string | undefined },
  ): Promise<{ told: Telling[]; alreadyTold: number }> {
    requireRole(ctx.actor, CLOSERS, "close the loop");
    return this.tx(async (trx) => {
      const row = await repo.lock(trx, id);
      if (!row) throw notFound("Feedback item");
      if (row.status !== "done")
        throw ruleRefused(`Only a done item closes the loop; this one is ${row.status}`, {
          itemStatus: row.status,
        });
      const contacts = await repo.linkedContacts(trx, id);
      const before = await repo.toldContactIds(trx, id);
      const now = this.clock.now();
      const message = input.message?.trim();
      const told: string[] = [];
      for (const contact of contacts) {
        if (before.has(contact.id) || !contact.email) continue;
        await this.mail.enqueue(trx, {
          to: contact.email,
          toName: contact.name,
          subject: `Done: ${row.title}`,
          text: [
            `Hello ${contact.name},`,
            "",
            `You told us about "${row.title}". We wanted to let you know: it is done.`,
            ...(message ? ["", message] : []),
            "",
            "Thank you for telling us; it made the difference.",
          ].join("\n"),
          purpose: "feedback.loop_closed",
          caseId: row.case_id,
        });
        await repo.insertTelling(trx, {
          id: newId(),
          item_id: id,
          contact_id: contact.id,
          email: contact.email,
          told_by_id: actorId(ctx.actor),
          told_at: now,
        });
        told.push(contact.id);
      }
      await repo.update(trx, id, { loop_closed_at: now, updated_at: now });
      await this.bus.append(trx, {
        type: "feedback.loop_closed",
        entityType: "feedback",
        entityId: id,
        accountId: row.account_id,
        actorId: actorId(ctx.actor),
        data: { told: told.length, contactIds: told, title: row.title },
      });
      const all = await this.tellings(id, trx);
      return { told: all.filter((t) => told.includes(t.contactId)), alreadyTold: before.size };
    });
  }

  private async votes(id: string): Promise<Vote[]> {
    return (await repo.votes(this.db.kysely, id)).map((v) => ({
      accountId: v.account_id,
      accountName: v.account_name,
      annualRevenue: Number(v.annual_revenue),
      contactId: v.contact_id,
      contactName: v.contact_name,
      createdAt: v.created_at.toISOString(),
    }));
  }

  private async tellings(id: string, db: Trx | undefined = undefined): Promise<Telling[]> {
    return (await repo.tellings(db ?? this.db.kysely, id)).map((t) => ({
      id: t.id,
      contactId: t.contact_id,
      contactName: t.contact_name,
      email: t.email,
      toldById: t.told_by_id,
      toldAt: t.told_at.toISOString(),
    }));
  }

  private async tx<T>(work: (trx: Trx) => Promise<T>): Promise<T> {
    return guarded(() => this.db.kysely.transaction().execute(work));
  }
}

export type Vote = {
  accountId: string;
  accountName: string;
  annualRevenue: number;
  contactId: string | null;
  contactName: string | null;
  createdAt: string;
};
export type Telling = {
  id: string;
  contactId: string;
  contactName: string | null;
  email: string;
  toldById: string | null;
  toldAt: string;
};

function present(r: FeedbackView): FeedbackItem {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    title: r.title,
    body: r.body,
    status: r.status,
    accountId: r.account_id,
    accountName: r.account_name,
    contactId: r.contact_id,
    contactName: r.contact_name,
    caseId: r.case_id,
    caseNumber: r.case_number === null ? null : formatCaseNumber(r.case_number),
    surveyId: r.survey_id,
    createdById: r.created_by_id,
    votes: Number(r.votes),
    revenue: Number(r.revenue),
    loopClosedAt: r.loop_closed_at ? r.loop_closed_at.toISOString() : null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
