import Fastify, { type FastifyInstance } from "fastify";
import { sql } from "kysely";
import pino from "pino";
import { type Container, createContainer } from "../../src/container.ts";
import { buildApp } from "../../src/http/app.ts";
import { systemClock } from "../../src/platform/clock.ts";
import { loadConfig } from "../../src/platform/config.ts";
import type { Database, DbKind } from "../../src/platform/db/database.ts";
import { newId } from "../../src/platform/ids.ts";
import { createLogger } from "../../src/platform/logger.ts";
import type { BenchOptions } from "./bench.ts";
import type { BenchDatabase } from "./engines.ts";
import { type LoadResult, type LoadSpec, type RawLoad, runLoad, summarize } from "./load.ts";

/**
 * What the HTTP benches share: the container and app on a bench database, the bare-INSERT
 * baseline every figure is set against, signing in, and measuring several sides of a
 * comparison in alternating rounds.
 */

/** The real container on the bench database, logging requests at `info` to /dev/null. */
export function benchContainer(bench: BenchDatabase): Container {
  const log = createLogger("info", pino.destination({ dest: "/dev/null", sync: false }));
  const config = loadConfig({ KEEPDESK_DATA_DIR: bench.dataDir, LOG_LEVEL: "info" });
  return createContainer({ config, db: bench.db, clock: systemClock, log });
}

/** The app and the baseline, listening on 127.0.0.1; `close` stops both. */
export type Servers = { stackUrl: string; baselineUrl: string; close(): Promise<void> };

export async function startServers(c: Container, db: Database): Promise<Servers> {
  const started: FastifyInstance[] = [];
  try {
    const baseline = await baselineApp(db);
    started.push(baseline);
    const baselineUrl = await baseline.listen({ host: "127.0.0.1", port: 0 });
    const stack = await buildApp(c);
    started.push(stack);
    const stackUrl = await stack.listen({ host: "127.0.0.1", port: 0 });
    return {
      stackUrl,
      baselineUrl,
      async close() {
        for (const s of started.reverse()) await s.close();
      },
    };
  } catch (err) {
    for (const s of started.reverse()) await s.close();
    throw err;
  }
}

/** The baseline: a bare Fastify route doing one INSERT; no auth, no validation, no audit, no event. */
export async function baselineApp(db: Database): Promise<FastifyInstance> {
  await sql`create table if not exists bench_insert (
    id uuid primary key, name text not null, created_at timestamptz not null
  )`.execute(db.kysely);
  const app = Fastify({ logger: false });
  app.post<{ Body: { name: string } }>("/bench/insert", async (request, reply) => {
    const id = newId();
    await sql`insert into bench_insert (id, name, created_at) values (${id}, ${request.body.name}, now())`.execute(
      db.kysely,
    );
    return reply.code(201).send({ id });
  });
  return app;
}

/** What a request to the baseline looks like, for `runLoad`. */
export function baselineSpec(url: string, options: BenchOptions, unique: string): LoadSpec {
  return {
    url,
    connections: options.connections,
    duration: options.duration,
    method: "POST",
    path: "/bench/insert",
    headers: { "content-type": "application/json" },
    body: '{"name":"{unique}"}',
    unique,
  };
}

export type Session = { cookie: string; csrfToken: string };

export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("kd_session="));
  if (!cookie) throw new Error("bench sign-in set no session cookie");
  const body = (await res.json()) as { csrfToken: string };
  return { cookie: cookie.split(";")[0]!, csrfToken: body.csrfToken };
}

/** Headers of a signed-in JSON write: the session cookie and the CSRF token. */
export function sessionHeaders(session: Session): Record<string, string> {
  return { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrfToken };
}

/**
 * Loads each side after a one-second warm-up of each (JIT, pools, caches), `options.rounds`
 * times, alternating the order (A B, B A, …) so a machine whose load drifts favours nobody.
 */
export async function measureSides<S extends string>(
  engine: DbKind,
  specs: Record<S, LoadSpec>,
  options: BenchOptions,
): Promise<Record<S, LoadResult>> {
  const sides = Object.keys(specs) as S[];
  for (const side of sides) {
    await runLoad(
      { ...specs[side], duration: 1, unique: `${specs[side].unique}w` },
      options.progress.task(`${engine} ${side} warm-up`, 1),
    );
  }
  const raws = Object.fromEntries(sides.map((s) => [s, [] as RawLoad[]])) as Record<S, RawLoad[]>;
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const label = options.rounds > 1 ? `${engine} ${side} ${round + 1}` : `${engine} ${side}`;
      raws[side].push(
        await runLoad(
          { ...specs[side], unique: `${specs[side].unique}r${round}` },
          options.progress.task(label, options.duration),
        ),
      );
    }
  }
  return Object.fromEntries(sides.map((s) => [s, summarize(raws[s], specs[s])])) as Record<S, LoadResult>;
}

/** Non-2xx answers and errors of a load: anything but 0 makes its figure void. */
export function failed(...results: LoadResult[]): number {
  return results.reduce((s, r) => s + r.non2xx + r.errors, 0);
}
