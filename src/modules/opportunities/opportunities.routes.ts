import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { IdParams, Nullable, problemResponses, strict, Uuid } from "../../http/schemas.ts";

const Stage = Type.Union(
  [
    Type.Literal("qualify"),
    Type.Literal("propose"),
    Type.Literal("negotiate"),
    Type.Literal("won"),
    Type.Literal("lost"),
  ],
  { description: "qualify → propose → negotiate → won | lost" },
);
const DateOnly = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Amount = Type.Number({ minimum: 0, maximum: 1e13 });

const OpportunitySchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    accountName: Type.String(),
    keyAccount: Type.Boolean(),
    name: Type.String(),
    amount: Type.Number(),
    stage: Stage,
    closeDate: Nullable(Type.String()),
    ownerId: Nullable(Type.String()),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
  },
  { $id: "Opportunity" },
);

const Fields = {
  name: Type.String({ minLength: 1, maxLength: 300 }),
  amount: Amount,
  stage: Stage,
  closeDate: Nullable(DateOnly),
  ownerId: Nullable(Uuid),
};

export const opportunitiesRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(OpportunitySchema);
    const Ref = Type.Ref("Opportunity");
    const tags = ["opportunities"];

    app.get(
      "/api/v1/opportunities",
      {
        schema: {
          tags,
          summary: "List opportunities (soonest close date first)",
          querystring: Type.Object(
            {
              accountId: Type.Optional(Uuid),
              ownerId: Type.Optional(Type.Union([Uuid, Type.Literal("me")])),
              stage: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 5 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
              offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
            },
            strict,
          ),
          response: {
            200: Type.Object({ items: Type.Array(Ref), nextOffset: Nullable(Type.Integer()) }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.opportunities.list(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/opportunities/pipeline",
      {
        schema: {
          tags,
          summary: "The pipeline board: each stage with its opportunities, count and amount",
          querystring: Type.Object(
            { ownerId: Type.Optional(Type.Union([Uuid, Type.Literal("me")])) },
            strict,
          ),
          response: {
            200: Type.Object({
              stages: Type.Array(
                Type.Object({
                  stage: Stage,
                  count: Type.Integer(),
                  amount: Type.Number(),
                  items: Type.Array(Ref),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.opportunities.pipeline(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/opportunities",
      {
        schema: {
          tags,
          summary: "Create an opportunity (sales, managers, admins)",
          body: Type.Object(
            {
              accountId: Uuid,
              name: Fields.name,
              amount: Type.Optional(Fields.amount),
              stage: Type.Optional(Fields.stage),
              closeDate: Type.Optional(Fields.closeDate),
              ownerId: Type.Optional(Fields.ownerId),
            },
            strict,
          ),
          response: { 201: Ref, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.opportunities.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/opportunities/:id",
      {
        schema: {
          tags,
          summary: "One opportunity",
          params: IdParams,
          response: { 200: Ref, ...problemResponses },
        },
      },
      async (request) => c.opportunities.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/opportunities/:id",
      {
        schema: {
          tags,
          summary: "Change an opportunity (move it along the pipeline with `stage`)",
          params: IdParams,
          body: Type.Object(
            {
              accountId: Type.Optional(Uuid),
              name: Type.Optional(Fields.name),
              amount: Type.Optional(Fields.amount),
              stage: Type.Optional(Fields.stage),
              closeDate: Type.Optional(Fields.closeDate),
              ownerId: Type.Optional(Fields.ownerId),
            },
            strict,
          ),
          response: { 200: Ref, ...problemResponses },
        },
      },
      async (request) => c.opportunities.update(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/opportunities/:id",
      {
        schema: {
          tags,
          summary: "Delete an opportunity",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.opportunities.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
