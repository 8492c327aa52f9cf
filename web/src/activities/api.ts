import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";
import { activityKeys } from "./activity-keys";

export { activityKeys };

/** Data hooks for activities: lists, My day, promise quick picks, the report, your feed. */

export type TActivity = components["schemas"]["Activity"];
export type TActivityType = TActivity["type"];
export type TActivityStatus = TActivity["status"];
export type TMyDay = components["schemas"]["MyDay"];
export type TMyDayItem = TMyDay["items"][number];
export type TPromiseReport = components["schemas"]["PromiseReport"];
export type TActivitySettings = components["schemas"]["ActivitySettings"];
export type TActivityInput =
  paths["/api/v1/activities"]["post"]["requestBody"]["content"]["application/json"];
export type TActivityPatch = NonNullable<
  paths["/api/v1/activities/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TPromiseTimes =
  paths["/api/v1/activities/promise-times"]["get"]["responses"][200]["content"]["application/json"];
export type TPromiseTime = TPromiseTimes["items"][number];

export type TActivityFilters = {
  type?: TActivityType[];
  status?: TActivityStatus[];
  ownerId?: string;
  caseId?: string;
  accountId?: string;
  contactId?: string;
  dueBefore?: string;
  dueAfter?: string;
  sort?: "dueAt" | "-dueAt" | "-createdAt";
};

const PAGE = 50;

/** A paged list (load more), refreshed by the live stream. */
export function useActivities(filters: TActivityFilters, { enabled = true }: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: activityKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/activities", {
          params: { query: { ...filters, limit: PAGE, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    enabled,
  });
}

/** The signed-in user's day. Ticks over every minute so "overdue" and the date stay true. */
export function useMyDay() {
  return useQuery({
    queryKey: activityKeys.myDay,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/my-day", { signal })),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** The three quick picks for a promise on a case (fetched when the menu opens). */
export function usePromiseTimes(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: activityKeys.promiseTimes(caseId),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/activities/promise-times", { params: { query: { caseId } }, signal })),
    enabled,
    // "In an hour" moves with the clock.
    staleTime: 30_000,
  });
}

export function useCreateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TActivityInput) => unwrap(api.POST("/api/v1/activities", { body: input })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.all }),
  });
}

export function useUpdateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: TActivityPatch }) =>
      unwrap(api.PATCH("/api/v1/activities/{id}", { params: { path: { id } }, body: patch })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.all }),
  });
}

export function useDeleteActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/v1/activities/{id}", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.all }),
  });
}

export function usePromiseReport(from: string, to: string, groupBy: "owner" | "team") {
  return useQuery({
    queryKey: activityKeys.report(from, to, groupBy),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/reports/promises", { params: { query: { from, to, groupBy } }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export function useActivitySettings() {
  return useQuery({
    queryKey: activityKeys.settings,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/me/activity-settings", { signal })),
    staleTime: 5 * 60_000,
  });
}

export function useUpdateActivitySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { reminderMinutes: number }) =>
      unwrap(api.PATCH("/api/v1/me/activity-settings", { body })),
    onSuccess: (data) => queryClient.setQueryData(activityKeys.settings, data),
  });
}

export function useCreateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/me/calendar-feed")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.settings }),
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/me/calendar-feed")),
    onSettled: () => queryClient.invalidateQueries({ queryKey: activityKeys.settings }),
  });
}
