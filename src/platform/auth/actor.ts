import { AppError } from "../errors.ts";

export const ROLES = ["admin", "manager", "agent", "sales"] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting. Services receive it and enforce permissions themselves, whatever route called them. */
export type Actor =
  | { kind: "user"; id: string; email: string; role: Role; teamIds: string[] }
  /** A customer contact signed in to the portal: sees only its own account. */
  | { kind: "contact"; id: string; email: string; accountId: string }
  /** The system itself: workers, timers, seeds. */
  | { kind: "system" };

export type RequestCtx = {
  actor: Actor;
  ip?: string | undefined;
  requestId?: string | undefined;
};

export const SYSTEM: RequestCtx = { actor: { kind: "system" } };

export function actorId(actor: Actor): string | null {
  return actor.kind === "system" ? null : actor.id;
}

/** Throws 403 unless the actor is staff with one of the roles (system passes). */
export function requireRole(actor: Actor, roles: readonly Role[], doing = "do this"): void {
  if (actor.kind === "system") return;
  if (actor.kind === "user" && roles.includes(actor.role)) return;
  throw new AppError("forbidden", `Your role may not ${doing}`);
}

/** Throws 403 unless the actor is staff (any role) or the system. */
export function requireStaff(actor: Actor): asserts actor is Exclude<Actor, { kind: "contact" }> {
  if (actor.kind === "contact") throw new AppError("forbidden", "Staff only");
}
