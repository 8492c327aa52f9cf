import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { ListQuery, Page, ProblemResponse, problemResponses } from "../../http/schemas.ts";
import { caseConfigRoutes } from "./case-config.routes.ts";
import { caseMessagesRoutes } from "./case-messages.routes.ts";
import {
  AttachmentSchema,
  CaseSchema,
  CaseStatusSchema,
  Category,
  Channel,
  DateTime,
  Description,
  HistorySchema,
  IdParams,
  MessageSchema,
  Nullable,
  Priority,
  Product,
  QueueSchema,
  RuleProblemResponse,
  StatusKey,
  Subject,
  strict,
  Tags,
  Uuid,
} from "./case-schemas.ts";

const ListParam = Type.Array(Type.String({ maxLength: 500 }), {
  maxItems: 20,
  description: "Repeat the parameter or separate values with commas",
});
const Sort = Type.Union(
  [
    Type.Literal("-updatedAt"),
    Type.Literal("updatedAt"),
    Type.Literal("-createdAt"),
    Type.Literal("createdAt"),
    Type.Literal("-priority"),
    Type.Literal("priority"),
    Type.Literal("slaDueAt"),
  ],
  {
    description:
      "-updatedAt (default); -priority: most urgent first, oldest first within a priority; slaDueAt: the soonest due SLA clock still owed first (overdue ones first of all), cases with none counting down last",
  },
);
const PageQuery = Type.Object({ ...ListQuery }, strict);

const CreateBody = Type.Object(
  {
    subject: Subject,
    description: Type.Optional(Description),
    accountId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    product: Type.Optional(Product),
    category: Type.Optional(Category),
    priority: Type.Optional(Priority),
    channel: Type.Optional(Channel),
    ownerId: Type.Optional(Uuid),
    teamId: Type.Optional(Uuid),
    queueId: Type.Optional(Uuid),
    tags: Type.Optional(Tags),
    receivedAt: Type.Optional(
      Type.String({ format: "date-time", description: "When the customer asked (default now)" }),
    ),
    parentId: Type.Optional(Uuid),
  },
  strict,
);

const UpdateBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    description: Type.Optional(Nullable(Description)),
    accountId: Type.Optional(Nullable(Uuid)),
    contactId: Type.Optional(Nullable(Uuid)),
    product: Type.Optional(Nullable(Product)),
    category: Type.Optional(Nullable(Category)),
    priority: Type.Optional(Priority),
    channel: Type.Optional(Channel),
    status: Type.Optional(StatusKey),
    ownerId: Type.Optional(Nullable(Uuid)),
    teamId: Type.Optional(Nullable(Uuid)),
    queueId: Type.Optional(Nullable(Uuid)),
    tags: Type.Optional(Tags),
    addTags: Type.Optional(Tags),
    removeTags: Type.Optional(Tags),
    receivedAt: Type.Optional(DateTime),
    parentId: Type.Optional(Nullable(Uuid)),
    resolveChildren: Type.Optional(
      Type.Boolean({
        description:
          "Resolving a parent with open children: true resolves them too; false only the parent. Without it the change is a 422 listing them.",
      }),
    ),
  },
  strict,
);

