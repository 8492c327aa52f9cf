import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconBellRinging,
  IconBriefcase,
  IconClockCheck,
  IconClockExclamation,
  IconHeartbeat,
  IconMail,
  IconMailOff,
  IconMessageStar,
  IconMoodHappy,
  IconShieldCheck,
  IconSpeakerphone,
  IconUsersGroup,
  IconUserX,
  type TablerIcon,
} from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";

type TDescribed = { icon: TablerIcon; text: ReactNode; by: boolean };

const str = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

const KPI: Record<string, string> = {
  firstResponse: "first response",
  nextResponse: "next response",
  resolution: "resolution",
};
const SURVEY: Record<string, string> = { csat: "CSAT", nps: "NPS", ces: "Effort score" };
const BAND: Record<string, string> = { healthy: "healthy", watch: "watch", at_risk: "at risk" };
const FEEDBACK_KIND: Record<string, string> = {
  complaint: "Complaint",
  idea: "Idea",
  praise: "Praise",
  question: "Question",
};
const FEEDBACK_STATUS: Record<string, string> = {
  new: "new",
  planned: "planned",
  in_progress: "in progress",
  done: "done",
  wont_do: "won't do",
};
const SIGNAL: Record<string, string> = {
  downgrade_request: "Asked to downgrade",
  discount_request: "Asked for a discount",
  price_complaint: "Complained about price",
  value_touch: "Value-adding touch",
};
const SOURCE: Record<string, string> = { link: "the link in a mail", staff: "staff", portal: "the portal" };

/** The event types `describeServiceEvent` tells (live-updates.ts listens for them too). */
export const SERVICE_EVENT_TYPES = [
  "case.escalated",
  "case.escalation_closed",
  "sla.warning",
  "sla.breached",
  "sla.met",
  "survey.sent",
  "survey.held_back",
  "survey.answered",
  "survey.commented",
  "feedback.created",
  "feedback.status_changed",
  "feedback.loop_closed",
  "council.attendance_recorded",
  "health.band_changed",
  "health.score_dropped",
  "health.signal_recorded",
  "play.started",
  "play.ended",
  "account.lost",
  "account.won_back",
  "opportunity.created",
  "opportunity.updated",
  "incident.case_linked",
  "incident.case_unlinked",
  "incident.notice_sent",
  "contact.announcements_opted_out",
  "contact.announcements_resubscribed",
] as const;

/**
 * How the account timeline tells the events of the later capabilities — escalations, SLA clocks,
 * surveys, feedback, the council, the health ledger and plays, churn, opportunities, incidents and
 * announcements — in words ("CSAT answered: 2 on CS-000042"). Null for events it does not know.
 */
