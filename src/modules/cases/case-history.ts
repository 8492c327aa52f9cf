import { type Actor, actorId } from "../../platform/auth/actor.ts";
import type { Executor } from "../../platform/db/database.ts";
import { newId } from "../../platform/ids.ts";
import type { CaseRow, HistoryRow } from "./cases.repository.ts";
import { casesRepository as repo } from "./cases.repository.ts";

/** One line of a case's history: who changed which field from what to what, and when. */
export type HistoryChange = { field: string; from: unknown; to: unknown };

export type CaseHistoryEntry = {
  id: string;
  at: string;
  actorKind: "user" | "contact" | "system";
  actorId: string | null;
  field: string;
  from: unknown;
  to: unknown;
};

/** Columns whose every change is history, under their API names. */
export const TRACKED_FIELDS: readonly [keyof CaseRow, string][] = [
  ["subject", "subject"],
  ["description", "description"],
  ["account_id", "accountId"],
  ["contact_id", "contactId"],
  ["product", "product"],
  ["category", "category"],
  ["priority", "priority"],
  ["channel", "channel"],
  ["status", "status"],
  ["owner_id", "ownerId"],
  ["team_id", "teamId"],
  ["queue_id", "queueId"],
  ["tags", "tags"],
  ["received_at", "receivedAt"],
  ["parent_id", "parentId"],
  ["merged_into_id", "mergedIntoId"],
  ["reopen_count", "reopenCount"],
];

function jsonOf(v: unknown): unknown {
  return v instanceof Date ? v.toISOString() : (v ?? null);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(jsonOf(a)) === JSON.stringify(jsonOf(b));
}

/** The tracked fields `set` really changes. */
export function diffCase(before: CaseRow, set: Partial<CaseRow>): HistoryChange[] {
  const changes: HistoryChange[] = [];
  for (const [column, field] of TRACKED_FIELDS) {
    if (!(column in set)) continue;
    const next = set[column];
    if (next === undefined || same(before[column], next)) continue;
    changes.push({ field, from: jsonOf(before[column]), to: jsonOf(next) });
  }
  return changes;
}

export async function writeHistory(
  db: Executor,
  actor: Actor,
  caseId: string,
  at: Date,
  changes: HistoryChange[],
): Promise<void> {
  await repo.insertHistory(
    db,
    changes.map((c) => ({
      id: newId(),
      case_id: caseId,
      at,
      actor_kind: actor.kind,
      actor_id: actorId(actor),
      field: c.field,
      old_value: jsonOf(c.from),
      new_value: jsonOf(c.to),
    })),
  );
}

export function presentHistory(r: HistoryRow): CaseHistoryEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    field: r.field,
    from: r.old_value ?? null,
    to: r.new_value ?? null,
  };
}
