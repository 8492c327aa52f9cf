import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Container } from "../container.ts";
import type { Actor } from "../platform/auth/actor.ts";
import {
  announcementOf,
  EVENTS_CHANNEL,
  type EventAnnouncement,
  readEvents,
} from "../platform/events/event-bus.ts";

type Subscriber = { actor: Actor; send: (e: EventAnnouncement) => void };

/**
 * Staff see every event; a portal contact only its own account's events that are marked
 * customer-visible (never internal notes, priorities or tier changes). An event meant for one
 * person (`audienceUserId`, e.g. a notification) reaches that person only.
 */
export function maySee(
  actor: Actor,
  e: Pick<EventAnnouncement, "accountId" | "customerVisible" | "audienceUserId">,
): boolean {
  if (e.audienceUserId && (actor.kind === "system" || actor.id !== e.audienceUserId)) return false;
  if (actor.kind === "contact")
    return e.customerVisible && e.accountId !== null && e.accountId === actor.accountId;
  return true;
}

/**
 * Fans committed events out to this process's SSE clients. Events reach it by LISTEN, so a
 * change made in any `serve` or `worker` process shows up on every screen.
 */
export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly c: Container) {}

  async start(): Promise<void> {
    this.unlisten = await this.c.db.listen(EVENTS_CHANNEL, (payload) => {
      let e: EventAnnouncement;
      try {
        e = JSON.parse(payload);
      } catch {
        return;
      }
      for (const s of this.subscribers) if (maySee(s.actor, e)) s.send(e);
    });
  }

  subscribe(actor: Actor, send: (e: EventAnnouncement) => void): () => void {
    const s = { actor, send };
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get size(): number {
    return this.subscribers.size;
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.subscribers.clear();
  }
}

function frame(e: EventAnnouncement): string {
  return `id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

export function registerStreamRoute(app: FastifyInstance, c: Container, hub: LiveHub) {
  const streams = new Set<ServerResponse>();
  // Open streams never end by themselves, and the server's close waits for them: end them first
  // (browsers reconnect, to another process behind the load balancer).
  app.addHook("preClose", async () => {
    for (const res of streams) {
      res.end();
      res.socket?.destroySoon();
    }
  });

  app.get(
    "/api/v1/stream",
    {
      schema: {
        tags: ["live"],
        summary:
          "Server-Sent Events: the domain events you may see, as they commit (Last-Event-ID replays missed ones)",
        produces: ["text/event-stream"],
      },
    },
    async (request, reply) => {
      const actor = request.auth!.actor;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write("retry: 3000\n: connected\n\n");
      const lastId = Number(request.headers["last-event-id"]);
      const replay = Number.isInteger(lastId) && lastId > 0;
      // Subscribe before reading the missed events, holding live ones back meanwhile: an event
      // that commits while the replay query runs is then in one or the other, never in neither.
      let held: EventAnnouncement[] | undefined = replay ? [] : undefined;
      const unsubscribe = hub.subscribe(actor, (e) => {
        if (held) held.push(e);
        else res.write(frame(e));
      });
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 25_000);
      streams.add(res);
      // Listen before any await: a client that leaves during the replay must not stay subscribed.
      res.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(res);
      });
      if (!replay) return;
      try {
        // Bounded: after a long absence the browser reloads instead.
        const missed = await readEvents(c.db.kysely, lastId, 500);
        if (res.destroyed) return;
        const sent = new Set<number>();
        for (const e of missed) {
          const a = announcementOf(e);
          sent.add(a.seq);
          if (maySee(actor, a)) res.write(frame(a));
        }
        for (const e of held ?? []) if (!sent.has(e.seq)) res.write(frame(e));
        held = undefined;
      } catch (err) {
        request.log.error({ err }, "live stream replay failed");
        res.end();
      }
    },
  );
}
