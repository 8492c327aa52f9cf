/** Human-readable case numbers: `CS-` and at least six digits (CS-000042, CS-1234567). */

const PREFIX = "CS-";
const PATTERN = /^cs-?0*(\d{1,15})$/i;

export function formatCaseNumber(n: number): string {
  return `${PREFIX}${String(n).padStart(6, "0")}`;
}

/** The sequence value of `CS-000042`, `cs-42` or `42`; undefined for anything else. */
export function parseCaseNumber(text: string): number | undefined {
  const t = text.trim();
  const m = PATTERN.exec(t) ?? /^0*(\d{1,15})$/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Only an explicit `CS-…` is taken as a number inside a free-text search. */
export function caseNumberInQuery(q: string): number | undefined {
  return PATTERN.test(q.trim()) ? parseCaseNumber(q) : undefined;
}
