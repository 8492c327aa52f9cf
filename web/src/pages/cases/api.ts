import {
  type InfiniteData,
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "../../api/client";
import type { components, paths } from "../../api/schema";
import { caseKeys } from "./case-keys";

export type TCase = components["schemas"]["Case"];
export type TMessage = components["schemas"]["CaseMessage"];
export type TAttachment = components["schemas"]["CaseAttachment"];
export type THistoryEntry = components["schemas"]["CaseHistoryEntry"];
export type TCaseStatus = components["schemas"]["CaseStatus"];
export type TQueue = components["schemas"]["Queue"];
export type TTeam = components["schemas"]["Team"];
export type TPriority = TCase["priority"];
export type TChannel = TCase["channel"];
export type TMessageKind = TMessage["kind"];
export type TCaseSort = NonNullable<
  NonNullable<paths["/api/v1/cases"]["get"]["parameters"]["query"]>["sort"]
>;
export type TCaseInput = paths["/api/v1/cases"]["post"]["requestBody"]["content"]["application/json"];
export type TCasePatch = NonNullable<
  paths["/api/v1/cases/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];

export type TPage<T> = { items: T[]; nextCursor: string | null };

/** The filters of a queue view; empty values mean "any". */
export type TCaseFilters = {
  status: string[];
  statusCategory: string[];
  priority: TPriority[];
  /** "me", a user id, or "none" for unassigned. */
  owner: string | null;
  queueId: string | null;
  tag: string[];
  q: string;
  sort: TCaseSort;
  /** For a customer's own case list (account and contact screens). */
  accountId?: string | null;
  contactId?: string | null;
  /** SLA views: the case's SLA state, and running clocks due within so many minutes. */
  slaState?: string[];
  slaDueWithin?: number | null;
};

export const PAGE_SIZE = 50;
// The live stream keeps these fresh; coming back to a screen shows the cache at once.
const LIVE_STALE_TIME = 60_000;

function listQuery(filters: TCaseFilters, cursor: string | undefined) {
  return {
    status: filters.status.length ? filters.status : undefined,
    statusCategory: filters.statusCategory.length ? filters.statusCategory : undefined,
    priority: filters.priority.length ? filters.priority : undefined,
    ownerId: filters.owner && filters.owner !== "none" ? filters.owner : undefined,
    unassigned: filters.owner === "none" ? true : undefined,
    queueId: filters.queueId ?? undefined,
    tag: filters.tag.length ? filters.tag : undefined,
    q: filters.q.trim() || undefined,
    accountId: filters.accountId ?? undefined,
    contactId: filters.contactId ?? undefined,
    slaState: filters.slaState?.length ? filters.slaState : undefined,
    slaDueWithin: filters.slaDueWithin ?? undefined,
    sort: filters.sort,
    limit: PAGE_SIZE,
    cursor,
  };
}

export function useCaseList(filters: TCaseFilters) {
  return useInfiniteQuery({
    queryKey: caseKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(api.GET("/api/v1/cases", { params: { query: listQuery(filters, pageParam) }, signal })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: LIVE_STALE_TIME,
  });
}

/** A case already in a loaded list, to paint its screen before the fetch returns. */
export function caseFromLists(queryClient: QueryClient, id: string): TCase | undefined {
  for (const [, data] of queryClient.getQueriesData<InfiniteData<TPage<TCase>>>({
    queryKey: caseKeys.lists,
  })) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((item) => item.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

function caseQuery(id: string) {
  return {
    queryKey: caseKeys.detail(id),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      unwrap(api.GET("/api/v1/cases/{id}", { params: { path: { id } }, signal })),
    staleTime: LIVE_STALE_TIME,
  };
}

export function useCase(id: string) {
  const queryClient = useQueryClient();
  return useQuery({ ...caseQuery(id), placeholderData: () => caseFromLists(queryClient, id) });
}

const MESSAGE_PAGE = 200;
const MAX_MESSAGE_PAGES = 25;

function messagesQuery(id: string) {
  return {
    queryKey: caseKeys.messages(id),
    // The thread is oldest first and paged; a case's thread is read whole (bounded).
    queryFn: async ({ signal }: { signal: AbortSignal }) => {
      const items: TMessage[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_MESSAGE_PAGES; page += 1) {
        const result = await unwrap(
          api.GET("/api/v1/cases/{id}/messages", {
            params: { path: { id }, query: { limit: MESSAGE_PAGE, cursor } },
            signal,
          }),
        );
        items.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      return items;
    },
    staleTime: LIVE_STALE_TIME,
  };
}

export function useCaseMessages(id: string) {
  return useQuery(messagesQuery(id));
}

/** Warms the cache so moving to the next case is instant. */
export function prefetchCase(queryClient: QueryClient, id: string): void {
  void queryClient.prefetchQuery(caseQuery(id));
  void queryClient.prefetchQuery(messagesQuery(id));
}

export const HISTORY_PAGE = 50;

export function useCaseHistory(id: string) {
  return useInfiniteQuery({
    queryKey: caseKeys.history(id),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/cases/{id}/history", {
          params: { path: { id }, query: { limit: HISTORY_PAGE, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: LIVE_STALE_TIME,
  });
}

export function useCaseChildren(id: string, enabled = true) {
  return useQuery({
    queryKey: [...caseKeys.children(id)],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/cases/{id}/children", { params: { path: { id }, query: { limit: 50 } }, signal }),
      ),
    enabled,
    staleTime: LIVE_STALE_TIME,
  });
}

/** Other cases of the same account, for the customer panel. */
export function useAccountCases(accountId: string | null) {
  return useQuery({
    queryKey: [...caseKeys.lists, { accountId }],
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/cases", {
          params: { query: { accountId: accountId ?? undefined, limit: 6, sort: "-updatedAt" } },
          signal,
        }),
      ),
    enabled: Boolean(accountId),
    staleTime: LIVE_STALE_TIME,
  });
}

// ---- settings: statuses, queues, teams ----

export function useCaseStatuses() {
  const query = useQuery({
    queryKey: caseKeys.statuses,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/case-statuses", { signal })),
    staleTime: 10 * 60_000,
  });
  const statuses = useMemo(
    () => [...(query.data?.items ?? [])].sort((a, b) => a.position - b.position),
    [query.data],
  );
  const byKey = useMemo(() => new Map(statuses.map((status) => [status.key, status])), [statuses]);
  return { ...query, statuses, byKey };
}

export function useQueues() {
  const query = useQuery({
    queryKey: caseKeys.queues,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/queues", { signal })),
    staleTime: 10 * 60_000,
  });
  const queues = useMemo(
    () => [...(query.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [query.data],
  );
  const byId = useMemo(() => new Map(queues.map((queue) => [queue.id, queue])), [queues]);
  return { ...query, queues, byId };
}

export function useTeams() {
  const query = useQuery({
    queryKey: caseKeys.teams,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/teams", { signal })),
    staleTime: 10 * 60_000,
  });
  const byId = useMemo(() => new Map((query.data?.items ?? []).map((team) => [team.id, team])), [query.data]);
  return { ...query, byId };
}

// ---- changes ----

/** Applies a patch to a case as the screen should show it before the server answers. */
function applyPatch(current: TCase, patch: TCasePatch, statuses?: Map<string, TCaseStatus>): TCase {
  const next: TCase = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === "addTags" || key === "removeTags" || key === "resolveChildren")
      continue;
    (next as Record<string, unknown>)[key] = value;
  }
  if (patch.status) {
    const category = statuses?.get(patch.status)?.category;
    if (category) next.statusCategory = category;
  }
  if (patch.addTags || patch.removeTags) {
    const tags = new Set(next.tags);
    for (const tag of patch.addTags ?? []) tags.add(tag.trim().toLowerCase());
    for (const tag of patch.removeTags ?? []) tags.delete(tag.trim().toLowerCase());
    next.tags = [...tags];
  }
  return next;
}

type TListSnapshot = [readonly unknown[], InfiniteData<TPage<TCase>> | undefined][];

function patchLists(queryClient: QueryClient, id: string, update: (item: TCase) => TCase): TListSnapshot {
  const snapshot = queryClient.getQueriesData<InfiniteData<TPage<TCase>>>({ queryKey: caseKeys.lists });
  for (const [key, data] of snapshot) {
    if (!data?.pages) continue;
    queryClient.setQueryData<InfiniteData<TPage<TCase>>>(key, {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => (item.id === id ? update(item) : item)),
      })),
    });
  }
  return snapshot;
}

