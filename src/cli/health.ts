import type { Config } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { boot } from "../runtime.ts";
import { createProgress, progressMode } from "../seed/progress.ts";

/**
 * `keepdesk health rebuild`: replays every event the ledger reads, in order, into fresh entries,
 * states and scores (one transaction; plays and notifications are not re-run). Run it after
 * changing the weight table to apply the new weights to history.
 */
export async function healthRebuildCommand(config: Config, opts: { progress: boolean }): Promise<void> {
  const log = createLogger("warn");
  const c = await boot(config, log);
  const progress = createProgress("health rebuild", progressMode(opts.progress));
  let task: ReturnType<typeof progress.task> | undefined;
  let seen = 0;
  const started = performance.now();
  try {
    const result = await c.health.rebuild({
      onProgress: (done, total) => {
        task ??= progress.task("events", total);
        task.tick(done - seen);
        seen = done;
      },
    });
    task?.done();
    progress.stop();
    const s = (performance.now() - started) / 1000;
    console.log(
      `Rebuilt the health ledger: ${result.events} events → ${result.entries} entries for ${result.accounts} accounts in ${s.toFixed(1)} s (${Math.round(result.events / Math.max(s, 0.001))} events/s).`,
    );
  } finally {
    progress.stop();
    await c.db.close();
    log.flush();
  }
}
