import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { problem, sendProblem } from "../../http/problem.ts";
import {
  DateTime,
  IdParams,
  ListQuery,
  Nullable,
  Page,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const ListParam = Type.Array(Type.String({ maxLength: 200 }), {
  maxItems: 10,
  description: "Repeat the parameter or separate values with commas",
});

const ActivityType = Type.Union([
  Type.Literal("task"),
  Type.Literal("call"),
  Type.Literal("appointment"),
  Type.Literal("promise"),
]);
const ActivityStatus = Type.Union([
  Type.Literal("open"),
  Type.Literal("done"),
  Type.Literal("kept"),
  Type.Literal("broken"),
  Type.Literal("cancelled"),
]);
const Direction = Type.Union([Type.Literal("in"), Type.Literal("out")], {
  description: "in: the customer called; out: we called",
});
const Subject = Type.String({ minLength: 1, maxLength: 500 });
const Notes = Nullable(Type.String({ maxLength: 20_000 }));
const ShortText = Nullable(Type.String({ maxLength: 1000 }));
const Reminder = Nullable(
  Type.Integer({
    minimum: 1,
    maximum: 10_080,
    description:
      "Minutes before due the owner is reminded (in-app and email); null: no reminder; absent: the owner's default (15)",
  }),
);

const AttendeeIn = Type.Object(
  {
    userId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    email: Type.Optional(Type.String({ format: "email", maxLength: 320 })),
    name: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { ...strict, description: "Exactly one of userId, contactId or email" },
);

const ActivitySchema = Type.Object(
  {
    id: Type.String(),
    type: ActivityType,
    subject: Type.String(),
    notes: Nullable(Type.String()),
    status: ActivityStatus,
    ownerId: Nullable(Type.String()),
    createdById: Nullable(Type.String()),
    caseId: Nullable(Type.String()),
    accountId: Nullable(Type.String()),
    contactId: Nullable(Type.String()),
    dueAt: Nullable(DateTime),
    startsAt: Nullable(DateTime),
    endsAt: Nullable(DateTime),
    direction: Nullable(Direction),
    durationSeconds: Nullable(Type.Integer()),
    outcome: Nullable(Type.String()),
    location: Nullable(Type.String()),
    meetingUrl: Nullable(Type.String()),
    attendees: Type.Array(
      Type.Object({
        type: Type.Union([Type.Literal("user"), Type.Literal("contact"), Type.Literal("email")]),
        userId: Nullable(Type.String()),
        contactId: Nullable(Type.String()),
        email: Type.String(),
        name: Nullable(Type.String()),
      }),
    ),
    reminderMinutes: Nullable(Type.Integer()),
    remindedAt: Nullable(DateTime),
    completedAt: Nullable(DateTime),
    keptAt: Nullable(DateTime),
    keptHow: Nullable(Type.Union([Type.Literal("call"), Type.Literal("reply"), Type.Literal("manual")])),
    keptByRef: Nullable(Type.String({ description: "The call activity or reply message that kept it" })),
    keptByUserId: Nullable(Type.String()),
    brokenAt: Nullable(DateTime),
    cancelledAt: Nullable(DateTime),
    createdAt: DateTime,
    updatedAt: DateTime,
    overdue: Type.Boolean(),
    case: Nullable(Type.Object({ id: Type.String(), number: Type.String(), subject: Type.String() })),
    contactName: Nullable(Type.String()),
    accountName: Nullable(Type.String()),
    customerTimeZone: Nullable(Type.String()),
    customerDueTime: Nullable(
      Type.String({ description: "The due time on the customer's wall clock, e.g. Tue 3 Mar, 10:00" }),
    ),
  },
  { $id: "Activity" },
);

const CreateBody = Type.Object(
  {
    type: ActivityType,
    subject: Subject,
    notes: Type.Optional(Notes),
    ownerId: Type.Optional(Uuid),
    caseId: Type.Optional(Uuid),
    accountId: Type.Optional(Uuid),
    contactId: Type.Optional(Uuid),
    dueAt: Type.Optional(DateTime),
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(DateTime),
    status: Type.Optional(
      Type.Union([Type.Literal("open"), Type.Literal("done")], {
        description: "Calls default to done (a logged call; open plans one); tasks may be logged done",
      }),
    ),
    direction: Type.Optional(Direction),
    durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    durationMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 1440 })),
    outcome: Type.Optional(ShortText),
    location: Type.Optional(ShortText),
    meetingUrl: Type.Optional(Nullable(Type.String({ format: "uri", maxLength: 2000 }))),
    attendees: Type.Optional(Type.Array(AttendeeIn, { maxItems: 50 })),
    reminderMinutes: Type.Optional(Reminder),
  },
  strict,
);

const UpdateBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    notes: Type.Optional(Notes),
    status: Type.Optional(ActivityStatus),
    ownerId: Type.Optional(Uuid),
    caseId: Type.Optional(Nullable(Uuid)),
    accountId: Type.Optional(Nullable(Uuid)),
    contactId: Type.Optional(Nullable(Uuid)),
    dueAt: Type.Optional(Nullable(DateTime)),
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(DateTime),
    direction: Type.Optional(Direction),
    durationSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 86_400 }))),
    durationMinutes: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1440 }))),
    outcome: Type.Optional(ShortText),
    location: Type.Optional(ShortText),
    meetingUrl: Type.Optional(Nullable(Type.String({ format: "uri", maxLength: 2000 }))),
    attendees: Type.Optional(Type.Array(AttendeeIn, { maxItems: 50 })),
    reminderMinutes: Type.Optional(Reminder),
  },
  strict,
);

const PromiseTimeSchema = Type.Object({
  key: Type.Union([Type.Literal("inAnHour"), Type.Literal("endOfDay"), Type.Literal("tomorrowMorning")]),
  label: Type.String(),
  at: DateTime,
  customerTime: Type.String(),
  customerLabel: Type.String(),
});

const CaseBrief = Type.Object({
  id: Type.String(),
  number: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  accountId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  slaDueAt: Nullable(Type.String()),
});

const MyDaySchema = Type.Object(
  {
    date: Type.String({ description: "Today in your time zone, YYYY-MM-DD" }),
    timeZone: Type.String(),
    now: DateTime,
    items: Type.Array(
      Type.Union([
        Type.Object({
          kind: Type.Literal("activity"),
          at: Nullable(DateTime),
          state: Type.Union([Type.Literal("overdue"), Type.Literal("dueToday"), Type.Literal("broken")]),
          activity: Type.Ref("Activity"),
        }),
        Type.Object({
          kind: Type.Literal("case"),
          at: Nullable(DateTime),
          state: Type.Union([Type.Literal("breached"), Type.Literal("breachingSoon")]),
          case: CaseBrief,
        }),
      ]),
    ),
    done: Type.Array(Type.Ref("Activity")),
    counts: Type.Object({
      overdue: Type.Integer(),
      dueToday: Type.Integer(),
      broken: Type.Integer(),
      breachingSoon: Type.Integer(),
      breached: Type.Integer(),
    }),
  },
  { $id: "MyDay" },
);

const Counts = {
  made: Type.Integer(),
  kept: Type.Integer(),
  broken: Type.Integer(),
  open: Type.Integer(),
  cancelled: Type.Integer(),
  keptRate: Nullable(Type.Number({ description: "kept / (kept + broken), percent" })),
};

const PromiseReportSchema = Type.Object(
  {
    from: DateTime,
    to: DateTime,
    groupBy: Type.Union([Type.Literal("owner"), Type.Literal("team")]),
    rows: Type.Array(
      Type.Object({ ownerId: Nullable(Type.String()), teamId: Nullable(Type.String()), ...Counts }),
    ),
    totals: Type.Object(Counts),
    overdueTasks: Type.Array(Type.Object({ ownerId: Nullable(Type.String()), count: Type.Integer() })),
  },
  { $id: "PromiseReport" },
);

const SettingsSchema = Type.Object(
  {
    reminderMinutes: Type.Integer(),
    calendarFeed: Type.Object({ active: Type.Boolean(), createdAt: Nullable(DateTime) }),
  },
  { $id: "ActivitySettings" },
);

const RuleResponse = { 422: ProblemResponse };

