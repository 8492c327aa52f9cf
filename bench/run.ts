import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { DbKind } from "../src/platform/db/database.ts";
import { createProgress, progressMode } from "../src/seed/progress.ts";
import { DEMO_CASES } from "../src/seed/steps/cases.ts";
import { caseCreate } from "./case-create.ts";
import { caseQueue } from "./case-queue.ts";
import { healthRebuild } from "./health-rebuild.ts";
import { incidentNotify } from "./incident-notify.ts";
import { insertOverhead } from "./insert-overhead.ts";
import type { Bench } from "./lib/bench.ts";
import { routingBench } from "./routing.ts";
import { slaDueTime } from "./sla-due-time.ts";
import { slaSweep } from "./sla-sweep.ts";

/** Every benchmark, by name (see README.md). */
export const BENCHES: readonly Bench[] = [
  insertOverhead,
  caseCreate,
  caseQueue,
  slaDueTime,
  slaSweep,
  routingBench,
  healthRebuild,
  incidentNotify,
];

export type RunOptions = {
  /** Seconds per measurement. */
  duration: number;
  connections?: number;
  rounds?: number;
  /** Default: PGlite, and the server in DATABASE_URL when it is set. */
  engines?: DbKind[];
  memory?: boolean;
  /** Cases to generate for case-queue (default: a million on Postgres, 100,000 on PGlite). */
  cases?: number;
};

/** `keepdesk bench [name]`: runs one benchmark, or all of them with "all". */
export async function runBench(name: string, opts: RunOptions): Promise<void> {
  const chosen = name === "all" ? BENCHES : BENCHES.filter((b) => b.name === name);
  if (chosen.length === 0) {
    throw new Error(`No bench named ${name}. Known: ${BENCHES.map((b) => b.name).join(", ")}`);
  }
  if (!Number.isFinite(opts.duration) || opts.duration <= 0)
    throw new Error("--duration must be > 0 seconds");
  if (opts.cases !== undefined && !(Number.isInteger(opts.cases) && opts.cases >= DEMO_CASES)) {
    throw new Error(`--cases must be a whole number of at least ${DEMO_CASES} (the demo seed's)`);
  }
  const engines = opts.engines ?? (process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"]);
  for (const bench of chosen) {
    const progress = createProgress(bench.name, progressMode(true));
    try {
      await bench.run({
        duration: opts.duration,
        connections: opts.connections ?? 10,
        rounds: opts.rounds ?? 1,
        engines,
        memory: opts.memory ?? false,
        cases: opts.cases,
        progress,
      });
    } finally {
      progress.stop();
    }
  }
}

const USAGE = `Usage: node --import tsx bench/run.ts [name|all] [options]

  --duration <s>      seconds per measurement (default 10)
  --connections <n>   concurrent connections (default 10)
  --rounds <n>        measurements per side, alternating order (default 1)
  --engine <e>        pglite | postgres | all (default: pglite, and postgres when DATABASE_URL is set)
  --memory            PGlite in memory instead of a temporary data directory
  --cases <n>         cases in the database for case-queue (default 1,000,000 on postgres, 100,000 on pglite)
                      and breach timers per sweep for sla-sweep (default 100,000 on postgres, 10,000 on pglite)
                      and contacts told per incident for incident-notify (default 100,000 on postgres, 10,000 on pglite)
  --list              list the benchmarks

Benchmarks: ${BENCHES.map((b) => `\n  ${b.name.padEnd(18)} ${b.description}`).join("")}
`;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "10" },
      rounds: { type: "string", default: "1" },
      engine: { type: "string" },
      memory: { type: "boolean", default: false },
      cases: { type: "string" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || values.list) {
    console.log(USAGE);
    return;
  }
  const engine = values.engine;
  if (engine !== undefined && !["pglite", "postgres", "all"].includes(engine)) {
    throw new Error("--engine must be pglite, postgres or all");
  }
  await runBench(positionals[0] ?? "all", {
    duration: Number(values.duration),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    engines:
      engine === undefined ? undefined : engine === "all" ? ["pglite", "postgres"] : [engine as DbKind],
    memory: values.memory,
    cases: values.cases === undefined ? undefined : Number(values.cases),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
