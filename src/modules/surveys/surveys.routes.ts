import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  ListQuery,
  Nullable,
  Page,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";
import { AppError } from "../../platform/errors.ts";
import { answerPage, badScorePage, commentPage } from "./answer-page.ts";

const tags = ["surveys"];
const SurveyType = Type.Union([Type.Literal("csat"), Type.Literal("nps"), Type.Literal("ces")]);
const ListParam = Type.Array(Type.String({ maxLength: 200 }), {
  maxItems: 10,
  description: "Repeat the parameter or separate values with commas",
});

const SurveySchema = Type.Object(
  {
    id: Type.String(),
    type: SurveyType,
    status: Type.Union(
      [Type.Literal("sent"), Type.Literal("answered"), Type.Literal("expired"), Type.Literal("held_back")],
      { description: "held_back: a fatigue rule stopped it (heldBackRule names it); never emailed" },
    ),
    trigger: Type.Union([Type.Literal("manual"), Type.Literal("resolution"), Type.Literal("schedule")]),
    heldBackRule: Nullable(Type.String()),
    contactId: Type.String(),
    accountId: Type.String(),
    caseId: Nullable(Type.String()),
    teamId: Nullable(Type.String({ description: "The case's team when it was resolved" })),
    resolvedById: Nullable(
      Type.String({ description: "Who resolved the case (not whoever touched it last)" }),
    ),
    score: Nullable(Type.Integer()),
    comment: Nullable(Type.String()),
    recoveryTaskId: Nullable(Type.String({ description: "The task a low score opened" })),
    feedbackItemId: Nullable(Type.String()),
    createdAt: DateTime,
    sentAt: Nullable(DateTime),
    expiresAt: Nullable(DateTime),
    answeredAt: Nullable(DateTime),
    contactName: Nullable(Type.String()),
    accountName: Nullable(Type.String()),
    case: Nullable(Type.Object({ id: Type.String(), number: Type.String(), subject: Type.String() })),
  },
  { $id: "Survey" },
);

const SettingsFields = {
  csatEnabled: Type.Boolean({ description: "Send CSAT (or CES) after resolution" }),
  csatDelayMinutes: Type.Integer({
    minimum: 0,
    maximum: 43_200,
    description: "After resolution; default 1440 (24 h)",
  }),
  useCes: Type.Boolean({ description: "Ask the customer effort score (1–7) instead of CSAT" }),
  npsEnabled: Type.Boolean({ description: "Send NPS to each contact on a schedule" }),
  npsIntervalDays: Type.Integer({ minimum: 1, maximum: 3650, description: "Default 90" }),
  answerWindowDays: Type.Integer({
    minimum: 1,
    maximum: 365,
    description: "Links work this long; default 28",
  }),
  contactFatigueDays: Type.Integer({
    minimum: 0,
    maximum: 365,
    description: "At most one survey per contact per N days; 0: off",
  }),
  accountFatigueDays: Type.Integer({
    minimum: 0,
    maximum: 365,
    description: "At most one survey per account per M days; 0: off",
  }),
};
const SettingsSchema = Type.Object({ ...SettingsFields, updatedAt: DateTime }, { $id: "SurveySettings" });
const SettingsPatch = Type.Partial(Type.Object(SettingsFields), strict);

/** A manual send held back by a fatigue rule. */
const HeldBackResponse = {
  description: "Held back by a fatigue rule (the survey is recorded as held_back)",
  content: {
    "application/problem+json": {
      schema: Type.Object({
        type: Type.String(),
        title: Type.String(),
        status: Type.Integer(),
        detail: Type.String(),
        rule: Type.Optional(
          Type.String({
            description: "open_escalation | open_incident | nps_interval | contact_fatigue | account_fatigue",
          }),
        ),
        surveyId: Type.Optional(Type.String({ description: "The held-back survey record" })),
        errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
      }),
    },
  },
};

const Interval = Nullable(Type.Object({ low: Type.Number(), high: Type.Number() }));
const Figure = Type.Object(
  {
    value: Nullable(Type.Number()),
    n: Type.Integer(),
    interval: Interval,
    smallSample: Type.Boolean({ description: "Fewer than 30 answers" }),
  },
  { additionalProperties: true },
);
const Figures = Type.Object({ csat: Figure, nps: Figure, ces: Figure });
const ResultsSchema = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    groupBy: Type.Union([Type.Literal("week"), Type.Literal("team"), Type.Literal("agent")]),
    totals: Figures,
    groups: Type.Array(Type.Intersect([Type.Object({ key: Type.String(), label: Type.String() }), Figures])),
    sent: Type.Integer(),
    answered: Type.Integer(),
    heldBack: Type.Integer(),
  },
  { $id: "SatisfactionResults" },
);

