// Sequential timed requests, in a worker thread of its own (like load-worker.mjs): one request at
// a time, each timed from sending to the last byte of the answer, so the latency is what one
// user waits for a page. Plain JavaScript, so it loads without the TypeScript loader.
import { parentPort, workerData } from "node:worker_threads";

/** @type {{ url: string, paths: string[], method: string, headers: Record<string, string>, body?: string, unique: string, warmup: number, maxRequests: number, seconds: number }} */
const spec = workerData;
let n = 0;

async function once(i) {
  n += 1;
  const started = performance.now();
  const res = await fetch(`${spec.url}${spec.paths[i % spec.paths.length]}`, {
    method: spec.method,
    headers: spec.headers,
    body: spec.body?.replaceAll("{unique}", `${spec.unique}-${n}`),
  });
  const text = await res.text();
  return { ms: performance.now() - started, status: res.status, text };
}

try {
  for (let i = 0; i < spec.warmup; i++) await once(i);
  const latencies = [];
  const statuses = {};
  let last = "";
  const deadline = performance.now() + spec.seconds * 1000;
  let lastTick = performance.now();
  for (let i = 0; i < spec.maxRequests && (i < 5 || performance.now() < deadline); i++) {
    const r = await once(i);
    latencies.push(r.ms);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    last = r.text;
    if (performance.now() - lastTick > 500) {
      lastTick = performance.now();
      parentPort?.postMessage({ type: "tick" });
    }
  }
  parentPort?.postMessage({ type: "result", latencies, statuses, last });
} catch (err) {
  parentPort?.postMessage({ type: "error", message: String(err) });
}
