import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  DateTime,
  IdParams,
  NoContent,
  Nullable,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const tags = ["councils"];
const MeetingStatus = Type.Union([
  Type.Literal("scheduled"),
  Type.Literal("held"),
  Type.Literal("cancelled"),
]);

const CouncilFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  timeZone: Type.String({
    minLength: 1,
    maxLength: 100,
    description: "IANA zone the meetings keep their wall time in",
  }),
  rrule: Type.String({
    minLength: 1,
    maxLength: 500,
    description: "RFC 5545 RRULE without DTSTART, e.g. FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
  }),
  start: Type.String({
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$",
    description: "First meeting, local wall time",
  }),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440 })),
  location: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};

const CouncilSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    timeZone: Type.String(),
    rrule: Type.String(),
    start: Type.String(),
    durationMinutes: Type.Integer(),
    location: Nullable(Type.String()),
    ownerId: Nullable(Type.String()),
    memberCount: Type.Integer(),
    createdAt: DateTime,
  },
  { $id: "Council" },
);
const MemberSchema = Type.Object(
  {
    contactId: Type.String(),
    contactName: Type.String(),
    email: Type.String(),
    accountId: Type.String(),
    accountName: Type.String(),
    annualRevenue: Type.Number(),
    tier: Type.String(),
  },
  { $id: "CouncilMember" },
);
const MeetingFields = {
  id: Type.String(),
  councilId: Type.String(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: MeetingStatus,
  minutes: Nullable(Type.String()),
  invitedAt: Nullable(DateTime),
};
const MeetingSchema = Type.Object(MeetingFields, { $id: "CouncilMeeting" });
const Occurrence = Type.Object({ startsAt: DateTime, endsAt: DateTime, local: Type.String() });

export function councilsRoutes(c: Container): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(CouncilSchema);
    app.addSchema(MemberSchema);
    app.addSchema(MeetingSchema);
    const MeetingParams = Type.Object({ id: Uuid });

    app.get(
      "/api/v1/councils",
      {
        schema: {
          tags,
          summary: "Customer councils",
          response: { 200: Type.Object({ items: Type.Array(Type.Ref("Council")) }), ...problemResponses },
        },
      },
      async (request) => c.councils.list(ctxOf(request).actor),
    );
    app.post(
      "/api/v1/councils",
      {
        schema: {
          tags,
          summary: "Set up a council with its meeting schedule (admin, manager, sales)",
          body: Type.Object(CouncilFields, strict),
          response: { 201: Type.Ref("Council"), ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.councils.create(ctxOf(request), request.body)),
    );
    app.get(
      "/api/v1/councils/:id",
      {
        schema: {
          tags,
          summary: "A council with its members, meetings and the next occurrences of its schedule",
          params: IdParams,
          response: {
            200: Type.Intersect([
              Type.Ref("Council"),
              Type.Object({
                members: Type.Array(Type.Ref("CouncilMember")),
                meetings: Type.Array(Type.Ref("CouncilMeeting")),
                upcoming: Type.Array(Occurrence),
              }),
            ]),
            ...problemResponses,
          },
        },
      },
      async (request) => c.councils.get(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/councils/:id",
      {
        schema: {
          tags,
          summary: "Change a council",
          params: IdParams,
          body: Type.Partial(Type.Object(CouncilFields), strict),
          response: { 200: Type.Ref("Council"), ...problemResponses },
        },
      },
      async (request) => c.councils.update(ctxOf(request), request.params.id, request.body),
    );
    app.get(
      "/api/v1/councils/:id/occurrences",
      {
        schema: {
          tags,
          summary:
            "The schedule's occurrences in a range (default: the next year), DST-correct in the council's zone",
          params: IdParams,
          querystring: Type.Object({ from: Type.Optional(DateTime), to: Type.Optional(DateTime) }),
          response: { 200: Type.Object({ items: Type.Array(Occurrence) }), ...problemResponses },
        },
      },
      async (request) => c.councils.occurrences(ctxOf(request).actor, request.params.id, request.query),
    );
    app.get(
      "/api/v1/councils/:id/suggested-members",
      {
        schema: {
          tags,
          summary: "Contacts of key accounts by revenue who are not members yet",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("CouncilMember")) }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.councils.suggestions(ctxOf(request).actor, request.params.id),
    );
    app.post(
      "/api/v1/councils/:id/members",
      {
        schema: {
          tags,
          summary: "Add a member contact",
          params: IdParams,
          body: Type.Object({ contactId: Uuid }, strict),
          response: {
            201: Type.Object({ items: Type.Array(Type.Ref("CouncilMember")) }),
            422: ProblemResponse,
            ...problemResponses,
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await c.councils.addMember(ctxOf(request), request.params.id, request.body.contactId)),
    );
    app.delete(
      "/api/v1/councils/:id/members/:contactId",
      {
        schema: {
          tags,
          summary: "Remove a member",
          params: Type.Object({ id: Uuid, contactId: Uuid }),
          response: { 204: NoContent, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.councils.removeMember(ctxOf(request), request.params.id, request.params.contactId);
        return reply.code(204).send(null);
      },
    );
    app.post(
      "/api/v1/councils/:id/meetings",
      {
        schema: {
          tags,
          summary:
            "Schedule a meeting at the next (or the given) occurrence and email members an .ics invitation",
          params: IdParams,
          body: Type.Object({ startsAt: Type.Optional(DateTime) }, strict),
          response: { 201: Type.Ref("CouncilMeeting"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await c.councils.scheduleMeeting(ctxOf(request), request.params.id, request.body ?? {})),
    );
    app.get(
      "/api/v1/council-meetings/:id",
      {
        schema: {
          tags,
          summary: "A meeting with its agenda, action items and attendance",
          params: MeetingParams,
          response: {
            200: Type.Object({
              ...MeetingFields,
              council: Type.Object({ id: Type.String(), name: Type.String(), timeZone: Type.String() }),
              agenda: Type.Array(
                Type.Object({
                  id: Type.String(),
                  title: Type.String(),
                  feedbackItemId: Nullable(Type.String()),
                  feedbackStatus: Nullable(Type.String()),
                  position: Type.Integer(),
                }),
              ),
              actions: Type.Array(
                Type.Object({
                  id: Type.String(),
                  title: Type.String(),
                  kind: Type.Union([Type.Literal("task"), Type.Literal("feedback")]),
                  activityId: Nullable(Type.String()),
                  feedbackItemId: Nullable(Type.String()),
                  createdAt: DateTime,
                }),
              ),
              attendance: Type.Array(
                Type.Intersect([
                  Type.Ref("CouncilMember"),
                  Type.Object({ attended: Nullable(Type.Boolean()) }),
                ]),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.councils.getMeeting(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/council-meetings/:id",
      {
        schema: {
          tags,
          summary: "Minutes and status (cancelling emails a METHOD:CANCEL to members)",
          params: MeetingParams,
          body: Type.Object(
            {
              minutes: Type.Optional(Nullable(Type.String({ maxLength: 50_000 }))),
              status: Type.Optional(MeetingStatus),
            },
            strict,
          ),
          response: { 200: Type.Ref("CouncilMeeting"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.councils.updateMeeting(ctxOf(request), request.params.id, request.body),
    );
    app.post(
      "/api/v1/council-meetings/:id/agenda",
      {
        schema: {
          tags,
          summary: "Add an agenda item, drawn from a feedback item or free text",
          params: MeetingParams,
          body: Type.Object(
            { title: Type.Optional(Type.String({ maxLength: 300 })), feedbackItemId: Type.Optional(Uuid) },
            strict,
          ),
          response: {
            201: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  title: Type.String(),
                  feedbackItemId: Nullable(Type.String()),
                  position: Type.Integer(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.councils.addAgendaItem(ctxOf(request), request.params.id, request.body)),
    );
    app.post(
      "/api/v1/council-meetings/:id/actions",
      {
        schema: {
          tags,
          summary: "An action item: becomes a task (an activity) or a feedback item (source council)",
          params: MeetingParams,
          body: Type.Object(
            {
              kind: Type.Union([Type.Literal("task"), Type.Literal("feedback")]),
              title: Type.String({ minLength: 1, maxLength: 300 }),
              ownerId: Type.Optional(Uuid),
              dueAt: Type.Optional(DateTime),
              feedbackKind: Type.Optional(
                Type.Union([
                  Type.Literal("complaint"),
                  Type.Literal("idea"),
                  Type.Literal("praise"),
                  Type.Literal("question"),
                ]),
              ),
              contactId: Type.Optional(Uuid),
            },
            strict,
          ),
          response: {
            201: Type.Object({
              id: Type.String(),
              title: Type.String(),
              kind: Type.Union([Type.Literal("task"), Type.Literal("feedback")]),
              activityId: Nullable(Type.String()),
              feedbackItemId: Nullable(Type.String()),
            }),
            ...problemResponses,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.councils.addActionItem(ctxOf(request), request.params.id, request.body)),
    );
    app.put(
      "/api/v1/council-meetings/:id/attendance",
      {
        schema: {
          tags,
          summary: "Record whether a member attended",
          params: MeetingParams,
          body: Type.Object({ contactId: Uuid, attended: Type.Boolean() }, strict),
          response: {
            200: Type.Object({
              meetingId: Type.String(),
              contactId: Type.String(),
              attended: Type.Boolean(),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.councils.recordAttendance(ctxOf(request), request.params.id, request.body),
    );
  };
}
