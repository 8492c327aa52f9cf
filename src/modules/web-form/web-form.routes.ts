import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Container } from "../../container.ts";
import { ctxOf } from "../../http/auth.ts";
import { errorHandler } from "../../http/problem.ts";
import { ProblemResponse, problemResponses } from "../../http/schemas.ts";
import { AppError } from "../../platform/errors.ts";

const FORM = "application/x-www-form-urlencoded";

function cors(reply: FastifyReply): void {
  reply
    .header("access-control-allow-origin", "*")
    .header("access-control-allow-methods", "POST, OPTIONS")
    .header("access-control-allow-headers", "content-type")
    .header("access-control-max-age", "86400");
}

/** A plain HTML form posted from a web page navigates to the answer: thank the person in words. */
function wantsHtml(request: FastifyRequest): boolean {
  const type = String(request.headers["content-type"] ?? "");
  const accept = String(request.headers.accept ?? "");
  return type.startsWith(FORM) && accept.includes("text/html");
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>${esc(title)}</h1><p>${esc(text)}</p><p>You can close this page or go back to the previous one.</p></body></html>`;
}

export const webFormRoutes =
  (c: Container): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Plain HTML forms post url-encoded; only this plugin's routes accept it.
    app.addContentTypeParser(FORM, { parseAs: "string", bodyLimit: 100_000 }, (_req, body, done) => {
      try {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      } catch (err) {
        done(err as Error, undefined);
      }
    });

    // Errors (400, 429) must be readable by the embedding page too: CORS, then the usual problem.
    app.setErrorHandler((error, request, reply) => {
      if (request.routeOptions.url === "/api/v1/web-form") cors(reply);
      return errorHandler(error as Parameters<typeof errorHandler>[0], request, reply);
    });

    app.options(
      "/api/v1/web-form",
      { config: { public: true }, schema: { hide: true } },
      async (_request, reply) => {
        cors(reply);
        return reply.code(204).send();
      },
    );

    app.post(
      "/api/v1/web-form",
      {
        config: { public: true },
        schema: {
          tags: ["web-form"],
          summary:
            "Public contact form (JSON or form-encoded; CORS open): opens a case with channel web. Fields name?, email, subject, message, product?; the honeypot `website` must stay empty",
          security: [],
          consumes: ["application/json", FORM],
          body: Type.Object(
            {
              name: Type.Optional(Type.String()),
              email: Type.Optional(Type.String()),
              subject: Type.Optional(Type.String()),
              message: Type.Optional(Type.String()),
              product: Type.Optional(Type.String()),
              website: Type.Optional(Type.String({ description: "Honeypot: leave empty" })),
            },
            { additionalProperties: true },
          ),
          response: {
            202: Type.Object({ message: Type.String() }),
            400: ProblemResponse,
            429: ProblemResponse,
          },
        },
      },
      async (request, reply) => {
        cors(reply);
        try {
          const result = await c.webForm.submit(request.body as Record<string, unknown>, { ip: request.ip });
          if (wantsHtml(request)) {
            return reply.code(202).type("text/html; charset=utf-8").send(page("Thank you", result.message));
          }
          return reply.code(202).send(result);
        } catch (err) {
          if (err instanceof AppError && wantsHtml(request)) {
            const status = err.code === "rate_limited" ? 429 : 400;
            const what = err.extra.errors?.[0]?.path?.replace(/^\//, "");
            return reply
              .code(status)
              .type("text/html; charset=utf-8")
              .send(page("Your message was not sent", what ? `${what}: ${err.message}` : err.message));
          }
          throw err;
        }
      },
    );

    app.get(
      "/api/v1/web-form/snippet",
      {
        schema: {
          tags: ["web-form"],
          summary: "The HTML form to embed in a web page, posting to this server",
          response: {
            200: Type.Object({
              html: Type.String(),
              endpoint: Type.String(),
              stats: Type.Object({ since: Type.String(), created: Type.Integer(), spam: Type.Integer() }),
            }),
            ...problemResponses,
          },
        },
      },
      async (request) => {
        const actor = ctxOf(request).actor;
        return { ...c.webForm.snippet(actor), stats: await c.webForm.stats(actor) };
      },
    );
  };
