import type { Clock } from "../../platform/clock.ts";
import type { Executor, Trx } from "../../platform/db/database.ts";
import type { CaseRow } from "../cases/cases.repository.ts";
import type { CasesService } from "../cases/cases.service.ts";
import { emailRepository as repo } from "./email.repository.ts";
import { formatMarker, newRefToken } from "./thread-marker.ts";

/** How many merges to follow from a case to the one that survived. */
const MAX_MERGE_HOPS = 20;

/**
 * A case's email thread: its marker token, whether automatic mail is held back, and the
 * Message-IDs that belong to it (ours and the customer's). Shared by inbound processing and
 * outbound mail; every method works on the caller's transaction.
 */
export class EmailThreads {
  constructor(
    private readonly clock: Clock,
    private readonly cases: CasesService,
  ) {}

  /** The case's thread row, created on first use. */
  async ensure(
    trx: Trx,
    caseId: string,
    noAutoMailReason: string | null = null,
  ): Promise<{ ref_token: string; no_auto_mail_reason: string | null }> {
    return repo.ensureThread(trx, {
      case_id: caseId,
      ref_token: newRefToken(),
      no_auto_mail_reason: noAutoMailReason,
      created_at: this.clock.now(),
    });
  }

  /** The hidden marker of a case, `[ref:CS-000123:token]`. */
  async marker(trx: Trx, row: CaseRow): Promise<string> {
    const thread = await this.ensure(trx, row.id);
    return formatMarker(row.number, thread.ref_token);
  }

  /** The case a mail about `caseId` belongs to now: merged duplicates lead to their survivor. */
  async follow(db: Executor, caseId: string): Promise<CaseRow | undefined> {
    let row = await this.cases.findRow(db, caseId);
    for (let hops = 0; row?.merged_into_id && hops < MAX_MERGE_HOPS; hops++) {
      row = await this.cases.findRow(db, row.merged_into_id);
    }
    return row;
  }

  /** The first of `ids` (in the order given) that we know, and its case. */
  async byMessageIds(
    db: Executor,
    ids: string[],
  ): Promise<{ caseId: string; messageId: string } | undefined> {
    const found = await repo.findMessageIds(db, ids.slice(0, 100));
    for (const id of ids) {
      const hit = found.find((f) => f.message_id === id);
      if (hit) return { caseId: hit.case_id, messageId: id };
    }
    return undefined;
  }

  async byToken(db: Executor, token: string): Promise<string | undefined> {
    return repo.caseOfToken(db, token);
  }

  async record(
    trx: Trx,
    row: {
      messageId: string;
      caseId: string;
      direction: "in" | "out";
      inboundMailId?: string | null;
      outboundMailId?: string | null;
      caseMessageId?: string | null;
    },
  ): Promise<void> {
    await repo.insertMessageId(trx, {
      message_id: row.messageId,
      case_id: row.caseId,
      direction: row.direction,
      inbound_mail_id: row.inboundMailId ?? null,
      outbound_mail_id: row.outboundMailId ?? null,
      case_message_id: row.caseMessageId ?? null,
      created_at: this.clock.now(),
    });
  }

  /**
   * Threading headers for a mail we send on a case: In-Reply-To the customer's latest mail,
   * References the thread (the first id and the latest ones, as RFC 5322 suggests when long).
   */
  async replyHeaders(
    db: Executor,
    caseId: string,
  ): Promise<{ inReplyTo: string | null; references: string[] }> {
    const ids = await repo.threadIds(db, caseId);
    const lastIn = [...ids].reverse().find((i) => i.direction === "in");
    const all = ids.map((i) => i.message_id);
    const references = all.length > 20 ? [all[0]!, ...all.slice(-19)] : all;
    return { inReplyTo: lastIn?.message_id ?? null, references };
  }
}
