import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Container } from "../container.ts";
import { accountsRoutes } from "../modules/accounts/accounts.routes.ts";
import { activitiesRoutes } from "../modules/activities/activities.routes.ts";
import { announcementsRoutes } from "../modules/announcements/announcements.routes.ts";
import { auditRoutes } from "../modules/audit/audit.routes.ts";
import { authRoutes } from "../modules/auth/auth.routes.ts";
import { callsRoutes } from "../modules/calls/calls.routes.ts";
import { casesRoutes } from "../modules/cases/cases.routes.ts";
import { councilsRoutes } from "../modules/councils/councils.routes.ts";
import { emailRoutes } from "../modules/email/email.routes.ts";
import { entitlementsRoutes } from "../modules/entitlements/entitlements.routes.ts";
import { escalationsRoutes } from "../modules/escalations/escalations.routes.ts";
import { feedbackRoutes } from "../modules/feedback/feedback.routes.ts";
import { healthRoutes } from "../modules/health/health.routes.ts";
import { incidentsRoutes } from "../modules/incidents/incidents.routes.ts";
import { mailRoutes } from "../modules/mail/mail.routes.ts";
import { notificationsRoutes } from "../modules/notifications/notifications.routes.ts";
import { opportunitiesRoutes } from "../modules/opportunities/opportunities.routes.ts";
import { portalRoutes } from "../modules/portal/portal.routes.ts";
import { routingRoutes } from "../modules/routing/routing.routes.ts";
import { slaRoutes } from "../modules/sla/sla.routes.ts";
import { surveysRoutes } from "../modules/surveys/surveys.routes.ts";
import { usersRoutes } from "../modules/users/users.routes.ts";
import { webFormRoutes } from "../modules/web-form/web-form.routes.ts";
import { isMigrated } from "../platform/db/migrate.ts";
import { registerAuthHook } from "./auth.ts";
import { LiveHub, registerStreamRoute } from "./live.ts";
import { errorHandler, problem, sendProblem } from "./problem.ts";
import { Problem } from "./schemas.ts";
import { buildValidator } from "./validation.ts";
import { registerWeb, serveAppFallback } from "./web.ts";

export type BuildOptions = {
  /** Serve the web app (off in API tests). */
  web?: boolean;
};

export type App = FastifyInstance & { hub: LiveHub };

/**
 * Assembles the HTTP app without listening (tests drive it with inject()). Routes are thin:
 * validate, authenticate, call one service method, return what it presents.
 */
export async function buildApp(c: Container, options: BuildOptions = {}): Promise<App> {
  const app = Fastify({
    loggerInstance: c.log as FastifyBaseLogger,
    trustProxy: c.config.trustProxy,
    bodyLimit: 1_048_576,
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
    ajv: {
      customOptions: { allErrors: false, coerceTypes: "array", useDefaults: true, removeAdditional: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: anything else is a clear 415, not a string that fails validation.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    if (serveAppFallback(app, request, reply)) return reply;
    return sendProblem(reply, problem(404, `No route for ${request.method} ${request.url.split("?")[0]}`));
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: c.config.dev
      ? false
      : {
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            // Mantine sets CSS variables through style attributes.
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", "data:", "blob:"],
            fontSrc: ["'self'", "data:"],
            connectSrc: ["'self'"],
            frameAncestors: ["'none'"],
            formAction: ["'self'"],
            upgradeInsecureRequests: null,
          },
        },
    crossOriginEmbedderPolicy: false,
  });

  app.addSchema(Problem);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Keepdesk API",
        version: "1",
        description:
          "The public API of Keepdesk. Sign in with POST /api/v1/auth/login (session cookie; send the returned csrfToken as X-CSRF-Token on changes) or use an API token as `Authorization: Bearer …`. Errors are application/problem+json.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "kd_session" },
          bearer: { type: "http", scheme: "bearer" },
          portal: {
            type: "apiKey",
            in: "cookie",
            name: "kd_portal",
            description: "Customer portal session (only /api/v1/portal/*)",
          },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });

  registerAuthHook(app, c);

  app.get("/health", { config: { public: true }, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/ready", { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const ready = await isMigrated(c.db).catch(() => false);
    if (!ready) return sendProblem(reply, problem(503, "The database is not reachable or not migrated yet"));
    return { status: "ready" };
  });

  await app.register(authRoutes(c));
  await app.register(usersRoutes(c));
  await app.register(auditRoutes(c));
  await app.register(accountsRoutes(c));
  await app.register(casesRoutes(c));
  await app.register(notificationsRoutes(c));
  await app.register(mailRoutes(c));
  await app.register(slaRoutes(c));
  await app.register(entitlementsRoutes(c));
  await app.register(routingRoutes(c));
  await app.register(activitiesRoutes(c));
  await app.register(healthRoutes(c));
  await app.register(opportunitiesRoutes(c));
  await app.register(emailRoutes(c));
  await app.register(escalationsRoutes(c));
  await app.register(portalRoutes(c));
  await app.register(callsRoutes(c));
  await app.register(webFormRoutes(c));
  await app.register(surveysRoutes(c));
  await app.register(feedbackRoutes(c));
  await app.register(councilsRoutes(c));
  await app.register(incidentsRoutes(c));
  await app.register(announcementsRoutes(c));

  const hub = new LiveHub(c);
  await hub.start();
  app.addHook("onClose", async () => hub.stop());
  registerStreamRoute(app, c, hub);

  if (options.web) await registerWeb(app, { dev: c.config.dev });

  return Object.assign(app, { hub }) as unknown as App;
}
