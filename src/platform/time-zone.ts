import { invalid } from "./errors.ts";

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Throws a 400 naming `path` unless `tz` is an IANA time zone (undefined passes: not given). */
export function assertTimeZone(tz: string | undefined, path = "/timeZone"): void {
  if (tz !== undefined && !isTimeZone(tz))
    throw invalid(path, "must be an IANA time zone such as Europe/London");
}
