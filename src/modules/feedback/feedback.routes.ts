import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  ListQuery,
  lit,
  NoContent,
  Nullable,
  Page,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const tags = ["feedback"];
const Kind = lit(["complaint", "idea", "praise", "question"] as const);
const Source = lit(["survey", "case", "portal", "council", "agent"] as const);
const Status = lit(["new", "planned", "in_progress", "done", "wont_do"] as const);
const ListParam = Type.Array(Type.String({ maxLength: 200 }), {
  maxItems: 10,
  description: "Repeat the parameter or separate values with commas",
});

const ItemFields = {
  id: Type.String(),
  kind: Kind,
  source: Source,
  title: Type.String(),
  body: Nullable(Type.String()),
  status: Status,
  accountId: Nullable(Type.String()),
  accountName: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  contactName: Nullable(Type.String()),
  caseId: Nullable(Type.String()),
  caseNumber: Nullable(Type.String()),
  surveyId: Nullable(Type.String()),
  createdById: Nullable(Type.String()),
  votes: Type.Integer({ description: "Accounts that asked for it" }),
  revenue: Type.Number({ description: "The summed annual revenue of the accounts that voted" }),
  loopClosedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
};
const ItemSchema = Type.Object(ItemFields, { $id: "FeedbackItem" });
const Telling = Type.Object({
  id: Type.String(),
  contactId: Type.String(),
  contactName: Nullable(Type.String()),
  email: Type.String(),
  toldById: Nullable(Type.String()),
  toldAt: DateTime,
});
const DetailSchema = Type.Object(
  {
    ...ItemFields,
    votesBy: Type.Array(
      Type.Object({
        accountId: Type.String(),
        accountName: Type.String(),
        annualRevenue: Type.Number(),
        contactId: Nullable(Type.String()),
        contactName: Nullable(Type.String()),
        createdAt: DateTime,
      }),
    ),
    tellings: Type.Array(Telling),
  },
  { $id: "FeedbackItemDetail" },
);

export function feedbackRoutes(c: Container): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(ItemSchema);
    app.addSchema(DetailSchema);

    app.get(
      "/api/v1/feedback",
      {
        schema: {
          tags,
          summary: "Feedback items (the board): filter by status and kind; sort by revenue, votes or newest",
          querystring: Type.Object({
            status: Type.Optional(ListParam),
            kind: Type.Optional(ListParam),
            accountId: Type.Optional(Uuid),
            caseId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            sort: Type.Optional(lit(["revenue", "votes", "newest"] as const)),
            ...ListQuery,
          }),
          response: { 200: Page(Type.Ref("FeedbackItem")), ...problemResponses },
        },
      },
      async (request) => c.feedback.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/feedback",
      {
        schema: {
          tags,
          summary:
            "Record a feedback item. From a survey (surveyId: its comment, contact, account and case) or a case (caseId: its contact and account)",
          body: Type.Object(
            {
              kind: Kind,
              source: Type.Optional(Source),
              title: Type.String({ minLength: 1, maxLength: 300 }),
              body: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
              accountId: Type.Optional(Uuid),
              contactId: Type.Optional(Uuid),
              caseId: Type.Optional(Uuid),
              surveyId: Type.Optional(Uuid),
            },
            strict,
          ),
          response: { 201: Type.Ref("FeedbackItem"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.feedback.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/feedback/:id",
      {
        schema: {
          tags,
          summary: "One feedback item with the accounts that voted and who was told",
          params: IdParams,
          response: { 200: Type.Ref("FeedbackItemDetail"), ...problemResponses },
        },
      },
      async (request) => c.feedback.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/feedback/:id",
      {
        schema: {
          tags,
          summary: "Change a feedback item: title, body, kind, status",
          params: IdParams,
          body: Type.Object(
            {
              title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
              body: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
              kind: Type.Optional(Kind),
              status: Type.Optional(Status),
            },
            strict,
          ),
          response: { 200: Type.Ref("FeedbackItem"), ...problemResponses },
        },
      },
      async (request) => c.feedback.update(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/feedback/:id",
      {
        schema: {
          tags,
          summary: "Delete a feedback item (admin, manager)",
          params: IdParams,
          response: { 204: NoContent, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.feedback.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/v1/feedback/:id/votes",
      {
        schema: {
          tags,
          summary: "An account asks for it too (one vote per account; 422 when it already voted)",
          params: IdParams,
          body: Type.Object({ accountId: Uuid, contactId: Type.Optional(Uuid) }, strict),
          response: { 201: Type.Ref("FeedbackItem"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.feedback.vote(ctxOf(request), request.params.id, request.body)),
    );

    app.delete(
      "/api/v1/feedback/:id/votes/:accountId",
      {
        schema: {
          tags,
          summary: "Withdraw an account's vote",
          params: Type.Object({ id: Uuid, accountId: Uuid }),
          response: { 200: Type.Ref("FeedbackItem"), ...problemResponses },
        },
      },
      async (request) => c.feedback.unvote(ctxOf(request), request.params.id, request.params.accountId),
    );

    app.post(
      "/api/v1/feedback/:id/close-loop",
      {
        schema: {
          tags,
          summary:
            "Close the loop on a done item: email every linked contact (its own and the voters') in one action and record each telling (admin, manager)",
          params: IdParams,
          body: Type.Object({ message: Type.Optional(Type.String({ maxLength: 5000 })) }, strict),
          response: {
            200: Type.Object({ told: Type.Array(Telling), alreadyTold: Type.Integer() }),
            422: ProblemResponse,
            ...problemResponses,
          },
        },
      },
      async (request) => c.feedback.closeLoop(ctxOf(request), request.params.id, request.body ?? {}),
    );
  };
}
