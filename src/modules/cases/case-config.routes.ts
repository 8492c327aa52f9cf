import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { Name, ProblemResponse, problemResponses } from "../../http/schemas.ts";
import {
  IdParams,
  Nullable,
  RuleProblemResponse,
  StatusCategory,
  StatusKey,
  strict,
  Uuid,
} from "./case-schemas.ts";
import { MAX_REOPEN_WINDOW_DAYS } from "./case-statuses.service.ts";

const Label = Type.String({ minLength: 1, maxLength: 100 });
const Position = Type.Integer({ minimum: 0, maximum: 100_000, description: "Display order" });
const KeyParams = Type.Object({ key: StatusKey }, strict);
const SettingsSchema = Type.Object({
  reopenWindowDays: Type.Integer({
    description: "Days after resolution during which a case reopens in place; after it, a follow-up case",
  }),
});

/** Case statuses, the reopen window, and queues. */
export const caseConfigRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    const StatusRef = Type.Ref("CaseStatus");
    const QueueRef = Type.Ref("Queue");
    const conflicts = { 409: ProblemResponse, 422: RuleProblemResponse };

    app.get(
      "/api/v1/case-statuses",
      {
        schema: {
          tags: ["case settings"],
          summary: "Case statuses, built-in and custom, with the transitions each allows",
          response: {
            200: Type.Object({ items: Type.Array(StatusRef), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.caseStatuses.list(ctxOf(request).actor), nextCursor: null }),
    );

    app.post(
      "/api/v1/case-statuses",
      {
        schema: {
          tags: ["case settings"],
          summary: "Add a custom status (admin); it behaves like the built-in of its category",
          body: Type.Object(
            { key: StatusKey, label: Label, category: StatusCategory, position: Type.Optional(Position) },
            strict,
          ),
          response: { 201: StatusRef, ...problemResponses, ...conflicts },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.caseStatuses.create(ctxOf(request), request.body)),
    );

    app.patch(
      "/api/v1/case-statuses/:key",
      {
        schema: {
          tags: ["case settings"],
          summary: "Rename or reorder a status (admin)",
          params: KeyParams,
          body: Type.Object({ label: Type.Optional(Label), position: Type.Optional(Position) }, strict),
          response: { 200: StatusRef, ...problemResponses },
        },
      },
      async (request) => c.caseStatuses.update(ctxOf(request), request.params.key, request.body),
    );

    app.delete(
      "/api/v1/case-statuses/:key",
      {
        schema: {
          tags: ["case settings"],
          summary: "Delete an unused custom status (admin)",
          params: KeyParams,
          response: { 204: Type.Null(), ...problemResponses, ...conflicts },
        },
      },
      async (request, reply) => {
        await c.caseStatuses.delete(ctxOf(request), request.params.key);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/case-settings",
      {
        schema: {
          tags: ["case settings"],
          summary: "Case settings (the reopen window)",
          response: { 200: SettingsSchema, ...problemResponses },
        },
      },
      async (request) => c.caseStatuses.settings(ctxOf(request).actor),
    );

    app.patch(
      "/api/v1/case-settings",
      {
        schema: {
          tags: ["case settings"],
          summary: "Change case settings (admin)",
          body: Type.Object(
            {
              reopenWindowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_REOPEN_WINDOW_DAYS })),
            },
            strict,
          ),
          response: { 200: SettingsSchema, ...problemResponses },
        },
      },
      async (request) => c.caseStatuses.updateSettings(ctxOf(request), request.body),
    );

    app.get(
      "/api/v1/queues",
      {
        schema: {
          tags: ["queues"],
          summary: "List queues",
          response: {
            200: Type.Object({ items: Type.Array(QueueRef), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({ items: await c.queues.list(ctxOf(request).actor), nextCursor: null }),
    );

    app.post(
      "/api/v1/queues",
      {
        schema: {
          tags: ["queues"],
          summary: "Create a queue (admin, manager)",
          body: Type.Object({ name: Name, teamId: Type.Optional(Nullable(Uuid)) }, strict),
          response: { 201: QueueRef, ...problemResponses, ...conflicts },
        },
      },
      async (request, reply) => reply.code(201).send(await c.queues.create(ctxOf(request), request.body)),
    );

    app.get(
      "/api/v1/queues/:id",
      {
        schema: {
          tags: ["queues"],
          summary: "One queue",
          params: IdParams,
          response: { 200: QueueRef, ...problemResponses },
        },
      },
      async (request) => c.queues.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/queues/:id",
      {
        schema: {
          tags: ["queues"],
          summary: "Rename a queue or change its team (admin, manager)",
          params: IdParams,
          body: Type.Object({ name: Type.Optional(Name), teamId: Type.Optional(Nullable(Uuid)) }, strict),
          response: { 200: QueueRef, ...problemResponses, ...conflicts },
        },
      },
      async (request) => c.queues.update(ctxOf(request), request.params.id, request.body),
    );

    app.delete(
      "/api/v1/queues/:id",
      {
        schema: {
          tags: ["queues"],
          summary: "Delete a queue (admin, manager); its cases stay, without a queue",
          params: IdParams,
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.queues.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
