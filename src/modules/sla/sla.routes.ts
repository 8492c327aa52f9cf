import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  ListQuery,
  Name,
  Nullable,
  Page,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const Time = Type.String({
  pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
  description: "HH:MM, 24:00 ends a day",
});
const Interval = Type.Tuple([Time, Time]);
const Day = Type.Array(Interval, { maxItems: 12 });
const Hours = Type.Object(
  {
    mon: Type.Optional(Day),
    tue: Type.Optional(Day),
    wed: Type.Optional(Day),
    thu: Type.Optional(Day),
    fri: Type.Optional(Day),
    sat: Type.Optional(Day),
    sun: Type.Optional(Day),
  },
  {
    ...strict,
    description:
      'Working intervals per weekday in the calendar\'s time zone, e.g. {"mon": [["08:00","12:00"],["13:00","17:00"]]}; a missing day is closed',
  },
);
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: "IANA time zone, e.g. Europe/Berlin",
});
const Holidays = Type.Array(Type.String({ format: "date" }), {
  maxItems: 1000,
  description: "Whole days off, YYYY-MM-DD",
});

const CalendarSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    timeZone: Type.String(),
    hours: Type.Object({
      mon: Day,
      tue: Day,
      wed: Day,
      thu: Day,
      fri: Day,
      sat: Day,
      sun: Day,
    }),
    holidays: Type.Array(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: "Calendar" },
);

const Priority = Type.Union([
  Type.Literal("low"),
  Type.Literal("normal"),
  Type.Literal("high"),
  Type.Literal("urgent"),
]);
const Channel = Type.Union([
  Type.Literal("email"),
  Type.Literal("portal"),
  Type.Literal("phone"),
  Type.Literal("web"),
  Type.Literal("api"),
]);
const AppliesWhen = Type.Object(
  {
    priority: Type.Optional(Type.Array(Priority, { maxItems: 4 })),
    accountTier: Type.Optional(
      Type.Array(Type.Union([Type.Literal("key"), Type.Literal("standard")]), { maxItems: 2 }),
    ),
    channel: Type.Optional(Type.Array(Channel, { maxItems: 5 })),
    product: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
    entitled: Type.Optional(
      Type.Boolean({
        description: "true: only cases covered by an entitlement; false: only cases without one",
      }),
    ),
  },
  { ...strict, description: "Each field a list of accepted values; an absent field accepts any" },
);
const Action = Type.Union([
  Type.Object(
    {
      type: Type.Literal("notify"),
      to: Type.Optional(
        Type.Array(Type.Union([Type.Literal("owner"), Type.Literal("teamLead"), Type.Literal("managers")]), {
          minItems: 1,
          maxItems: 3,
        }),
      ),
    },
    { ...strict, description: "In-app and email; default to: owner and team lead" },
  ),
  Type.Object({ type: Type.Literal("raisePriority") }, { ...strict, description: "One step more urgent" }),
  Type.Object(
    {
      type: Type.Literal("reassign"),
      teamId: Type.Optional(Uuid),
      toTeamLead: Type.Optional(Type.Boolean()),
    },
    { ...strict, description: "To a team, and/or to the (new) team's lead" },
  ),
  Type.Object({ type: Type.Literal("addTag"), tag: Type.String({ minLength: 1, maxLength: 50 }) }, strict),
]);
const Actions = Type.Array(Action, { maxItems: 10 });
const Minutes = Type.Integer({ minimum: 1, maximum: 525_600, description: "Business minutes" });
const Status = Type.String({ minLength: 1, maxLength: 40 });

const PolicySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    calendarId: Type.String(),
    order: Type.Integer(),
    appliesWhen: AppliesWhen,
    firstResponseMinutes: Type.Integer(),
    nextResponseMinutes: Nullable(Type.Integer()),
    resolutionMinutes: Type.Integer(),
    warningPercent: Nullable(Type.Integer()),
    warningMinutesBefore: Nullable(Type.Integer()),
    pauseOn: Type.Array(Type.String()),
    warningActions: Actions,
    breachActions: Actions,
    active: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: "SlaPolicy" },
);

const policyFields = {
  calendarId: Uuid,
  order: Type.Integer({ minimum: 0, maximum: 1_000_000, description: "Lowest evaluated first" }),
  appliesWhen: Type.Optional(AppliesWhen),
  firstResponseMinutes: Minutes,
  nextResponseMinutes: Type.Optional(Nullable(Minutes)),
  resolutionMinutes: Minutes,
  warningPercent: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 99,
        description: "Warn when this share of the target has elapsed (default 75)",
      }),
    ),
  ),
  warningMinutesBefore: Type.Optional(
    Nullable(
      Type.Integer({
        minimum: 1,
        maximum: 525_600,
        description: "Or: warn this many business minutes before due",
      }),
    ),
  ),
  pauseOn: Type.Optional(
    Type.Array(Status, {
      maxItems: 20,
      description: "Statuses that stop the clock (default: waiting_on_customer)",
    }),
  ),
  warningActions: Type.Optional(Actions),
  breachActions: Type.Optional(Actions),
  active: Type.Optional(Type.Boolean()),
};

