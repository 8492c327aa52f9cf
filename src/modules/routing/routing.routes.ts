import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  Name,
  Nullable,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";
import { CaseSchema, Channel, Priority } from "../cases/case-schemas.ts";

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Texts = (max: number, items = 100) => Type.Array(Text(max), { maxItems: items });
const Tier = Type.Union([Type.Literal("key"), Type.Literal("standard")]);
const Band = Type.Union([Type.Literal("healthy"), Type.Literal("watch"), Type.Literal("at_risk")]);
const Presence = Type.Union([Type.Literal("available"), Type.Literal("away"), Type.Literal("offline")]);
const Strategy = Type.Union(
  [Type.Literal("manual"), Type.Literal("round_robin"), Type.Literal("least_loaded"), Type.Literal("skills")],
  {
    description:
      "manual: nobody is assigned automatically; round_robin: the next available agent in turn; least_loaded: the agent with the lowest priority-weighted load for their capacity; skills: agents holding the case's product and `lang:<code>` skills, least loaded among them",
  },
);

const When = Type.Object(
  {
    priority: Type.Optional(Type.Array(Priority, { maxItems: 4 })),
    accountTier: Type.Optional(Type.Array(Tier, { maxItems: 2 })),
    channel: Type.Optional(Type.Array(Channel, { maxItems: 5 })),
    product: Type.Optional(Texts(200)),
    category: Type.Optional(Texts(200)),
    language: Type.Optional(Texts(20, 50)),
    tags: Type.Optional(Texts(50, 50)),
    keywords: Type.Optional(
      Type.Array(Text(100), {
        maxItems: 100,
        description:
          "Words or phrases in the subject or description (whole words; a trailing * matches a prefix)",
      }),
    ),
    healthBand: Type.Optional(Type.Array(Band, { maxItems: 3 })),
    accountOwnerId: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    withinHours: Type.Optional(
      Type.Object(
        {
          calendarId: Uuid,
          inside: Type.Boolean({ description: "true: received inside the calendar's hours; false: outside" }),
        },
        strict,
      ),
    ),
  },
  {
    ...strict,
    description:
      "Conditions; every present one must hold; a list accepts any of its values; none: the default rule",
  },
);

const Then = Type.Object(
  {
    teamId: Type.Optional(Uuid),
    queueId: Type.Optional(Uuid),
    priority: Type.Optional(Priority),
    ownerId: Type.Optional(Uuid),
    assignToAccountOwner: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Type.Array(Text(50), { maxItems: 50, description: "Added to the case's tags" })),
  },
  { ...strict, description: "What a matching rule does; a queue brings its team unless a team is set" },
);

const RuleSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    order: Type.Integer(),
    active: Type.Boolean(),
    continue: Type.Boolean(),
    when: When,
    then: Then,
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: "RoutingRule" },
);

const Order = Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Lowest evaluated first" });
const ruleFields = {
  active: Type.Optional(Type.Boolean()),
  continue: Type.Optional(
    Type.Boolean({ description: "Keep evaluating the rules below after this one matched (default false)" }),
  ),
  when: Type.Optional(When),
  then: Type.Optional(Then),
};

const SampleCase = Type.Object(
  {
    subject: Text(1000),
    description: Type.Optional(Type.String({ maxLength: 100_000 })),
    priority: Type.Optional(Priority),
    channel: Type.Optional(Channel),
    product: Type.Optional(Type.String({ maxLength: 200 })),
    category: Type.Optional(Type.String({ maxLength: 200 })),
    tags: Type.Optional(Texts(50, 50)),
    accountId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    receivedAt: Type.Optional(DateTime),
    language: Type.Optional(Text(20)),
    accountTier: Type.Optional(Tier),
    healthBand: Type.Optional(Band),
    accountOwnerId: Type.Optional(Uuid),
  },
  {
    ...strict,
    description: "A case as it would arrive; account and contact fill tier, health, owner and language",
  },
);

const Placement = Type.Object({
  teamId: Nullable(Type.String()),
  queueId: Nullable(Type.String()),
  priority: Type.String(),
  ownerId: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
});

