/**
 * A `keepdesk worker` with a probe: boots exactly like src/cli/worker.ts (config from the
 * environment, migrations, the full container, `startWorker`) and also registers an event
 * handler and a timer kind whose only effect is a row in the `probe` table the test created.
 * test/worker/exactly-once.pg.test.ts runs several of these as real OS processes.
 *
 *   PROBE_SLEEP_MS   per handled item, a pg_sleep inside the handler (to kill a worker mid-batch)
 *   PROBE_ANNOUNCE   "1": print `handled <event|timer> <ref>` per item (before its batch commits)
 *   PROBE_BATCH_SIZE worker batch size (default 100)
 *   PROBE_POLL_MS    worker poll interval (default 100)
 *
 * Prints `ready` once the worker loop runs and `claimed <events|timers> <n>` per claimed batch.
 */
import { sql } from "kysely";
import type { Container } from "../../src/container.ts";
import { loadConfig } from "../../src/platform/config.ts";
import type { Trx } from "../../src/platform/db/database.ts";
import { createLogger } from "../../src/platform/logger.ts";
import { startWorker } from "../../src/platform/worker.ts";
import { boot } from "../../src/runtime.ts";

export const PROBE_EVENT_TYPE = "probe.happened";
export const PROBE_HANDLER = "probe";
export const PROBE_TIMER_KIND = "probe.timer";
export const PROBE_TABLE_SQL =
  "create table probe (kind text not null, ref text not null, pid integer not null)";

type ProbeOptions = { sleepMs: number; announce: boolean };

export function registerProbe(c: Pick<Container, "bus" | "timers">, options: ProbeOptions): void {
  const record = async (trx: Trx, kind: "event" | "timer", ref: string) => {
    if (options.sleepMs > 0) await sql`select pg_sleep(${options.sleepMs / 1000})`.execute(trx);
    await sql`insert into probe (kind, ref, pid) values (${kind}, ${ref}, ${process.pid})`.execute(trx);
    if (options.announce) console.log(`handled ${kind} ${ref}`);
  };
  c.bus.register({
    name: PROBE_HANDLER,
    types: [PROBE_EVENT_TYPE],
    handle: (event, trx) => record(trx, "event", String(event.seq)),
  });
  c.timers.register(PROBE_TIMER_KIND, (timer, trx) => record(trx, "timer", timer.id));
}

async function main() {
  const env = process.env;
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const c = await boot(config, log);
  registerProbe(c, { sleepMs: Number(env.PROBE_SLEEP_MS ?? 0), announce: env.PROBE_ANNOUNCE === "1" });
  const worker = await startWorker(c, {
    batchSize: Number(env.PROBE_BATCH_SIZE ?? 100),
    pollMs: Number(env.PROBE_POLL_MS ?? 100),
    onClaimed: (what, count) => {
      console.log(`claimed ${what} ${count}`);
    },
  });
  console.log("ready");
  const shutdown = async () => {
    await worker.stop();
    await c.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
