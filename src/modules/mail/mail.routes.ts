import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { IdParams, ListQuery, Nullable, Page, problemResponses } from "../../http/schemas.ts";

const AttachmentInfo = Type.Object({
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ description: "Bytes" }),
});

const mailFields = {
  id: Type.String(),
  to: Type.String(),
  toName: Nullable(Type.String()),
  from: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Nullable(Type.String()),
  messageId: Type.String({ description: "Ours, <uuid@host>" }),
  inReplyTo: Nullable(Type.String()),
  references: Nullable(Type.String()),
  headers: Type.Record(Type.String(), Type.String()),
  purpose: Type.String({ description: "Why it was sent: notification, sla.warning …" }),
  caseId: Nullable(Type.String()),
  status: Type.Union([Type.Literal("queued"), Type.Literal("sent"), Type.Literal("failed")]),
  transport: Type.Union([Type.Literal("smtp"), Type.Literal("dev")], {
    description: "smtp: through KEEPDESK_SMTP_URL; dev: kept here only",
  }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String({ format: "date-time" }),
  sentAt: Nullable(Type.String({ format: "date-time" })),
};

const MailSchema = Type.Object({ ...mailFields, attachments: Type.Array(AttachmentInfo) });
const MailDetailSchema = Type.Object({
  ...mailFields,
  attachments: Type.Array(
    Type.Object({
      ...AttachmentInfo.properties,
      encoding: Type.Union([Type.Literal("base64"), Type.Literal("utf8")]),
      content: Type.String({ description: "base64, or the text itself (encoding utf8)" }),
    }),
  ),
});

/** The outbound mail log, which is the development mailbox when KEEPDESK_SMTP_URL is unset. */
export const mailRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/api/v1/dev-mailbox",
      {
        schema: {
          tags: ["mail"],
          summary:
            "Outbound mail log (admin), newest first: without KEEPDESK_SMTP_URL, the development mailbox",
          querystring: Type.Object(
            {
              to: Type.Optional(Type.String({ maxLength: 320, description: "Recipient address" })),
              purpose: Type.Optional(Type.String({ maxLength: 100 })),
              ...ListQuery,
            },
            { additionalProperties: false },
          ),
          response: { 200: Page(MailSchema), ...problemResponses },
        },
      },
      async (request) => c.mail.list(c.db.kysely, ctxOf(request).actor, request.query),
    );

    app.get(
      "/api/v1/dev-mailbox/:id",
      {
        schema: {
          tags: ["mail"],
          summary: "One sent or queued mail with its attachments (admin)",
          params: IdParams,
          response: { 200: MailDetailSchema, ...problemResponses },
        },
      },
      async (request) => c.mail.get(c.db.kysely, ctxOf(request).actor, request.params.id),
    );
  };
