import { AppError } from "./errors.ts";

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

export function decodeCursor(
  cursor: string | undefined,
  arity: number,
): (string | number | null)[] | undefined {
  if (!cursor) return undefined;
  try {
    const values = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.length === arity) return values;
  } catch {
    // fall through
  }
  throw new AppError("validation", "cursor is not valid", {
    errors: [{ path: "/cursor", message: "not a cursor this list issued" }],
  });
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