const TestResult = Type.Object(
  {
    matched: Type.Array(
      Type.Object({ ruleId: Type.String(), name: Type.String(), position: Type.Integer() }),
    ),
    trace: Type.Array(
      Type.Object({
        ruleId: Type.String(),
        name: Type.String(),
        position: Type.Integer(),
        matched: Type.Boolean(),
        reasons: Type.Array(Type.String()),
        failed: Nullable(Type.String()),
        actions: Type.Array(Type.String()),
      }),
    ),
    result: Placement,
    explanation: Type.String(),
    assignment: Nullable(
      Type.Object({ strategy: Strategy, userId: Nullable(Type.String()), explanation: Type.String() }),
    ),
  },
  { $id: "RoutingTestResult" },
);

const QueueAssignmentSchema = Type.Object(
  {
    queueId: Type.String(),
    strategy: Strategy,
    lastUserId: Nullable(Type.String()),
    updatedAt: Nullable(DateTime),
  },
  { $id: "QueueAssignment" },
);

const QueueSummary = Type.Object({
  queueId: Type.String(),
  name: Type.String(),
  teamId: Nullable(Type.String()),
  strategy: Strategy,
  waiting: Type.Integer({ description: "Open cases in the queue with no owner" }),
  oldestWaitingAt: Nullable(DateTime),
});

const AgentLoadSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: Type.String(),
    status: Presence,
    capacity: Type.Integer(),
    skills: Type.Array(Type.String()),
    teamIds: Type.Array(Type.String()),
    openCases: Type.Integer({
      description: "Open cases owned (waiting on the customer and on hold do not count)",
    }),
    load: Type.Integer({
      description: "The same, each weighted by priority: low 1, normal 2, high 3, urgent 4",
    }),
    pausedCases: Type.Integer({ description: "Owned cases waiting on the customer or on hold" }),
    calendarId: Nullable(Type.String()),
    inHours: Type.Boolean(),
    acceptsCases: Type.Boolean(),
    reason: Nullable(
      Type.String({ description: "Why no new cases: away, offline, outside hours, at capacity" }),
    ),
  },
  { $id: "AgentLoad" },
);

const DecisionSchema = Type.Object({
  id: Type.String(),
  at: DateTime,
  trigger: Type.Union([
    Type.Literal("created"),
    Type.Literal("reroute"),
    Type.Literal("assignment"),
    Type.Literal("handback"),
  ]),
  ruleId: Nullable(Type.String()),
  ruleIds: Type.Array(Type.String()),
  explanation: Type.String(),
  actorId: Nullable(Type.String()),
});

