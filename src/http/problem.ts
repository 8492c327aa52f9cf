import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, assertUnreachable, type ErrorCode, type FieldError } from "../platform/errors.ts";

const TYPE_BASE = "https://keepdesk.dev/problems/";

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case "validation":
      return 400;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "rule":
      return 422;
    case "rate_limited":
      return 429;
    default:
      return assertUnreachable(code);
  }
}

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Not signed in",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Refused by a rule",
  429: "Too many requests",
  500: "Internal error",
  503: "Unavailable",
};

export type ProblemBody = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [k: string]: unknown;
};

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type("application/problem+json").send(body);
}

export function problem(
  status: number,
  detail: string,
  code = slugFor(status),
  extra: Partial<ProblemBody> = {},
) {
  return { type: TYPE_BASE + code, title: TITLES[status] ?? "Error", status, detail, ...extra };
}

function slugFor(status: number): string {
  return (TITLES[status] ?? "error").toLowerCase().replace(/[^a-z]+/g, "-");
}

type AjvError = {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
};

/**
 * A nullable or union field fails every branch at once ("must be string", "must be null",
 * "must match a schema in anyOf"): keep the most useful one per field.
 */
function collapseUnions(errors: AjvError[]): AjvError[] {
  const unionPaths = new Set(
    errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => e.instancePath),
  );
  if (unionPaths.size === 0) return errors;
  const kept: AjvError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (!unionPaths.has(e.instancePath)) {
      kept.push(e);
      continue;
    }
    if (e.keyword === "anyOf" || e.keyword === "oneOf") continue;
    if (e.keyword === "type" && e.params.type === "null") continue;
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    kept.push(e);
  }
  // Every branch was "null" or the union itself: fall back to one plain message.
  for (const path of unionPaths) {
    if (!seen.has(path))
      kept.push({ instancePath: path, keyword: "type", message: "has the wrong type", params: {} });
  }
  return kept;
}

/** Ajv's errors, as `{path, message}` with JSON pointers that name the field. */
export function fieldErrors(validation: AjvError[], context: string | undefined): FieldError[] {
  return collapseUnions(validation).map((e) => {
    let path = e.instancePath || "";
    if (e.keyword === "required" && typeof e.params.missingProperty === "string") {
      path += `/${e.params.missingProperty}`;
    }
    if (e.keyword === "additionalProperties" && typeof e.params.additionalProperty === "string") {
      path += `/${e.params.additionalProperty}`;
    }
    const where = context && context !== "body" ? `${context} ` : "";
    let message = e.message ?? "is not valid";
    if (e.keyword === "required") message = "is required";
    if (e.keyword === "additionalProperties") message = "is not a known field";
    if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).join(", ")}`;
    }
    return { path: path || "/", message: `${where}${message}`.trim() };
  });
}

export function errorHandler(
  error: FastifyError & { validation?: AjvError[]; validationContext?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof AppError) {
    const status = statusFor(error.code);
    const { errors, title, retryAfterSeconds, ...rest } = error.extra;
    if (retryAfterSeconds) reply.header("retry-after", String(retryAfterSeconds));
    if (status >= 500) request.log.error({ err: error }, "service error");
    return sendProblem(
      reply,
      problem(status, error.message, error.code, {
        ...(title ? { title } : {}),
        ...(errors ? { errors } : {}),
        ...rest,
      }),
    );
  }
  if (error.validation) {
    const errors = fieldErrors(error.validation, error.validationContext);
    const detail = errors.map((e) => `${e.path.replace(/^\//, "") || "body"}: ${e.message}`).join("; ");
    return sendProblem(reply, problem(400, detail, "validation", { errors }));
  }
  const fromDb = databaseProblem(error);
  if (fromDb) return sendProblem(reply, fromDb);
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, problem(500, "Something went wrong on our side. It has been logged."));
  }
  // Fastify's own 4xx: malformed JSON, wrong content type, body too large …
  const detail =
    error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
      ? "Send JSON with Content-Type: application/json"
      : error.code === "FST_ERR_CTP_EMPTY_JSON_BODY"
        ? "The request body is empty but JSON was announced"
        : error.message;
  return sendProblem(
    reply,
    problem(status, detail, undefined, status === 400 ? { errors: [{ path: "/", message: detail }] } : {}),
  );
}

/**
 * A safety net for constraint and cast errors a service did not anticipate: the database
 * refused the input, so it is the client's 4xx, not our 500. Services should still check
 * first and name the field; this only keeps a missed case honest.
 */
function databaseProblem(error: {
  code?: unknown;
  detail?: unknown;
  constraint?: unknown;
}): ProblemBody | undefined {
  const code = typeof error.code === "string" ? error.code : "";
  const detail = typeof error.detail === "string" ? error.detail : "";
  switch (code) {
    case "23505":
      return problem(409, detail || "That already exists", "conflict");
    case "23503":
      return problem(
        409,
        detail || "It refers to something that does not exist or is still in use",
        "conflict",
      );
    case "23514":
    case "22P02":
    case "22007":
    case "22008":
    case "22003":
    case "22001":
      return problem(400, "A value in the request is not valid", "validation", {
        errors: [{ path: "/", message: "a value is out of range or in the wrong format" }],
      });
    default:
      return undefined;
  }
}
