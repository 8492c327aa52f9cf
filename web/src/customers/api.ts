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
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";

export type TAccount = components["schemas"]["Account"];
export type TContact = components["schemas"]["Contact"];
export type TStaffUser = components["schemas"]["User"];
export type TTier = TAccount["tier"];
export type TAccountSort = "name" | "-annualRevenue";

export type TAccountInput = paths["/api/v1/accounts"]["post"]["requestBody"]["content"]["application/json"];
export type TAccountPatch = NonNullable<
  paths["/api/v1/accounts/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];
export type TContactInput = paths["/api/v1/contacts"]["post"]["requestBody"]["content"]["application/json"];
export type TContactPatch = NonNullable<
  paths["/api/v1/contacts/{id}"]["patch"]["requestBody"]
>["content"]["application/json"];

type TPage<T> = { items: T[]; nextCursor: string | null };

export type TAccountFilters = {
  q: string;
  tier: TTier | null;
  ownerId: string | null;
  sort: TAccountSort;
};

/**
 * Query keys. Everything about customers sits under "accounts" or "contacts", so the live
 * stream (web/src/live) can invalidate exactly what an event touches.
 */
export const customerKeys = {
  accounts: ["accounts"] as const,
  accountLists: ["accounts", "list"] as const,
  accountList: (filters: TAccountFilters) => ["accounts", "list", filters] as const,
  account: (id: string) => ["accounts", "detail", id] as const,
  contactLists: ["accounts", "contacts"] as const,
  contactsOf: (accountId: string) => ["accounts", "contacts", accountId] as const,
  contacts: ["contacts"] as const,
  contact: (id: string) => ["contacts", "detail", id] as const,
};

export const staffKeys = {
  all: ["users"] as const,
  list: ["users", "staff"] as const,
};

const PAGE_SIZE = 50;
// The live stream keeps these fresh, so coming back to a screen shows the cache at once and
// only refetches when the data is older than this (or an event said it changed).
const LIVE_STALE_TIME = 60_000;

// ---- accounts ----

export function useAccountList(filters: TAccountFilters) {
  return useInfiniteQuery({
    queryKey: customerKeys.accountList(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/accounts", {
          params: {
            query: {
              q: filters.q || undefined,
              tier: filters.tier ?? undefined,
              ownerId: filters.ownerId ?? undefined,
              sort: filters.sort,
              limit: PAGE_SIZE,
              cursor: pageParam,
            },
          },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: LIVE_STALE_TIME,
  });
}

/** An account already in a loaded list, to paint its screen before the fetch returns. */
function accountFromLists(queryClient: QueryClient, id: string): TAccount | undefined {
  for (const [, data] of queryClient.getQueriesData<InfiniteData<TPage<TAccount>>>({
    queryKey: customerKeys.accountLists,
  })) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((account) => account.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

function accountQuery(id: string) {
  return {
    queryKey: customerKeys.account(id),
    queryFn: ({ signal }: { signal: AbortSignal }): Promise<TAccount> =>
      unwrap(api.GET("/api/v1/accounts/{id}", { params: { path: { id } }, signal })),
    staleTime: LIVE_STALE_TIME,
  };
}

export function useAccount(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useQuery({
    ...accountQuery(id),
    enabled,
    placeholderData: () => accountFromLists(queryClient, id),
  });
}

/** Warms the account screen (header and contacts) while the pointer or focus is on its row. */
export function prefetchAccount(queryClient: QueryClient, id: string): void {
  void queryClient.prefetchQuery(accountQuery(id));
  void queryClient.prefetchInfiniteQuery(accountContactsQuery(id));
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TAccountInput) => unwrap(api.POST("/api/v1/accounts", { body })),
    onSuccess: (account) => {
      queryClient.setQueryData(customerKeys.account(account.id), account);
      // A new revenue can move the Pareto cut for everyone: refresh lists and other accounts.
      void queryClient.invalidateQueries({
        queryKey: customerKeys.accounts,
        predicate: (query) => query.queryKey[2] !== account.id,
      });
    },
  });
}

export function useUpdateAccount(id: string) {
  const queryClient = useQueryClient();
  const key = customerKeys.account(id);
  return useMutation({
    mutationFn: (patch: TAccountPatch) =>
      unwrap(api.PATCH("/api/v1/accounts/{id}", { params: { path: { id } }, body: patch })),
    // Optimistic: the screen shows the new values at once; the tier (a server-side Pareto cut)
    // waits for the answer.
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<TAccount>(key);
      if (previous) queryClient.setQueryData<TAccount>(key, { ...previous, ...definedOnly(patch) });
      return { previous };
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSuccess: (account, patch) => {
      queryClient.setQueryData(key, account);
      void queryClient.invalidateQueries({
        queryKey: patch.annualRevenue !== undefined ? customerKeys.accounts : customerKeys.accountLists,
        predicate: (query) => query.queryKey[2] !== id,
      });
    },
  });
}

export function useDeleteAccount(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/accounts/{id}", { params: { path: { id } } })),
    onSuccess: () => {
      // Gone from every loaded list at once (a stale row would still open, and prefetch, it).
      queryClient.setQueriesData<InfiniteData<TPage<TAccount>>>(
        { queryKey: customerKeys.accountLists },
        (data) => withoutItem(data, id),
      );
      // The screen showing the account leaves it; its own queries are left alone (removing them
      // under a mounted screen refetches them into a 404). Lists and the tiers of others change.
      void queryClient.invalidateQueries({
        queryKey: customerKeys.accounts,
        predicate: (query) => query.queryKey[2] !== id,
      });
    },
  });
}

