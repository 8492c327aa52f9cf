import cliProgress from "cli-progress";

/** One counted piece of work (a seed step, a generated table). */
export type ProgressTask = {
  tick(n?: number): void;
  done(): void;
};

/**
 * Progress of a long job on stderr (stdout stays for what the command prints as its result).
 * On a terminal: one live bar per task. Elsewhere (CI logs, pipes): plain lines, at the end of
 * each task and, for long ones, about every tenth of the way.
 */
export type Progress = {
  task(label: string, total: number): ProgressTask;
  stop(): void;
};

export type ProgressMode = "bars" | "lines" | "silent";

export function progressMode(wanted: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (!wanted) return "silent";
  return stream.isTTY ? "bars" : "lines";
}

export function createProgress(
  prefix: string,
  mode: ProgressMode,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (mode === "silent") return { task: () => ({ tick() {}, done() {} }), stop() {} };
  if (mode === "lines") return lineProgress(prefix, stream);
  return barProgress(prefix, stream);
}

function lineProgress(prefix: string, stream: NodeJS.WriteStream): Progress {
  return {
    task(label, total) {
      let value = 0;
      let nextReport = total >= 20_000 ? Math.ceil(total / 10) : Number.POSITIVE_INFINITY;
      const print = () => stream.write(`${prefix}: ${label} ${value}/${total}\n`);
      return {
        tick(n = 1) {
          value += n;
          if (value >= nextReport && value < total) {
            print();
            nextReport += Math.ceil(total / 10);
          }
        },
        done() {
          value = Math.max(value, total);
          print();
        },
      };
    },
    stop() {},
  };
}

function barProgress(prefix: string, stream: NodeJS.WriteStream): Progress {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: `${prefix}: {label} |{bar}| {value}/{total}  {duration_formatted}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let stopped = false;
  return {
    task(label, total) {
      const bar = bars.create(Math.max(total, 1), 0, { label: label.padEnd(12) });
      return {
        tick(n = 1) {
          bar.increment(n);
        },
        done() {
          bar.update(Math.max(total, 1));
        },
      };
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
