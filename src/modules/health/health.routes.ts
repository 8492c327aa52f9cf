import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  Nullable,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";
import { DEFAULT_CONFIG, ENTRY_KINDS, type HealthConfig, SIGNAL_KINDS } from "./health-score.ts";

const DateOnly = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Band = Type.Union([Type.Literal("healthy"), Type.Literal("watch"), Type.Literal("at_risk")]);
const Detail = Type.Record(Type.String(), Type.Unknown());
const lits = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Health = Type.Object({ score: Nullable(Type.Integer()), band: Nullable(Band) });
const OffsetQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
};

const Entry = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: `One of ${ENTRY_KINDS.join(", ")}` }),
    at: DateTime,
    caseId: Nullable(Type.String()),
    baseWeight: Type.Number(),
    multiplier: Type.Number({ description: "The 'moments that matter' multiplier (1 outside them)" }),
    weight: Type.Number(),
    fadedWeight: Type.Number({ description: "The weight as it stands now" }),
    scoreAfter: Type.Integer(),
    sourceEventId: Type.String(),
    detail: Detail,
  },
  { $id: "HealthEntry" },
);
const Trend = Type.Array(Type.Object({ at: DateTime, score: Type.Integer() }));
const AccountHealth = Type.Object(
  {
    accountId: Type.String(),
    score: Nullable(Type.Integer()),
    band: Nullable(Band),
    balance: Type.Number(),
    scoredAt: Nullable(DateTime),
    bandSince: Nullable(DateTime),
    entries: Type.Integer(),
    momentsUntil: Nullable(Type.String()),
    trend: Trend,
    explanation: Type.Array(Type.Ref("HealthEntry")),
  },
  { $id: "AccountHealth" },
);

const Weights = Type.Object(
  Object.fromEntries(
    ENTRY_KINDS.map((k) => [
      k,
      Type.Number({ minimum: -100, maximum: 100, default: DEFAULT_CONFIG.weights[k] }),
    ]),
  ),
  strict,
);
const pos = (max: number) => Type.Number({ exclusiveMinimum: 0, maximum: max });
const score = Type.Integer({ minimum: 0, maximum: 100 });
const SettingsSchema = Type.Object(
  {
    weights: Weights,
    halfLifeDays: pos(3650),
    neutralScore: Type.Integer({ minimum: 1, maximum: 99 }),
    scale: pos(1000),
    bands: Type.Object(
      { atRiskEnter: score, atRiskLeave: score, watchEnter: score, watchLeave: score },
      strict,
    ),
    moments: Type.Object(
      {
        onboardingDays: Type.Integer({ minimum: 0, maximum: 3650 }),
        onboardingMultiplier: Type.Number({ minimum: 1, maximum: 10 }),
        firstCases: Type.Integer({ minimum: 0, maximum: 100 }),
        firstCasesMultiplier: Type.Number({ minimum: 1, maximum: 10 }),
      },
      strict,
    ),
    plays: Type.Object(
      {
        dropPoints: Type.Integer({ minimum: 1, maximum: 100 }),
        dropDays: Type.Integer({ minimum: 1, maximum: 365 }),
        keyTaskDays: Type.Number({ minimum: 0, maximum: 60 }),
        standardTaskDays: Type.Number({ minimum: 0, maximum: 60 }),
      },
      strict,
    ),
  },
  { ...strict, $id: "HealthSettings" },
);
const SettingsPatch = Type.Object(
  {
    weights: Type.Optional(Type.Partial(Weights, strict)),
    halfLifeDays: Type.Optional(SettingsSchema.properties.halfLifeDays),
    neutralScore: Type.Optional(SettingsSchema.properties.neutralScore),
    scale: Type.Optional(SettingsSchema.properties.scale),
    bands: Type.Optional(Type.Partial(SettingsSchema.properties.bands, strict)),
    moments: Type.Optional(Type.Partial(SettingsSchema.properties.moments, strict)),
    plays: Type.Optional(Type.Partial(SettingsSchema.properties.plays, strict)),
  },
  strict,
);

const PlayReason = lits(["entered_at_risk", "score_drop", "manual"] as const);
const Outcome = lits(["recovered", "lost", "no_longer_needed"] as const);
const PlaySchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    accountName: Nullable(Type.String()),
    reason: PlayReason,
    status: lits(["open", "ended"] as const),
    outcome: Nullable(Outcome),
    keyAccount: Type.Boolean(),
    scoreAtStart: Nullable(Type.Integer()),
    trigger: Detail,
    taskIds: Type.Array(Type.String()),
    notes: Nullable(Type.String()),
    startedAt: DateTime,
    startedById: Nullable(Type.String()),
    endedAt: Nullable(DateTime),
    endedById: Nullable(Type.String()),
  },
  { $id: "Play" },
);
const PlayCounts = {
  started: Type.Integer(),
  open: Type.Integer(),
  recovered: Type.Integer(),
  lost: Type.Integer(),
  no_longer_needed: Type.Integer(),
};

