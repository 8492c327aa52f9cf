import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { IdParams, ListQuery, Nullable, problemResponses } from "../../http/schemas.ts";

const NotificationSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: "sla.warning, sla.breached, promise.reminder …" }),
    title: Type.String(),
    body: Nullable(Type.String()),
    link: Nullable(Type.String({ description: "An app path, e.g. /cases/<id>" })),
    caseId: Nullable(Type.String()),
    createdAt: Type.String({ format: "date-time" }),
    readAt: Nullable(Type.String({ format: "date-time" })),
  },
  { $id: "Notification" },
);

export const notificationsRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(NotificationSchema);
    const NotificationRef = Type.Ref("Notification");
    const NotificationPage = Type.Object({
      items: Type.Array(NotificationRef),
      nextCursor: Nullable(Type.String()),
      unreadCount: Type.Integer({ description: "All of your unread notifications, not only this page's" }),
    });

    app.get(
      "/api/v1/notifications",
      {
        schema: {
          tags: ["notifications"],
          summary: "Your notifications (staff), newest first, with your unread count",
          querystring: Type.Object(
            {
              unread: Type.Optional(Type.Boolean({ description: "true: only unread ones" })),
              ...ListQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: NotificationPage, ...problemResponses },
        },
      },
      async (request) => c.notifications.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/notifications/:id/read",
      {
        schema: {
          tags: ["notifications"],
          summary: "Mark one of your notifications read",
          params: IdParams,
          response: { 200: NotificationRef, ...problemResponses },
        },
      },
      async (request) => c.notifications.markRead(ctxOf(request).actor, request.params.id),
    );

    app.post(
      "/api/v1/notifications/read-all",
      {
        schema: {
          tags: ["notifications"],
          summary: "Mark all your notifications read",
          response: { 200: Type.Object({ updated: Type.Integer() }), ...problemResponses },
        },
      },
      async (request) => c.notifications.markAllRead(ctxOf(request).actor),
    );
  };
