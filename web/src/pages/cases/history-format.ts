import type { TStaffUser } from "../../customers/api";
import type { TCaseStatus, THistoryEntry, TPriority, TQueue, TTeam } from "./api";
import { channelLabel, formatDateTime, priorityLabel, statusLabelOf } from "./case-format";

export type THistoryContext = {
  statuses: Map<string, TCaseStatus>;
  users: Map<string, TStaffUser>;
  queues: Map<string, TQueue>;
  teams: Map<string, TTeam>;
  meId: string;
};

export const fieldLabel: Record<string, string> = {
  subject: "Subject",
  description: "Description",
  accountId: "Account",
  contactId: "Contact",
  product: "Product",
  category: "Category",
  priority: "Priority",
  channel: "Channel",
  status: "Status",
  ownerId: "Owner",
  teamId: "Team",
  queueId: "Queue",
  tags: "Tags",
  receivedAt: "Received",
  parentId: "Parent case",
  mergedIntoId: "Merged into",
  reopenCount: "Reopened",
  created: "Created",
  message: "Message",
  attachment: "File",
  mergedFrom: "Merged in",
  followUp: "Follow-up case",
};

export function actorName(entry: Pick<THistoryEntry, "actorKind" | "actorId">, ctx: THistoryContext): string {
  if (entry.actorKind === "system") return "Keepdesk";
  if (entry.actorKind === "contact") return "The customer";
  if (!entry.actorId) return "Someone";
  if (entry.actorId === ctx.meId) return "You";
  return ctx.users.get(entry.actorId)?.name ?? "A teammate";
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** A value of `field` as a person reads it. */
export function valueText(field: string, value: unknown, ctx: THistoryContext): string {
  if (value === null || value === undefined || value === "") {
    return field === "ownerId" ? "Unassigned" : "none";
  }
  switch (field) {
    case "status":
      return statusLabelOf(String(value), ctx.statuses);
    case "priority":
      return priorityLabel[value as TPriority] ?? text(value);
    case "channel":
      return channelLabel[value as keyof typeof channelLabel] ?? text(value);
    case "ownerId":
      return value === ctx.meId ? "you" : (ctx.users.get(String(value))?.name ?? "a former teammate");
    case "queueId":
      return ctx.queues.get(String(value))?.name ?? "a deleted queue";
    case "teamId":
      return ctx.teams.get(String(value))?.name ?? "a team";
    case "tags":
      return Array.isArray(value) ? (value.length ? value.join(", ") : "none") : text(value);
    case "receivedAt":
      return typeof value === "string" ? formatDateTime(value) : text(value);
    case "description":
      return typeof value === "string" ? `“${text(value)}”` : text(value);
    default:
      return text(value);
  }
}

/** "changed Status", "created the case", "added a note": what an entry says happened. */
export function describeEntry(
  entry: THistoryEntry,
  ctx: THistoryContext,
): { verb: string; from?: string; to?: string } {
  const to = entry.to as Record<string, unknown> | null;
  switch (entry.field) {
    case "created":
      return { verb: `created the case${typeof to?.number === "string" ? ` ${to.number}` : ""}` };
    case "message": {
      const kind = to?.kind;
      return {
        verb:
          kind === "note"
            ? "added an internal note"
            : kind === "customer"
              ? "logged a customer message"
              : "sent a reply",
      };
    }
    case "attachment":
      return { verb: `attached ${typeof to?.filename === "string" ? to.filename : "a file"}` };
    case "mergedFrom":
      return { verb: `merged ${typeof to?.number === "string" ? to.number : "a case"} into this one` };
    case "followUp":
      return { verb: `opened follow-up ${typeof to?.number === "string" ? to.number : "case"}` };
    case "mergedIntoId":
      return { verb: "merged this case into another" };
    case "reopenCount":
      return { verb: "reopened the case" };
    case "tags": {
      const before = Array.isArray(entry.from) ? (entry.from as string[]) : [];
      const after = Array.isArray(entry.to) ? (entry.to as string[]) : [];
      const added = after.filter((tag) => !before.includes(tag));
      const removed = before.filter((tag) => !after.includes(tag));
      const parts = [
        added.length ? `added tag${added.length > 1 ? "s" : ""} ${added.join(", ")}` : "",
        removed.length ? `removed tag${removed.length > 1 ? "s" : ""} ${removed.join(", ")}` : "",
      ].filter(Boolean);
      return { verb: parts.join(" and ") || "changed tags" };
    }
    case "description":
      return { verb: "edited the description" };
    case "timeLogged":
      return {
        verb: `logged ${typeof to?.minutes === "number" ? `${to.minutes} min` : "time"} of work`,
      };
    case "slaPolicy":
      return to
        ? { verb: `put the case under SLA policy ${typeof to.name === "string" ? to.name : ""}`.trim() }
        : { verb: "took the case off its SLA policy" };
    case "slaEscalation":
      return {
        verb:
          to?.moment === "breach"
            ? "escalated the case at an SLA breach"
            : "escalated the case at an SLA warning",
      };
    case "escalated":
      return {
        verb: `escalated the case to a manager${
          typeof to?.reason === "string" && to.reason ? `: “${to.reason}”` : ""
        }`,
      };
    default:
      return {
        verb: `changed ${(fieldLabel[entry.field] ?? entry.field).toLowerCase()}`,
        from: valueText(entry.field, entry.from, ctx),
        to: valueText(entry.field, entry.to, ctx),
      };
  }
}

/** Fields worth a line in the thread itself (the History tab shows everything). */
export const THREAD_EVENT_FIELDS = new Set([
  "status",
  "priority",
  "ownerId",
  "queueId",
  "mergedFrom",
  "followUp",
  "reopenCount",
]);