/** Case changes, optimistic: the screen shows them at once and rolls back if the server says no. */
export function useUpdateCase(statuses?: Map<string, TCaseStatus>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: ["cases", "update"],
    mutationFn: ({ id, patch }: { id: string; patch: TCasePatch }) =>
      unwrap(api.PATCH("/api/v1/cases/{id}", { params: { path: { id } }, body: patch })),
    onMutate: async ({ id, patch }) => {
      await queryClient.cancelQueries({ queryKey: caseKeys.detail(id) });
      const previous = queryClient.getQueryData<TCase>(caseKeys.detail(id));
      if (previous)
        queryClient.setQueryData<TCase>(caseKeys.detail(id), applyPatch(previous, patch, statuses));
      const lists = patchLists(queryClient, id, (item) => applyPatch(item, patch, statuses));
      return { previous, lists };
    },
    onError: (_error, { id }, context) => {
      if (context?.previous) queryClient.setQueryData(caseKeys.detail(id), context.previous);
      for (const [key, data] of context?.lists ?? []) queryClient.setQueryData(key, data);
    },
    onSuccess: (updated, { id }) => {
      // A reopen past the window answers with the follow-up case: the old one is refetched.
      if (updated.id === id) {
        queryClient.setQueryData(caseKeys.detail(id), updated);
        patchLists(queryClient, id, () => updated);
      }
    },
    onSettled: (_data, _error, { id }) => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.history(id) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(id) });
    },
  });
}

export function useSendMessage(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, body, files }: { kind: TMessageKind; body: string; files: File[] }) => {
      if (files.length === 0) {
        return unwrap(
          api.POST("/api/v1/cases/{id}/messages", { params: { path: { id: caseId } }, body: { kind, body } }),
        );
      }
      const form = new FormData();
      form.append("kind", kind);
      form.append("body", body);
      for (const file of files) form.append("files", file, file.name);
      return unwrap(
        api.POST("/api/v1/cases/{id}/messages", {
          params: { path: { id: caseId } },
          body: form as never,
          bodySerializer: (value: unknown) => value as FormData,
        }),
      );
    },
    onSuccess: (message) => {
      if (message.caseId === caseId) {
        queryClient.setQueryData<TMessage[]>(caseKeys.messages(caseId), (current) =>
          current?.some((item) => item.id === message.id) ? current : [...(current ?? []), message],
        );
      }
      void queryClient.invalidateQueries({ queryKey: caseKeys.messages(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.detail(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.history(caseId) });
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
    },
  });
}

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TCaseInput) => unwrap(api.POST("/api/v1/cases", { body })),
    onSuccess: (created) => {
      queryClient.setQueryData(caseKeys.detail(created.id), created);
      queryClient.setQueryData<TMessage[]>(caseKeys.messages(created.id), []);
      void queryClient.invalidateQueries({ queryKey: caseKeys.lists });
    },
  });
}