const ClockSchema = Type.Object({
  id: Type.String(),
  kpi: Type.String(),
  status: Type.String(),
  dueAt: DateTime,
  warningAt: Nullable(DateTime),
  targetMinutes: Type.Number(),
  startedAt: DateTime,
  metAt: Nullable(DateTime),
  breachedAt: Nullable(DateTime),
  pausedAt: Nullable(DateTime),
  remainingMinutes: Nullable(Type.Number()),
  supersededAt: Nullable(DateTime),
  supersededReason: Nullable(Type.String()),
});

const ComplianceRow = Type.Object({
  kpi: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  priority: Nullable(Type.String()),
  total: Type.Integer(),
  met: Type.Integer(),
  breached: Type.Integer(),
  compliancePercent: Type.Number(),
  medianBusinessMinutes: Nullable(Type.Number()),
  p90BusinessMinutes: Nullable(Type.Number()),
  medianWallMinutes: Nullable(Type.Number()),
});

export const slaRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(CalendarSchema);
    app.addSchema(PolicySchema);
    const CalendarRef = Type.Ref("Calendar");
    const PolicyRef = Type.Ref("SlaPolicy");
    const tags = ["sla"];

    app.get(
      "/api/v1/calendars",
      {
        schema: {
          tags,
          summary: "List business calendars",
          querystring: Type.Object(ListQuery),
          response: { 200: Page(CalendarRef), ...problemResponses },
        },
      },
      async (request) => c.slaConfig.listCalendars(ctxOf(request).actor, request.query),
    );
    app.post(
      "/api/v1/calendars",
      {
        schema: {
          tags,
          summary: "Create a business calendar (admin, manager)",
          description: "A calendar with no working time at all is refused (422).",
          body: Type.Object(
            { name: Name, timeZone: TimeZone, hours: Hours, holidays: Type.Optional(Holidays) },
            strict,
          ),
          response: { 201: CalendarRef, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.slaConfig.createCalendar(ctxOf(request), request.body)),
    );
    app.get(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary: "One calendar",
          params: IdParams,
          response: { 200: CalendarRef, ...problemResponses },
        },
      },
      async (request) => c.slaConfig.getCalendar(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary:
            "Change a calendar (admin, manager); running clocks keep their due times until re-evaluated",
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(Name),
              timeZone: Type.Optional(TimeZone),
              hours: Type.Optional(Hours),
              holidays: Type.Optional(Holidays),
            },
            strict,
          ),
          response: { 200: CalendarRef, ...problemResponses },
        },
      },
      async (request) => c.slaConfig.updateCalendar(ctxOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/v1/calendars/:id",
      {
        schema: {
          tags,
          summary: "Delete a calendar no policy uses (admin, manager)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.slaConfig.deleteCalendar(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/sla-policies",
      {
        schema: {
          tags,
          summary: "All SLA policies in evaluation order",
          querystring: Type.Object(ListQuery),
          response: { 200: Page(PolicyRef), ...problemResponses },
        },
      },
      async (request) => c.slaConfig.listPolicies(ctxOf(request).actor),
    );
    app.post(
      "/api/v1/sla-policies",
      {
        schema: {
          tags,
          summary: "Create an SLA policy (admin, manager)",
          body: Type.Object({ name: Name, ...policyFields }, strict),
          response: { 201: PolicyRef, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.slaConfig.createPolicy(ctxOf(request), request.body)),
    );
    app.get(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "One SLA policy",
          params: IdParams,
          response: { 200: PolicyRef, ...problemResponses },
        },
      },
      async (request) => c.slaConfig.getPolicy(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "Change an SLA policy (admin, manager); applies to cases evaluated from now on",
          params: IdParams,
          body: Type.Partial(Type.Object({ name: Name, ...policyFields }), strict),
          response: { 200: PolicyRef, ...problemResponses },
        },
      },
      async (request) => c.slaConfig.updatePolicy(ctxOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/v1/sla-policies/:id",
      {
        schema: {
          tags,
          summary: "Delete an SLA policy (admin, manager); cases keep their clocks",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.slaConfig.deletePolicy(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/cases/:id/sla",
      {
        schema: {
          tags,
          summary: "A case's SLA: the policy that applies and why, and every clock including superseded ones",
          params: IdParams,
          response: {
            200: Type.Object({
              policy: Nullable(
                Type.Object({
                  id: Nullable(Type.String()),
                  name: Type.String(),
                  reason: Type.String(),
                  evaluatedAt: DateTime,
                }),
              ),
              clocks: Type.Array(ClockSchema),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.sla.caseDetail(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/reports/sla-compliance",
      {
        schema: {
          tags: ["reports"],
          summary: "SLA compliance over a time range",
          description:
            "Clocks that finished (met or breached) in [from, to), grouped by `groupBy` (comma list of kpi, team, priority; default kpi). A clock met after its due time counts as breached. Durations are business minutes (medians and p90) and wall-clock minutes (median). Default range: the 30 days before `to` (default now).",
          querystring: Type.Object({
            from: Type.Optional(DateTime),
            to: Type.Optional(DateTime),
            groupBy: Type.Optional(Type.String({ maxLength: 40 })),
          }),
          response: {
            200: Type.Object({
              from: DateTime,
              to: DateTime,
              groupBy: Type.Array(Type.String()),
              rows: Type.Array(ComplianceRow),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.sla.compliance(ctxOf(request).actor, request.query),
    );
  };