export function describeServiceEvent(
  type: string,
  data: Record<string, unknown>,
  caseNumber: (id: string) => string | undefined,
): TDescribed | null {
  const caseId = str(data.caseId);
  const onCase = caseId ? (
    <>
      {" on "}
      <Link to={`/cases/${caseId}`}>{caseNumber(caseId) ?? str(data.number) ?? "a case"}</Link>
    </>
  ) : null;
  const title = str(data.title) ? <q>{str(data.title)}</q> : null;
  switch (type) {
    case "case.escalated":
      return {
        icon: IconAlertTriangle,
        text: (
          <>
            {data.by === "contact" ? "The customer asked for a manager" : "Escalated to a manager"}
            {str(data.reason) ? (
              <>
                : <q>{str(data.reason)}</q>
              </>
            ) : null}
          </>
        ),
        by: data.by !== "contact",
      };
    case "case.escalation_closed":
      return { icon: IconShieldCheck, text: <>Escalation closed</>, by: false };
    case "sla.warning":
      return {
        icon: IconClockExclamation,
        text: <>SLA warning: {KPI[str(data.kpi) ?? ""] ?? "a target"} due soon</>,
        by: false,
      };
    case "sla.breached":
      return {
        icon: IconClockExclamation,
        text: <>SLA breached: {KPI[str(data.kpi) ?? ""] ?? "a target"} missed</>,
        by: false,
      };
    case "sla.met":
      return {
        icon: IconClockCheck,
        text: <>SLA met: {KPI[str(data.kpi) ?? ""] ?? "a target"}</>,
        by: false,
      };
    case "survey.sent":
      return {
        icon: IconMail,
        text: (
          <>
            {SURVEY[str(data.type) ?? ""] ?? "A"} survey sent{onCase}
          </>
        ),
        by: false,
      };
    case "survey.held_back":
      return {
        icon: IconMailOff,
        text: (
          <>
            {SURVEY[str(data.type) ?? ""] ?? "A"} survey held back (
            {str(data.rule)?.replaceAll("_", " ") ?? "a rule"})
          </>
        ),
        by: false,
      };
    case "survey.answered":
      return {
        icon: IconMoodHappy,
        text: (
          <>
            {SURVEY[str(data.type) ?? ""] ?? "Survey"} answered: {String(data.score ?? "?")}
            {data.low === true ? " (low)" : ""}
            {onCase}
          </>
        ),
        by: false,
      };
    case "survey.commented":
      return { icon: IconMoodHappy, text: <>Comment added to a survey answer</>, by: false };
    case "feedback.created":
      return {
        icon: IconMessageStar,
        text: (
          <>
            {FEEDBACK_KIND[str(data.kind) ?? ""] ?? "Feedback"} recorded: {title}
          </>
        ),
        by: true,
      };
    case "feedback.status_changed":
      return {
        icon: IconMessageStar,
        text: (
          <>
            Feedback {title} is now {FEEDBACK_STATUS[str(data.to) ?? ""] ?? str(data.to)}
          </>
        ),
        by: true,
      };
    case "feedback.loop_closed":
      return { icon: IconMessageStar, text: <>Told that {title} was done</>, by: true };
    case "council.attendance_recorded":
      return {
        icon: IconUsersGroup,
        text: <>{data.attended === false ? "Missed a council meeting" : "Attended a council meeting"}</>,
        by: true,
      };
    case "health.band_changed":
      return {
        icon: IconHeartbeat,
        text: (
          <>
            Health {BAND[str(data.from) ?? ""] ?? "new"} → {BAND[str(data.to) ?? ""] ?? str(data.to)}
            {typeof data.score === "number" ? ` (score ${data.score})` : ""}
          </>
        ),
        by: false,
      };
    case "health.score_dropped":
      return {
        icon: IconHeartbeat,
        text: (
          <>
            Health score dropped {String(data.points ?? "")} points in {String(data.days ?? "")} days
          </>
        ),
        by: false,
      };
    case "health.signal_recorded":
      return {
        icon: IconHeartbeat,
        text: <>{SIGNAL[str(data.kind) ?? ""] ?? "Signal recorded"}</>,
        by: true,
      };
    case "play.started":
      return {
        icon: IconBellRinging,
        text: <>Retention play started ({str(data.reason)?.replaceAll("_", " ") ?? "health"})</>,
        by: false,
      };
    case "play.ended":
      return {
        icon: IconBellRinging,
        text: <>Retention play ended: {str(data.outcome)?.replaceAll("_", " ") ?? "closed"}</>,
        by: true,
      };
    case "account.lost":
      return {
        icon: IconUserX,
        text: <>Customer lost ({str(data.reason)?.replaceAll("_", " ") ?? "no reason"})</>,
        by: true,
      };
    case "account.won_back":
      return { icon: IconArrowBackUp, text: <>Customer won back</>, by: true };
    case "opportunity.created":
      return {
        icon: IconBriefcase,
        text: <>Opportunity {str(data.name) ? <q>{str(data.name)}</q> : null} opened</>,
        by: true,
      };
    case "opportunity.updated":
      return { icon: IconBriefcase, text: <>Opportunity updated</>, by: true };
    case "incident.case_linked":
    case "incident.case_unlinked":
      return {
        icon: IconAlertTriangle,
        text: (
          <>
            {caseNumber(caseId ?? "") ?? "A case"}{" "}
            {type === "incident.case_linked" ? "linked to" : "unlinked from"} incident{" "}
            {str(data.number) ?? ""}
          </>
        ),
        by: true,
      };
    case "incident.notice_sent":
      return {
        icon: IconSpeakerphone,
        text: (
          <>
            Told about incident {str(data.number) ?? ""} before asking ({String(data.contacts ?? 0)} contact
            {data.contacts === 1 ? "" : "s"})
          </>
        ),
        by: false,
      };
    case "contact.announcements_opted_out":
      return {
        icon: IconMailOff,
        text: <>A contact opted out of announcements (by {SOURCE[str(data.source) ?? ""] ?? "request"})</>,
        by: data.source === "staff",
      };
    case "contact.announcements_resubscribed":
      return {
        icon: IconMail,
        text: (
          <>A contact opted back in to announcements (by {SOURCE[str(data.source) ?? ""] ?? "request"})</>
        ),
        by: data.source === "staff",
      };
    default:
      return null;
  }
}
