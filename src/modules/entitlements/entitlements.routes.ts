import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  IdParams,
  ListQuery,
  Name,
  Nullable,
  Page,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";

const DateOnly = Type.String({ format: "date", description: "YYYY-MM-DD" });
const Unit = Type.Union([Type.Literal("cases"), Type.Literal("hours")]);
const Channel = Type.Union([
  Type.Literal("email"),
  Type.Literal("portal"),
  Type.Literal("phone"),
  Type.Literal("web"),
  Type.Literal("api"),
]);
const ConsumeOn = Type.Union([Type.Literal("creation"), Type.Literal("resolution")], {
  description: "When a case uses it up (default resolution; hours always at resolution, from time logged)",
});
const WhenExhausted = Type.Union([Type.Literal("flag"), Type.Literal("refuse")], {
  description: "Exhausted or expired: let new cases through flagged for a manager (default), or refuse them",
});

const EntitlementSchema = Type.Object(
  {
    id: Type.String(),
    accountId: Type.String(),
    contactId: Nullable(Type.String()),
    name: Type.String(),
    unit: Unit,
    total: Type.Number(),
    used: Type.Number(),
    remaining: Type.Number(),
    startsOn: Type.String(),
    endsOn: Type.String(),
    channels: Nullable(Type.Array(Type.String())),
    products: Nullable(Type.Array(Type.String())),
    slaPolicyId: Nullable(Type.String()),
    consumeOn: ConsumeOn,
    whenExhausted: WhenExhausted,
    status: Type.Union([
      Type.Literal("scheduled"),
      Type.Literal("active"),
      Type.Literal("exhausted"),
      Type.Literal("expired"),
    ]),
    createdAt: Type.String({ format: "date-time" }),
    updatedAt: Type.String({ format: "date-time" }),
  },
  { $id: "Entitlement" },
);

const fields = {
  contactId: Type.Optional(Nullable(Uuid)),
  unit: Unit,
  total: Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }),
  startsOn: DateOnly,
  endsOn: DateOnly,
  channels: Type.Optional(Nullable(Type.Array(Channel, { maxItems: 5 }))),
  products: Type.Optional(
    Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
  ),
  slaPolicyId: Type.Optional(Nullable(Uuid)),
  consumeOn: Type.Optional(ConsumeOn),
  whenExhausted: Type.Optional(WhenExhausted),
};

const TimeEntrySchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  userId: Nullable(Type.String()),
  minutes: Type.Integer(),
  note: Nullable(Type.String()),
  workedOn: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
});

export const entitlementsRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(EntitlementSchema);
    const Ref = Type.Ref("Entitlement");
    const tags = ["entitlements"];

    app.get(
      "/api/v1/entitlements",
      {
        schema: {
          tags,
          summary: "List entitlements (latest ending first); portal contacts see their own account's",
          querystring: Type.Object({ accountId: Type.Optional(Uuid), ...ListQuery }),
          response: { 200: Page(Ref), ...problemResponses },
        },
      },
      async (request) => c.entitlements.list(ctxOf(request).actor, request.query),
    );
    app.post(
      "/api/v1/entitlements",
      {
        schema: {
          tags,
          summary: "Create an entitlement (admin, manager, sales)",
          body: Type.Object({ accountId: Uuid, name: Name, ...fields }, strict),
          response: { 201: Ref, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.entitlements.create(ctxOf(request), request.body)),
    );
    app.get(
      "/api/v1/entitlements/:id",
      {
        schema: {
          tags,
          summary: "One entitlement",
          params: IdParams,
          response: { 200: Ref, ...problemResponses },
        },
      },
      async (request) => c.entitlements.get(ctxOf(request).actor, request.params.id),
    );
    app.patch(
      "/api/v1/entitlements/:id",
      {
        schema: {
          tags,
          summary: "Change an entitlement (admin, manager, sales); the total cannot go below what is used",
          params: IdParams,
          body: Type.Partial(Type.Object({ accountId: Uuid, name: Name, ...fields }), strict),
          response: { 200: Ref, ...problemResponses },
        },
      },
      async (request) => c.entitlements.update(ctxOf(request), request.params.id, request.body),
    );
    app.delete(
      "/api/v1/entitlements/:id",
      {
        schema: {
          tags,
          summary: "Delete an entitlement no case counts against (admin, manager)",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.entitlements.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/cases/:id/time-entries",
      {
        schema: {
          tags: ["cases"],
          summary: "Time logged on a case",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(TimeEntrySchema), totalMinutes: Type.Integer() }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.entitlements.timeEntries(ctxOf(request).actor, request.params.id),
    );
    app.post(
      "/api/v1/cases/:id/time-entries",
      {
        schema: {
          tags: ["cases"],
          summary: "Log time on a case (hour-based entitlements are charged from it at resolution)",
          params: IdParams,
          body: Type.Object(
            {
              minutes: Type.Integer({ minimum: 1, maximum: 1440 }),
              note: Type.Optional(Type.String({ maxLength: 2000 })),
              workedOn: Type.Optional(DateOnly),
            },
            strict,
          ),
          response: { 201: TimeEntrySchema, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.entitlements.logTime(ctxOf(request), request.params.id, request.body)),
    );
  };