const Reason = lits([
  "customer_service",
  "low_quality",
  "missing_features",
  "switched_service",
  "too_complex",
  "too_expensive",
  "unused",
  "other",
] as const);
const Group = lits(["service_or_treatment", "product", "competitor", "price", "other"] as const);
const ChurnSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    accountName: Nullable(Type.String()),
    lostOn: Type.String(),
    revenueLost: Type.Number(),
    reason: Reason,
    reasonGroup: Group,
    notes: Nullable(Type.String()),
    debits: Type.Array(Type.Ref("HealthEntry")),
    createdAt: DateTime,
    createdById: Nullable(Type.String()),
    wonBackAt: Nullable(DateTime),
    wonBackById: Nullable(Type.String()),
  },
  { $id: "ChurnRecord" },
);

const Brief = Type.Object(
  {
    account: Type.Object({
      id: Type.String(),
      name: Type.String(),
      tier: Type.String(),
      annualRevenue: Type.Number(),
      ownerId: Nullable(Type.String()),
      customerSince: Nullable(Type.String()),
    }),
    health: Type.Object({
      score: Nullable(Type.Integer()),
      band: Nullable(Band),
      bandSince: Nullable(DateTime),
      change30d: Nullable(Type.Integer()),
      trend: Trend,
      explanation: Type.Array(Type.Ref("HealthEntry")),
    }),
    openCases: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        subject: Type.String(),
        status: Type.String(),
        priority: Type.String(),
        createdAt: DateTime,
        slaState: Nullable(Type.String()),
        slaDueAt: Nullable(Type.String()),
        sla: Type.Array(Type.Object({ kpi: Type.String(), status: Type.String(), dueAt: Type.String() })),
      }),
    ),
    openCasesMore: Type.Boolean(),
    promises: Type.Object({
      due: Type.Array(
        Type.Object({
          id: Type.String(),
          subject: Type.String(),
          dueAt: Nullable(Type.String()),
          ownerId: Nullable(Type.String()),
          caseId: Nullable(Type.String()),
          overdue: Type.Boolean(),
        }),
      ),
      broken: Type.Array(
        Type.Object({
          id: Type.String(),
          subject: Type.String(),
          dueAt: Nullable(Type.String()),
          ownerId: Nullable(Type.String()),
          caseId: Nullable(Type.String()),
          brokenAt: Nullable(Type.String()),
        }),
      ),
    }),
    surveys: Type.Array(
      Type.Object({
        type: Type.String(),
        score: Type.Number(),
        comment: Nullable(Type.String()),
        caseId: Nullable(Type.String()),
        answeredAt: DateTime,
      }),
    ),
    escalations: Type.Array(
      Type.Object({
        caseId: Type.String(),
        reason: Nullable(Type.String()),
        by: Nullable(Type.String()),
        at: DateTime,
      }),
    ),
    openPlays: Type.Array(Type.Ref("Play")),
    lost: Nullable(Type.Object({ churnId: Type.String(), lostOn: Type.String(), reason: Type.String() })),
  },
  { $id: "AccountBrief" },
);

const AccountParams = Type.Object({ id: Uuid });
const Rule = { 409: ProblemResponse, 422: ProblemResponse };

