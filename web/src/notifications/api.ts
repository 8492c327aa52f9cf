import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { components, paths } from "../api/schema";

export type TNotification = components["schemas"]["Notification"];
export type TNotificationPage =
  paths["/api/v1/notifications"]["get"]["responses"]["200"]["content"]["application/json"];

/** Query keys: everything under "notifications", which the live stream invalidates. */
export const notificationKeys = {
  all: ["notifications"] as const,
  latest: ["notifications", "latest"] as const,
};

/** Live events that change the signed-in user's notifications (the stream sends only theirs). */
export const NOTIFICATION_EVENT_TYPES = ["notification.created", "notification.read"] as const;

const LATEST = 20;

/** The latest notifications and the unread count, kept fresh by the live stream. */
export function useLatestNotifications() {
  return useQuery({
    queryKey: notificationKeys.latest,
    queryFn: () => unwrap(api.GET("/api/v1/notifications", { params: { query: { limit: LATEST } } })),
    staleTime: 60_000,
  });
}

function setRead(page: TNotificationPage | undefined, ids: "all" | string, at: string) {
  if (!page) return page;
  let newlyRead = 0;
  const items = page.items.map((n) => {
    if (n.readAt || (ids !== "all" && n.id !== ids)) return n;
    newlyRead += 1;
    return { ...n, readAt: at };
  });
  const unreadCount = ids === "all" ? 0 : Math.max(0, page.unreadCount - newlyRead);
  return { ...page, items, unreadCount };
}

/** Marks one read; the badge drops at once, the server's answer confirms it. */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/v1/notifications/{id}/read", { params: { path: { id } } })),
    onMutate: (id) => {
      queryClient.setQueryData<TNotificationPage>(notificationKeys.latest, (page) =>
        setRead(page, id, new Date().toISOString()),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/notifications/read-all")),
    onMutate: () => {
      queryClient.setQueryData<TNotificationPage>(notificationKeys.latest, (page) =>
        setRead(page, "all", new Date().toISOString()),
      );
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
