import {
  IconCircle,
  IconCircleCheck,
  IconCircleCheckFilled,
  IconCircleDot,
  IconHourglassHigh,
  IconPlayerPause,
  type TablerIcon,
} from "@tabler/icons-react";
import type { TCaseStatus, TChannel, TPriority } from "./api";

// ---- priority ----

export const PRIORITIES: readonly TPriority[] = ["urgent", "high", "normal", "low"];

export const priorityLabel: Record<TPriority, string> = {
  urgent: "Urgent",
  high: "High",
  normal: "Normal",
  low: "Low",
};

// Each clears 3:1 against white as a graphic (WCAG 1.4.11).
export const priorityColor: Record<TPriority, string> = {
  urgent: "#d6336c",
  high: "#d9480f",
  normal: "#4a5563",
  low: "#5f6b7a",
};

const BARS: Record<Exclude<TPriority, "urgent">, number> = { low: 1, normal: 2, high: 3 };

/**
 * Signal bars (one, two, three) and a red "!" square for urgent, as in Linear: the shape says
 * the priority, so colour is never the only signal. Decorative: the label is always near.
 */
export function PriorityIcon({ priority, size = 16 }: { priority: TPriority; size?: number }) {
  if (priority === "urgent") {
    return (
      <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden style={{ flex: "none" }}>
        <rect x="1" y="1" width="14" height="14" rx="3.5" fill={priorityColor.urgent} />
        <rect x="7" y="3.5" width="2" height="6" rx="1" fill="#fff" />
        <rect x="7" y="10.75" width="2" height="2" rx="1" fill="#fff" />
      </svg>
    );
  }
  const filled = BARS[priority];
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden style={{ flex: "none" }}>
      {[0, 1, 2].map((index) => (
        <rect
          key={index}
          x={1.5 + index * 5}
          y={14 - (index + 1) * 4}
          width="3"
          height={(index + 1) * 4}
          rx="1"
          fill={index < filled ? priorityColor[priority] : "#d6dae1"}
        />
      ))}
    </svg>
  );
}

// ---- status ----

type TStatusLike = Pick<TCaseStatus, "key" | "category" | "behavesAs"> | undefined;

const statusIcon: Record<string, TablerIcon> = {
  new: IconCircleDot,
  open: IconCircle,
  waiting_on_customer: IconHourglassHigh,
  on_hold: IconPlayerPause,
  resolved: IconCircleCheck,
  closed: IconCircleCheckFilled,
};

const statusColor: Record<string, string> = {
  new: "#4257c4",
  open: "#4257c4",
  waiting_on_customer: "#b35c00",
  on_hold: "#5f6b7a",
  resolved: "#2b8a3e",
  closed: "#5f6b7a",
};

/** A custom status looks like the built-in it behaves as. */
function builtinOf(key: string, status: TStatusLike): string {
  if (statusIcon[key]) return key;
  if (status?.behavesAs && statusIcon[status.behavesAs]) return status.behavesAs;
  if (status?.category === "paused") return "on_hold";
  if (status?.category === "resolved") return "resolved";
  return "open";
}

export function statusColorOf(key: string, status?: TStatusLike): string {
  return statusColor[builtinOf(key, status)] ?? "#4257c4";
}

export function StatusIcon({
  status,
  meta,
  size = 16,
}: {
  status: string;
  meta?: TStatusLike;
  size?: number;
}) {
  const builtin = builtinOf(status, meta);
  const Icon = statusIcon[builtin] ?? IconCircle;
  return <Icon size={size} stroke={2} color={statusColor[builtin]} aria-hidden style={{ flex: "none" }} />;
}

const fallbackStatusLabel: Record<string, string> = {
  new: "New",
  open: "Open",
  waiting_on_customer: "Waiting on customer",
  on_hold: "On hold",
  resolved: "Resolved",
  closed: "Closed",
};

export function statusLabelOf(key: string, statuses?: Map<string, TCaseStatus>): string {
  return statuses?.get(key)?.label ?? fallbackStatusLabel[key] ?? key.replaceAll("_", " ");
}

// ---- channel ----

export const CHANNELS: readonly TChannel[] = ["email", "phone", "portal", "web", "api"];

export const channelLabel: Record<TChannel, string> = {
  email: "Email",
  phone: "Phone",
  portal: "Portal",
  web: "Web form",
  api: "API",
};

// ---- time ----

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "now", "5m", "3h", "2d", "4w", then a date: dense, for table cells. */
export function shortAge(iso: string, now: number = Date.now()): string {
  const diff = Math.max(0, now - new Date(iso).getTime());
  if (diff < MINUTE) return "now";
  if (diff < HOUR) return `${Math.floor(diff / MINUTE)}m`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)}h`;
  if (diff < 14 * DAY) return `${Math.floor(diff / DAY)}d`;
  if (diff < 60 * DAY) return `${Math.floor(diff / (7 * DAY))}w`;
  return shortDate.format(new Date(iso));
}

const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** "23 Nov 2026, 14:05" in the viewer's zone. */
export function formatDateTime(iso: string): string {
  return fullDateTime.format(new Date(iso));
}

/** "14:05" today, "Mon 14:05" this week, otherwise the full date: for thread stamps. */
export function formatStamp(iso: string, now: number = Date.now()): string {
  const at = new Date(iso);
  const today = new Date(now);
  if (at.toDateString() === today.toDateString()) return timeOnly.format(at);
  if (now - at.getTime() < 6 * DAY) {
    return `${at.toLocaleDateString(undefined, { weekday: "short" })} ${timeOnly.format(at)}`;
  }
  return fullDateTime.format(at);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "5 minutes ago": for screen readers and tooltips. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), "day");
  if (abs < 365 * 86_400) return relative.format(Math.round(seconds / (30 * 86_400)), "month");
  return relative.format(Math.round(seconds / (365 * 86_400)), "year");
}

/** "JD" for "Jane Doe". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase() || "?";
}

/** "12.3 KB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A one-line preview of a description or message. */
export function preview(text: string | null | undefined, max = 160): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
