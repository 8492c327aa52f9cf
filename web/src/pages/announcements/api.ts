import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components, paths } from "../../api/schema";
import type { TRole } from "../../auth/session";
import type { Segment } from "../../components/segment-builder";

/** Data hooks for announcements and contacts' communication preferences. */

export type TAnnouncement = components["schemas"]["Announcement"];
export type TAnnouncementStatus = TAnnouncement["status"];
export type TRecipient = components["schemas"]["AnnouncementRecipient"];
export type TRecipientStatus = TRecipient["status"];
export type TPreferences = components["schemas"]["CommunicationPreferences"];
export type TAudience =
  paths["/api/v1/announcements/preview-audience"]["post"]["responses"][200]["content"]["application/json"];
export type TMailPreview =
  paths["/api/v1/announcements/preview-mail"]["post"]["responses"][200]["content"]["application/json"];
export type TAnnouncementInput = {
  subject: string;
  body: string;
  segment: Segment;
  languages: string[];
};

export const statusLabel: Record<TAnnouncementStatus, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  sending: "Sending",
  sent: "Sent",
  cancelled: "Cancelled",
};
export const statusColor: Record<TAnnouncementStatus, string> = {
  draft: "gray",
  scheduled: "blue",
  sending: "orange",
  sent: "teal",
  cancelled: "dark",
};
export const recipientStatusLabel: Record<TRecipientStatus, string> = {
  pending: "Waiting",
  sent: "Sent",
  skipped: "Opted out",
};

/** Who writes drafts, and who sends (the server enforces the same; docs/permissions.md). */
export const mayDraft = (role: TRole) => role === "admin" || role === "manager" || role === "sales";
export const maySend = (role: TRole) => role === "admin" || role === "manager";
/** Whether this user may change this announcement now. */
export function mayEdit(a: TAnnouncement, user: { id: string; role: TRole }): boolean {
  if (a.status === "sending" || a.status === "sent") return false;
  if (user.role === "sales") return a.status === "draft" && a.createdById === user.id;
  return maySend(user.role);
}

export const announcementKeys = {
  all: ["announcements"] as const,
  lists: ["announcements", "list"] as const,
  list: (status: string) => ["announcements", "list", status] as const,
  detail: (id: string) => ["announcements", "detail", id] as const,
  recipients: (id: string, status: string, version: string) =>
    ["announcements", "recipients", id, status, version] as const,
  audience: (segment: Segment, languages: string[]) =>
    ["announcements", "audience", segment, languages] as const,
  preview: (subject: string, body: string) => ["announcements", "preview", subject, body] as const,
  preferences: (contactId: string) => ["contacts", contactId, "communication-preferences"] as const,
};

export function useAnnouncementList(status: TAnnouncementStatus | "all") {
  return useInfiniteQuery({
    queryKey: announcementKeys.list(status),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/announcements", {
          params: {
            query: { limit: 50, ...(status === "all" ? {} : { status: [status] }), cursor: pageParam },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A list with something sending follows its progress.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((a) => a.status === "sending")) ? 3000 : false,
  });
}

export function useAnnouncement(id: string | undefined) {
  return useQuery({
    queryKey: announcementKeys.detail(id ?? ""),
    enabled: !!id,
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/announcements/{id}", { params: { path: { id: id ?? "" } }, signal })),
    // While it goes out, the counts move: follow them.
    refetchInterval: (query) =>
      query.state.data?.status === "sending"
        ? 2000
        : query.state.data?.status === "scheduled"
          ? 30_000
          : false,
  });
}

/** `version` changes as the announcement's counts move, so the list follows its progress. */
export function useRecipients(id: string, status: TRecipientStatus | "all", version: string) {
  return useInfiniteQuery({
    queryKey: announcementKeys.recipients(id, status, version),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/announcements/{id}/recipients", {
          params: {
            path: { id },
            query: { limit: 25, ...(status === "all" ? {} : { status: [status] }), cursor: pageParam },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useAudience(segment: Segment, languages: string[]) {
  return useQuery({
    queryKey: announcementKeys.audience(segment, languages),
    queryFn: ({ signal }) =>
      unwrap(
        api.POST("/api/v1/announcements/preview-audience", {
          body: { segment, languages },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useMailPreview(subject: string, body: string) {
  return useQuery({
    queryKey: announcementKeys.preview(subject, body),
    queryFn: ({ signal }) =>
      unwrap(api.POST("/api/v1/announcements/preview-mail", { body: { subject, body }, signal })),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useAnnouncementMutations() {
  const qc = useQueryClient();
  const settle = (a?: TAnnouncement) => {
    if (a) qc.setQueryData(announcementKeys.detail(a.id), a);
    void qc.invalidateQueries({ queryKey: announcementKeys.lists });
  };
  return {
    create: useMutation({
      mutationFn: (body: TAnnouncementInput) => unwrap(api.POST("/api/v1/announcements", { body })),
      onSuccess: settle,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: TAnnouncementInput & { id: string }) =>
        unwrap(api.PATCH("/api/v1/announcements/{id}", { params: { path: { id } }, body })),
      onSuccess: settle,
    }),
    remove: useMutation({
      mutationFn: (id: string) =>
        unwrap(api.DELETE("/api/v1/announcements/{id}", { params: { path: { id } } })),
      onSuccess: () => settle(),
    }),
    send: useMutation({
      mutationFn: ({ id, scheduledFor }: { id: string; scheduledFor?: string }) =>
        unwrap(
          api.POST("/api/v1/announcements/{id}/send", {
            params: { path: { id } },
            body: scheduledFor ? { scheduledFor } : {},
          }),
        ),
      onSuccess: settle,
    }),
    cancel: useMutation({
      mutationFn: (id: string) =>
        unwrap(api.POST("/api/v1/announcements/{id}/cancel", { params: { path: { id } } })),
      onSuccess: settle,
    }),
    test: useMutation({
      mutationFn: ({ id, email }: { id: string; email?: string }) =>
        unwrap(
          api.POST("/api/v1/announcements/{id}/test", {
            params: { path: { id } },
            body: email ? { email } : {},
          }),
        ),
    }),
  };
}

export function useContactPreferences(contactId: string) {
  return useQuery({
    queryKey: announcementKeys.preferences(contactId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/contacts/{id}/communication-preferences", {
          params: { path: { id: contactId } },
          signal,
        }),
      ),
  });
}

export function useSetContactPreferences(contactId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (announcements: boolean) =>
      unwrap(
        api.PUT("/api/v1/contacts/{id}/communication-preferences", {
          params: { path: { id: contactId } },
          body: { announcements },
        }),
      ),
    onSuccess: (data) => qc.setQueryData(announcementKeys.preferences(contactId), data),
  });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** "will reach 57 contacts at 12 accounts · 3 opted out" */
export function audienceLine(a: { accounts: number; contacts: number; optedOut: number }): string {
  const reach = `Will reach ${plural(a.contacts, "contact")} at ${plural(a.accounts, "account")}`;
  return a.optedOut > 0 ? `${reach} · ${a.optedOut.toLocaleString()} opted out` : reach;
}
