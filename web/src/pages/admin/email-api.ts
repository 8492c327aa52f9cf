import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { paths } from "../../api/schema";

/**
 * Data hooks of the email admin pages: inbound mail and its quarantine, the customer
 * notification templates, and the development mailbox (the outbound mail log).
 */

export type TInboundPage =
  paths["/api/v1/inbound-mail"]["get"]["responses"][200]["content"]["application/json"];
export type TInboundMail = TInboundPage["items"][number];
export type TInboundStatus = TInboundMail["status"];
export type TTemplates =
  paths["/api/v1/email-templates"]["get"]["responses"][200]["content"]["application/json"];
export type TTemplate = TTemplates["items"][number];
export type TMoment = TTemplate["moment"];
export type TTemplatePreview =
  paths["/api/v1/email-templates/{moment}/preview"]["post"]["responses"][200]["content"]["application/json"];
export type TMailPage = paths["/api/v1/dev-mailbox"]["get"]["responses"][200]["content"]["application/json"];
export type TMail = TMailPage["items"][number];
export type TMailDetail =
  paths["/api/v1/dev-mailbox/{id}"]["get"]["responses"][200]["content"]["application/json"];

export const emailKeys = {
  all: ["email"] as const,
  inbound: (status: TInboundStatus | null, cursor: string | null) =>
    ["email", "inbound", status ?? "all", cursor ?? ""] as const,
  templates: ["email", "templates"] as const,
  mailbox: (filter: { to: string; purpose: string }, cursor: string | null) =>
    ["email", "mailbox", filter.to, filter.purpose, cursor ?? ""] as const,
  mail: (id: string) => ["email", "mail", id] as const,
};

// ---- inbound mail ----

export function useInboundMail(status: TInboundStatus | null, cursor: string | null) {
  return useQuery({
    queryKey: emailKeys.inbound(status, cursor),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/inbound-mail", {
          params: {
            query: { ...(status ? { status: [status] } : {}), limit: 50, cursor: cursor ?? undefined },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Retry or discard one quarantined mail. */
export function useInboundAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: "retry" | "discard" }) =>
      action === "retry"
        ? unwrap(api.POST("/api/v1/inbound-mail/{id}/retry", { params: { path: { id } } }))
        : unwrap(api.POST("/api/v1/inbound-mail/{id}/discard", { params: { path: { id } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ["email", "inbound"] }),
  });
}

/** Where the raw message downloads from (a plain link: the session cookie goes with it). */
export function rawMailUrl(id: string): string {
  return `/api/v1/inbound-mail/${id}/raw`;
}

// ---- templates ----

export function useEmailTemplates() {
  return useQuery({
    queryKey: emailKeys.templates,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/email-templates", { signal })),
  });
}

export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      moment,
      body,
    }: {
      moment: TMoment;
      body: { enabled?: boolean; subject?: string; body?: string };
    }) => unwrap(api.PUT("/api/v1/email-templates/{moment}", { params: { path: { moment } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: emailKeys.templates }),
  });
}

export function useResetTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (moment: TMoment) =>
      unwrap(api.DELETE("/api/v1/email-templates/{moment}", { params: { path: { moment } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: emailKeys.templates }),
  });
}

export function usePreviewTemplate() {
  return useMutation({
    mutationFn: ({ moment, subject, body }: { moment: TMoment; subject: string; body: string }) =>
      unwrap(
        api.POST("/api/v1/email-templates/{moment}/preview", {
          params: { path: { moment } },
          body: { subject, body },
        }),
      ),
  });
}

// ---- the development mailbox ----

export function useMailbox(filter: { to: string; purpose: string }, cursor: string | null) {
  return useQuery({
    queryKey: emailKeys.mailbox(filter, cursor),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/dev-mailbox", {
          params: {
            query: {
              ...(filter.to.trim() ? { to: filter.to.trim() } : {}),
              ...(filter.purpose.trim() ? { purpose: filter.purpose.trim() } : {}),
              limit: 50,
              cursor: cursor ?? undefined,
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMail(id: string | null) {
  return useQuery({
    queryKey: emailKeys.mail(id ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/dev-mailbox/{id}", { params: { path: { id: id ?? "" } }, signal })),
    enabled: id !== null,
  });
}

// ---- formatting ----

const stamp = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatStamp(iso: string | null): string {
  return iso ? stamp.format(new Date(iso)) : "—";
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A message to show for a failed call: the problem's detail and field errors. */
export function errorText(error: unknown): string {
  const e = error as { message?: string; problem?: { errors?: { path: string; message: string }[] } | null };
  const fields = e?.problem?.errors?.map((f) => `${f.path.replace(/^\//, "")}: ${f.message}`) ?? [];
  return fields.length > 0 ? fields.join("; ") : (e?.message ?? "Something went wrong");
}
