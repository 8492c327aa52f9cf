import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { ListQuery, Page, problemResponses, Uuid } from "../../http/schemas.ts";

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: "date-time" }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const auditRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/v1/audit",
      {
        schema: {
          tags: ["audit"],
          summary: "The audit trail: sign-ins, failed sign-ins, admin changes (admin), newest first",
          querystring: Type.Object({
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actorId: Type.Optional(Uuid),
            ...ListQuery,
          }),
          response: { 200: Page(AuditEntrySchema), ...problemResponses },
        },
      },
      async (request) => c.audit.list(c.db.kysely, ctxOf(request).actor, request.query),
    );
  };
