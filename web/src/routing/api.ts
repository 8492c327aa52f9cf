import { type QueryKey, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";
import { sessionQueryKey, type TSession } from "../auth/session";
import { staffKeys } from "../customers/api";
import { type TLiveEvent, useLiveEvent } from "../live/live-updates";
import { caseKeys } from "../pages/cases/case-keys";

/**
 * Data hooks for routing and assignment: the rules, the rule tester, each queue's strategy, the
 * agent load board, working hours, re-routing a case, and the signed-in agent's presence and
 * hand-back.
 */

export type TRule = components["schemas"]["RoutingRule"];
export type TRuleWhen = TRule["when"];
export type TRuleThen = TRule["then"];
export type TRuleInput = paths["/api/v1/routing-rules"]["post"]["requestBody"]["content"]["application/json"];
export type TRulePatch = NonNullable<
  paths["/api/v1/routing-rules/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TRuleTest =
  paths["/api/v1/routing-rules/test"]["post"]["requestBody"]["content"]["application/json"];
export type TSampleCase = TRuleTest["case"];
export type TTestResult = components["schemas"]["RoutingTestResult"];
export type TStrategy = components["schemas"]["QueueAssignment"]["strategy"];
export type TAgentLoad = components["schemas"]["AgentLoad"];
export type TQueueSummary =
  paths["/api/v1/routing/queues"]["get"]["responses"][200]["content"]["application/json"]["items"][number];
export type TCaseRouting =
  paths["/api/v1/cases/{id}/routing"]["get"]["responses"][200]["content"]["application/json"];
export type TPresence = "available" | "away" | "offline";

export const routingKeys = {
  all: ["routing"] as const,
  rules: ["routing", "rules"] as const,
  queues: ["routing", "queues"] as const,
  agents: (teamId: string | null) => ["routing", "agents", teamId] as const,
  agentsAll: ["routing", "agents"] as const,
  caseRouting: (caseId: string) => ["cases", "routing", caseId] as const,
};

export const STRATEGIES: readonly TStrategy[] = ["manual", "round_robin", "least_loaded", "skills"];

export const strategyLabel: Record<TStrategy, string> = {
  manual: "By hand",
  round_robin: "Round robin",
  least_loaded: "Least loaded",
  skills: "Skills",
};

export const strategyHelp: Record<TStrategy, string> = {
  manual: "Nobody is assigned automatically; agents pick cases from the queue.",
  round_robin: "Each new case goes to the next available agent in turn.",
  least_loaded: "The available agent with the least work for their capacity (urgent cases weigh more).",
  skills: "Only agents with the case's product and language skills, least loaded among them.",
};

const CONFIG_STALE = 5 * 60_000;

/** Refetches `keys` when one of these live events arrives (listener kept stable). */
function useRefreshOn(types: readonly string[], keys: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  const typeList = types.join(",");
  const keyList = JSON.stringify(keys);
  const listener = useCallback(
    (event: TLiveEvent) => {
      if (
        !typeList
          .split(",")
          .some(
            (type) => event.type === type || (type.endsWith("*") && event.type.startsWith(type.slice(0, -1))),
          )
      )
        return;
      for (const queryKey of JSON.parse(keyList) as QueryKey[])
        void queryClient.invalidateQueries({ queryKey });
    },
    [queryClient, typeList, keyList],
  );
  useLiveEvent(listener);
}

// ---- rules ----

export function useRoutingRules() {
  const query = useQuery({
    queryKey: routingKeys.rules,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/routing-rules", { signal })),
    staleTime: CONFIG_STALE,
  });
  useRefreshOn(["routing_rule.*"], [routingKeys.rules]);
  const rules = useMemo(
    () =>
      [...(query.data?.items ?? [])].sort(
        (a, b) => a.order - b.order || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
      ),
    [query.data],
  );
  const byId = useMemo(() => new Map(rules.map((rule) => [rule.id, rule])), [rules]);
  return { ...query, rules, byId };
}

export function useSaveRule(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TRuleInput) =>
      id
        ? unwrap(api.PATCH("/api/v1/routing-rules/{id}", { params: { path: { id } }, body }))
        : unwrap(api.POST("/api/v1/routing-rules", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.rules }),
  });
}

/** Small changes from the list (active switch, order), shown at once and rolled back on refusal. */
export function usePatchRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TRulePatch }) =>
      unwrap(api.PATCH("/api/v1/routing-rules/{id}", { params: { path: { id } }, body: patch })),
    onMutate: async ({ id, patch }) => {
      await queryClient.cancelQueries({ queryKey: routingKeys.rules });
      const previous = queryClient.getQueryData<{ items: TRule[]; nextCursor: null }>(routingKeys.rules);
      if (previous) {
        queryClient.setQueryData(routingKeys.rules, {
          ...previous,
          items: previous.items.map((item) => (item.id === id ? ({ ...item, ...patch } as TRule) : item)),
        });
      }
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) queryClient.setQueryData(routingKeys.rules, context.previous);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: routingKeys.rules }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/routing-rules/{id}", { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: routingKeys.rules }),
  });
}