export const routingRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The cases plugin's schemas are not visible here (encapsulation): the same Case, by its $id.
    app.addSchema(CaseSchema);
    app.addSchema(RuleSchema);
    app.addSchema(TestResult);
    app.addSchema(QueueAssignmentSchema);
    app.addSchema(AgentLoadSchema);
    const RuleRef = Type.Ref("RoutingRule");
    const tags = ["routing"];

    app.get(
      "/api/v1/routing-rules",
      {
        schema: {
          tags,
          summary: "All routing rules in evaluation order",
          response: {
            200: Type.Object({ items: Type.Array(RuleRef), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.routing.listRules(ctxOf(request).actor),
    );
    app.post(
      "/api/v1/routing-rules",
      {
        schema: {
          tags,
          summary: "Create a routing rule (admin, manager)",
          description:
            "Rules run in `order` when a case is created (and on re-route): the first whose `when` holds decides, unless it says `continue`. A rule with no conditions matches every case (a default rule: give it the highest order). What the caller set explicitly on the case wins over a rule.",
          body: Type.Object({ name: Name, order: Order, ...ruleFields }, strict),
          response: { 201: RuleRef, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.routing.createRule(ctxOf(request), request.body)),
    );
    app.post(
      "/api/v1/routing-rules/test",
      {
        schema: {
          tags,
          summary: "Which rule(s) would match this sample case, and what they would do",
          description:
            "Nothing is stored. Without `rules`, the stored active rules are used; with `rules` (a draft list, e.g. the editor's unsaved changes), those instead.",
          body: Type.Object(
            {
              case: SampleCase,
              rules: Type.Optional(
                Type.Array(
                  Type.Object(
                    { id: Type.Optional(Type.String()), name: Name, order: Order, ...ruleFields },
                    strict,
                  ),
                  { maxItems: 1000 },
                ),
              ),
            },
            strict,
          ),
          response: { 200: Type.Ref("RoutingTestResult"), ...problemResponses },
        },
      },
      async (request) => c.routing.testRules(ctxOf(request).actor, request.body),
    );
    app.get(
      "/api/v1/routing-rules/:id",
      {
        schema: {
          tags,
          summary: "One routing rule",
          params: IdParams,
          response: { 200: RuleRef, ...problemResponses },
        },
      },
      async (request) => c.routing.getRule(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/routing-rules/:id",
      {
        schema: {
          tags,
          summary: "Change a routing rule (admin, manager); applies to cases routed afterwards",
          params: IdParams,
          body: Type.Object(
            { name: Type.Optional(Name), order: Type.Optional(Order), ...ruleFields },
            strict,
          ),
          response: { 200: RuleRef, ...problemResponses },
        },
      },
      async (request) => c.routing.updateRule(ctxOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/v1/routing-rules/:id",
      {
        schema: {
          tags,
          summary: "Delete a routing rule (admin, manager); past decisions keep their explanation",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.routing.deleteRule(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/v1/cases/:id/reroute",
      {
        schema: {
          tags: ["routing", "cases"],
          summary: "Run the routing rules again on the case as it is now (agents and up)",
          description:
            "The rules' team, queue, priority, tags and owner replace the case's; a case that moves queue (or has no owner) is assigned by the new queue's strategy. The decision and its explanation become the case's `routing`.",
          params: IdParams,
          response: { 200: Type.Ref("Case"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.routing.reroute(ctxOf(request), request.params.id),
    );
    app.get(
      "/api/v1/cases/:id/routing",
      {
        schema: {
          tags: ["routing", "cases"],
          summary: "The case's routing decisions, newest first (staff)",
          params: IdParams,
          response: {
            200: Type.Object({
              ruleId: Nullable(Type.String()),
              explanation: Nullable(Type.String()),
              decisions: Type.Array(DecisionSchema),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.routing.caseRouting(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/queues/:id/assignment",
      {
        schema: {
          tags,
          summary: "How the queue assigns its cases",
          params: IdParams,
          response: { 200: Type.Ref("QueueAssignment"), ...problemResponses },
        },
      },
      async (request) => c.routing.getQueueAssignment(ctxOf(request).actor, request.params.id),
    );
    app.put(
      "/api/v1/queues/:id/assignment",
      {
        schema: {
          tags,
          summary:
            "Set how the queue assigns its cases (admin, manager); waiting cases are handed out at once",
          params: IdParams,
          body: Type.Object({ strategy: Strategy }, strict),
          response: { 200: Type.Ref("QueueAssignment"), ...problemResponses },
        },
      },
      async (request) => c.routing.setQueueAssignment(ctxOf(request), request.params.id, request.body),
    );
    app.get(
      "/api/v1/routing/queues",
      {
        schema: {
          tags,
          summary: "Every queue with its strategy and the cases waiting in it for an owner",
          response: {
            200: Type.Object({ items: Type.Array(QueueSummary), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.routing.queueSummaries(ctxOf(request).actor), nextCursor: null }),
    );
    app.get(
      "/api/v1/routing/agents",
      {
        schema: {
          tags,
          summary: "The agent load board: open cases against capacity, presence, working hours",
          querystring: Type.Object({ teamId: Type.Optional(Uuid) }),
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("AgentLoad")), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({
        items: await c.routing.agentLoads(ctxOf(request).actor, request.query),
        nextCursor: null,
      }),
    );
    app.put(
      "/api/v1/routing/agents/:id/schedule",
      {
        schema: {
          tags,
          summary: "Set an agent's working hours to a business calendar, or null (admin, manager)",
          params: IdParams,
          body: Type.Object({ calendarId: Nullable(Uuid) }, strict),
          response: {
            200: Type.Object({ userId: Type.String(), calendarId: Nullable(Type.String()) }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.routing.setSchedule(ctxOf(request), request.params.id, request.body.calendarId),
    );
    app.post(
      "/api/v1/me/hand-back",
      {
        schema: {
          tags: ["routing", "auth"],
          summary: "Hand back your cases nobody has started yet (status new, in a queue)",
          description:
            "They return to their queue and are assigned to someone else by its strategy (or wait there). With `status`, your presence is set first, e.g. when going away.",
          body: Type.Optional(Type.Object({ status: Type.Optional(Presence) }, strict)),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({ id: Type.String(), number: Type.String(), ownerId: Nullable(Type.String()) }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.routing.handBack(ctxOf(request), request.body ?? {}),
    );
  };