export const activitiesRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(ActivitySchema);
    app.addSchema(MyDaySchema);
    app.addSchema(PromiseReportSchema);
    app.addSchema(SettingsSchema);
    const Ref = Type.Ref("Activity");
    const tags = ["activities"];

    app.get(
      "/api/v1/activities",
      {
        schema: {
          tags,
          summary: "List activities (soonest due first by default)",
          description:
            "Filters combine with AND; `dueAfter` includes, `dueBefore` excludes. `ownerId=me` is the signed-in user.",
          querystring: Type.Object(
            {
              type: Type.Optional(ListParam),
              status: Type.Optional(ListParam),
              ownerId: Type.Optional(Type.Union([Uuid, Type.Literal("me")])),
              caseId: Type.Optional(Uuid),
              accountId: Type.Optional(Uuid),
              contactId: Type.Optional(Uuid),
              dueBefore: Type.Optional(DateTime),
              dueAfter: Type.Optional(DateTime),
              sort: Type.Optional(
                Type.Union([Type.Literal("dueAt"), Type.Literal("-dueAt"), Type.Literal("-createdAt")], {
                  description: "dueAt (default; no due time last), -dueAt, -createdAt",
                }),
              ),
              ...ListQuery,
            },
            strict,
          ),
          response: { 200: Page(Ref), ...problemResponses },
        },
      },
      async (request) => c.activities.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/activities",
      {
        schema: {
          tags,
          summary: "Create a task, log or plan a call, schedule an appointment, or make a promise",
          description:
            "A case implies its contact and account. A promise needs dueAt (in the future) and a case or contact; a logged call (status done) keeps the open promises on its case or contact; an appointment needs startsAt and endsAt and emails its attendees an .ics invitation.",
          body: CreateBody,
          response: { 201: Ref, ...problemResponses, ...RuleResponse },
        },
      },
      async (request, reply) => reply.code(201).send(await c.activities.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/activities/promise-times",
      {
        schema: {
          tags,
          summary: "Quick picks for a promise in the customer's time zone",
          description:
            "In an hour (rounded up to 5 minutes), the end of the customer's day (17:00 their time, tomorrow's once past), tomorrow 10:00 their time. The zone is the contact's, else the account's, else yours.",
          querystring: Type.Object({ contactId: Type.Optional(Uuid), caseId: Type.Optional(Uuid) }, strict),
          response: {
            200: Type.Object({
              timeZone: Type.String(),
              zoneOf: Type.Union([Type.Literal("contact"), Type.Literal("account"), Type.Literal("you")]),
              items: Type.Array(PromiseTimeSchema),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.activities.promiseTimes(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/activities/:id",
      {
        schema: {
          tags,
          summary: "One activity",
          params: IdParams,
          response: { 200: Ref, ...problemResponses },
        },
      },
      async (request) => c.activities.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/activities/:id",
      {
        schema: {
          tags,
          summary: "Change an activity, complete it (done), keep a promise (kept) or cancel it",
          description:
            "Status moves: task/call/appointment open → done | cancelled and back to open; promise open → kept | cancelled (broken only by its due time passing; kept, broken and cancelled promises change only their notes). An illegal move is a 422 with `allowed`.",
          params: IdParams,
          body: UpdateBody,
          response: { 200: Ref, ...problemResponses, ...RuleResponse },
        },
      },
      async (request) => c.activities.update(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/activities/:id",
      {
        schema: {
          tags,
          summary:
            "Delete an activity (its owner or creator, managers, admins); kept and broken promises stay",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses, ...RuleResponse },
        },
      },
      async (request, reply) => {
        await c.activities.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/my-day",
      {
        schema: {
          tags,
          summary:
            "Your day: overdue and due-today tasks, calls, promises, today's appointments, cases about to breach",
          description:
            "One list ordered by due time (today is in your time zone); `done` holds what you finished today.",
          response: { 200: Type.Ref("MyDay"), ...problemResponses },
        },
      },
      async (request) => c.activities.myDay(ctxOf(request).actor),
    );

    app.get(
      "/api/v1/reports/promises",
      {
        schema: {
          tags: ["reports"],
          summary: "Promises made in a range and how they ended, per owner or team; overdue tasks per owner",
          querystring: Type.Object(
            {
              from: Type.Optional(DateTime),
              to: Type.Optional(DateTime),
              groupBy: Type.Optional(Type.Union([Type.Literal("owner"), Type.Literal("team")])),
            },
            strict,
          ),
          response: { 200: Type.Ref("PromiseReport"), ...problemResponses },
        },
      },
      async (request) => c.activities.promiseReport(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/me/activity-settings",
      {
        schema: {
          tags,
          summary: "Your default reminder time and whether your calendar feed is on",
          response: { 200: Type.Ref("ActivitySettings"), ...problemResponses },
        },
      },
      async (request) => c.activities.settings(ctxOf(request).actor),
    );

    app.patch(
      "/api/v1/me/activity-settings",
      {
        schema: {
          tags,
          summary: "Change your default reminder time",
          body: Type.Object(
            { reminderMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_080 })) },
            strict,
          ),
          response: { 200: Type.Ref("ActivitySettings"), ...problemResponses },
        },
      },
      async (request) => c.activities.updateSettings(ctxOf(request), request.body),
    );

    app.post(
      "/api/v1/me/calendar-feed",
      {
        schema: {
          tags,
          summary: "Create or rotate your calendar feed; the secret URL is shown this once",
          response: {
            201: Type.Object({ url: Type.String(), createdAt: DateTime }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) => reply.code(201).send(await c.activities.createFeed(ctxOf(request))),
    );

    app.delete(
      "/api/v1/me/calendar-feed",
      {
        schema: {
          tags,
          summary: "Turn your calendar feed off (its URL stops working)",
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.activities.revokeFeed(ctxOf(request));
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/calendar-feed/:file",
      {
        config: { public: true },
        schema: {
          tags,
          summary: "A calendar feed (.ics) at its secret URL: appointments, promises and due tasks",
          description: "No sign-in: the URL is the secret. An unknown or revoked URL is a 404.",
          security: [],
          params: Type.Object({ file: Type.String({ maxLength: 200, description: "<token>.ics" }) }),
          response: { 404: ProblemResponse },
        },
      },
      async (request, reply) => {
        const ics = await c.activities.feed(request.params.file);
        if (ics === undefined) return sendProblem(reply, problem(404, "No such calendar feed"));
        return reply
          .header("content-type", "text/calendar; charset=utf-8")
          .header("cache-control", "private, max-age=300")
          .header("x-content-type-options", "nosniff")
          .send(ics);
      },
    );
  };
