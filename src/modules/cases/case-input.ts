import { AppError, conflict, invalid } from "../../platform/errors.ts";

/**
 * Input that JSON and the schemas accept but Postgres does not: NUL characters in text and
 * dates outside what timestamptz holds. Refused here as a 400 naming the field, never a 500.
 */

export function assertText(value: string | null | undefined, path: string): void {
  if (value?.includes("\u0000")) throw invalid(path, "must not contain NUL characters");
}

const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

export function parseDate(value: string, path: string): Date {
  const d = new Date(value);
  const t = d.getTime();
  if (Number.isNaN(t)) throw invalid(path, "must be an ISO 8601 date-time");
  if (t < EARLIEST || t > LATEST) throw invalid(path, "must be between the years 1900 and 9999");
  return d;
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

const REFERENCES = [
  "account_id",
  "contact_id",
  "owner_id",
  "team_id",
  "queue_id",
  "parent_id",
  "merged_into_id",
  "related_case_id",
  "author_id",
  "case_id",
  "message_id",
  "status",
];

/**
 * A concurrent change can pass the checks and still meet a constraint: a referenced row deleted
 * meanwhile (23503), a duplicate name created meanwhile (23505). Both are the caller's 4xx.
 */
export function translateConstraint(e: unknown): unknown {
  if (e instanceof AppError) return e;
  const err = e as { code?: unknown; constraint?: unknown };
  const constraint = typeof err.constraint === "string" ? err.constraint : "";
  if (err.code === "23503") {
    const column = REFERENCES.filter((c) => constraint.endsWith(`_${c}_fkey`)).sort(
      (a, b) => b.length - a.length,
    )[0];
    return column
      ? invalid(`/${camel(column)}`, "no such record (it was just deleted)")
      : invalid("/", "refers to something that no longer exists");
  }
  if (err.code === "23505") return conflict("That already exists");
  return e;
}

/** Runs `work`, turning constraint races into 4xx errors. */
export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw translateConstraint(e);
  }
}
