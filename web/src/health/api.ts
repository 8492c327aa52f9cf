import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";

export type TAccountHealth = components["schemas"]["AccountHealth"];
export type THealthEntry = components["schemas"]["HealthEntry"];
export type TBrief = components["schemas"]["AccountBrief"];
export type TPlay = components["schemas"]["Play"];
export type TChurn = components["schemas"]["ChurnRecord"];
export type THealthSettings = components["schemas"]["HealthSettings"];
export type TOpportunity = components["schemas"]["Opportunity"];
export type TDashboard =
  paths["/api/v1/health/dashboard"]["get"]["responses"]["200"]["content"]["application/json"];
export type TPareto =
  paths["/api/v1/health/pareto"]["get"]["responses"]["200"]["content"]["application/json"];
export type TChurnReport =
  paths["/api/v1/reports/churn"]["get"]["responses"]["200"]["content"]["application/json"];
export type TPlayReport =
  paths["/api/v1/plays/report"]["get"]["responses"]["200"]["content"]["application/json"];
export type TSignalKind =
  paths["/api/v1/accounts/{id}/health-signals"]["post"]["requestBody"]["content"]["application/json"]["kind"];
export type TChurnReason = TChurn["reason"];
export type TStage = TOpportunity["stage"];

/** Everything health-related sits under "health" (and the account under "accounts") for invalidation. */
export const healthKeys = {
  all: ["health"] as const,
  account: (id: string) => ["health", "account", id] as const,
  brief: (id: string) => ["health", "brief", id] as const,
  dashboard: ["health", "dashboard"] as const,
  pareto: ["health", "pareto"] as const,
  ready: ["health", "ready"] as const,
  plays: (status: string) => ["health", "plays", status] as const,
  playReport: ["health", "plays", "report"] as const,
  churnReport: ["health", "churn", "report"] as const,
  churn: ["health", "churn", "list"] as const,
  settings: ["health", "settings"] as const,
  pipeline: ["opportunities", "pipeline"] as const,
  opportunitiesOf: (accountId: string) => ["opportunities", "account", accountId] as const,
};

const STALE = 30_000;

export const useAccountHealth = (id: string) =>
  useQuery({
    queryKey: healthKeys.account(id),
    queryFn: () => unwrap(api.GET("/api/v1/accounts/{id}/health", { params: { path: { id } } })),
    staleTime: STALE,
  });

export const useBrief = (id: string) =>
  useQuery({
    queryKey: healthKeys.brief(id),
    queryFn: () => unwrap(api.GET("/api/v1/accounts/{id}/brief", { params: { path: { id } } })),
    staleTime: STALE,
  });

export const useDashboard = () =>
  useQuery({
    queryKey: healthKeys.dashboard,
    queryFn: () => unwrap(api.GET("/api/v1/health/dashboard")),
    staleTime: STALE,
  });

export const usePareto = () =>
  useQuery({
    queryKey: healthKeys.pareto,
    queryFn: () => unwrap(api.GET("/api/v1/health/pareto")),
    staleTime: STALE,
  });

export const useReadyForOffer = () =>
  useQuery({
    queryKey: healthKeys.ready,
    queryFn: () => unwrap(api.GET("/api/v1/health/ready-for-offer", { params: { query: { limit: 50 } } })),
    staleTime: STALE,
  });

export const usePlays = (status: "open" | "ended") =>
  useQuery({
    queryKey: healthKeys.plays(status),
    queryFn: () => unwrap(api.GET("/api/v1/plays", { params: { query: { status, limit: 100 } } })),
    staleTime: STALE,
  });

export const usePlayReport = () =>
  useQuery({
    queryKey: healthKeys.playReport,
    queryFn: () => unwrap(api.GET("/api/v1/plays/report")),
    staleTime: STALE,
  });

export const useChurnReport = () =>
  useQuery({
    queryKey: healthKeys.churnReport,
    queryFn: () => unwrap(api.GET("/api/v1/reports/churn")),
    staleTime: STALE,
  });

export const useChurnList = () =>
  useQuery({
    queryKey: healthKeys.churn,
    queryFn: () => unwrap(api.GET("/api/v1/churn", { params: { query: { limit: 100 } } })),
    staleTime: STALE,
  });

export const useHealthSettings = () =>
  useQuery({
    queryKey: healthKeys.settings,
    queryFn: () => unwrap(api.GET("/api/v1/health/settings")),
    staleTime: STALE,
  });

export const usePipeline = () =>
  useQuery({
    queryKey: healthKeys.pipeline,
    queryFn: () => unwrap(api.GET("/api/v1/opportunities/pipeline")),
    staleTime: STALE,
  });

