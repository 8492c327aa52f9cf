import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import type { Container } from "../../container.ts";
import { ctxOf, portalCtxOf } from "../../http/auth.ts";
import {
  DateTime,
  Email,
  IdParams,
  ListQuery,
  lit,
  NoContent,
  Nullable,
  Page,
  ProblemResponse,
  problemResponses,
  strict,
} from "../../http/schemas.ts";
import { SegmentSchema } from "../segments/segments.ts";
import { unsubscribePage } from "./unsubscribe-page.ts";

const tags = ["announcements"];
const Status = lit(["draft", "scheduled", "sending", "sent", "cancelled"] as const);
const RecipientStatus = lit(["pending", "sent", "skipped"] as const);
const ListParam = Type.Array(Type.String({ maxLength: 200 }), {
  maxItems: 10,
  description: "Repeat the parameter or separate values with commas",
});
const Subject = Type.String({ minLength: 1, maxLength: 200 });
const Body = Type.String({
  minLength: 1,
  maxLength: 20_000,
  description:
    "Plain text with a little markdown (paragraphs, '- ' lists, '## ' headings, **bold**, *italic*, [links](https://…)); placeholders {{name}}, {{firstName}}, {{account}}",
});
const Languages = Type.Array(
  Type.String({
    pattern: "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
    description: "A language code, e.g. en, de, pt-BR",
  }),
  {
    maxItems: 50,
    description: "Only contacts whose language is one of these; empty or absent: any language",
  },
);
const Source = lit(["link", "staff", "portal"] as const);

const Counts = Type.Object({
  total: Type.Integer({ description: "Recipients on the list fixed when sending started" }),
  pending: Type.Integer(),
  sent: Type.Integer(),
  optedOut: Type.Integer({ description: "Skipped: opted out of announcements" }),
});

