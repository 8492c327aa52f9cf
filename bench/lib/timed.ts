import { Worker } from "node:worker_threads";
import type { ProgressTask } from "../../src/seed/progress.ts";

export type TimedSpec = {
  url: string;
  /** Requested in turn (one path: the same page again and again). */
  paths: string[];
  method?: "GET" | "POST";
  headers: Record<string, string>;
  /** For POST; `{unique}` is replaced with a value unique to each request. */
  body?: string;
  unique?: string;
  /** Untimed requests first (JIT, plan and buffer caches). */
  warmup: number;
  /** Stop after this many timed requests, or after `seconds` (at least 5 requests either way). */
  maxRequests: number;
  seconds: number;
};

export type TimedResult = {
  requests: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** One client, one request at a time: 1000 / mean. */
  requestsPerSecond: number;
  /** Answers other than 2xx. */
  failed: number;
  /** The body of the last answer (to see what the page held). */
  last: string;
};

/**
 * Times requests one after the other from a worker thread: the latency one user sees, not
 * throughput under load (that is what runLoad and autocannon are for).
 */
export function runTimed(spec: TimedSpec, task?: ProgressTask): Promise<TimedResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./timed-worker.mjs", import.meta.url), {
      workerData: { method: "GET", unique: "t", ...spec },
    });
    const started = Date.now();
    let shown = 0;
    worker.on(
      "message",
      (msg: {
        type: string;
        latencies?: number[];
        statuses?: Record<string, number>;
        last?: string;
        message?: string;
      }) => {
        if (msg.type === "tick") {
          const elapsed = Math.min(spec.seconds, Math.floor((Date.now() - started) / 1000));
          if (elapsed > shown) {
            task?.tick(elapsed - shown);
            shown = elapsed;
          }
        } else if (msg.type === "result") {
          task?.done();
          void worker.terminate();
          const sorted = [...msg.latencies!].sort((a, b) => a - b);
          const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
          const ok = Object.entries(msg.statuses!)
            .filter(([code]) => code.startsWith("2"))
            .reduce((s, [, n]) => s + n, 0);
          resolve({
            requests: sorted.length,
            p50: quantile(sorted, 0.5),
            p95: quantile(sorted, 0.95),
            p99: quantile(sorted, 0.99),
            mean,
            requestsPerSecond: 1000 / mean,
            failed: sorted.length - ok,
            last: msg.last!,
          });
        } else if (msg.type === "error") {
          void worker.terminate();
          reject(new Error(msg.message));
        }
      },
    );
    worker.on("error", reject);
  });
}

/** The value below which a share `q` of the sorted values fall (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
