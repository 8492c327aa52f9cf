import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { IdParams, ProblemResponse, problemResponses } from "../../http/schemas.ts";

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const EscalationSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  accountId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  reason: Type.String(),
  by: Type.Union([Type.Literal("contact"), Type.Literal("staff")]),
  raisedByContactId: Nullable(Type.String()),
  raisedByUserId: Nullable(Type.String()),
  createdAt: Type.String({ format: "date-time" }),
  closedAt: Nullable(Type.String({ format: "date-time" })),
  open: Type.Boolean(),
});

export const EscalateBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000, description: "Why a manager is needed" }) },
  { additionalProperties: false },
);

export const escalationsRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    const Ref = EscalationSchema;

    app.get(
      "/api/v1/cases/:id/escalations",
      {
        schema: {
          tags: ["escalations"],
          summary: "A case's escalations to a manager, newest first (open while closedAt is null)",
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Ref) }), ...problemResponses },
        },
      },
      async (request) => ({
        items: await c.escalations.listForCase(ctxOf(request).actor, request.params.id),
      }),
    );

    app.post(
      "/api/v1/cases/:id/escalations",
      {
        schema: {
          tags: ["escalations"],
          summary:
            "Escalate a case to a manager (team lead, else managers; notified in the app and by email)",
          params: IdParams,
          body: EscalateBody,
          response: { 201: Ref, ...problemResponses, 409: ProblemResponse, 422: ProblemResponse },
        },
      },
      async (request, reply) => {
        const e = await c.escalations.escalate(ctxOf(request), request.params.id, request.body);
        return reply.code(201).send(e);
      },
    );
  };
