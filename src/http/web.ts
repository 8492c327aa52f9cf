import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WEB_ROOT = path.join(ROOT, "web");
export const WEB_DIST = path.join(WEB_ROOT, "dist");

/**
 * Paths that belong to the server, never to the single-page app: the API, the probes, and the
 * public pages reached from customers' mail (survey answers `/s/…`, unsubscribe `/u/…`).
 */
const SERVER_PREFIXES = ["/api/", "/health", "/ready", "/s/", "/u/"];
/** Exact server-rendered pages (the public status page), never the single-page app. */
const SERVER_PAGES = ["/status"];
const isServerPage = (url: string) => SERVER_PAGES.includes(url.split(/[?#]/)[0]!.replace(/\/$/, ""));

function wantsApp(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (SERVER_PREFIXES.some((p) => request.url.startsWith(p)) || isServerPage(request.url)) return false;
  return true;
}

/**
 * Serves the React app: built assets from web/dist in production, Vite's dev server (middleware
 * mode, hot reload) when KEEPDESK_DEV=1. Unknown non-API GETs get index.html (client routing).
 */
export async function registerWeb(app: FastifyInstance, options: { dev: boolean }) {
  if (options.dev) {
    const { default: middie } = await import("@fastify/middie");
    const { createServer } = await import("vite");
    await app.register(middie);
    const vite = await createServer({
      configFile: path.join(WEB_ROOT, "vite.config.ts"),
      server: { middlewareMode: true },
      appType: "spa",
    });
    app.use((req, res, next) => {
      const url = req.url ?? "/";
      if (SERVER_PREFIXES.some((p) => url.startsWith(p)) || isServerPage(url)) return next();
      vite.middlewares(req, res, next);
    });
    app.addHook("onClose", async () => vite.close());
    return;
  }
  const index = path.join(WEB_DIST, "index.html");
  if (!fs.existsSync(index)) {
    app.log.warn("web/dist is missing: run `npm run build` to build the web app");
    return;
  }
  const { default: fastifyStatic } = await import("@fastify/static");
  await app.register(fastifyStatic, {
    root: WEB_DIST,
    prefix: "/",
    wildcard: false,
    index: false,
    // Hashed asset names never change content: cache them for a year.
    setHeaders(reply, filePath) {
      if (filePath.includes(`${path.sep}assets${path.sep}`)) {
        reply.header("cache-control", "public, max-age=31536000, immutable");
      }
    },
  });
  const html = fs.readFileSync(index, "utf8");
  app.decorate("sendApp", (reply: FastifyReply) =>
    reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html),
  );
}

export function serveAppFallback(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
): boolean {
  const send = (app as unknown as { sendApp?: (r: FastifyReply) => FastifyReply }).sendApp;
  if (!send || !wantsApp(request)) return false;
  send(reply);
  return true;
}
