import {
  IconAlertTriangle,
  IconBook2,
  IconBuilding,
  IconChartBar,
  IconChecklist,
  IconHeartbeat,
  IconInbox,
  IconMessageStar,
  IconSettings,
  IconSpeakerphone,
  IconSunHigh,
  type TablerIcon,
} from "@tabler/icons-react";
import type { TRole } from "../auth/session";

export type TAreaKey =
  | "cases"
  | "myDay"
  | "incidents"
  | "accounts"
  | "activities"
  | "knowledge"
  | "feedback"
  | "announcements"
  | "health"
  | "reports"
  | "admin";

export type TNavSection = "work" | "customers" | "insights" | "settings";

export type TArea = {
  key: TAreaKey;
  path: string;
  /** Short label for the navigation. */
  label: string;
  /** Page heading; the label when absent. */
  title?: string;
  icon: TablerIcon;
  /** One honest sentence on what the area will hold. */
  description: string;
  section: TNavSection;
  /** Roles that may open the area; everyone when absent. */
  roles?: readonly TRole[];
  /** Key sequence that jumps here, e.g. ["g", "i"]. */
  shortcut?: readonly string[];
  /** Other path prefixes that belong to the area (its navigation link shows as current). */
  alsoActiveOn?: readonly string[];
};

export const navSections: readonly { key: TNavSection; label: string }[] = [
  { key: "work", label: "Work" },
  { key: "customers", label: "Customers" },
  { key: "insights", label: "Insights" },
  { key: "settings", label: "Settings" },
];

/** The areas of the product (see PRODUCT.md), in navigation order. */
export const areas: readonly TArea[] = [
  {
    key: "cases",
    path: "/cases",
    label: "Inbox",
    icon: IconInbox,
    description:
      "Your team's queue of cases, ordered by the next SLA breach, with live countdowns and who is viewing each one.",
    section: "work",
    shortcut: ["g", "i"],
  },
  {
    key: "myDay",
    path: "/my-day",
    label: "My day",
    icon: IconSunHigh,
    description:
      "The promises, call-backs and tasks you owe today, cases about to breach, and mentions waiting for you.",
    section: "work",
    shortcut: ["g", "d"],
  },
  {
    key: "incidents",
    path: "/incidents",
    label: "Incidents",
    icon: IconAlertTriangle,
    description:
      "Known problems affecting many customers: the cases they cause, notices to affected customers, and the public status page.",
    section: "work",
    shortcut: ["g", "n"],
  },
  {
    key: "accounts",
    path: "/accounts",
    label: "Customers",
    icon: IconBuilding,
    description:
      "Every account and contact with its tier, health and owner, and one timeline of everything that happened with them.",
    section: "customers",
    alsoActiveOn: ["/contacts"],
  },
  {
    key: "activities",
    path: "/activities",
    label: "Activities",
    icon: IconChecklist,
    description:
      "Tasks, calls, appointments and promises made to customers, each followed until it is kept or broken.",
    section: "customers",
  },
  {
    key: "feedback",
    path: "/feedback",
    label: "Feedback & surveys",
    icon: IconMessageStar,
    description:
      "CSAT, NPS and effort surveys, and complaints, ideas and praise from every channel, with the loop closed back to the customer.",
    section: "customers",
  },
  {
    key: "announcements",
    path: "/announcements",
    label: "Announcements",
    icon: IconSpeakerphone,
    description:
      "Announcements of new services by email to segments of customers, with a live count of who they reach and an unsubscribe link in every mail.",
    section: "customers",
    roles: ["admin", "manager", "sales", "agent"],
  },
  {
    key: "health",
    // Not /health: that is the server's liveness probe (a reload there would never reach the app).
    path: "/retention",
    label: "Health & retention",
    icon: IconHeartbeat,
    description:
      "Each account's experience ledger and health score, the customers at risk, retention plays and the revenue at stake.",
    section: "customers",
  },
  {
    key: "knowledge",
    path: "/knowledge",
    label: "Knowledge",
    icon: IconBook2,
    description:
      "Internal and public articles with full-text search, suggested to you while you write a reply.",
    section: "insights",
  },
  {
    key: "reports",
    path: "/reports",
    label: "Reports",
    title: "Reports & dashboards",
    icon: IconChartBar,
    description:
      "Dashboards for SLA compliance, response and resolution times, backlog, satisfaction, health and churn, with the count behind every figure.",
    section: "insights",
  },
  {
    key: "admin",
    path: "/admin",
    label: "Admin",
    icon: IconSettings,
    description:
      "Users and teams, business calendars, SLA policies, entitlements, routing rules, templates and channels.",
    section: "settings",
    roles: ["admin", "manager"],
  },
];

export function areaByKey(key: TAreaKey): TArea {
  const area = areas.find((candidate) => candidate.key === key);
  if (!area) throw new Error(`Unknown area ${key}`);
  return area;
}

export function canOpenArea(area: TArea, role: TRole): boolean {
  return !area.roles || area.roles.includes(role);
}
