import type { TEntitlement } from "./api";

/** "12", "2.5": a number of cases or hours. */
export function formatAmount(amount: number): string {
  return (Math.round(amount * 100) / 100).toLocaleString(undefined, { maximumFractionDigits: 2 });
}

/** "1 case", "12 cases", "2.5 hours". */
export function entitlementAmount(amount: number, unit: "cases" | "hours"): string {
  const rounded = Math.round(amount * 100) / 100;
  const text = rounded.toLocaleString(undefined, { maximumFractionDigits: 2 });
  if (unit === "cases") return `${text} ${rounded === 1 ? "case" : "cases"}`;
  return `${text} ${rounded === 1 ? "hour" : "hours"}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** "31 Dec 2026" for a calendar date (no time zone shift). */
export function formatDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) return date;
  return dayFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

export const entitlementStatusLabel: Record<TEntitlement["status"], string> = {
  scheduled: "Scheduled",
  active: "Active",
  exhausted: "Exhausted",
  expired: "Expired",
};
