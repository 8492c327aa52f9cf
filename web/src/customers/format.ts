import type { TAccount } from "./api";

/**
 * Accounts carry an amount but no currency (see the report on API gaps), so every revenue in
 * the workspace is shown in this one currency until the API says otherwise.
 */
export const REVENUE_CURRENCY = "USD";

const wholeCurrency = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: REVENUE_CURRENCY,
  maximumFractionDigits: 0,
});
const exactCurrency = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: REVENUE_CURRENCY,
  minimumFractionDigits: 0,
  maximumFractionDigits: 2,
});
const compactCurrency = new Intl.NumberFormat(undefined, {
  style: "currency",
  currency: REVENUE_CURRENCY,
  notation: "compact",
  maximumFractionDigits: 1,
});

/** "$1,250,000": whole units, for tables and headers. */
export function formatRevenue(amount: number): string {
  return wholeCurrency.format(amount);
}

/** "$1,250,000.50": cents kept when there are any. */
export function formatRevenueExact(amount: number): string {
  return exactCurrency.format(amount);
}

/** "$1.3M": where space is tight (phones). */
export function formatRevenueCompact(amount: number): string {
  return compactCurrency.format(amount);
}

/** The symbol of the workspace currency, for input prefixes ("$"). */
export const currencySymbol =
  new Intl.NumberFormat(undefined, { style: "currency", currency: REVENUE_CURRENCY })
    .formatToParts(0)
    .find((part) => part.type === "currency")?.value ?? REVENUE_CURRENCY;

export type THealthBand = NonNullable<TAccount["health"]["band"]>;

export const healthBandLabel: Record<THealthBand, string> = {
  healthy: "Healthy",
  watch: "Watch",
  at_risk: "At risk",
};

const dateFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });

/** "3 Mar 2021" from a date-only "2021-03-03" (no time zone: it is a calendar date). */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split("-").map(Number);
  if (!year || !month || !day) return isoDate;
  return dateFormat.format(new Date(year, month - 1, day));
}

/** A timestamp as a calendar date in the viewer's zone. */
export function formatDateTimeAsDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 days ago", "in 2 hours": for created/updated stamps. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  if (abs < 365 * 86_400) return relative.format(Math.round(seconds / (30 * 86_400)), "month");
  return relative.format(Math.round(seconds / (365 * 86_400)), "year");
}

// ---- time zones ----

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC for `timeZone` at `at` (null when the zone is unknown to this browser). */
export function zoneOffsetMinutes(timeZone: string, at: Date = new Date()): number | null {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    } catch {
      return null;
    }
    offsetFormatters.set(timeZone, formatter);
  }
  const name = formatter.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0; // "GMT" alone
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

/** "GMT+05:30" */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "−" : "+";
  const abs = Math.abs(minutes);
  return `GMT${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** "14:05" in `timeZone` (the viewer's clock style), or null for a zone this browser lacks. */
export function formatLocalTime(timeZone: string, at: Date = new Date()): string | null {
  let formatter = timeFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(undefined, {
        timeZone,
        hour: "numeric",
        minute: "2-digit",
        weekday: "short",
      });
    } catch {
      return null;
    }
    timeFormatters.set(timeZone, formatter);
  }
  return formatter.format(at);
}

/** "3h ahead of you", "1h 30m behind you", "same time as you". */
export function describeZoneDifference(timeZone: string, at: Date = new Date()): string | null {
  const theirs = zoneOffsetMinutes(timeZone, at);
  if (theirs === null) return null;
  const mine = -at.getTimezoneOffset();
  const diff = theirs - mine;
  if (diff === 0) return "same time as you";
  const abs = Math.abs(diff);
  const hours = Math.floor(abs / 60);
  const minutes = abs % 60;
  const amount = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : ""].filter(Boolean).join(" ");
  return `${amount} ${diff > 0 ? "ahead of" : "behind"} you`;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

// ---- names of places and languages ----

const regionNames = safeDisplayNames("region");
const languageNames = safeDisplayNames("language");

function safeDisplayNames(type: "region" | "language"): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames(undefined, { type, fallback: "code" });
  } catch {
    return null;
  }
}

/** "Germany" for "DE"; the code itself when the browser does not know it. */
export function countryName(code: string): string {
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Portuguese (Brazil)" for "pt-BR". */
export function languageName(tag: string): string {
  try {
    return languageNames?.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** "acme.com" → "https://acme.com" for a link to the customer's site. */
export function domainUrl(domain: string): string {
  return `https://${domain}`;
}
