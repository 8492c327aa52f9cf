import type { Clock } from "./clock.ts";
import type { Database } from "./db/database.ts";
import { dispatchBatch } from "./events/dispatcher.ts";
import { EVENTS_CHANNEL, type EventBus } from "./events/event-bus.ts";
import type { Logger } from "./logger.ts";
import { sweepBatch, type TimerRegistry } from "./timers/timers.ts";

export type WorkerDeps = { db: Database; bus: EventBus; timers: TimerRegistry; clock: Clock; log: Logger };

export type WorkerOptions = {
  /** How often to look for due timers and retries when no NOTIFY wakes us. */
  pollMs?: number;
  batchSize?: number;
  onClaimed?: (what: "events" | "timers", count: number) => Promise<void> | void;
};

export type RunningWorker = { stop(): Promise<void>; wake(): void };

/**
 * The worker loop: deliver pending events and fire due timers until there is nothing left,
 * then sleep until a NOTIFY (a new event) or the poll interval. Any number of these may run
 * against one Postgres; SKIP LOCKED keeps them out of each other's way.
 */
export async function startWorker(deps: WorkerDeps, options: WorkerOptions = {}): Promise<RunningWorker> {
  const pollMs = options.pollMs ?? 1000;
  const batchSize = options.batchSize ?? 50;
  let stopping = false;
  // Set by every NOTIFY (and by stop): one that arrives while a batch runs must not be lost,
  // or its event waits a whole poll interval (and stop() as long).
  let woken = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const unlisten = await deps.db.listen(EVENTS_CHANNEL, wake);

  const loop = async () => {
    while (!stopping) {
      woken = false;
      try {
        const events = await dispatchBatch(deps.db, deps.bus, deps.clock, deps.log, {
          batchSize,
          onClaimed: (n) => options.onClaimed?.("events", n),
        });
        const timers = await sweepBatch(deps.db, deps.timers, deps.clock, deps.log, {
          batchSize,
          onClaimed: (n) => options.onClaimed?.("timers", n),
        });
        if (events > 0 || timers > 0) continue;
      } catch (err) {
        if (stopping) break;
        deps.log.error({ err }, "worker iteration failed; retrying");
        // After a failure, back off for a poll interval even if NOTIFYs keep coming.
        woken = false;
      }
      await new Promise<void>((resolve) => {
        if (woken || stopping) return resolve();
        const t = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  };
  const running = loop();
  return {
    wake,
    async stop() {
      stopping = true;
      wake();
      await running;
      await unlisten();
    },
  };
}

/** Runs everything that is due now, to completion (tests and `keepdesk worker --once`). */
export async function drainWork(
  deps: WorkerDeps,
  batchSize = 50,
): Promise<{ events: number; timers: number }> {
  const total = { events: 0, timers: 0 };
  for (;;) {
    const events = await dispatchBatch(deps.db, deps.bus, deps.clock, deps.log, { batchSize });
    const timers = await sweepBatch(deps.db, deps.timers, deps.clock, deps.log, { batchSize });
    total.events += events;
    total.timers += timers;
    if (events === 0 && timers === 0) return total;
  }
}
