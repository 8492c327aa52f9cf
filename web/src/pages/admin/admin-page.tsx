import {
  IconCalendarTime,
  IconClockShield,
  IconInbox,
  IconLock,
  IconMailbox,
  IconMailCog,
  IconMoodSmile,
  IconPlugConnected,
  IconRoute,
  IconSearchOff,
  IconServer,
  IconStack2,
  IconTicket,
  IconUsers,
  type TablerIcon,
} from "@tabler/icons-react";
import { type ReactNode, useEffect } from "react";
import { Navigate, NavLink, Route, Routes } from "react-router-dom";
import { areaByKey } from "../../app/areas";
import { canAdminister, type TRole, useCurrentUser } from "../../auth/session";
import { Page, PageMessage } from "../../components/page";
import { SurveySettingsPage } from "../surveys/survey-settings-page";
import classes from "./admin.module.css";
import { CalendarEditorPage } from "./calendar-editor";
import { CalendarsPage } from "./calendars-page";
import { ChannelsPage } from "./channels-page";
import { DevMailboxPage } from "./dev-mailbox-page";
import { EmailTemplatesPage } from "./email-templates-page";
import { EntitlementsPage } from "./entitlements-page";
import { InboundMailPage } from "./inbound-mail-page";
import { PoliciesPage } from "./policies-page";
import { PolicyEditorPage } from "./policy-editor";
import { RoutingAgentsPage } from "./routing-agents-page";
import { RoutingQueuesPage } from "./routing-queues-page";
import { RoutingRuleEditorPage } from "./routing-rule-editor";
import { RoutingRulesPage } from "./routing-rules-page";
import { StatusComponentsPage } from "./status-components-page";

type TAdminSection = {
  path: string;
  label: string;
  icon: TablerIcon;
  group: string;
  /** Who may open it. */
  roles: readonly TRole[];
};

/** The admin pages, grouped; later settings (users, routing, templates) add their entries here. */
const SECTIONS: readonly TAdminSection[] = [
  {
    path: "calendars",
    label: "Business calendars",
    icon: IconCalendarTime,
    group: "Service levels",
    roles: ["admin", "manager"],
  },
  {
    path: "sla-policies",
    label: "SLA policies",
    icon: IconClockShield,
    group: "Service levels",
    roles: ["admin", "manager"],
  },
  {
    path: "entitlements",
    label: "Entitlements",
    icon: IconTicket,
    group: "Service levels",
    roles: ["admin", "manager", "sales"],
  },
  {
    path: "email-templates",
    label: "Email templates",
    icon: IconMailCog,
    group: "Email",
    roles: ["admin", "manager"],
  },
  {
    path: "channels",
    label: "Channels",
    icon: IconPlugConnected,
    group: "Channels",
    roles: ["admin", "manager"],
  },
  { path: "inbound-mail", label: "Inbound mail", icon: IconInbox, group: "Email", roles: ["admin"] },
  { path: "dev-mailbox", label: "Development mailbox", icon: IconMailbox, group: "Email", roles: ["admin"] },
  {
    path: "routing-rules",
    label: "Routing rules",
    icon: IconRoute,
    group: "Routing",
    roles: ["admin", "manager"],
  },
  {
    path: "queue-assignment",
    label: "Queue assignment",
    icon: IconStack2,
    group: "Routing",
    roles: ["admin", "manager"],
  },
  { path: "agent-load", label: "Agent load", icon: IconUsers, group: "Routing", roles: ["admin", "manager"] },
  { path: "surveys", label: "Surveys", icon: IconMoodSmile, group: "Satisfaction", roles: ["admin"] },
  {
    path: "status-page",
    label: "Status page",
    icon: IconServer,
    group: "Incidents",
    roles: ["admin", "manager"],
  },
];

function sectionsFor(role: TRole) {
  return SECTIONS.filter((section) => section.roles.includes(role));
}

/** Admin: a sub-navigation and the settings pages under /admin. */
export function AdminPage() {
  const user = useCurrentUser();
  const area = areaByKey("admin");
  const mine = sectionsFor(user.role);
  if (mine.length === 0) {
    return (
      <Page title={area.label} icon={area.icon}>
        <PageMessage icon={IconLock} title="Admin is for administrators and managers">
          Ask an administrator or a manager in your team if a setting needs changing.
        </PageMessage>
      </Page>
    );
  }
  const managers = canAdminister(user.role);
  return (
    <Routes>
      <Route index element={<Navigate to={(mine[0] as TAdminSection).path} replace />} />
      {managers ? (
        <>
          <Route path="calendars" element={<CalendarsPage />} />
          <Route path="calendars/new" element={<CalendarEditorPage />} />
          <Route path="calendars/:id" element={<CalendarEditorPage />} />
          <Route path="sla-policies" element={<PoliciesPage />} />
          <Route path="sla-policies/new" element={<PolicyEditorPage />} />
          <Route path="sla-policies/:id" element={<PolicyEditorPage />} />
        </>
      ) : null}
      <Route path="entitlements" element={<EntitlementsPage />} />
      {managers ? <Route path="email-templates" element={<EmailTemplatesPage />} /> : null}
      {managers ? <Route path="channels" element={<ChannelsPage />} /> : null}
      {managers ? <Route path="status-page" element={<StatusComponentsPage />} /> : null}
      {managers ? (
        <>
          <Route path="routing-rules" element={<RoutingRulesPage />} />
          <Route path="routing-rules/new" element={<RoutingRuleEditorPage />} />
          <Route path="routing-rules/:id" element={<RoutingRuleEditorPage />} />
          <Route path="queue-assignment" element={<RoutingQueuesPage />} />
          <Route path="agent-load" element={<RoutingAgentsPage />} />
        </>
      ) : null}
      {user.role === "admin" ? (
        <>
          <Route path="inbound-mail" element={<InboundMailPage />} />
          <Route path="dev-mailbox" element={<DevMailboxPage />} />
          <Route path="surveys" element={<SurveySettingsPage />} />
        </>
      ) : null}
      <Route
        path="*"
        element={
          <AdminFrame title="Not found">
            <PageMessage icon={IconSearchOff} title="There's no admin page here">
              {managers
                ? "The link may be mistyped. Pick a page on the left."
                : "This setting is for administrators and managers."}
            </PageMessage>
          </AdminFrame>
        }
      />
    </Routes>
  );
}

/** Every admin page: the page header, the admin navigation, then the page's own content. */
export function AdminFrame({
  title,
  actions,
  above,
  children,
}: {
  title: string;
  actions?: ReactNode;
  above?: ReactNode;
  children: ReactNode;
}) {
  const user = useCurrentUser();
  const area = areaByKey("admin");
  const mine = sectionsFor(user.role);
  const groups = [...new Set(mine.map((section) => section.group))];
  // Each admin page starts at its top (a save on a long form comes back to a list).
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);
  return (
    <Page title={title} icon={area.icon} actions={actions} above={above} flush>
      <div className={classes.layout}>
        <nav className={classes.nav} aria-label="Admin">
          {groups.map((group) => (
            <div key={group}>
              <div className={classes.navHeading}>{group}</div>
              <ul className={classes.navList}>
                {mine
                  .filter((section) => section.group === group)
                  .map((section) => (
                    <li key={section.path}>
                      <NavLink to={`/admin/${section.path}`} className={classes.navLink}>
                        <section.icon size={16} stroke={1.8} aria-hidden />
                        {section.label}
                      </NavLink>
                    </li>
                  ))}
              </ul>
            </div>
          ))}
        </nav>
        <div className={classes.content}>{children}</div>
      </div>
    </Page>
  );
}