export function surveysRoutes(c: Container): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(SurveySchema);
    app.addSchema(SettingsSchema);
    app.addSchema(ResultsSchema);

    app.get(
      "/api/v1/surveys",
      {
        schema: {
          tags,
          summary: "Surveys, newest first",
          querystring: Type.Object({
            type: Type.Optional(ListParam),
            status: Type.Optional(ListParam),
            contactId: Type.Optional(Uuid),
            accountId: Type.Optional(Uuid),
            caseId: Type.Optional(Uuid),
            ...ListQuery,
          }),
          response: { 200: Page(Type.Ref("Survey")), ...problemResponses },
        },
      },
      async (request) => c.surveys.list(ctxOf(request).actor, request.query),
    );
    app.post(
      "/api/v1/surveys",
      {
        schema: {
          tags,
          summary: "Send a survey now (a manual send); 422 naming the rule when a fatigue rule holds it back",
          body: Type.Object({ type: SurveyType, contactId: Uuid, caseId: Type.Optional(Uuid) }, strict),
          response: { 201: Type.Ref("Survey"), 422: HeldBackResponse, ...problemResponses },
        },
      },
      async (request, reply) => {
        const survey = await c.surveys.send(ctxOf(request), request.body);
        return reply.code(201).send(survey);
      },
    );

    app.get(
      "/api/v1/surveys/:id",
      {
        schema: {
          tags,
          summary: "One survey",
          params: IdParams,
          response: { 200: Type.Ref("Survey"), ...problemResponses },
        },
      },
      async (request) => c.surveys.get(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/survey-settings",
      {
        schema: {
          tags,
          summary: "How surveys are sent",
          response: { 200: Type.Ref("SurveySettings"), ...problemResponses },
        },
      },
      async (request) => c.surveys.settings(ctxOf(request).actor),
    );
    app.patch(
      "/api/v1/survey-settings",
      {
        schema: {
          tags,
          summary: "Change how surveys are sent (admin)",
          body: SettingsPatch,
          response: { 200: Type.Ref("SurveySettings"), ...problemResponses },
        },
      },
      async (request) => c.surveys.updateSettings(ctxOf(request), request.body),
    );

    app.get(
      "/api/v1/reports/satisfaction",
      {
        schema: {
          tags,
          summary: "CSAT, NPS and CES with n and 95% intervals, by week, team or agent (the resolver)",
          querystring: Type.Object({
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
            groupBy: Type.Optional(
              Type.Union([Type.Literal("week"), Type.Literal("team"), Type.Literal("agent")]),
            ),
            teamId: Type.Optional(Uuid),
            agentId: Type.Optional(Uuid),
          }),
          response: { 200: Type.Ref("SatisfactionResults"), ...problemResponses },
        },
      },
      async (request) => c.surveys.results(ctxOf(request).actor, request.query),
    );

    // ---- public: the emailed links (no sign-in; the token is the secret) ----

    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 32_768 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    app.get(
      "/s/:token",
      {
        config: { public: true },
        schema: {
          hide: true,
          params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
          querystring: Type.Object({ score: Type.Optional(Type.String({ maxLength: 10 })) }),
        },
      },
      async (request, reply) => {
        const raw = request.query.score;
        const score = raw !== undefined && /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
        let out: { status: number; html: string };
        try {
          out = Number.isNaN(score)
            ? badScorePage("Use one of the score links in your email.")
            : answerPage(await c.surveys.answer(request.params.token, score));
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== "validation") throw e;
          out = badScorePage(e.message.replace(/^score: /, "The score "));
        }
        return sendHtml(reply, out);
      },
    );

    app.post(
      "/s/:token/comment",
      {
        config: { public: true },
        schema: {
          hide: true,
          params: Type.Object({ token: Type.String({ maxLength: 200 }) }),
          body: Type.Object({ comment: Type.String({ maxLength: 5000 }) }),
        },
      },
      async (request, reply) => {
        let out: { status: number; html: string };
        try {
          out = commentPage(await c.surveys.comment(request.params.token, request.body.comment));
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== "validation") throw e;
          out = badScorePage("Please write a comment before sending.");
        }
        return sendHtml(reply, out);
      },
    );
  };
}

function sendHtml(reply: import("fastify").FastifyReply, out: { status: number; html: string }) {
  return reply
    .code(out.status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .send(out.html);
}
