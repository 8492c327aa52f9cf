import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { clearPortalCookie, portalCtxOf, setPortalCookie } from "../../http/auth.ts";
import {
  DateTime,
  Email,
  IdParams,
  ListQuery,
  Nullable,
  Page,
  ProblemResponse,
  problemResponses,
  strict,
} from "../../http/schemas.ts";
import { contentDisposition } from "../cases/attachment-types.ts";

const tags = ["portal"];
/** Portal routes accept only the portal cookie (documented as its own security scheme). */
const security = [{ portal: [] }];
const portal = { portal: true };
const more = { 409: ProblemResponse, 422: ProblemResponse, 429: ProblemResponse };

const PortalMeSchema = Type.Object({
  contact: Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    phone: Nullable(Type.String()),
    timeZone: Type.String(),
  }),
  account: Type.Object({ id: Type.String(), name: Type.String() }),
});

const PortalCaseSchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  subject: Type.String(),
  description: Nullable(Type.String()),
  status: Type.String(),
  statusLabel: Type.String({ description: "The status in the customer's words" }),
  state: Type.Union([Type.Literal("open"), Type.Literal("waiting_on_you"), Type.Literal("resolved")]),
  product: Nullable(Type.String()),
  channel: Type.String(),
  contactId: Nullable(Type.String()),
  contactName: Nullable(Type.String({ description: "'You' for the signed-in contact" })),
  createdAt: DateTime,
  updatedAt: DateTime,
  resolvedAt: Nullable(DateTime),
  expectedReplyBy: Nullable(
    Type.String({
      format: "date-time",
      description: "When we aim to answer next; null when nothing is owed",
    }),
  ),
  escalated: Type.Boolean({ description: "An escalation to a manager is open" }),
  relatedCaseId: Nullable(Type.String()),
});

const PortalMessageSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  kind: Type.Union([Type.Literal("customer"), Type.Literal("reply")]),
  authorName: Type.String(),
  fromYou: Type.Boolean(),
  body: Type.String(),
  createdAt: DateTime,
  attachments: Type.Array(
    Type.Object({
      id: Type.String(),
      filename: Type.String(),
      contentType: Type.String(),
      size: Type.Integer(),
    }),
  ),
});

const SignedInSchema = Type.Object({ me: PortalMeSchema, csrfToken: Type.String() });

/**
 * The customer portal's API. Only a portal session (cookie `kd_portal`, CSRF like staff
 * sessions) reaches these routes; staff cookies and tokens are refused here, and a portal
 * session is refused everywhere else.
 */
