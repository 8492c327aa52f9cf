import {
  IconCalendarEvent,
  IconChecklist,
  IconCircleCheck,
  IconCircleX,
  IconHeartHandshake,
  IconPencil,
  IconPhoneIncoming,
  IconPhoneOutgoing,
  IconRefresh,
  IconTrash,
  type TablerIcon,
} from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { formatDuration, formatWhen } from "./activity-format";

type TDescribed = { icon: TablerIcon; text: ReactNode; by: boolean };

const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

const TYPE_NAME: Record<string, string> = {
  task: "Task",
  call: "Call",
  appointment: "Appointment",
  promise: "Promise",
};

const KEPT_HOW: Record<string, string> = { reply: "by a reply", call: "by a call", manual: "marked by hand" };

/**
 * How the account timeline tells an activity event ("Promise kept by a reply: Get back to
 * Wile · CS-000042"). Null for events that are not about activities.
 */
export function describeActivityEvent(
  type: string,
  data: Record<string, unknown>,
  caseNumber: (id: string) => string | undefined,
): TDescribed | null {
  if (!type.startsWith("activity.") && !type.startsWith("promise.")) return null;
  const kind = str(data.type) ?? (type.startsWith("promise.") ? "promise" : "task");
  const name = TYPE_NAME[kind] ?? "Activity";
  const subject = <q>{str(data.subject) ?? "untitled"}</q>;
  const caseId = str(data.caseId);
  const onCase = caseId ? (
    <>
      {" on "}
      <Link to={`/cases/${caseId}`}>{caseNumber(caseId) ?? "a case"}</Link>
    </>
  ) : null;
  const due = str(data.dueAt);
  const icon: TablerIcon =
    kind === "promise"
      ? IconHeartHandshake
      : kind === "call"
        ? data.direction === "in"
          ? IconPhoneIncoming
          : IconPhoneOutgoing
        : kind === "appointment"
          ? IconCalendarEvent
          : IconChecklist;
  switch (type) {
    case "activity.created": {
      if (kind === "promise") {
        return {
          icon,
          text: (
            <>
              Promise made: {subject}
              {due ? `, due ${formatWhen(due)}` : ""}
              {onCase}
            </>
          ),
          by: true,
        };
      }
      if (kind === "call") {
        const details = [
          data.direction === "in" ? "inbound" : "outbound",
          formatDuration(typeof data.durationSeconds === "number" ? data.durationSeconds : null),
        ].filter(Boolean);
        const outcome = str(data.outcome);
        return {
          icon,
          text: (
            <>
              {data.status === "open" ? "Call planned" : `Call logged (${details.join(", ")})`}: {subject}
              {outcome ? ` — ${outcome}` : ""}
              {onCase}
            </>
          ),
          by: true,
        };
      }
      const starts = str(data.startsAt);
      return {
        icon,
        text: (
          <>
            {kind === "appointment" ? "Appointment scheduled" : "Task added"}: {subject}
            {kind === "appointment" && starts ? `, ${formatWhen(starts)}` : ""}
            {onCase}
          </>
        ),
        by: true,
      };
    }
    case "activity.completed":
      return {
        icon: IconCircleCheck,
        text: (
          <>
            {name} done: {subject}
            {onCase}
          </>
        ),
        by: true,
      };
    case "activity.cancelled":
      return {
        icon: IconCircleX,
        text: (
          <>
            {name} cancelled: {subject}
            {onCase}
          </>
        ),
        by: true,
      };
    case "activity.reopened":
      return {
        icon: IconRefresh,
        text: (
          <>
            {name} reopened: {subject}
            {onCase}
          </>
        ),
        by: true,
      };
    case "activity.deleted":
      return {
        icon: IconTrash,
        text: (
          <>
            {name} deleted: {subject}
          </>
        ),
        by: true,
      };
    case "activity.updated": {
      const fields = Array.isArray(data.fields) ? data.fields.map(String) : [];
      if (data.mergedFromCaseId) {
        return {
          icon: IconPencil,
          text: (
            <>
              {name} {subject} moved with a merge{onCase}
            </>
          ),
          by: true,
        };
      }
      const words = fields.map((f) => f.replace(/([A-Z])/g, " $1").toLowerCase()).join(", ");
      return {
        icon: IconPencil,
        text: (
          <>
            {name} changed{words ? ` (${words})` : ""}: {subject}
            {onCase}
          </>
        ),
        by: true,
      };
    }
    case "promise.kept":
      return {
        icon: IconCircleCheck,
        text: (
          <>
            Promise kept {KEPT_HOW[str(data.how) ?? ""] ?? ""}: {subject}
            {onCase}
          </>
        ),
        by: true,
      };
    case "promise.broken":
      return {
        icon: IconCircleX,
        text: (
          <>
            Promise broken: {subject}
            {due ? ` (was due ${formatWhen(due)})` : ""}
            {onCase}
          </>
        ),
        by: false,
      };
    default:
      return null;
  }
}
