import { keepPreviousData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "../../api/client";
import { customerKeys, type TAccount, type TContact } from "../../customers/api";

// Cases carry account and contact ids only (see the report on API gaps): names are read one
// per distinct id, cached under the customers screens' own keys so both share them.
const STALE = 5 * 60_000;

function distinct(ids: readonly (string | null | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => Boolean(id)))].sort();
}

export function useAccountsById(ids: readonly (string | null | undefined)[]): Map<string, TAccount> {
  const unique = useMemo(() => distinct(ids), [ids]);
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: customerKeys.account(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET("/api/v1/accounts/{id}", { params: { path: { id } }, signal })),
      staleTime: STALE,
    })),
    combine: (results) => {
      const map = new Map<string, TAccount>();
      for (const result of results) if (result.data) map.set(result.data.id, result.data);
      return map;
    },
  });
}

export function useContactsById(ids: readonly (string | null | undefined)[]): Map<string, TContact> {
  const unique = useMemo(() => distinct(ids), [ids]);
  return useQueries({
    queries: unique.map((id) => ({
      queryKey: customerKeys.contact(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        unwrap(api.GET("/api/v1/contacts/{id}", { params: { path: { id } }, signal })),
      staleTime: STALE,
    })),
    combine: (results) => {
      const map = new Map<string, TContact>();
      for (const result of results) if (result.data) map.set(result.data.id, result.data);
      return map;
    },
  });
}

/**
 * Names for a whole list at once: one render when they have all arrived, instead of one per
 * answer. Each record still lands in (and is read from) the customers screens' own cache.
 */
export function useCustomerNames(
  accountIds: readonly (string | null | undefined)[],
  contactIds: readonly (string | null | undefined)[],
) {
  const queryClient = useQueryClient();
  const accounts = useMemo(() => distinct(accountIds), [accountIds]);
  const contacts = useMemo(() => distinct(contactIds), [contactIds]);
  const query = useQuery({
    queryKey: ["case-customers", accounts, contacts],
    queryFn: async ({ signal }) => {
      const [accountList, contactList] = await Promise.all([
        Promise.all(
          accounts.map((id) =>
            queryClient
              .fetchQuery({
                queryKey: customerKeys.account(id),
                queryFn: () => unwrap(api.GET("/api/v1/accounts/{id}", { params: { path: { id } }, signal })),
                staleTime: STALE,
              })
              .catch(() => undefined),
          ),
        ),
        Promise.all(
          contacts.map((id) =>
            queryClient
              .fetchQuery({
                queryKey: customerKeys.contact(id),
                queryFn: () => unwrap(api.GET("/api/v1/contacts/{id}", { params: { path: { id } }, signal })),
                staleTime: STALE,
              })
              .catch(() => undefined),
          ),
        ),
      ]);
      return {
        accounts: new Map(accountList.filter((a): a is TAccount => Boolean(a)).map((a) => [a.id, a])),
        contacts: new Map(contactList.filter((c): c is TContact => Boolean(c)).map((c) => [c.id, c])),
      };
    },
    placeholderData: keepPreviousData,
    staleTime: STALE,
    enabled: accounts.length + contacts.length > 0,
  });
  return {
    accounts: query.data?.accounts ?? EMPTY_ACCOUNTS,
    contacts: query.data?.contacts ?? EMPTY_CONTACTS,
    /** Names not in the maps are still coming (otherwise: deleted or not visible). */
    loading: query.isPending || query.isPlaceholderData,
  };
}

const EMPTY_ACCOUNTS = new Map<string, TAccount>();
const EMPTY_CONTACTS = new Map<string, TContact>();
