import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";
import { slaKeys } from "./sla-keys";

export { slaKeys };

/**
 * Data hooks for SLAs and entitlements: business calendars, SLA policies, entitlements, time
 * logged on a case, a case's SLA history and the compliance report. Per-case queries sit under
 * "cases" so the live stream's case events refresh them with the case.
 */

export type TCalendar = components["schemas"]["Calendar"];
export type TPolicy = components["schemas"]["SlaPolicy"];
export type TEntitlement = components["schemas"]["Entitlement"];
export type TSlaAction = TPolicy["warningActions"][number];
export type TAppliesWhen = TPolicy["appliesWhen"];
export type TWeekday = keyof TCalendar["hours"];
export type TCalendarInput = paths["/api/v1/calendars"]["post"]["requestBody"]["content"]["application/json"];
export type TPolicyInput =
  paths["/api/v1/sla-policies"]["post"]["requestBody"]["content"]["application/json"];
export type TPolicyPatch = NonNullable<
  paths["/api/v1/sla-policies/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TEntitlementInput =
  paths["/api/v1/entitlements"]["post"]["requestBody"]["content"]["application/json"];
export type TEntitlementPatch = NonNullable<
  paths["/api/v1/entitlements/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TCaseSla =
  paths["/api/v1/cases/{id}/sla"]["get"]["responses"][200]["content"]["application/json"];
export type TTimeEntries =
  paths["/api/v1/cases/{id}/time-entries"]["get"]["responses"][200]["content"]["application/json"];
export type TCompliance =
  paths["/api/v1/reports/sla-compliance"]["get"]["responses"][200]["content"]["application/json"];
export type TComplianceRow = TCompliance["rows"][number];

const CONFIG_STALE = 5 * 60_000;
const PAGE = 200;
const MAX_PAGES = 10;

/** Reads every page of a small list (calendars, policies, an account's entitlements). */
async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items;
}

// ---- calendars ----

export function useCalendars() {
  const query = useQuery({
    queryKey: slaKeys.calendars,
    queryFn: ({ signal }) =>
      allPages<TCalendar>(
        // openapi-fetch widens the [start, end] tuples to string[]: the schema says they are pairs.
        (cursor) =>
          unwrap(
            api.GET("/api/v1/calendars", { params: { query: { limit: PAGE, cursor } }, signal }),
          ) as Promise<{ items: TCalendar[]; nextCursor: string | null }>,
      ),
    staleTime: CONFIG_STALE,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((item) => [item.id, item])), [query.data]);
  return { ...query, calendars: query.data ?? [], byId };
}

export function useSaveCalendar(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TCalendarInput) =>
      id
        ? unwrap(api.PATCH("/api/v1/calendars/{id}", { params: { path: { id } }, body }))
        : unwrap(api.POST("/api/v1/calendars", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.calendars }),
  });
}

export function useDeleteCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/calendars/{id}", { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.calendars }),
  });
}

// ---- policies ----

export function usePolicies() {
  const query = useQuery({
    queryKey: slaKeys.policies,
    queryFn: ({ signal }) =>
      allPages<TPolicy>((cursor) =>
        unwrap(api.GET("/api/v1/sla-policies", { params: { query: { limit: PAGE, cursor } }, signal })),
      ),
    staleTime: CONFIG_STALE,
  });
  const policies = useMemo(
    () => [...(query.data ?? [])].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name)),
    [query.data],
  );
  const byId = useMemo(() => new Map(policies.map((item) => [item.id, item])), [policies]);
  return { ...query, policies, byId };
}

export function useSavePolicy(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TPolicyInput) =>
      id
        ? unwrap(api.PATCH("/api/v1/sla-policies/{id}", { params: { path: { id } }, body }))
        : unwrap(api.POST("/api/v1/sla-policies", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.policies }),
  });
}

/** Small changes from the list (active switch, order), shown at once and rolled back on refusal. */
export function usePatchPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TPolicyPatch }) =>
      unwrap(api.PATCH("/api/v1/sla-policies/{id}", { params: { path: { id } }, body: patch })),
    onMutate: async ({ id, patch }) => {
      await queryClient.cancelQueries({ queryKey: slaKeys.policies });
      const previous = queryClient.getQueryData<TPolicy[]>(slaKeys.policies);
      if (previous) {
        queryClient.setQueryData<TPolicy[]>(
          slaKeys.policies,
          previous.map((item) => (item.id === id ? ({ ...item, ...patch } as TPolicy) : item)),
        );
      }
      return { previous };
    },
    onError: (_error, _vars, context) => {
      if (context?.previous) queryClient.setQueryData(slaKeys.policies, context.previous);
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: slaKeys.policies }),
  });
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/sla-policies/{id}", { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.policies }),
  });
}

// ---- entitlements ----

/** An account's entitlements, or (accountId null) everyone's, latest ending first. */
export function useEntitlements(accountId: string | null, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: slaKeys.entitlementList(accountId),
    queryFn: ({ signal }) =>
      allPages<TEntitlement>((cursor) =>
        unwrap(
          api.GET("/api/v1/entitlements", {
            params: { query: { accountId: accountId ?? undefined, limit: PAGE, cursor } },
            signal,
          }),
        ),
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

export function useSaveEntitlement(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TEntitlementInput) =>
      id
        ? unwrap(api.PATCH("/api/v1/entitlements/{id}", { params: { path: { id } }, body }))
        : unwrap(api.POST("/api/v1/entitlements", { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.entitlements }),
  });
}

export function useDeleteEntitlement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/entitlements/{id}", { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: slaKeys.entitlements }),
  });
}

// ---- a case: SLA history, time logged ----

export function useCaseSla(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: slaKeys.caseSla(caseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/cases/{id}/sla", { params: { path: { id: caseId } }, signal })),
    enabled,
    staleTime: 60_000,
  });
}

export function useTimeEntries(caseId: string) {
  return useQuery({
    queryKey: slaKeys.timeEntries(caseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/cases/{id}/time-entries", { params: { path: { id: caseId } }, signal })),
    staleTime: 60_000,
  });
}

export function useLogTime(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { minutes: number; note?: string }) =>
      unwrap(api.POST("/api/v1/cases/{id}/time-entries", { params: { path: { id: caseId } }, body })),
    onSuccess: (entry) => {
      queryClient.setQueryData<TTimeEntries>(slaKeys.timeEntries(caseId), (current) =>
        current
          ? { items: [...current.items, entry], totalMinutes: current.totalMinutes + entry.minutes }
          : current,
      );
      void queryClient.invalidateQueries({ queryKey: slaKeys.timeEntries(caseId) });
      void queryClient.invalidateQueries({ queryKey: ["cases", "history", caseId] });
    },
  });
}

// ---- reports ----

export function useSlaCompliance(from: string, to: string, groupBy: string) {
  return useQuery({
    queryKey: slaKeys.compliance(from, to, groupBy),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/reports/sla-compliance", { params: { query: { from, to, groupBy } }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}