// ---- contacts ----

function accountContactsQuery(accountId: string) {
  return {
    queryKey: customerKeys.contactsOf(accountId),
    queryFn: ({ pageParam, signal }: { pageParam: string | undefined; signal: AbortSignal }) =>
      unwrap(
        api.GET("/api/v1/accounts/{id}/contacts", {
          params: { path: { id: accountId }, query: { limit: PAGE_SIZE, cursor: pageParam } },
          signal,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: TPage<TContact>) => last.nextCursor ?? undefined,
    staleTime: LIVE_STALE_TIME,
  };
}

export function useAccountContacts(accountId: string) {
  return useInfiniteQuery(accountContactsQuery(accountId));
}

function contactFromLists(queryClient: QueryClient, id: string): TContact | undefined {
  for (const [, data] of queryClient.getQueriesData<InfiniteData<TPage<TContact>>>({
    queryKey: customerKeys.contactLists,
  })) {
    for (const page of data?.pages ?? []) {
      const found = page.items.find((contact) => contact.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

function contactQuery(id: string) {
  return {
    queryKey: customerKeys.contact(id),
    queryFn: ({ signal }: { signal: AbortSignal }): Promise<TContact> =>
      unwrap(api.GET("/api/v1/contacts/{id}", { params: { path: { id } }, signal })),
    staleTime: LIVE_STALE_TIME,
  };
}

export function useContact(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useQuery({
    ...contactQuery(id),
    enabled,
    placeholderData: () => contactFromLists(queryClient, id),
  });
}

export function useCreateContact() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TContactInput) => unwrap(api.POST("/api/v1/contacts", { body })),
    onSuccess: (contact) => {
      queryClient.setQueryData(customerKeys.contact(contact.id), contact);
      void queryClient.invalidateQueries({ queryKey: customerKeys.contactsOf(contact.accountId) });
    },
  });
}

export function useUpdateContact(id: string) {
  const queryClient = useQueryClient();
  const key = customerKeys.contact(id);
  return useMutation({
    mutationFn: (patch: TContactPatch) =>
      unwrap(api.PATCH("/api/v1/contacts/{id}", { params: { path: { id } }, body: patch })),
    onMutate: async (patch) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<TContact>(key);
      if (previous) queryClient.setQueryData<TContact>(key, { ...previous, ...definedOnly(patch) });
      return { previous };
    },
    onError: (_error, _patch, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSuccess: (contact) => {
      queryClient.setQueryData(key, contact);
      void queryClient.invalidateQueries({ queryKey: customerKeys.contactLists });
    },
  });
}

export function useDeleteContact(contact: Pick<TContact, "id" | "accountId">) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/contacts/{id}", { params: { path: { id: contact.id } } })),
    onSuccess: () => {
      queryClient.setQueryData<InfiniteData<TPage<TContact>>>(
        customerKeys.contactsOf(contact.accountId),
        (data) => withoutItem(data, contact.id),
      );
      // As for accounts: the contact's own query stays until its screen has gone.
      void queryClient.invalidateQueries({ queryKey: customerKeys.contactsOf(contact.accountId) });
    },
  });
}

// ---- staff (account owners) ----

/** Every staff user, all pages: teams are small, and owner names are needed in every row. */
export function useStaffUsers() {
  const query = useQuery({
    queryKey: staffKeys.list,
    queryFn: async ({ signal }) => {
      const users: TStaffUser[] = [];
      let cursor: string | undefined;
      // Bounded: 10 pages of 200 is far beyond any support team.
      for (let page = 0; page < 10; page += 1) {
        const result = await unwrap(
          api.GET("/api/v1/users", { params: { query: { limit: 200, cursor } }, signal }),
        );
        users.push(...result.items);
        if (!result.nextCursor) break;
        cursor = result.nextCursor;
      }
      return users;
    },
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((user) => [user.id, user])), [query.data]);
  return { ...query, users: query.data ?? [], byId };
}

/** Options for an owner picker: active staff, plus the current owner if since deactivated. */
export function ownerOptions(users: readonly TStaffUser[], currentOwnerId?: string | null) {
  return users
    .filter((user) => user.active || user.id === currentOwnerId)
    .map((user) => ({ value: user.id, label: user.active ? user.name : `${user.name} (deactivated)` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function withoutItem<T extends { id: string }>(
  data: InfiniteData<TPage<T>> | undefined,
  id: string,
): InfiniteData<TPage<T>> | undefined {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })),
  };
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
