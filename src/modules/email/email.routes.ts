import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import {
  IdParams,
  ListQuery,
  Nullable,
  ProblemResponse,
  problemResponses,
  strict,
  Uuid,
} from "../../http/schemas.ts";
import { contentDisposition } from "../cases/attachment-types.ts";

const Status = Type.Union(
  ["pending", "processed", "quarantined", "duplicate", "discarded"].map((s) => Type.Literal(s)),
);
const Moment = Type.Union(["received", "assigned", "waiting", "resolved"].map((s) => Type.Literal(s)));
const MomentParams = Type.Object({ moment: Type.String({ maxLength: 40 }) });

const inboundFields = {
  id: Type.String(),
  receivedAt: Type.String({
    format: "date-time",
    description: "When our server received it (the case's receivedAt)",
  }),
  size: Type.Integer({ description: "Bytes of the raw message" }),
  envelopeFrom: Nullable(Type.String({ description: "MAIL FROM; empty for the null sender <>" })),
  envelopeTo: Type.Array(Type.String()),
  remoteAddress: Nullable(Type.String()),
  status: Status,
  attempts: Type.Integer(),
  error: Nullable(Type.String({ description: "Why it is quarantined" })),
  messageId: Nullable(Type.String()),
  from: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  flags: Type.Array(Type.String(), {
    description:
      "What loop protection noticed: auto_reply, bounce, list, bulk, automatic_sender, own_address, null_sender, case_number_ignored",
  }),
  caseId: Nullable(Type.String()),
  caseMessageId: Nullable(Type.String()),
  threadedBy: Nullable(
    Type.String({
      description:
        "in_reply_to, references, bounce_report, marker, plus_address, subject_number, or new_case",
    }),
  ),
  processedAt: Nullable(Type.String({ format: "date-time" })),
};
const InboundMailSchema = Type.Object(inboundFields);
const InboundMailDetailSchema = Type.Object({
  ...inboundFields,
  text: Nullable(Type.String({ description: "The whole text, quoted history included" })),
});

const TemplateSchema = Type.Object({
  moment: Moment,
  label: Type.String(),
  enabled: Type.Boolean(),
  subject: Type.String(),
  body: Type.String(),
  isDefault: Type.Boolean({ description: "No admin has edited it: the shipped default" }),
  updatedAt: Nullable(Type.String({ format: "date-time" })),
  updatedById: Nullable(Type.String()),
});
const Placeholder = Type.Object({ key: Type.String(), description: Type.String() });

const RuleResponse = { ...ProblemResponse, description: "Refused by a rule (problem details)" };

