import { Badge } from "@mantine/core";
import { useCurrentUser } from "../../auth/session";
import {
  impactColor,
  impactLabel,
  statusColor,
  statusLabel,
  type TIncidentImpact,
  type TIncidentStatus,
} from "./api";

/** The impact, in words and colour (colour is never the only signal). */
export function ImpactBadge({ impact, size = "sm" }: { impact: TIncidentImpact; size?: "xs" | "sm" | "md" }) {
  return (
    <Badge size={size} variant="light" color={impactColor[impact]} data-testid="incident-impact">
      {impactLabel[impact]} impact
    </Badge>
  );
}

export function IncidentStatusBadge({
  status,
  size = "sm",
}: {
  status: TIncidentStatus;
  size?: "xs" | "sm" | "md";
}) {
  return (
    <Badge
      size={size}
      variant={status === "resolved" ? "light" : "filled"}
      color={statusColor[status]}
      data-testid="incident-status"
    >
      {statusLabel[status]}
    </Badge>
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "12 min ago", "2 h ago", "3 d ago": how long an incident has been going. */
export function agoShort(iso: string, now: number): string {
  const diff = Math.max(0, now - new Date(iso).getTime());
  if (diff < MINUTE) return "just now";
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)} min ago`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)} h ago`;
  return `${Math.floor(diff / DAY)} d ago`;
}

/** "2 h 05 min": an incident's duration, from start to resolution. */
export function duration(fromIso: string, toIso: string): string {
  const diff = Math.max(0, new Date(toIso).getTime() - new Date(fromIso).getTime());
  const days = Math.floor(diff / DAY);
  const hours = Math.floor((diff % DAY) / HOUR);
  const minutes = Math.floor((diff % HOUR) / MINUTE);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  return minutes === 0 ? "under a minute" : `${minutes} min`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Sales read incidents; everyone else on staff declares them and posts updates. */
export function useCanDeclare(): boolean {
  return useCurrentUser().role !== "sales";
}
