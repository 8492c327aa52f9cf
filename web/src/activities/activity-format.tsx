import { Badge } from "@mantine/core";
import {
  IconCalendarEvent,
  IconChecklist,
  IconHeartHandshake,
  IconPhone,
  IconPhoneIncoming,
  IconPhoneOutgoing,
  type TablerIcon,
} from "@tabler/icons-react";
import { zoneOffsetMinutes } from "../customers/format";
import type { TActivity, TActivityStatus, TActivityType } from "./api";

export const typeLabel: Record<TActivityType, string> = {
  task: "Task",
  call: "Call",
  appointment: "Appointment",
  promise: "Promise",
};

export const ACTIVITY_TYPES: readonly TActivityType[] = ["promise", "task", "call", "appointment"];
export const ACTIVITY_STATUSES: readonly TActivityStatus[] = ["open", "done", "kept", "broken", "cancelled"];

export const statusLabel: Record<TActivityStatus, string> = {
  open: "Open",
  done: "Done",
  kept: "Kept",
  broken: "Broken",
  cancelled: "Cancelled",
};

const TYPE_ICON: Record<TActivityType, TablerIcon> = {
  task: IconChecklist,
  call: IconPhone,
  appointment: IconCalendarEvent,
  promise: IconHeartHandshake,
};

export function ActivityIcon({
  activity,
  size = 16,
}: {
  activity: Pick<TActivity, "type" | "direction">;
  size?: number;
}) {
  const Icon =
    activity.type === "call" && activity.direction
      ? activity.direction === "in"
        ? IconPhoneIncoming
        : IconPhoneOutgoing
      : TYPE_ICON[activity.type];
  return <Icon size={size} stroke={1.7} aria-hidden />;
}

/** The state in words and colour (the words are always there: colour is never the only signal). */
export function ActivityStatusBadge({
  activity,
}: {
  activity: Pick<TActivity, "status" | "overdue" | "type">;
}) {
  if (activity.status === "open" && activity.overdue) {
    return (
      <Badge color="red" variant="light" size="sm">
        Overdue
      </Badge>
    );
  }
  const color: Record<TActivityStatus, string> = {
    open: "blue",
    done: "green",
    kept: "green",
    broken: "red",
    cancelled: "gray",
  };
  const label =
    activity.status === "open" && activity.type === "promise" ? "Promised" : statusLabel[activity.status];
  return (
    <Badge color={color[activity.status]} variant="light" size="sm">
      {label}
    </Badge>
  );
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });

function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "15:00" today, "Tomorrow 10:00", "Yesterday 16:00", else "Tue 3 Mar, 10:00": in the viewer's zone. */
export function formatWhen(iso: string, now: number = Date.now()): string {
  const at = new Date(iso);
  const today = new Date(now);
  const tomorrow = new Date(now);
  tomorrow.setDate(today.getDate() + 1);
  const yesterday = new Date(now);
  yesterday.setDate(today.getDate() - 1);
  const time = timeFormat.format(at);
  if (dayKey(at) === dayKey(today)) return time;
  if (dayKey(at) === dayKey(tomorrow)) return `Tomorrow ${time}`;
  if (dayKey(at) === dayKey(yesterday)) return `Yesterday ${time}`;
  return `${dayFormat.format(at)}, ${time}`;
}

const theirFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The customer's wall time at `iso` ("09:00", or "Tue 09:00" on another day than yours), or
 * null when their clock reads the same as the viewer's.
 */
export function theirTime(iso: string, timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  const at = new Date(iso);
  const theirs = zoneOffsetMinutes(timeZone, at);
  if (theirs === null || theirs === -at.getTimezoneOffset()) return null;
  let formatter = theirFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, {
      timeZone,
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    theirFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const time = parts
    .filter(
      (part) =>
        part.type === "hour" ||
        part.type === "minute" ||
        part.type === "literal" ||
        part.type === "dayPeriod",
    )
    .map((part) => part.value)
    .join("")
    .replace(/^[\s,]+|[\s,]+$/g, "");
  const weekday = parts.find((part) => part.type === "weekday")?.value;
  const mine = new Intl.DateTimeFormat(undefined, { weekday: "short" }).format(at);
  return weekday && weekday !== mine ? `${weekday} ${time}` : time;
}

/** "15:00 · 09:00 theirs": the viewer's time, with the customer's beside it when it differs. */
export function DueText({
  iso,
  timeZone,
  now,
}: {
  iso: string;
  timeZone?: string | null | undefined;
  now?: number;
}) {
  const theirs = theirTime(iso, timeZone);
  return (
    <time dateTime={iso} title={new Date(iso).toString()}>
      {formatWhen(iso, now)}
      {theirs ? <span style={{ color: "var(--mantine-color-dimmed)" }}> · {theirs} theirs</span> : null}
    </time>
  );
}

/** "6 min", "1 h 05 min". */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined) return null;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A datetime-local input's value ("2026-03-02T15:00") as an ISO instant in the viewer's zone. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** An ISO instant as a datetime-local input value in the viewer's zone. */
export function isoToLocalInput(iso: string): string {
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
