import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf, portalCtxOf } from "../../http/auth.ts";
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
import { SegmentSchema } from "../segments/segments.ts";
import { statusPage } from "./status-page.ts";

const tags = ["incidents"];
const Status = lit(["investigating", "identified", "monitoring", "resolved"] as const);
const Impact = lit(["minor", "major", "critical"] as const);
const ComponentStatus = lit(
  ["operational", "degraded", "partial_outage", "major_outage"] as const,
  "Derived: the worst impact among open public incidents naming the component",
);

const StatusComponentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    position: Type.Integer(),
    status: ComponentStatus,
  },
  { $id: "StatusComponent" },
);
const UpdateSchema = Type.Object(
  {
    id: Type.String(),
    status: Status,
    message: Type.String(),
    notify: Type.Boolean(),
    noticesQueued: Type.Integer({ description: "Contacts told (or being told) of this update so far" }),
    createdById: Nullable(Type.String()),
    createdAt: DateTime,
  },
  { $id: "IncidentUpdate" },
);
const IncidentSchema = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: "INC-000012" }),
    title: Type.String(),
    description: Nullable(Type.String({ description: "Internal; never shown to customers" })),
    status: Status,
    impact: Impact,
    public: Type.Boolean({ description: "Shown on the public status page" }),
    componentIds: Type.Array(Type.String()),
    affects: Nullable(Type.Ref("Segment")),
    affectsText: Type.String(),
    startedAt: DateTime,
    resolvedAt: Nullable(DateTime),
    createdById: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
    linkedCaseCount: Type.Integer(),
    affectedAccountCount: Type.Integer(),
    contactsNotified: Type.Integer(),
    updates: Type.Optional(
      Type.Array(Type.Ref("IncidentUpdate"), { description: "Newest first (GET one only)" }),
    ),
  },
  { $id: "Incident" },
);
const IncidentCaseSchema = Type.Object(
  {
    caseId: Type.String(),
    number: Type.String(),
    subject: Type.String(),
    status: Type.String(),
    priority: Type.String(),
    accountId: Nullable(Type.String()),
    accountName: Nullable(Type.String()),
    contactId: Nullable(Type.String()),
    contactName: Nullable(Type.String()),
    linkedAt: Nullable(DateTime),
    linkedById: Nullable(Type.String()),
  },
  { $id: "IncidentCase" },
);
const PublicUpdate = Type.Object({ status: Status, message: Type.String(), createdAt: DateTime });
const PublicIncidentFields = {
  id: Type.String(),
  number: Type.String(),
  title: Type.String(),
  status: Status,
  impact: Impact,
  startedAt: DateTime,
  componentIds: Type.Array(Type.String()),
  updates: Type.Array(PublicUpdate),
};
const PublicStatusSchema = Type.Object(
  {
    status: ComponentStatus,
    components: Type.Array(Type.Ref("StatusComponent")),
    incidents: Type.Array(Type.Object(PublicIncidentFields)),
    recent: Type.Array(Type.Object({ ...PublicIncidentFields, resolvedAt: DateTime })),
  },
  { $id: "PublicStatus" },
);

const ComponentBody = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  position: Type.Optional(Type.Integer({ minimum: -100_000, maximum: 100_000 })),
};
const ComponentIds = Type.Array(Uuid, { maxItems: 100 });
const Affects = Nullable(Type.Ref("Segment"));

