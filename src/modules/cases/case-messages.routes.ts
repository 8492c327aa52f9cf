import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyError, FastifyRequest } from "fastify";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { errorHandler, problem, sendProblem } from "../../http/problem.ts";
import { ListQuery, Page, ProblemResponse, problemResponses } from "../../http/schemas.ts";
import { AppError, invalid } from "../../platform/errors.ts";
import { contentDisposition, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_UPLOAD } from "./attachment-types.ts";
import { MAX_MESSAGE_LENGTH, type Upload, UploadRejected } from "./case-messages.service.ts";
import { IdParams, MessageBody, MessageKind, RuleProblemResponse, strict } from "./case-schemas.ts";

const MessageCreateBody = Type.Object({ kind: MessageKind, body: MessageBody }, strict);
type MessageCreate = Static<typeof MessageCreateBody>;

const KINDS = ["reply", "note", "customer"] as const;

type Multipart = { fields: Record<string, string>; files: Upload[] };

/**
 * Reads a multipart body into fields and files (at most 5 files of 10 MB each), naming the
 * part in every error. Files stay in memory: they go into the database anyway.
 */
async function readMultipart(request: FastifyRequest, knownFields: readonly string[]): Promise<Multipart> {
  const fields: Record<string, string> = {};
  const files: Upload[] = [];
  try {
    const parts = request.parts({
      limits: {
        fileSize: MAX_ATTACHMENT_BYTES,
        files: MAX_FILES_PER_UPLOAD,
        fields: knownFields.length + 2,
        // A message body may be 100 000 characters of up to 4 bytes each.
        fieldSize: MAX_MESSAGE_LENGTH * 4,
      },
    });
    for await (const part of parts) {
      if (part.type === "file") {
        const path = `/files/${files.length}`;
        const data = await part.toBuffer();
        files.push({ filename: part.filename, mimetype: part.mimetype, data, path });
      } else {
        if (!knownFields.includes(part.fieldname))
          throw invalid(`/${part.fieldname}`, "is not a known field");
        if (part.valueTruncated) throw invalid(`/${part.fieldname}`, "is too long");
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (err) {
    if (err instanceof AppError || err instanceof UploadRejected) throw err;
    const code = (err as { code?: string }).code;
    if (code === "FST_REQ_FILE_TOO_LARGE") {
      throw new UploadRejected(
        413,
        `files/${files.length}: files may be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
        `/files/${files.length}`,
      );
    }
    if (code === "FST_FILES_LIMIT") {
      throw new UploadRejected(413, `at most ${MAX_FILES_PER_UPLOAD} files per request`, "/files");
    }
    if (code === "FST_FIELDS_LIMIT" || code === "FST_PARTS_LIMIT") throw invalid("/", "too many form fields");
    throw invalid("/", "the multipart/form-data body could not be read");
  }
  return { fields, files };
}

function messageFields(fields: Record<string, string>): MessageCreate {
  const kind = fields.kind;
  if (kind === undefined) throw invalid("/kind", "is required");
  if (!(KINDS as readonly string[]).includes(kind))
    throw invalid("/kind", `must be one of: ${KINDS.join(", ")}`);
  const body = fields.body;
  if (body === undefined) throw invalid("/body", "is required");
  return { kind: kind as MessageCreate["kind"], body };
}

function booleanField(value: string | undefined, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw invalid(path, "must be true or false");
}

export const caseMessagesRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Multipart is accepted by this plugin's routes only; everywhere else a body is JSON.
    await app.register(multipart);
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof UploadRejected) {
        return sendProblem(
          reply,
          problem(error.status, error.message, undefined, {
            errors: [{ path: error.path, message: error.message }],
          }),
        );
      }
      return errorHandler(error, request, reply);
    });
    const MessageRef = Type.Ref("CaseMessage");
    const AttachmentRef = Type.Ref("CaseAttachment");
    const uploadResponses = {
      413: ProblemResponse,
      415: ProblemResponse,
      422: RuleProblemResponse,
    };

    app.get(
      "/api/v1/cases/:id/messages",
      {
        schema: {
          tags: ["cases"],
          summary: "The case's thread, oldest first (portal contacts: without internal notes)",
          params: IdParams,
          querystring: Type.Object({ ...ListQuery }, strict),
          response: { 200: Page(MessageRef), ...problemResponses },
        },
      },
      async (request) => c.caseMessages.list(ctxOf(request).actor, request.params.id, request.query),
    );

    app.post(
      "/api/v1/cases/:id/messages",
      {
        schema: {
          tags: ["cases"],
          summary: "Add a reply, an internal note or a customer message",
          description:
            "JSON `{kind, body}`, or multipart/form-data with fields `kind` and `body` and up to 5 files (10 MB each) attached to the message. The first reply to a new case opens it; a customer message ends waiting_on_customer, reopens a resolved case within the reopen window, and past it opens a follow-up case (the answered message's caseId). Sales may add notes only.",
          params: IdParams,
          body: { content: { "application/json": { schema: MessageCreateBody } } },
          response: { 201: MessageRef, ...problemResponses, ...uploadResponses },
        } as never,
      },
      async (request, reply) => {
        const params = request.params as Static<typeof IdParams>;
        let input: MessageCreate;
        let files: Upload[] = [];
        if (request.isMultipart()) {
          const form = await readMultipart(request, ["kind", "body"]);
          input = messageFields(form.fields);
          files = form.files;
        } else {
          input = request.body as MessageCreate;
        }
        const message = await c.caseMessages.add(ctxOf(request), params.id, input, files);
        return reply.code(201).send(message as never);
      },
    );

    app.get(
      "/api/v1/cases/:id/attachments",
      {
        schema: {
          tags: ["cases"],
          summary: "The case's files (portal contacts: without internal ones)",
          params: IdParams,
          response: {
            200: Type.Object({ items: Type.Array(AttachmentRef), nextCursor: Type.Null() }),
            ...problemResponses,
          },
        },
      },
      async (request) => ({
        items: await c.caseMessages.listAttachments(ctxOf(request).actor, request.params.id),
        nextCursor: null,
      }),
    );

    app.post(
      "/api/v1/cases/:id/attachments",
      {
        schema: {
          tags: ["cases"],
          summary: "Upload files to the case (multipart/form-data)",
          description:
            "Up to 5 file parts of at most 10 MB (413 beyond). The declared type must be on the allow-list (PNG, JPEG, GIF, WebP, PDF, ZIP, Office and OpenDocument files, text, CSV, Markdown, JSON, email) and the file's first bytes must match it (415 otherwise). Optional field `internal` (true/false): staff uploads are internal by default; a customer's never are.",
          params: IdParams,
          consumes: ["multipart/form-data"],
          response: {
            201: Type.Object({ items: Type.Array(AttachmentRef), nextCursor: Type.Null() }),
            ...problemResponses,
            ...uploadResponses,
          },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) {
          throw new UploadRejected(415, "Send the files as multipart/form-data", "/");
        }
        const form = await readMultipart(request, ["internal"]);
        const internal = booleanField(form.fields.internal, "/internal");
        const items = await c.caseMessages.upload(
          ctxOf(request),
          request.params.id,
          { internal },
          form.files,
        );
        return reply.code(201).send({ items, nextCursor: null });
      },
    );

    app.get(
      "/api/v1/attachments/:id",
      {
        schema: {
          tags: ["cases"],
          summary: "Download a file (Content-Disposition: attachment)",
          params: IdParams,
          response: { ...problemResponses },
        },
      },
      async (request, reply) => {
        const file = await c.caseMessages.download(ctxOf(request).actor, request.params.id);
        return reply
          .header("content-type", file.contentType)
          .header("content-length", String(file.size))
          .header("content-disposition", contentDisposition(file.filename))
          .header("x-content-type-options", "nosniff")
          .header("content-security-policy", "default-src 'none'; sandbox")
          .header("cache-control", "private, no-cache")
          .header("etag", `"${file.sha256}"`)
          .send(file.content);
      },
    );
  };