export const portalRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      "/api/v1/portal/auth/request-link",
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            "Email a one-time sign-in link (15 minutes, single use). Answers 202 whether or not the address is known",
          security: [],
          body: Type.Object({ email: Email }, strict),
          response: {
            202: Type.Object({ message: Type.String() }),
            400: ProblemResponse,
            429: ProblemResponse,
          },
        },
      },
      async (request, reply) => {
        await c.portal.requestLink(request.body, { ip: request.ip });
        return reply.code(202).send({
          message:
            "If this address belongs to one of our customers, a sign-in link is on its way. It works for 15 minutes.",
        });
      },
    );

    app.post(
      "/api/v1/portal/auth/sign-in",
      {
        config: { public: true },
        schema: {
          tags,
          summary: "Spend a sign-in link's token; sets the HttpOnly portal cookie (kd_portal)",
          security: [],
          body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }, strict),
          response: { 200: SignedInSchema, 400: ProblemResponse, 401: ProblemResponse },
        },
      },
      async (request, reply) => {
        const result = await c.portal.redeem(request.body.token, {
          ip: request.ip,
          userAgent: request.headers["user-agent"],
        });
        setPortalCookie(reply, result.sessionToken, result.expiresAt, c.config.secureCookies);
        return { me: result.me, csrfToken: result.csrfToken };
      },
    );

    app.post(
      "/api/v1/portal/auth/sign-out",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "Sign out of the portal",
          response: { 204: Type.Null(), ...problemResponses },
        },
      },
      async (request, reply) => {
        if (request.portal) await c.portal.signOut(request.portal.sessionId);
        clearPortalCookie(reply, c.config.secureCookies);
        return reply.code(204).send(null);
      },
    );

    app.get(
      "/api/v1/portal/me",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "The signed-in contact and its account, with the CSRF token for changes",
          response: { 200: SignedInSchema, ...problemResponses },
        },
      },
      async (request) => ({
        me: await c.portal.me(portalCtxOf(request).actor),
        csrfToken: request.portal!.csrfToken,
      }),
    );

    app.get(
      "/api/v1/portal/cases",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "The account's cases, most recently updated first",
          querystring: Type.Object(
            {
              state: Type.Optional(
                Type.Union([Type.Literal("open"), Type.Literal("resolved"), Type.Literal("all")], {
                  default: "all",
                }),
              ),
              ...ListQuery,
            },
            strict,
          ),
          response: { 200: Page(PortalCaseSchema), ...problemResponses },
        },
      },
      async (request) => c.portal.listCases(portalCtxOf(request).actor, request.query),
    );

    app.post(
      "/api/v1/portal/cases",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary:
            "Raise a case (channel portal): routed, given its SLA and acknowledged by email like any other",
          body: Type.Object(
            {
              subject: Type.String({ minLength: 1, maxLength: 500 }),
              description: Type.String({ minLength: 1, maxLength: 100_000 }),
              product: Type.Optional(Type.String({ maxLength: 200 })),
            },
            strict,
          ),
          response: { 201: PortalCaseSchema, ...problemResponses, ...more },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.portal.raiseCase(portalCtxOf(request), request.body)),
    );

    app.get(
      "/api/v1/portal/cases/:id",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "One of the account's cases",
          params: IdParams,
          response: { 200: PortalCaseSchema, ...problemResponses },
        },
      },
      async (request) => c.portal.getCase(portalCtxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/portal/cases/:id/messages",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "The public thread, oldest first: replies and customer messages (never internal notes)",
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(PortalMessageSchema) }), ...problemResponses },
        },
      },
      async (request) => ({ items: await c.portal.thread(portalCtxOf(request).actor, request.params.id) }),
    );

    app.post(
      "/api/v1/portal/cases/:id/messages",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary:
            "Reply on a case. Reopens a resolved case inside the reopen window; past it the answer's caseId is a new follow-up case",
          params: IdParams,
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 100_000 }) }, strict),
          response: { 201: PortalMessageSchema, ...problemResponses, ...more },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.portal.reply(portalCtxOf(request), request.params.id, request.body)),
    );

    app.post(
      "/api/v1/portal/cases/:id/callback",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary:
            "Ask for a call back in a time window: a promise for the case owner (else the team lead or a manager), due at the window's end",
          params: IdParams,
          body: Type.Object(
            {
              from: DateTime,
              to: DateTime,
              phone: Type.Optional(Type.String({ maxLength: 40 })),
              note: Type.Optional(Type.String({ maxLength: 1000 })),
            },
            strict,
          ),
          response: {
            201: Type.Object({
              caseId: Type.String(),
              from: DateTime,
              to: DateTime,
              phone: Nullable(Type.String()),
            }),
            ...problemResponses,
            ...more,
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await c.portal.requestCallback(portalCtxOf(request), request.params.id, request.body)),
    );

    app.post(
      "/api/v1/portal/cases/:id/escalate",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary:
            "Ask for a manager, with a reason (the team lead or managers are told); 409 when already escalated",
          params: IdParams,
          body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, strict),
          response: {
            201: Type.Object({
              id: Type.String(),
              caseId: Type.String(),
              reason: Type.String(),
              createdAt: DateTime,
              open: Type.Boolean(),
            }),
            ...problemResponses,
            ...more,
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await c.portal.escalate(portalCtxOf(request), request.params.id, request.body)),
    );

    app.get(
      "/api/v1/portal/attachments/:id",
      {
        config: portal,
        schema: {
          tags,
          security,
          summary: "Download a file shared on one of the account's cases",
          params: IdParams,
          response: { ...problemResponses },
        },
      },
      async (request, reply) => {
        const file = await c.portal.download(portalCtxOf(request).actor, request.params.id);
        return reply
          .header("content-type", file.contentType)
          .header("content-length", String(file.size))
          .header("content-disposition", contentDisposition(file.filename))
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "default-src 'none'; sandbox")
          .header("cache-control", "private, no-cache")
          .send(file.content);
      },
    );
  };
