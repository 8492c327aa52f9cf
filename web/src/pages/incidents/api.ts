import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { paths } from "../../api/schema";
import type { Segment } from "../../components/segment-builder";

type Json<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: { content: { "application/json": infer B } } }
    ? B
    : R extends { 201: { content: { "application/json": infer B } } }
      ? B
      : never
  : never;
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type TIncident = Json<"/api/v1/incidents/{id}", "get">;
export type TIncidentListItem = Json<"/api/v1/incidents", "get">["items"][number];
export type TIncidentUpdate = NonNullable<TIncident["updates"]>[number];
export type TIncidentStatus = TIncident["status"];
export type TIncidentImpact = TIncident["impact"];
export type TIncidentInput = Body<"/api/v1/incidents", "post">;
export type TIncidentPatch = Body<"/api/v1/incidents/{id}", "patch">;
export type TIncidentUpdateInput = Body<"/api/v1/incidents/{id}/updates", "post">;
export type TLinkedCase = Json<"/api/v1/incidents/{id}/cases", "get">["items"][number];
export type TAffectedAccount = Json<"/api/v1/incidents/{id}/affected-accounts", "get">["items"][number];
export type TStatusComponent = Json<"/api/v1/status-components", "get">["items"][number];
export type TCaseIncident = Json<"/api/v1/cases/{id}/incidents", "get">["items"][number];
export type TAudience = Json<"/api/v1/incidents/preview-audience", "post">;

export const INCIDENT_STATUSES: readonly TIncidentStatus[] = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
];
export const INCIDENT_IMPACTS: readonly TIncidentImpact[] = ["minor", "major", "critical"];

export const statusLabel: Record<TIncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
};
export const statusColor: Record<TIncidentStatus, string> = {
  investigating: "red",
  identified: "orange",
  monitoring: "blue",
  resolved: "green",
};
export const impactLabel: Record<TIncidentImpact, string> = {
  minor: "Minor",
  major: "Major",
  critical: "Critical",
};
export const impactColor: Record<TIncidentImpact, string> = {
  minor: "yellow",
  major: "orange",
  critical: "red",
};

/**
 * Query keys. Everything about incidents sits under "incidents"; a case's incidents sit under
 * "cases" so a case event from the live stream refreshes them with the rest of the case.
 */
export const incidentKeys = {
  all: ["incidents"] as const,
  lists: ["incidents", "list"] as const,
  list: (state: string) => ["incidents", "list", state] as const,
  detail: (id: string) => ["incidents", "detail", id] as const,
  cases: (id: string) => ["incidents", "cases", id] as const,
  suggested: (id: string) => ["incidents", "suggested", id] as const,
  affected: (id: string) => ["incidents", "affected", id] as const,
  audience: (affects: Segment | null, incidentId?: string) =>
    ["incidents", "audience", affects, incidentId ?? null] as const,
  components: ["status-components"] as const,
  ofCase: (caseId: string) => ["cases", "incidents", caseId] as const,
  allOfCases: ["cases", "incidents"] as const,
};

/** The events that change what the incident screens show (live-updates.ts invalidates on them). */
export const INCIDENT_EVENT_TYPES = [
  "incident.created",
  "incident.updated",
  "incident.update_posted",
  "incident.resolved",
  "incident.reopened",
  "incident.case_linked",
  "incident.case_unlinked",
  "incident.notice_sent",
  "status_component.created",
  "status_component.updated",
  "status_component.archived",
] as const;

// Live events refresh these screens (INCIDENT_EVENT_TYPES); a gentle poll covers a dropped stream.
const REFRESH_MS = 30_000;