const AnnouncementSchema = Type.Object(
  {
    id: Type.String(),
    subject: Type.String(),
    body: Type.String(),
    segment: Type.Ref("Segment"),
    segmentDescription: Type.String(),
    languages: Type.Array(Type.String()),
    status: Status,
    scheduledFor: Nullable(DateTime),
    sendingStartedAt: Nullable(DateTime),
    sentAt: Nullable(DateTime),
    cancelledAt: Nullable(DateTime),
    recipients: Counts,
    createdById: Nullable(Type.String()),
    sentById: Nullable(Type.String()),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { $id: "Announcement" },
);

const RecipientSchema = Type.Object(
  {
    contactId: Type.String(),
    accountId: Type.String(),
    accountName: Type.String(),
    name: Type.String(),
    email: Type.String(),
    status: RecipientStatus,
    skipReason: Nullable(Type.Literal("opted_out")),
    sentAt: Nullable(DateTime),
  },
  { $id: "AnnouncementRecipient" },
);

const PreferencesSchema = Type.Object(
  {
    contactId: Type.String(),
    announcements: Type.Boolean({ description: "Receives announcements (false: opted out)" }),
    optedOutAt: Nullable(DateTime),
    source: Nullable(Source),
    updatedAt: Nullable(DateTime),
    history: Type.Array(
      Type.Object({
        id: Type.String(),
        announcements: Type.Boolean(),
        source: Source,
        changedById: Nullable(Type.String()),
        changedByName: Nullable(Type.String()),
        announcementId: Nullable(Type.String()),
        announcementSubject: Nullable(Type.String()),
        changedAt: DateTime,
      }),
    ),
  },
  { $id: "CommunicationPreferences" },
);

const PortalPreferences = Type.Object({
  announcements: Type.Boolean({ description: "Receives announcements of new services" }),
  updatedAt: Nullable(DateTime),
});

export function announcementsRoutes(c: Container): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(SegmentSchema);
    app.addSchema(AnnouncementSchema);
    app.addSchema(RecipientSchema);
    app.addSchema(PreferencesSchema);

    app.get(
      "/api/v1/announcements",
      {
        schema: {
          tags,
          summary: "Announcements, newest first; filter by status",
          querystring: Type.Object({ status: Type.Optional(ListParam), ...ListQuery }),
          response: { 200: Page(Type.Ref("Announcement")), ...problemResponses },
        },
      },
      async (request) => c.announcements.list(ctxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/announcements",
      {
        schema: {
          tags,
          summary: "Write a draft announcement (admin, manager, sales)",
          body: Type.Object(
            {
              subject: Subject,
              body: Body,
              segment: Type.Ref("Segment"),
              languages: Type.Optional(Nullable(Languages)),
            },
            strict,
          ),
          response: { 201: Type.Ref("Announcement"), ...problemResponses },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.announcements.create(ctxOf(request), request.body as never)),
    );

    app.post(
      "/api/v1/announcements/preview-audience",
      {
        schema: {
          tags,
          summary:
            "Who a segment reaches now: accounts with a reachable contact, contacts with an email who will get it, and contacts who opted out",
          body: Type.Object(
            { segment: Type.Ref("Segment"), languages: Type.Optional(Nullable(Languages)) },
            strict,
          ),
          response: {
            200: Type.Object({
              segmentDescription: Type.String(),
              accounts: Type.Integer(),
              contacts: Type.Integer(),
              optedOut: Type.Integer(),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.announcements.previewAudience(ctxOf(request).actor, request.body as never),
    );

    app.post(
      "/api/v1/announcements/preview-mail",
      {
        schema: {
          tags,
          summary: "The mail as a recipient reads it (subject, text, HTML), addressed to the signed-in user",
          body: Type.Object(
            { subject: Type.String({ maxLength: 200 }), body: Type.String({ maxLength: 20_000 }) },
            strict,
          ),
          response: {
            200: Type.Object({ subject: Type.String(), text: Type.String(), html: Type.String() }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.announcements.previewMail(ctxOf(request).actor, request.body),
    );

    app.get(
      "/api/v1/announcements/:id",
      {
        schema: {
          tags,
          summary: "One announcement with its recipient counts",
          params: IdParams,
          response: { 200: Type.Ref("Announcement"), ...problemResponses },
        },
      },
      async (request) => c.announcements.get(ctxOf(request).actor, request.params.id),
    );

    app.patch(
      "/api/v1/announcements/:id",
      {
        schema: {
          tags,
          summary:
            "Change a draft, scheduled or cancelled announcement (422 once sending or sent; sales: own drafts)",
          params: IdParams,
          body: Type.Object(
            {
              subject: Type.Optional(Subject),
              body: Type.Optional(Body),
              segment: Type.Optional(Type.Ref("Segment")),
              languages: Type.Optional(Nullable(Languages)),
            },
            strict,
          ),
          response: { 200: Type.Ref("Announcement"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.announcements.update(ctxOf(request), request.params.id, request.body as never),
    );

    app.delete(
      "/api/v1/announcements/:id",
      {
        schema: {
          tags,
          summary: "Delete a draft or cancelled announcement (sent ones stay on record: 422)",
          params: IdParams,
          response: { 204: NoContent, 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request, reply) => {
        await c.announcements.delete(ctxOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.post(
      "/api/v1/announcements/:id/send",
      {
        schema: {
          tags,
          summary:
            "Send now (the recipient list is fixed now and mailed in batches), or schedule with scheduledFor (admin, manager)",
          params: IdParams,
          body: Type.Optional(
            Type.Object(
              {
                scheduledFor: Type.Optional(
                  Type.String({ format: "date-time", description: "Later: when to start sending" }),
                ),
              },
              strict,
            ),
          ),
          response: { 200: Type.Ref("Announcement"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.announcements.send(ctxOf(request), request.params.id, request.body ?? {}),
    );

    app.post(
      "/api/v1/announcements/:id/cancel",
      {
        schema: {
          tags,
          summary: "Cancel a scheduled announcement before it goes (admin, manager)",
          params: IdParams,
          response: { 200: Type.Ref("Announcement"), 422: ProblemResponse, ...problemResponses },
        },
      },
      async (request) => c.announcements.cancel(ctxOf(request), request.params.id),
    );

    app.post(
      "/api/v1/announcements/:id/test",
      {
        schema: {
          tags,
          summary: "Send a test copy to yourself (or to email); its unsubscribe link changes nothing",
          params: IdParams,
          body: Type.Optional(Type.Object({ email: Type.Optional(Email) }, strict)),
          response: { 200: Type.Object({ to: Type.String() }), ...problemResponses },
        },
      },
      async (request) => c.announcements.sendTest(ctxOf(request), request.params.id, request.body ?? {}),
    );

    app.get(
      "/api/v1/announcements/:id/recipients",
      {
        schema: {
          tags,
          summary: "The recipient list, by email; filter by status (pending, sent, skipped)",
          params: IdParams,
          querystring: Type.Object({ status: Type.Optional(ListParam), ...ListQuery }),
          response: { 200: Page(Type.Ref("AnnouncementRecipient")), ...problemResponses },
        },
      },
      async (request) => c.announcements.recipients(ctxOf(request).actor, request.params.id, request.query),
    );

    // ---- contacts' preferences ----

    app.get(
      "/api/v1/contacts/:id/communication-preferences",
      {
        schema: {
          tags,
          summary: "A contact's communication preferences (announcements opt-out) and their history",
          params: IdParams,
          response: { 200: Type.Ref("CommunicationPreferences"), ...problemResponses },
        },
      },
      async (request) => c.announcements.preferences(ctxOf(request).actor, request.params.id),
    );

    app.put(
      "/api/v1/contacts/:id/communication-preferences",
      {
        schema: {
          tags,
          summary: "Record a contact's wish: receive announcements or not (source 'staff')",
          params: IdParams,
          body: Type.Object({ announcements: Type.Boolean() }, strict),
          response: { 200: Type.Ref("CommunicationPreferences"), ...problemResponses },
        },
      },
      async (request) => c.announcements.setPreferences(ctxOf(request), request.params.id, request.body),
    );

    app.get(
      "/api/v1/portal/preferences",
      {
        config: { portal: true },
        schema: {
          tags: ["portal"],
          security: [{ portal: [] }],
          summary: "The signed-in contact's own preference: announcements of new services",
          response: { 200: PortalPreferences, ...problemResponses },
        },
      },
      async (request) => c.announcements.portalPreferences(portalCtxOf(request).actor),
    );

    app.put(
      "/api/v1/portal/preferences",
      {
        config: { portal: true },
        schema: {
          tags: ["portal"],
          security: [{ portal: [] }],
          summary: "Change the signed-in contact's own preference (source 'portal')",
          body: Type.Object({ announcements: Type.Boolean() }, strict),
          response: { 200: PortalPreferences, ...problemResponses },
        },
      },
      async (request) => c.announcements.setPortalPreferences(portalCtxOf(request), request.body),
    );

    // ---- public: the emailed unsubscribe link (no sign-in; the token is the secret) ----

    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    // RFC 8058 lets the mailbox send its one-click POST as multipart/form-data: its only field
    // is List-Unsubscribe=One-Click, which needs no parsing to act on.
    app.addContentTypeParser(
      "multipart/form-data",
      { parseAs: "string", bodyLimit: 4096 },
      (_r, body, done) => done(null, { raw: String(body) }),
    );

    const Token = Type.Object({ token: Type.String({ maxLength: 200 }) });

    app.get(
      "/u/:token",
      { config: { public: true }, schema: { hide: true, params: Token } },
      async (request, reply) =>
        sendHtml(reply, unsubscribePage(await c.announcements.unsubscribeView(request.params.token))),
    );

    app.post(
      "/u/:token",
      { config: { public: true }, schema: { hide: true, params: Token } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        // Only the page's own resubscribe button resubscribes; every other POST (the
        // unsubscribe button, a one-click POST) unsubscribes.
        const action = body.action === "resubscribe" ? "resubscribe" : "unsubscribe";
        return sendHtml(
          reply,
          unsubscribePage(await c.announcements.unsubscribeByToken(request.params.token, action)),
        );
      },
    );
  };
}

function sendHtml(reply: FastifyReply, out: { status: number; html: string }) {
  return reply
    .code(out.status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .send(out.html);
}
