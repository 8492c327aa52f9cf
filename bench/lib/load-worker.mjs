// The load generator, in a worker thread of its own: the server under test (and, for PGlite,
// the database itself) keeps the main thread's event loop to itself. Plain JavaScript, so it
// loads without the TypeScript loader, whatever way the bench was started.
import { parentPort, workerData } from "node:worker_threads";
import autocannon from "autocannon";

/** @type {{ url: string, connections: number, duration: number, method: string, path: string, headers: Record<string, string>, body: string, unique: string }} */
const spec = workerData;
let n = 0;
let done = 0;

const instance = autocannon(
  {
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: spec.headers,
        // Every request a unique value (team names must be unique): a counter, not randomness.
        setupRequest(request) {
          n += 1;
          request.body = spec.body.replaceAll("{unique}", `${spec.unique}-${n}`);
          return request;
        },
      },
    ],
  },
  // In a worker thread autocannon hands back its raw result (histograms still encoded): the
  // main thread decodes it, and can merge several rounds into exact percentiles.
  (err, raw) => {
    if (err) parentPort?.postMessage({ type: "error", message: String(err) });
    else parentPort?.postMessage({ type: "result", raw });
  },
);

instance.on("response", () => {
  done += 1;
});
const ticker = setInterval(() => parentPort?.postMessage({ type: "tick", done }), 500);
instance.on("done", () => clearInterval(ticker));
