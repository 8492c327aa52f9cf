/**
 * Every error we mean to show a client. Codes are stable strings; HTTP statuses come from
 * one exhaustive switch in `src/http/problem.ts`.
 */
export type ErrorCode =
  /** Input is malformed: 400 with `errors[]` naming the fields. */
  | "validation"
  /** No valid session or token: 401. */
  | "unauthenticated"
  /** Signed in, but the role may not do this: 403. */
  | "forbidden"
  /** Missing, or belongs to someone the caller may not see: 404. */
  | "not_found"
  /** Clashes with the current state (duplicate email, stale version): 409. */
  | "conflict"
  /** Well-formed but refused by a business rule (illegal transition, exhausted entitlement): 422. */
  | "rule"
  /** Too many requests (sign-in attempts): 429. */
  | "rate_limited";

export type FieldError = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      errors?: FieldError[];
      title?: string;
      retryAfterSeconds?: number;
      [k: string]: unknown;
    } = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const forbidden = (detail = "You are not allowed to do this") => new AppError("forbidden", detail);
/** 409; `path` names the field whose value clashes (a duplicate email, a taken name). */
export const conflict = (detail: string, path?: string) =>
  new AppError("conflict", detail, path ? { errors: [{ path, message: "is already taken" }] } : {});
export const ruleRefused = (detail: string, extra: Record<string, unknown> = {}) =>
  new AppError("rule", detail, extra);
export const invalid = (path: string, message: string) =>
  new AppError("validation", `${path.replace(/^\//, "")}: ${message}`, { errors: [{ path, message }] });

export function assertUnreachable(x: never): never {
  throw new Error(`Unreachable: ${String(x)}`);
}
