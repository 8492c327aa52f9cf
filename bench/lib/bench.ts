import os from "node:os";
import type { DbKind } from "../../src/platform/db/database.ts";
import type { Progress } from "../../src/seed/progress.ts";

export type BenchOptions = {
  /** Seconds per measurement. */
  duration: number;
  connections: number;
  /** Measurements per side, alternating the order (A B, B A, …) to even out a drifting machine. */
  rounds: number;
  engines: DbKind[];
  /** PGlite in memory rather than in a temporary data directory. */
  memory: boolean;
  /** Rows to generate, for the benches that read a large table (undefined: each bench's default). */
  cases?: number | undefined;
  progress: Progress;
};

/** A benchmark: measures something against a baseline in the same run, prints the ratio. */
export type Bench = {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<void>;
};

/** A plain-text table, numbers right-aligned. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join(
    "\n",
  );
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** What a reader needs to judge a figure: the machine and how busy it was. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}