/** "Which rule would match this sample case?" — nothing is stored. */
export function useTestRules() {
  return useMutation({
    mutationFn: (body: TRuleTest) => unwrap(api.POST("/api/v1/routing-rules/test", { body })),
  });
}

// ---- queues and agents ----

export function useQueueSummaries() {
  const query = useQuery({
    queryKey: routingKeys.queues,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/routing/queues", { signal })),
    staleTime: 30_000,
  });
  useRefreshOn(
    ["queue.*", "case.created", "case.assigned", "case.status_changed", "case.updated"],
    [routingKeys.queues],
  );
  return { ...query, queues: query.data?.items ?? [] };
}

export function useSetStrategy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ queueId, strategy }: { queueId: string; strategy: TStrategy }) =>
      unwrap(
        api.PUT("/api/v1/queues/{id}/assignment", { params: { path: { id: queueId } }, body: { strategy } }),
      ),
    onMutate: async ({ queueId, strategy }) => {
      await queryClient.cancelQueries({ queryKey: routingKeys.queues });
      const previous = queryClient.getQueryData<{ items: TQueueSummary[]; nextCursor: null }>(
        routingKeys.queues,
      );
      if (previous) {
        queryClient.setQueryData(routingKeys.queues, {
          ...previous,
          items: previous.items.map((item) => (item.queueId === queueId ? { ...item, strategy } : item)),
        });
      }
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) queryClient.setQueryData(routingKeys.queues, context.previous);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: routingKeys.all });
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
    },
  });
}

/** The load board: refreshed by every case and presence change, and every 30 s (working hours). */
export function useAgentLoads(teamId: string | null) {
  const query = useQuery({
    queryKey: routingKeys.agents(teamId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/routing/agents", { params: { query: teamId ? { teamId } : {} }, signal })),
    staleTime: 10_000,
    refetchInterval: 30_000,
  });
  useRefreshOn(
    [
      "case.created",
      "case.assigned",
      "case.status_changed",
      "case.resolved",
      "case.reopened",
      "case.priority_changed",
      "case.deleted",
      "case.merged",
      "user.*",
      "routing.schedule_changed",
      "team.updated",
    ],
    [routingKeys.agentsAll, routingKeys.queues],
  );
  return { ...query, agents: query.data?.items ?? [] };
}

export function useSetSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, calendarId }: { userId: string; calendarId: string | null }) =>
      unwrap(
        api.PUT("/api/v1/routing/agents/{id}/schedule", {
          params: { path: { id: userId } },
          body: { calendarId },
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: routingKeys.agentsAll }),
  });
}

export function useSetCapacity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, capacity }: { userId: string; capacity: number }) =>
      unwrap(api.PATCH("/api/v1/users/{id}", { params: { path: { id: userId } }, body: { capacity } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: routingKeys.agentsAll });
      void queryClient.invalidateQueries({ queryKey: staffKeys.all });
    },
  });
}

// ---- a case ----

export function useCaseRouting(caseId: string, enabled = true) {
  return useQuery({
    queryKey: routingKeys.caseRouting(caseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/cases/{id}/routing", { params: { path: { id: caseId } }, signal })),
    enabled,
  });
}

export function useReroute(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/cases/{id}/reroute", { params: { path: { id: caseId } } })),
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.detail(caseId), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
  });
}

// ---- presence ----

/** The signed-in user's presence, shown at once in the header; rolled back if refused. */
export function useSetPresence() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status: TPresence) => unwrap(api.PATCH("/api/v1/me", { body: { status } })),
    onMutate: async (status) => {
      const previous = queryClient.getQueryData<TSession>(sessionQueryKey);
      if (previous?.status === "signed-in") {
        const next: TSession = { status: "signed-in", user: { ...previous.user, status } };
        queryClient.setQueryData(sessionQueryKey, next);
      }
      return { previous };
    },
    onError: (_error, _status, context) => {
      if (context?.previous) queryClient.setQueryData(sessionQueryKey, context.previous);
    },
    onSuccess: (user) => {
      const current = queryClient.getQueryData<TSession>(sessionQueryKey);
      if (current?.status === "signed-in") {
        const next: TSession = { status: "signed-in", user };
        queryClient.setQueryData(sessionQueryKey, next);
      }
    },
  });
}

/** Gives back my cases nobody has started; with a status, sets it first. */
export function useHandBack() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (status?: TPresence) =>
      unwrap(api.POST("/api/v1/me/hand-back", { body: status ? { status } : {} })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: sessionQueryKey });
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
  });
}