export const useAccountOpportunities = (accountId: string) =>
  useQuery({
    queryKey: healthKeys.opportunitiesOf(accountId),
    queryFn: () => unwrap(api.GET("/api/v1/opportunities", { params: { query: { accountId, limit: 50 } } })),
    staleTime: STALE,
  });

function useInvalidateHealth() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ["health"] });
    void qc.invalidateQueries({ queryKey: ["accounts"] });
    void qc.invalidateQueries({ queryKey: ["opportunities"] });
  };
}

export function useRecordSignal(accountId: string) {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (body: { kind: TSignalKind; notes?: string | null }) =>
      unwrap(api.POST("/api/v1/accounts/{id}/health-signals", { params: { path: { id: accountId } }, body })),
    // The ledger posts the entry in the worker: refresh a moment later too.
    onSuccess: () => {
      done();
      setTimeout(done, 1500);
    },
  });
}

export function useStartPlay(accountId: string) {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (body: { notes?: string | null }) =>
      unwrap(api.POST("/api/v1/accounts/{id}/plays", { params: { path: { id: accountId } }, body })),
    onSuccess: done,
  });
}

export function useEndPlay() {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (v: { id: string; outcome: "recovered" | "lost" | "no_longer_needed" }) =>
      unwrap(
        api.POST("/api/v1/plays/{id}/end", { params: { path: { id: v.id } }, body: { outcome: v.outcome } }),
      ),
    onSuccess: done,
  });
}

export function useMarkLost(accountId: string) {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (body: {
      reason: TChurnReason;
      notes?: string | null;
      lostOn?: string;
      revenueLost?: number;
    }) => unwrap(api.POST("/api/v1/accounts/{id}/churn", { params: { path: { id: accountId } }, body })),
    onSuccess: done,
  });
}

export function useWonBack() {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/churn/{id}/won-back", { params: { path: { id } } })),
    onSuccess: done,
  });
}

export function useUpdateSettings() {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (
      body: paths["/api/v1/health/settings"]["patch"]["requestBody"]["content"]["application/json"],
    ) => unwrap(api.PATCH("/api/v1/health/settings", { body })),
    onSuccess: done,
  });
}

export function useCreateOpportunity() {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (
      body: paths["/api/v1/opportunities"]["post"]["requestBody"]["content"]["application/json"],
    ) => unwrap(api.POST("/api/v1/opportunities", { body })),
    onSuccess: done,
  });
}

export function useMoveOpportunity() {
  const done = useInvalidateHealth();
  return useMutation({
    mutationFn: (v: { id: string; stage: TStage }) =>
      unwrap(
        api.PATCH("/api/v1/opportunities/{id}", { params: { path: { id: v.id } }, body: { stage: v.stage } }),
      ),
    onSuccess: done,
  });
}

export const KIND_LABELS: Record<string, string> = {
  sla_met: "SLA met",
  sla_breached: "SLA breached",
  promise_kept: "Promise kept",
  promise_broken: "Promise broken",
  case_created: "New case",
  case_reopened: "Case reopened",
  case_escalated: "Escalated to a manager",
  survey_csat: "CSAT answer",
  survey_nps: "NPS answer",
  survey_ces: "Effort score answer",
  complaint: "Complaint",
  praise: "Praise",
  idea: "Idea",
  council_attended: "Attended the council",
  council_missed: "Missed the council",
  downgrade_request: "Asked to downgrade",
  discount_request: "Asked for a discount",
  price_complaint: "Complained about price",
  value_touch: "Value-adding touch",
  proactive_notice: "Told about an incident before asking",
};

export const REASON_LABELS: Record<string, string> = {
  customer_service: "Customer service",
  low_quality: "Low quality",
  missing_features: "Missing features",
  switched_service: "Switched to a competitor",
  too_complex: "Too complex",
  too_expensive: "Too expensive",
  unused: "Not used",
  other: "Other",
};

export const GROUP_LABELS: Record<string, string> = {
  service_or_treatment: "Service or treatment",
  product: "Product",
  competitor: "Competitor",
  price: "Price",
  other: "Other",
};

export const PLAY_REASON_LABELS: Record<string, string> = {
  entered_at_risk: "Entered at risk",
  score_drop: "Score dropped",
  manual: "Started by hand",
};

export const STAGE_LABELS: Record<string, string> = {
  qualify: "Qualify",
  propose: "Propose",
  negotiate: "Negotiate",
  won: "Won",
  lost: "Lost",
};

export const formatMoney = (n: number) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(
    n,
  );

export const formatWeight = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${Math.abs(n).toFixed(1)}`;