export const casesRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(CaseSchema);
    app.addSchema(AttachmentSchema);
    app.addSchema(MessageSchema);
    app.addSchema(HistorySchema);
    app.addSchema(CaseStatusSchema);
    app.addSchema(QueueSchema);
    const CaseRef = Type.Ref("Case");
    const ruleResponses = { 409: ProblemResponse, 422: RuleProblemResponse };

    app.get(
      "/api/v1/cases",
      {
        schema: {
          tags: ["cases"],
          summary: "List and search cases",
          description:
            'Filters combine with AND. `q` searches subject, description and message bodies (English stemming; `"exact phrase"`, `or`, `-word` as in web search) and finds a case by its number (`CS-001234`). Date ranges include From and exclude To.',
          querystring: Type.Object(
            {
              status: Type.Optional(ListParam),
              statusCategory: Type.Optional(ListParam),
              priority: Type.Optional(ListParam),
              queueId: Type.Optional(Uuid),
              teamId: Type.Optional(Uuid),
              ownerId: Type.Optional(Type.Union([Uuid, Type.Literal("me")])),
              unassigned: Type.Optional(Type.Boolean({ description: "true: only cases without an owner" })),
              accountId: Type.Optional(Uuid),
              contactId: Type.Optional(Uuid),
              tag: Type.Optional(ListParam),
              createdFrom: Type.Optional(DateTime),
              createdTo: Type.Optional(DateTime),
              updatedFrom: Type.Optional(DateTime),
              updatedTo: Type.Optional(DateTime),
              q: Type.Optional(Type.String({ maxLength: 500 })),
              slaState: Type.Optional(ListParam),
              slaDueWithin: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  maximum: 525_600,
                  description:
                    "Minutes: an SLA clock still owed falls due within this many minutes from now (overdue included)",
                }),
              ),
              sort: Type.Optional(Sort),
              ...ListQuery,
            },
            strict,
          ),
          response: { 200: Page(CaseRef), ...problemResponses },
        },
      },
      async (request) => c.cases.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/cases",
      {
        schema: {
          tags: ["cases"],
          summary: "Create a case",
          description:
            "A contact implies its account: without accountId the case takes the contact's; with both they must match. A portal contact creates cases for itself (channel portal).",
          body: CreateBody,
          response: { 201: CaseRef, ...problemResponses, ...ruleResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.cases.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/cases/:id",
      {
        schema: {
          tags: ["cases"],
          summary: "One case",
          params: IdParams,
          response: { 200: CaseRef, ...problemResponses },
        },
      },
      async (request) => c.cases.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/cases/:id",
      {
        schema: {
          tags: ["cases"],
          summary: "Change a case (status, priority, owner, team, queue, tags, parent …)",
          description:
            "An illegal status change is a 422 whose `allowed` lists the statuses allowed from the current one. Setting a resolved or closed case back to an open status reopens it within the reopen window; past it, a follow-up case linked by relatedCaseId is created and answered with 201.",
          params: IdParams,
          body: UpdateBody,
          response: { 200: CaseRef, 201: CaseRef, ...problemResponses, ...ruleResponses },
        },
      },
      async (request, reply) => {
        const result = await c.cases.update(ctxOf(request), request.params.id, request.body);
        if (result.created) reply.code(201).header("location", `/api/v1/cases/${result.case.id}`);
        return result.case;
      },
    );

    app.delete(
      "/api/v1/cases/:id",
      {
        schema: {
          tags: ["cases"],
          summary: "Delete a case with its thread and files (admin; for spam and test data)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.cases.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/v1/cases/:id/reopen",
      {
        schema: {
          tags: ["cases"],
          summary: "Reopen a resolved or closed case",
          description:
            "Within the reopen window (GET /api/v1/case-settings) the case itself goes back to work: 200 `{case, reopened: true}`, reopenCount + 1. Past it, a follow-up case linked by relatedCaseId: 201 `{case: <the new case>, reopened: false}`.",
          params: IdParams,
          body: Type.Union([
            Type.Object(
              { status: Type.Optional(StatusKey) },
              { ...strict, description: "status: the open status to go to (default open)" },
            ),
            Type.Null(),
          ]),
          response: {
            200: Type.Object({ case: CaseRef, reopened: Type.Boolean() }),
            201: Type.Object({ case: CaseRef, reopened: Type.Boolean() }),
            ...problemResponses,
            ...ruleResponses,
          },
        },
      },
      async (request, reply) => {
        const result = await c.cases.reopen(ctxOf(request), request.params.id, request.body ?? {});
        if (!result.reopened) reply.code(201).header("location", `/api/v1/cases/${result.case.id}`);
        return result;
      },
    );

    app.post(
      "/api/v1/cases/:id/merge",
      {
        schema: {
          tags: ["cases"],
          summary: "Merge this case into another (the survivor)",
          description:
            "Messages, attachments and child cases move to the survivor; this case is closed with mergedIntoId. Merging into itself, from or into an already merged case, into a closed case, or across accounts is a 422.",
          params: IdParams,
          body: Type.Object({ intoId: Uuid }, strict),
          response: {
            200: Type.Object({ merged: CaseRef, into: CaseRef }),
            ...problemResponses,
            ...ruleResponses,
          },
        },
      },
      async (request) => c.cases.merge(ctxOf(request), request.params.id, request.body.intoId),
    );

    app.get(
      "/api/v1/cases/:id/children",
      {
        schema: {
          tags: ["cases"],
          summary: "Child cases, oldest first",
          params: IdParams,
          querystring: PageQuery,
          response: { 200: Page(CaseRef), ...problemResponses },
        },
      },
      async (request) => c.cases.children(ctxOf(request).actor, request.params.id, request.query),
    );

    app.get(
      "/api/v1/cases/:id/history",
      {
        schema: {
          tags: ["cases"],
          summary: "Who changed what and when, oldest first (staff)",
          params: IdParams,
          querystring: PageQuery,
          response: { 200: Page(Type.Ref("CaseHistoryEntry")), ...problemResponses },
        },
      },
      async (request) => c.cases.history(ctxOf(request).actor, request.params.id, request.query),
    );

    await app.register(caseMessagesRoutes(c));
    await app.register(caseConfigRoutes(c));
  };