export function useIncidentList(state: "open" | "resolved") {
  return useInfiniteQuery({
    queryKey: incidentKeys.list(state),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/incidents", {
          params: { query: { state, limit: 50, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: string) {
  return useQuery({
    queryKey: incidentKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/incidents/{id}", { params: { path: { id } }, signal })),
    refetchInterval: REFRESH_MS,
  });
}

export function useLinkedCases(id: string) {
  return useQuery({
    queryKey: incidentKeys.cases(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/incidents/{id}/cases", { params: { path: { id } }, signal })),
    refetchInterval: REFRESH_MS,
  });
}

export function useSuggestedCases(id: string, enabled: boolean) {
  return useQuery({
    queryKey: incidentKeys.suggested(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/incidents/{id}/suggested-cases", { params: { path: { id } }, signal })),
    enabled,
    refetchInterval: REFRESH_MS,
  });
}

export function useAffectedAccounts(id: string) {
  return useInfiniteQuery({
    queryKey: incidentKeys.affected(id),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/incidents/{id}/affected-accounts", {
          params: { path: { id }, query: { limit: 25, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Who a notice would reach now: debounced by the caller (the affects value is the key). */
export function useAudiencePreview(affects: Segment | null, incidentId?: string, enabled = true) {
  return useQuery({
    queryKey: incidentKeys.audience(affects, incidentId),
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/incidents/preview-audience", {
          body: { affects, ...(incidentId ? { incidentId } : {}) },
          signal,
        }),
      ),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function useStatusComponents() {
  return useQuery({
    queryKey: incidentKeys.components,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/status-components", { signal })),
    staleTime: 60_000,
  });
}

export function useCaseIncidents(caseId: string) {
  return useQuery({
    queryKey: incidentKeys.ofCase(caseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/cases/{id}/incidents", { params: { path: { id: caseId } }, signal })),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

function useInvalidateIncident() {
  const qc = useQueryClient();
  return (id?: string) => {
    void qc.invalidateQueries({ queryKey: incidentKeys.lists });
    if (id) {
      void qc.invalidateQueries({ queryKey: incidentKeys.detail(id) });
      void qc.invalidateQueries({ queryKey: incidentKeys.cases(id) });
      void qc.invalidateQueries({ queryKey: incidentKeys.suggested(id) });
      void qc.invalidateQueries({ queryKey: incidentKeys.affected(id) });
    }
    void qc.invalidateQueries({ queryKey: ["cases", "incidents"] });
  };
}

export function useIncidentMutations() {
  const qc = useQueryClient();
  const invalidate = useInvalidateIncident();
  const create = useMutation({
    mutationFn: (body: TIncidentInput) => unwrap(api.POST("/api/v1/incidents", { body })),
    onSuccess: (incident) => {
      qc.setQueryData(incidentKeys.detail(incident.id), incident);
      invalidate(incident.id);
    },
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: TIncidentPatch }) =>
      unwrap(api.PATCH("/api/v1/incidents/{id}", { params: { path: { id } }, body })),
    onSuccess: (incident) => {
      qc.setQueryData(incidentKeys.detail(incident.id), (old: TIncident | undefined) => ({
        ...incident,
        updates: incident.updates ?? old?.updates,
      }));
      invalidate(incident.id);
    },
  });
  const postUpdate = useMutation({
    mutationFn: ({ id, body }: { id: string; body: TIncidentUpdateInput }) =>
      unwrap(api.POST("/api/v1/incidents/{id}/updates", { params: { path: { id } }, body })),
    onSuccess: (_update, { id, body }) => {
      invalidate(id);
      if (body.resolveLinkedCases) void qc.invalidateQueries({ queryKey: ["cases"] });
    },
  });
  const link = useMutation({
    mutationFn: ({ id, caseIds }: { id: string; caseIds: string[] }) =>
      unwrap(api.POST("/api/v1/incidents/{id}/cases", { params: { path: { id } }, body: { caseIds } })),
    onSuccess: (_result, { id }) => invalidate(id),
  });
  const unlink = useMutation({
    mutationFn: ({ id, caseId }: { id: string; caseId: string }) =>
      unwrap(api.DELETE("/api/v1/incidents/{id}/cases/{caseId}", { params: { path: { id, caseId } } })),
    onSuccess: (_result, { id }) => invalidate(id),
  });
  return { create, update, postUpdate, link, unlink };
}

export function useStatusComponentMutations() {
  const qc = useQueryClient();
  const done = () => void qc.invalidateQueries({ queryKey: incidentKeys.components });
  const create = useMutation({
    mutationFn: (body: Body<"/api/v1/status-components", "post">) =>
      unwrap(api.POST("/api/v1/status-components", { body })),
    onSuccess: done,
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Body<"/api/v1/status-components/{id}", "patch"> }) =>
      unwrap(api.PATCH("/api/v1/status-components/{id}", { params: { path: { id } }, body })),
    onSuccess: done,
  });
  const archive = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/status-components/{id}", { params: { path: { id } } })),
    onSuccess: done,
  });
  return { create, update, archive };
}
