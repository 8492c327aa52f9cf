import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { ProblemResponse, problemResponses, strict, Uuid } from "../../http/schemas.ts";

const Priority = Type.Union([
  Type.Literal("low"),
  Type.Literal("normal"),
  Type.Literal("high"),
  Type.Literal("urgent"),
]);

const LogCallBody = Type.Object(
  {
    caseId: Type.Optional(Uuid),
    newCase: Type.Optional(
      Type.Object(
        {
          subject: Type.String({ minLength: 1, maxLength: 500 }),
          accountId: Type.Optional(Uuid),
          contactId: Type.Optional(Uuid),
          priority: Type.Optional(Priority),
          product: Type.Optional(Type.String({ maxLength: 200 })),
        },
        strict,
      ),
    ),
    direction: Type.Union([Type.Literal("in"), Type.Literal("out")], {
      description: "in: the customer called; out: we called",
    }),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    notes: Type.Optional(Type.String({ maxLength: 20_000 })),
    outcome: Type.Optional(Type.String({ maxLength: 1000 })),
    at: Type.Optional(
      Type.String({ format: "date-time", description: "When the call happened (default now)" }),
    ),
  },
  { ...strict, description: "Exactly one of caseId (add to a case) or newCase (open a phone case)" },
);

/** The full Case and Activity as GET /cases/{id} and GET /activities/{id} answer them. */
const Loose = (description: string) =>
  Type.Unsafe<Record<string, unknown>>({ type: "object", additionalProperties: true, description });

export const callsRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/calls",
      {
        schema: {
          tags: ["calls"],
          summary:
            "Log a phone call: opens a new phone case or adds to an existing one, with a logged call activity, in one transaction",
          body: LogCallBody,
          response: {
            201: Type.Object({
              case: Loose("The case (as GET /cases/{id})"),
              created: Type.Boolean({ description: "true when a new case was opened" }),
              activity: Loose("The logged call (as GET /activities/{id})"),
              messageId: Type.Union([Type.String(), Type.Null()]),
            }),
            ...problemResponses,
            422: ProblemResponse,
          },
        },
      },
      async (request, reply) => reply.code(201).send(await c.calls.log(ctxOf(request), request.body)),
    );
  };
