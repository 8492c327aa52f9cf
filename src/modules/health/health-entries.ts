import type { StoredEvent } from "../../platform/events/event-bus.ts";
import {
  type EntryKind,
  type HealthConfig,
  SIGNAL_KINDS,
  type SignalKind,
  surveyFactor,
} from "./health-score.ts";

/** Recorded by `POST /accounts/{id}/health-signals`: a churn signal sales heard, or a value-adding touch. */
export const HEALTH_SIGNAL_RECORDED = "health.signal_recorded";

/** Every event type the ledger reads. */
export const LEDGER_EVENT_TYPES = [
  "sla.met",
  "sla.breached",
  "promise.kept",
  "promise.broken",
  "case.created",
  "case.reopened",
  "case.escalated",
  "survey.answered",
  "feedback.created",
  "council.attendance_recorded",
  "incident.notice_sent",
  HEALTH_SIGNAL_RECORDED,
] as const;

export type EntryDraft = {
  kind: EntryKind;
  baseWeight: number;
  caseId: string | null;
  /** A new case: it takes the account's next ordinal. */
  newCase: boolean;
  detail: Record<string, unknown>;
};

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/** What one event posts to the ledger (before the moments multiplier), or null when it posts nothing. */
export function entryFor(cfg: HealthConfig, e: StoredEvent): EntryDraft | null {
  const w = cfg.weights;
  const d = e.data ?? {};
  const caseOfEntity = e.entityType === "case" ? e.entityId : str(d.caseId);
  const draft = (kind: EntryKind, detail: Record<string, unknown> = {}, factor = 1): EntryDraft => ({
    kind,
    baseWeight: w[kind] * factor,
    caseId: caseOfEntity,
    newCase: false,
    detail,
  });
  switch (e.type) {
    case "sla.met":
      return draft("sla_met", { kpi: d.kpi ?? null });
    case "sla.breached":
      return draft("sla_breached", { kpi: d.kpi ?? null });
    case "promise.kept":
      return draft("promise_kept", { subject: d.subject ?? null, how: d.how ?? null });
    case "promise.broken":
      return draft("promise_broken", { subject: d.subject ?? null });
    case "case.created":
      // A merged duplicate or a child report of one incident is not a new problem for the customer.
      if (d.parentId) return null;
      return {
        ...draft("case_created", { number: d.number ?? null, priority: d.priority ?? null }),
        newCase: true,
      };
    case "case.reopened":
      return draft("case_reopened", { reopenCount: d.reopenCount ?? null });
    case "case.escalated":
      return draft("case_escalated", { reason: d.reason ?? null, by: d.by ?? null });
    case "survey.answered": {
      const type = d.type;
      if (type !== "csat" && type !== "nps" && type !== "ces") return null;
      const factor = surveyFactor(type, Number(d.score));
      if (factor === null) return null;
      return draft(`survey_${type}`, { type, score: Number(d.score), surveyId: d.surveyId ?? null }, factor);
    }
    case "feedback.created": {
      const kind = d.kind;
      const detail = { feedbackKind: kind, title: d.title ?? null };
      if (kind === "complaint") return draft("complaint", detail);
      if (kind === "praise") return draft("praise", detail);
      if (kind === "idea") return draft("idea", detail);
      return null;
    }
    case "council.attendance_recorded": {
      const status = String(d.status ?? d.attendance ?? "");
      const attended =
        d.attended === true || d.present === true || status === "attended" || status === "present";
      const missed =
        d.attended === false || d.present === false || ["absent", "missed", "no_show"].includes(status);
      if (!attended && !missed) return null;
      return draft(attended ? "council_attended" : "council_missed", { meetingId: d.meetingId ?? null });
    }
    case "incident.notice_sent":
      // Told about a known problem before having to ask: credited once per incident (the first
      // notice the account got for it), so a long incident with many updates is not a windfall.
      if (d.first === false) return null;
      return { ...draft("proactive_notice", { incidentId: d.incidentId ?? null }), caseId: null };
    case HEALTH_SIGNAL_RECORDED: {
      const kind = d.kind as SignalKind;
      if (!SIGNAL_KINDS.includes(kind)) return null;
      return { ...draft(kind, { notes: d.notes ?? null }), caseId: null };
    }
    default:
      return null;
  }
}
