import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { ProgressTask } from "../../src/seed/progress.ts";

export type LoadSpec = {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  method: "POST" | "PUT" | "PATCH";
  path: string;
  headers: Record<string, string>;
  /** The request body; `{unique}` is replaced with a value unique to each request. */
  body: string;
  /** Keeps values unique across several runs against the same database. */
  unique: string;
};

/** One run as autocannon reports it from a worker thread (histograms encoded). */
export type RawLoad = {
  totalCompletedRequests: number;
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};

export type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  /** Milliseconds. */
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
};

type AggregateResult = (
  raws: RawLoad[],
  opts: { url: string; connections: number },
) => { latency: { p50: number; p99: number; max: number } };
const { aggregateResult } = createRequire(import.meta.url)("autocannon") as {
  aggregateResult: AggregateResult;
};

/**
 * Runs autocannon against `spec.url` from a worker thread, so the load generator does not
 * share an event loop with the server (nor, on PGlite, with the database). Progress is in
 * seconds (the task's total is the duration).
 */
export function runLoad(spec: LoadSpec, task?: ProgressTask): Promise<RawLoad> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.mjs", import.meta.url), { workerData: spec });
    const started = Date.now();
    let shown = 0;
    worker.on("message", (msg: { type: string; raw?: RawLoad; message?: string }) => {
      if (msg.type === "tick") {
        const elapsed = Math.min(spec.duration, Math.floor((Date.now() - started) / 1000));
        if (elapsed > shown) {
          task?.tick(elapsed - shown);
          shown = elapsed;
        }
      } else if (msg.type === "result") {
        task?.done();
        resolve(msg.raw!);
        void worker.terminate();
      } else if (msg.type === "error") {
        reject(new Error(msg.message));
        void worker.terminate();
      }
    });
    worker.on("error", reject);
  });
}

/** One figure from one or more runs of the same load: requests over total time, merged latencies. */
export function summarize(raws: RawLoad[], spec: Pick<LoadSpec, "url" | "connections">): LoadResult {
  const requests = raws.reduce((s, r) => s + r.totalCompletedRequests, 0);
  const seconds = raws.reduce((s, r) => s + r.duration, 0);
  const { latency } = aggregateResult(raws, { url: spec.url, connections: spec.connections });
  const statusCodes: Record<string, number> = {};
  for (const r of raws) {
    for (const [code, { count }] of Object.entries(r.statusCodeStats)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + count;
    }
  }
  return {
    requests,
    requestsPerSecond: requests / seconds,
    latencyP50: latency.p50,
    latencyP99: latency.p99,
    latencyMax: latency.max,
    non2xx: raws.reduce((s, r) => s + r.non2xx, 0),
    errors: raws.reduce((s, r) => s + r.errors + r.timeouts, 0),
    statusCodes,
  };
}
