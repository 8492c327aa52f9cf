import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  Email,
  IdParams,
  ListQuery,
  Name,
  Page,
  ProblemResponse,
  problemResponses,
  Uuid,
} from "../../http/schemas.ts";
import { ROLES } from "../../platform/auth/actor.ts";

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Presence = Type.Union([Type.Literal("available"), Type.Literal("away"), Type.Literal("offline")]);
const Password = Type.String({ minLength: 8, maxLength: 1000 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone" });
const Skills = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 });
const Capacity = Type.Integer({ minimum: 0, maximum: 1000, description: "Open cases the agent can hold" });

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: Role,
    status: Presence,
    active: Type.Boolean(),
    teamIds: Type.Array(Type.String()),
    skills: Type.Array(Type.String()),
    capacity: Type.Integer(),
    timeZone: Type.String(),
    createdAt: Type.String({ format: "date-time" }),
  },
  { $id: "User" },
);

export const UpdateSelfBody = Type.Object({
  name: Type.Optional(Name),
  status: Type.Optional(Presence),
  timeZone: Type.Optional(TimeZone),
  password: Type.Optional(Password),
  currentPassword: Type.Optional(Type.String({ maxLength: 1000 })),
});

const TeamSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    leadId: Type.Union([Type.String(), Type.Null()]),
    memberIds: Type.Array(Type.String()),
  },
  { $id: "Team" },
);

export const usersRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(UserSchema);
    app.addSchema(TeamSchema);
    const UserRef = Type.Ref("User");
    const TeamRef = Type.Ref("Team");

    app.get(
      "/api/v1/users",
      {
        schema: {
          tags: ["users"],
          summary: "List staff users",
          querystring: Type.Object({
            role: Type.Optional(Role),
            teamId: Type.Optional(Uuid),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            active: Type.Optional(Type.Boolean()),
            ...ListQuery,
          }),
          response: { 200: Page(UserRef), ...problemResponses },
        },
      },
      async (request) => c.users.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/users",
      {
        schema: {
          tags: ["users"],
          summary: "Create a staff user (admin)",
          body: Type.Object({
            email: Email,
            name: Name,
            role: Role,
            password: Type.Optional(Password),
            teamIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
            skills: Type.Optional(Skills),
            capacity: Type.Optional(Capacity),
            timeZone: Type.Optional(TimeZone),
          }),
          response: { 201: UserRef, 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.users.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/users/:id",
      {
        schema: {
          tags: ["users"],
          summary: "One user",
          params: IdParams,
          response: { 200: UserRef, ...problemResponses },
        },
      },
      async (request) => c.users.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/users/:id",
      {
        schema: {
          tags: ["users"],
          summary:
            "Edit a user (admin; managers may set teams, skills and capacity; anyone may edit themselves)",
          params: IdParams,
          body: Type.Object({
            email: Type.Optional(Email),
            name: Type.Optional(Name),
            role: Type.Optional(Role),
            status: Type.Optional(Presence),
            active: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
            currentPassword: Type.Optional(Type.String({ maxLength: 1000 })),
            teamIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
            skills: Type.Optional(Skills),
            capacity: Type.Optional(Capacity),
            timeZone: Type.Optional(TimeZone),
          }),
          response: { 200: UserRef, 409: ProblemResponse, 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.users.update(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/users/:id",
      {
        schema: {
          tags: ["users"],
          summary: "Deactivate a user (admin); history keeps pointing at them",
          params: IdParams,
          response: { 204: Type.Null(), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.users.deactivate(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/teams",
      {
        schema: {
          tags: ["teams"],
          summary: "List teams",
          response: {
            200: Type.Object({ items: Type.Array(TeamRef), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.users.listTeams(ctxOf(request).actor), nextCursor: null }),
    );

    app.post(
      "/api/v1/teams",
      {
        schema: {
          tags: ["teams"],
          summary: "Create a team (admin, manager)",
          body: Type.Object({
            name: Name,
            leadId: Type.Optional(Uuid),
            memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
          }),
          response: { 201: TeamRef, 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.users.createTeam(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/teams/:id",
      {
        schema: {
          tags: ["teams"],
          summary: "One team",
          params: IdParams,
          response: { 200: TeamRef, ...problemResponses },
        },
      },
      async (request) => c.users.getTeam(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/teams/:id",
      {
        schema: {
          tags: ["teams"],
          summary: "Edit a team (admin, manager)",
          params: IdParams,
          body: Type.Object({
            name: Type.Optional(Name),
            leadId: Type.Optional(Type.Union([Uuid, Type.Null()])),
            memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
          }),
          response: { 200: TeamRef, 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.users.updateTeam(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/teams/:id",
      {
        schema: {
          tags: ["teams"],
          summary: "Delete a team (admin)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.users.deleteTeam(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
