import { AppError, invalid } from "./errors.ts";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Keyset pagination: the cursor carries the sort key and id of the last row seen, so a page
 * costs the same however deep it is, and rows inserted meanwhile never shift it.
 */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** What each position of a cursor must hold; checked so a forged cursor is a 400, never a failed SQL cast. */
export type CursorKind = "string" | "number" | "uuid" | "timestamp" | "nullable-string" | "nullable-number";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fitsKind(v: unknown, kind: CursorKind): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "uuid":
      return typeof v === "string" && UUID_RE.test(v);
    case "timestamp":
      return typeof v === "string" && !Number.isNaN(Date.parse(v));
    case "nullable-string":
      return v === null || typeof v === "string";
    case "nullable-number":
      return v === null || (typeof v === "number" && Number.isFinite(v));
  }
}

function badCursor(): AppError {
  return new AppError("validation", "cursor is not valid", {
    errors: [{ path: "/cursor", message: "not a cursor this list issued" }],
  });
}

/**
 * Decodes a cursor. Pass the kinds of its positions (preferred: each value is type-checked)
 * or just its length.
 */
export function decodeCursor(
  cursor: string | undefined,
  shape: number | readonly CursorKind[],
): (string | number | null)[] | undefined {
  if (!cursor) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
  const arity = typeof shape === "number" ? shape : shape.length;
  if (!Array.isArray(values) || values.length !== arity) throw badCursor();
  const ok =
    typeof shape === "number"
      ? values.every((v) => v === null || typeof v === "string" || typeof v === "number")
      : values.every((v, i) => fitsKind(v, shape[i]!));
  if (!ok) throw badCursor();
  return values as (string | number | null)[];
}

export function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, limit ?? DEFAULT_LIMIT));
}

/** Given limit+1 rows, returns the page and the cursor for the next one. */
export function toPage<Row, T>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => (string | number | null)[],
  present: (row: Row) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

/**
 * A list filter from the query string (`?status=a&status=b` or `?status=a,b`): each value must
 * be one of `allowed` (else a 400 naming `path`); absent or empty → undefined (no filter).
 */
export function oneOf<T extends string>(
  values: string[] | undefined,
  allowed: readonly T[],
  path: string,
): T[] | undefined {
  if (!values) return undefined;
  const flat = values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const v of flat)
    if (!allowed.includes(v as T)) throw invalid(path, `must be one of ${allowed.join(", ")}`);
  return flat.length > 0 ? (flat as T[]) : undefined;
}
