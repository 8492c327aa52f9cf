import type { Config } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { drainWork, startWorker } from "../platform/worker.ts";
import { boot } from "../runtime.ts";

export async function runWorker(config: Config, options: { once: boolean }) {
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    log.warn(
      "no DATABASE_URL: a separate worker on embedded PGlite would open a second copy of ./data; use `keepdesk serve`, which runs the worker in-process",
    );
  }
  const c = await boot(config, log);
  if (options.once) {
    const done = await drainWork(c);
    log.info(done, "worker drained");
    await c.db.close();
    return;
  }
  const worker = await startWorker(c, {
    onClaimed: (what, count) => log.debug({ what, count }, "batch claimed"),
  });
  log.info("worker started");
  const shutdown = async () => {
    await worker.stop();
    await c.db.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}
