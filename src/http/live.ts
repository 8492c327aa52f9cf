import type { FastifyInstance } from "fastify";
import type { Container } from "../container.ts";
import type { Actor } from "../platform/auth/actor.ts";
import { EVENTS_CHANNEL, type EventAnnouncement, readEvents } from "../platform/events/event-bus.ts";

type Subscriber = { actor: Actor; send: (e: EventAnnouncement) => void };

/** Staff see every event; a portal contact only those of its own account. */
export function maySee(actor: Actor, e: Pick<EventAnnouncement, "accountId">): boolean {
  if (actor.kind === "contact") return e.accountId !== null && e.accountId === actor.accountId;
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
      if (Number.isInteger(lastId) && lastId > 0) {
        // Replay what a reconnecting browser missed (bounded: a long absence reloads instead).
        const missed = await readEvents(c.db.kysely, lastId, 500);
        for (const e of missed) {
          const a: EventAnnouncement = {
            seq: e.seq,
            id: e.id,
            type: e.type,
            entityType: e.entityType,
            entityId: e.entityId,
            accountId: e.accountId,
            actorId: e.actorId,
            at: e.occurredAt.toISOString(),
          };
          if (maySee(actor, a)) res.write(frame(a));
        }
      }
      const unsubscribe = hub.subscribe(actor, (e) => res.write(frame(e)));
      const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 25_000);
      request.raw.on("close", () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
    },
  );
}
