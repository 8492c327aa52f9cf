import { type Actor, type Role, requireRole } from "../../platform/auth/actor.ts";
import { notFound } from "../../platform/errors.ts";

/**
 * Who may do what with cases (the matrix is in docs/permissions.md). Admins, managers and
 * agents work cases; sales read them and add internal notes; a portal contact sees only its
 * own account's cases and their non-note messages, and for it nothing else exists (404).
 */
export const CASE_WORKERS: readonly Role[] = ["admin", "manager", "agent"];
export const CASE_ADMINS: readonly Role[] = ["admin", "manager"];

export function maySeeCase(actor: Actor, row: { account_id: string | null }): boolean {
  if (actor.kind !== "contact") return true;
  return row.account_id !== null && row.account_id === actor.accountId;
}

/** 404 unless the actor may see the case: another customer's case does not exist for them. */
export function assertVisible<Row extends { account_id: string | null }>(
  actor: Actor,
  row: Row | undefined,
): Row {
  if (!row || !maySeeCase(actor, row)) throw notFound("Case");
  return row;
}

/**
 * 403 unless the actor is staff in a case-working role (system passes). For a portal contact
 * the change is to something that does not exist: 404, as everywhere else.
 */
export function requireCaseWorker(actor: Actor, doing: string): void {
  if (actor.kind === "contact") throw notFound("Case");
  requireRole(actor, CASE_WORKERS, doing);
}

/** Staff-only case reads (history): a portal contact gets the same 404 as for anything unknown. */
export function requireStaffOr404(actor: Actor): void {
  if (actor.kind === "contact") throw notFound("Case");
}