export function incidentsRoutes(c: Container): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(SegmentSchema);
    app.addSchema(StatusComponentSchema);
    app.addSchema(UpdateSchema);
    app.addSchema(IncidentSchema);
    app.addSchema(IncidentCaseSchema);
    app.addSchema(PublicStatusSchema);

    // ---- status components ----

    app.get(
      "/api/v1/status-components",
      {
        schema: {
          tags,
          summary: "The parts of the service on the status page, with their derived status",
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("StatusComponent")) }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.incidents.listComponents(ctxOf(request).actor) }),
    );

    app.post(
      "/api/v1/status-components",
      {
        schema: {
          tags,
          summary: "Add a status component (admin, manager); a taken name is a 409",
          body: Type.Object(ComponentBody, strict),
          response: { 201: Type.Ref("StatusComponent"), 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.incidents.createComponent(ctxOf(request), request.body)),
    );

    app.patch(
      "/api/v1/status-components/:id",
      {
        schema: {
          tags,
          summary: "Rename, describe or move a status component (admin, manager)",
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(ComponentBody.name),
              description: ComponentBody.description,
              position: ComponentBody.position,
            },
            strict,
          ),
          response: { 200: Type.Ref("StatusComponent"), 409: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.incidents.updateComponent(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/status-components/:id",
      {
        schema: {
          tags,
          summary: "Archive a status component: gone from lists and the status page (admin, manager)",
          params: IdParams,
          response: { 204: NoContent, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.incidents.deleteComponent(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    // ---- incidents ----

    app.get(
      "/api/v1/incidents",
      {
        schema: {
          tags,
          summary: "Service incidents: open first (newest started first)",
          querystring: Type.Object({
            state: Type.Optional(lit(["open", "resolved"] as const)),
            impact: Type.Optional(
              Type.Array(Type.String({ maxLength: 50 }), {
                maxItems: 3,
                description: "Repeat the parameter or separate values with commas",
              }),
            ),
            q: Type.Optional(
              Type.String({ maxLength: 200, description: "Words of the title, or INC-000012" }),
            ),
            ...ListQuery,
          }),
          response: { 200: Page(Type.Ref("Incident")), ...problemResponses },
        },
      },
      async (request) => c.incidents.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/incidents",
      {
        schema: {
          tags,
          summary:
            "Declare an incident with its first public update (told to affected customers unless notify is false)",
          body: Type.Object(
            {
              title: Type.String({ minLength: 1, maxLength: 200 }),
              description: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
              impact: Impact,
              status: Type.Optional(Status),
              public: Type.Optional(Type.Boolean()),
              componentIds: Type.Optional(ComponentIds),
              affects: Type.Optional(Affects),
              message: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
              notify: Type.Optional(Type.Boolean()),
              startedAt: Type.Optional(DateTime),
            },
            strict,
          ),
          response: { 201: Type.Ref("Incident"), ...problemResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await c.incidents.create(ctxOf(request), request.body)),
    );

    app.post(
      "/api/v1/incidents/preview-audience",
      {
        schema: {
          tags,
          summary:
            "Who a notice would reach now: the segment's accounts (plus the incident's linked cases' accounts)",
          body: Type.Object({ affects: Affects, incidentId: Type.Optional(Uuid) }, strict),
          response: {
            200: Type.Object({ accounts: Type.Integer(), contacts: Type.Integer() }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.previewAudience(ctxOf(request).actor, request.body),
    );

    app.get(
      "/api/v1/incidents/:id",
      {
        schema: {
          tags,
          summary: "One incident with its updates (newest first)",
          params: IdParams,
          response: { 200: Type.Ref("Incident"), ...problemResponses },
        },
      },
      async (request) => c.incidents.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/incidents/:id",
      {
        schema: {
          tags,
          summary:
            "Change an incident's title, description, impact, visibility, components or affected segment",
          params: IdParams,
          body: Type.Object(
            {
              title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              description: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
              impact: Type.Optional(Impact),
              public: Type.Optional(Type.Boolean()),
              componentIds: Type.Optional(ComponentIds),
              affects: Type.Optional(Affects),
            },
            strict,
          ),
          response: { 200: Type.Ref("Incident"), ...problemResponses },
        },
      },
      async (request) => c.incidents.update(ctxOf(request), request.params.id, request.body),
    );

    app.post(
      "/api/v1/incidents/:id/updates",
      {
        schema: {
          tags,
          summary:
            "Post a public update (status + message). Resolved sets resolvedAt; a later update reopens. notify tells affected customers; resolveLinkedCases (with resolved) resolves the open linked cases",
          params: IdParams,
          body: Type.Object(
            {
              status: Status,
              message: Type.String({ minLength: 1, maxLength: 5000 }),
              notify: Type.Optional(Type.Boolean()),
              resolveLinkedCases: Type.Optional(Type.Boolean()),
            },
            strict,
          ),
          response: { 201: Type.Ref("IncidentUpdate"), ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.incidents.postUpdate(ctxOf(request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/incidents/:id/cases",
      {
        schema: {
          tags,
          summary: "The cases linked to an incident",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("IncidentCase")) }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.linkedCases(ctxOf(request).actor, request.params.id),
    );

    app.post(
      "/api/v1/incidents/:id/cases",
      {
        schema: {
          tags,
          summary:
            "Link cases (a history line on each; their contact hears the latest notified update). A case linked to another open incident is a 409",
          params: IdParams,
          body: Type.Object({ caseIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }) }, strict),
          response: {
            200: Type.Object({ linked: Type.Integer() }),
            409: ProblemResponse,
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.linkCases(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/incidents/:id/cases/:caseId",
      {
        schema: {
          tags,
          summary: "Unlink a case",
          params: Type.Object({ id: Uuid, caseId: Uuid }),
          response: { 204: NoContent, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.incidents.unlinkCase(ctxOf(request), request.params.id, request.params.caseId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/incidents/:id/suggested-cases",
      {
        schema: {
          tags,
          summary:
            "Open unlinked cases that may report this incident: from 2 hours before it started, from affected accounts; words shared with the title and affected products rank first",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(Type.Ref("IncidentCase")) }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.suggestedCases(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/incidents/:id/affected-accounts",
      {
        schema: {
          tags,
          summary: "The accounts the incident affects (segment and linked cases), with who was told",
          params: IdParams,
          querystring: Type.Object(ListQuery),
          response: {
            200: Page(
              Type.Object({
                accountId: Type.String(),
                name: Type.String(),
                tier: Type.String(),
                contactsNotified: Type.Integer(),
                linkedCases: Type.Integer(),
              }),
            ),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.affectedAccounts(ctxOf(request).actor, request.params.id, request.query),
    );

    app.get(
      "/api/v1/cases/:id/incidents",
      {
        schema: {
          tags,
          summary: "Incidents the case is linked to (any state) plus open incidents affecting its account",
          params: IdParams,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  number: Type.String(),
                  title: Type.String(),
                  status: Status,
                  impact: Impact,
                  startedAt: DateTime,
                  linked: Type.Boolean(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.caseIncidents(ctxOf(request).actor, request.params.id),
    );

    // ---- customers ----

    app.get(
      "/api/v1/status",
      {
        config: { public: true },
        schema: {
          tags,
          security: [],
          summary:
            "The public service status (no sign-in): components, open public incidents, resolved in 14 days",
          response: { 200: Type.Ref("PublicStatus") },
        },
      },
      async (_request, reply) =>
        reply.header("cache-control", "no-cache").send(await c.incidents.publicStatus()),
    );

    app.get(
      "/api/v1/portal/incidents",
      {
        config: { portal: true },
        schema: {
          tags: ["portal"],
          security: [{ portal: [] }],
          summary: "Open public incidents affecting the contact's account or linked to one of its cases",
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  number: Type.String(),
                  title: Type.String(),
                  status: Status,
                  impact: Impact,
                  startedAt: DateTime,
                  lastUpdate: Nullable(Type.Object({ message: Type.String(), createdAt: DateTime })),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.incidents.portalIncidents(portalCtxOf(request).actor),
    );

    app.get("/status", { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        .send(
          statusPage(await c.incidents.publicStatus(), {
            organisation: c.incidents.organisationName(),
            now: c.clock.now(),
          }),
        ),
    );
  };
}