export const healthRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(Entry);
    app.addSchema(AccountHealth);
    app.addSchema(SettingsSchema);
    app.addSchema(PlaySchema);
    app.addSchema(ChurnSchema);
    app.addSchema(Brief);
    const tags = ["health"];

    app.get(
      "/api/v1/accounts/:id/health",
      {
        schema: {
          tags,
          summary: "An account's health: score, band, trend and the entries that explain it",
          params: AccountParams,
          response: { 200: Type.Ref("AccountHealth"), ...problemResponses },
        },
      },
      async (request) => c.health.accountHealth(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/accounts/:id/health/entries",
      {
        schema: {
          tags,
          summary: "An account's experience ledger, newest first",
          params: AccountParams,
          querystring: Type.Object(
            {
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
              cursor: Type.Optional(Type.String({ maxLength: 200 })),
            },
            strict,
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref("HealthEntry")),
              nextCursor: Nullable(Type.String()),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.health.entries(ctxOf(request).actor, request.params.id, request.query),
    );

    app.post(
      "/api/v1/accounts/:id/health-signals",
      {
        schema: {
          tags,
          summary:
            "Record a churn signal (downgrade or discount request, price complaint) or a value-adding touch",
          params: AccountParams,
          body: Type.Object(
            { kind: lits(SIGNAL_KINDS), notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) },
            strict,
          ),
          response: {
            201: Type.Object({ eventId: Type.String(), kind: Type.String(), at: DateTime }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.health.recordSignal(ctxOf(request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/accounts/:id/brief",
      {
        schema: {
          tags: ["health", "sales"],
          summary: "The account brief: what to read before calling the customer",
          params: AccountParams,
          response: { 200: Type.Ref("AccountBrief"), ...problemResponses },
        },
      },
      async (request) => c.retention.brief(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/health/settings",
      {
        schema: {
          tags,
          summary: "The weight table and formula parameters",
          response: { 200: Type.Ref("HealthSettings"), ...problemResponses },
        },
      },
      async (request) => c.health.settings(ctxOf(request).actor),
    );

    app.patch(
      "/api/v1/health/settings",
      {
        schema: {
          tags,
          summary: "Change weights and parameters (admins, managers); applies to new entries",
          description:
            "Past entries keep their weights; `keepdesk health rebuild` applies new ones to history.",
          body: SettingsPatch,
          response: { 200: Type.Ref("HealthSettings"), ...problemResponses },
        },
      },
      async (request) => c.health.updateSettings(ctxOf(request), request.body as Partial<HealthConfig>),
    );

    app.get(
      "/api/v1/health/dashboard",
      {
        schema: {
          tags,
          summary: "Health distribution, moved to at risk this week, revenue at risk, churn by reason group",
          response: {
            200: Type.Object({
              asOf: DateTime,
              bands: Type.Array(
                Type.Object({
                  band: Type.String(),
                  accounts: Type.Integer(),
                  keyAccounts: Type.Integer(),
                  revenue: Type.Number(),
                }),
              ),
              revenueAtRisk: Type.Number(),
              revenueOnWatch: Type.Number(),
              movedToAtRisk: Type.Array(
                Type.Object({
                  accountId: Type.String(),
                  name: Type.String(),
                  tier: Type.String(),
                  annualRevenue: Type.Number(),
                  score: Type.Integer(),
                  since: DateTime,
                }),
              ),
              churnByGroup: Type.Array(
                Type.Object({
                  group: Group,
                  count: Type.Integer(),
                  percent: Type.Number(),
                  revenueLost: Type.Number(),
                  revenuePercent: Type.Number(),
                }),
              ),
              churnTotal: Type.Integer(),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.dashboard(ctxOf(request).actor),
    );

    app.get(
      "/api/v1/health/pareto",
      {
        schema: {
          tags,
          summary: "The revenue concentration curve and key accounts with their health",
          response: {
            200: Type.Object({
              accounts: Type.Integer(),
              totalRevenue: Type.Number(),
              keyAccounts: Type.Integer(),
              keyRevenuePercent: Type.Number(),
              curve: Type.Array(
                Type.Object({ accountsPercent: Type.Number(), revenuePercent: Type.Number() }),
              ),
              key: Type.Array(
                Type.Object({
                  accountId: Type.String(),
                  name: Type.String(),
                  annualRevenue: Type.Number(),
                  health: Health,
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.pareto(ctxOf(request).actor),
    );

    app.get(
      "/api/v1/health/ready-for-offer",
      {
        schema: {
          tags: ["health", "sales"],
          summary: "Healthy accounts with no open problem, highest value first: ready for a new offer",
          querystring: Type.Object(
            {
              minScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            },
            strict,
          ),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  accountId: Type.String(),
                  name: Type.String(),
                  tier: Type.String(),
                  annualRevenue: Type.Number(),
                  ownerId: Nullable(Type.String()),
                  health: Health,
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.readyForOffer(ctxOf(request).actor, request.query),
    );

    // ---- plays ----
    app.get(
      "/api/v1/plays",
      {
        schema: {
          tags: ["plays"],
          summary: "Retention plays, key accounts first, newest first",
          querystring: Type.Object(
            {
              status: Type.Optional(lits(["open", "ended"] as const)),
              accountId: Type.Optional(Uuid),
              reason: Type.Optional(PlayReason),
              ...OffsetQuery,
            },
            strict,
          ),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Intersect([
                  Type.Ref("Play"),
                  Type.Object({ annualRevenue: Type.Number(), health: Health }),
                ]),
              ),
              nextOffset: Nullable(Type.Integer()),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.listPlays(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/plays/report",
      {
        schema: {
          tags: ["plays", "reports"],
          summary: "Plays started in a range and their outcomes",
          querystring: Type.Object({ from: Type.Optional(DateTime), to: Type.Optional(DateTime) }, strict),
          response: {
            200: Type.Object({
              from: DateTime,
              to: DateTime,
              totals: Type.Object(PlayCounts),
              recoveredRate: Nullable(Type.Number()),
              byReason: Type.Array(Type.Object({ reason: Type.String(), ...PlayCounts })),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.playReport(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/plays/:id",
      {
        schema: {
          tags: ["plays"],
          summary: "One play",
          params: IdParams,
          response: { 200: Type.Ref("Play"), ...problemResponses },
        },
      },
      async (request) => c.retention.getPlay(ctxOf(request).actor, request.params.id),
    );

    app.post(
      "/api/v1/accounts/:id/plays",
      {
        schema: {
          tags: ["plays"],
          summary: "Start a retention play by hand (one open at a time)",
          params: AccountParams,
          body: Type.Object({ notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) }, strict),
          response: { 201: Type.Ref("Play"), ...problemResponses, ...Rule },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.retention.startPlay(ctxOf(request), request.params.id, request.body)),
    );

    app.post(
      "/api/v1/plays/:id/end",
      {
        schema: {
          tags: ["plays"],
          summary: "End a play with its outcome",
          params: IdParams,
          body: Type.Object(
            { outcome: Outcome, notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) },
            strict,
          ),
          response: { 200: Type.Ref("Play"), ...problemResponses, ...Rule },
        },
      },
      async (request) => c.retention.endPlay(ctxOf(request), request.params.id, request.body),
    );

    // ---- churn ----
    app.post(
      "/api/v1/accounts/:id/churn",
      {
        schema: {
          tags: ["churn"],
          summary: "Mark an account lost, with the reason; its last ledger debits are attached",
          params: AccountParams,
          body: Type.Object(
            {
              lostOn: Type.Optional(DateOnly),
              revenueLost: Type.Optional(Type.Number({ minimum: 0, maximum: 1e13 })),
              reason: Reason,
              notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
            },
            strict,
          ),
          response: { 201: Type.Ref("ChurnRecord"), ...problemResponses, ...Rule },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.retention.markLost(ctxOf(request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/churn",
      {
        schema: {
          tags: ["churn"],
          summary: "Churn records, latest loss first",
          querystring: Type.Object(
            {
              accountId: Type.Optional(Uuid),
              from: Type.Optional(DateOnly),
              to: Type.Optional(DateOnly),
              ...OffsetQuery,
            },
            strict,
          ),
          response: {
            200: Type.Object({
              items: Type.Array(Type.Ref("ChurnRecord")),
              nextOffset: Nullable(Type.Integer()),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.listChurn(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/churn/:id",
      {
        schema: {
          tags: ["churn"],
          summary: "One churn record",
          params: IdParams,
          response: { 200: Type.Ref("ChurnRecord"), ...problemResponses },
        },
      },
      async (request) => c.retention.getChurn(ctxOf(request).actor, request.params.id),
    );

    app.post(
      "/api/v1/churn/:id/won-back",
      {
        schema: {
          tags: ["churn"],
          summary: "Record that a lost account was won back",
          params: IdParams,
          response: { 200: Type.Ref("ChurnRecord"), ...problemResponses, ...Rule },
        },
      },
      async (request) => c.retention.wonBack(ctxOf(request), request.params.id),
    );

    app.get(
      "/api/v1/reports/churn",
      {
        schema: {
          tags: ["churn", "reports"],
          summary: "Lost accounts by reason group and reason: counts, revenue and shares",
          querystring: Type.Object(
            {
              from: Type.Optional(DateOnly),
              to: Type.Optional(DateOnly),
              includeWonBack: Type.Optional(Type.Boolean()),
            },
            strict,
          ),
          response: {
            200: Type.Object({
              from: Type.String(),
              to: Type.String(),
              total: Type.Integer(),
              revenueLost: Type.Number(),
              groups: Type.Array(
                Type.Object({
                  group: Group,
                  count: Type.Integer(),
                  percent: Type.Number(),
                  revenueLost: Type.Number(),
                  revenuePercent: Type.Number(),
                }),
              ),
              reasons: Type.Array(
                Type.Object({
                  reason: Reason,
                  group: Group,
                  count: Type.Integer(),
                  percent: Type.Number(),
                  revenueLost: Type.Number(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.retention.churnReport(ctxOf(request).actor, request.query),
    );
  };
