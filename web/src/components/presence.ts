import type { TPresence } from "../auth/session";

export const presenceLabel: Record<TPresence, string> = {
  available: "Available",
  away: "Away",
  offline: "Offline",
};

/** Dot colours; the label is always shown or spoken beside them, never colour alone. */
export const presenceColor: Record<TPresence, string> = {
  available: "#2f9e44",
  away: "#e8890c",
  offline: "#8a94a3",
};