/** Inbound mail (admin), customer notification templates, a case's automatic mail. */
export const emailRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/v1/inbound-mail",
      {
        schema: {
          tags: ["email"],
          summary: "Inbound mail, newest first (admin): ?status=quarantined lists the quarantine",
          querystring: Type.Object(
            {
              status: Type.Optional(
                Type.Array(Type.String({ maxLength: 200 }), {
                  maxItems: 10,
                  description:
                    "pending, processed, quarantined, duplicate, discarded (repeat or comma-separate)",
                }),
              ),
              caseId: Type.Optional(Uuid),
              ...ListQuery,
            },
            strict,
          ),
          response: {
            200: Type.Object({
              items: Type.Array(InboundMailSchema),
              nextCursor: Nullable(Type.String()),
              counts: Type.Record(Type.String(), Type.Integer(), {
                description: "How many mails have each status",
              }),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.inboundMail.list(ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/inbound-mail/:id",
      {
        schema: {
          tags: ["email"],
          summary: "One inbound mail with its text (admin)",
          params: IdParams,
          response: { 200: InboundMailDetailSchema, ...problemResponses },
        },
      },
      async (request) => c.inboundMail.get(ctxOf(request).actor, request.params.id),
    );

    app.get(
      "/api/v1/inbound-mail/:id/raw",
      {
        schema: {
          tags: ["email"],
          summary: "Download the message exactly as received, as an .eml file (admin)",
          params: IdParams,
          response: { ...problemResponses },
        },
      },
      async (request, reply) => {
        const file = await c.inboundMail.raw(ctxOf(request).actor, request.params.id);
        return reply
          .header("content-type", "message/rfc822")
          .header("content-disposition", contentDisposition(file.filename))
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "default-src 'none'; sandbox")
          .header("cache-control", "private, no-cache")
          .send(file.content);
      },
    );

    app.post(
      "/api/v1/inbound-mail/:id/retry",
      {
        schema: {
          tags: ["email"],
          summary: "Process a quarantined mail again now (admin)",
          description:
            "Answers the mail afterwards: `processed` (or `duplicate`) with its case, or still `quarantined` with the new error. Only quarantined mail can be retried (422 otherwise).",
          params: IdParams,
          response: { 200: InboundMailDetailSchema, ...problemResponses, 422: RuleResponse },
        },
      },
      async (request) => c.inboundMail.retry(ctxOf(request), request.params.id),
    );

    app.post(
      "/api/v1/inbound-mail/:id/discard",
      {
        schema: {
          tags: ["email"],
          summary: "Mark a quarantined mail as dealt with (admin); the raw message stays downloadable",
          params: IdParams,
          response: { 200: InboundMailDetailSchema, ...problemResponses, 422: RuleResponse },
        },
      },
      async (request) => c.inboundMail.discard(ctxOf(request), request.params.id),
    );

    app.get(
      "/api/v1/email-templates",
      {
        schema: {
          tags: ["email"],
          summary:
            "The customer notification templates, one per moment, and their placeholders (admin, manager)",
          response: {
            200: Type.Object({ items: Type.Array(TemplateSchema), placeholders: Type.Array(Placeholder) }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({
        items: await c.emailTemplates.list(ctxOf(request).actor),
        placeholders: c.emailTemplates.placeholders(),
      }),
    );

    app.get(
      "/api/v1/email-templates/:moment",
      {
        schema: {
          tags: ["email"],
          summary: "One moment's template: received, assigned, waiting or resolved (admin, manager)",
          params: MomentParams,
          response: { 200: TemplateSchema, ...problemResponses },
        },
      },
      async (request) => c.emailTemplates.get(ctxOf(request).actor, request.params.moment),
    );

    app.put(
      "/api/v1/email-templates/:moment",
      {
        schema: {
          tags: ["email"],
          summary: "Edit a moment's template or switch it off (admin)",
          description:
            "Plain text with placeholders `{{case.number}}` and sections `{{#key}}shown when key has a value{{/key}}`, `{{^key}}shown when it has none{{/key}}`. An unknown placeholder or an unbalanced section is a 400 naming the field. Omitted fields keep their value.",
          params: MomentParams,
          body: Type.Object(
            {
              enabled: Type.Optional(Type.Boolean()),
              subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
              body: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
            },
            strict,
          ),
          response: { 200: TemplateSchema, ...problemResponses },
        },
      },
      async (request) => c.emailTemplates.put(ctxOf(request), request.params.moment, request.body),
    );

    app.delete(
      "/api/v1/email-templates/:moment",
      {
        schema: {
          tags: ["email"],
          summary: "Reset a moment's template to the shipped default, switched on (admin)",
          params: MomentParams,
          response: { 200: TemplateSchema, ...problemResponses },
        },
      },
      async (request) => c.emailTemplates.reset(ctxOf(request), request.params.moment),
    );

    app.post(
      "/api/v1/email-templates/:moment/preview",
      {
        schema: {
          tags: ["email"],
          summary: "Render a moment's template (or a draft) for a case or sample values (admin, manager)",
          params: MomentParams,
          body: Type.Object(
            {
              subject: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
              body: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
              caseId: Type.Optional(Uuid),
            },
            strict,
          ),
          response: {
            200: Type.Object({
              subject: Type.String(),
              text: Type.String(),
              html: Type.String({ description: "The text escaped, as sent" }),
              values: Type.Record(Type.String(), Type.String()),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => c.emailTemplates.preview(ctxOf(request).actor, request.params.moment, request.body),
    );

    app.get(
      "/api/v1/cases/:id/auto-mail",
      {
        schema: {
          tags: ["email"],
          summary:
            "The case's automatic mails to the customer, sent or held back by loop protection and why (staff)",
          params: IdParams,
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  moment: Type.String(),
                  to: Type.String(),
                  status: Type.Union([Type.Literal("sent"), Type.Literal("suppressed")]),
                  reason: Nullable(Type.String()),
                  mailId: Nullable(Type.String({ description: "The mail in the outbound mail log" })),
                  createdAt: Type.String({ format: "date-time" }),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({
        items: await c.emailOutbound.autoMailOf(ctxOf(request).actor, request.params.id),
      }),
    );
  };
