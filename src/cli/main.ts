import { Command, InvalidArgumentError } from "commander";
import { ROLES, type Role } from "../platform/auth/actor.ts";
import { ConfigError, loadConfig } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";

const program = new Command()
  .name("keepdesk")
  .description("Keepdesk: the customer-service CRM for keeping customers")
  .showHelpAfterError();

function config() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

program
  .command("serve")
  .description("Serve the API and web UI (in embedded mode also runs the worker in-process); seeds nothing")
  .action(async () => {
    const { serve } = await import("./serve.ts");
    await serve(config(), { seedDemo: false });
  });

program
  .command("start")
  .description("What `npm start` runs: migrate, seed demo data into an empty database, then serve")
  .option("--seed <n>", "random seed for the demo data", (v) => Number(v), 42)
  .action(async (opts: { seed: number }) => {
    const { serve } = await import("./serve.ts");
    await serve(config(), { seedDemo: true, seed: opts.seed });
  });

program
  .command("worker")
  .description("Run event deliveries and timers (scale-out: any number beside `serve` processes)")
  .option("--once", "process everything due now, then exit")
  .action(async (opts: { once?: boolean }) => {
    const { runWorker } = await import("./worker.ts");
    await runWorker(config(), { once: Boolean(opts.once) });
  });

program
  .command("migrate")
  .description("Apply database migrations and exit")
  .action(async () => {
    const cfg = config();
    const log = createLogger("warn");
    const { openDatabase } = await import("../platform/db/database.ts");
    const { migrate } = await import("../platform/db/migrate.ts");
    const db = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
    const applied = await migrate(db);
    await db.close();
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
    log.flush();
  });

program
  .command("seed")
  .description("Fill the database with demo data")
  .requiredOption("--demo", "the realistic demo organisation")
  .option("--seed <n>", "random seed (same seed, same data)", (v) => Number(v), 42)
  .option("--force", "seed even if the database already has users")
  .action(async (opts: { seed: number; force?: boolean }) => {
    const { seedCommand } = await import("./seed.ts");
    await seedCommand(config(), opts);
  });

const user = program.command("user").description("Manage staff users");
user
  .command("create")
  .description("Create a staff user")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .option(
    "--role <role>",
    `one of ${ROLES.join(", ")}`,
    (v: string) => {
      if (!ROLES.includes(v as Role)) throw new InvalidArgumentError(`must be one of ${ROLES.join(", ")}`);
      return v as Role;
    },
    "agent" as Role,
  )
  .option("--password <password>", "or set KEEPDESK_USER_PASSWORD")
  .action(async (opts: { email: string; name: string; role: Role; password?: string }) => {
    const { createUserCommand } = await import("./user.ts");
    await createUserCommand(config(), {
      ...opts,
      password: opts.password ?? process.env.KEEPDESK_USER_PASSWORD,
    });
  });

const health = program.command("health").description("The customer health ledger");
health
  .command("rebuild")
  .description("Rebuild the experience ledger, scores and bands from all events (with a progress bar)")
  .option("--no-progress", "no progress bar")
  .action(async (opts: { progress: boolean }) => {
    const { healthRebuildCommand } = await import("./health.ts");
    await healthRebuildCommand(config(), opts);
  });

program
  .command("openapi")
  .description("Write the OpenAPI document")
  .option("--out <file>", "output path (default: stdout)")
  .action(async (opts: { out?: string }) => {
    const { writeOpenApi } = await import("./openapi.ts");
    await writeOpenApi(opts.out);
  });

program
  .command("bench")
  .description("Run the benchmarks in bench/ (see bench/README.md)")
  .argument("[name]", "one benchmark", "all")
  .option("--duration <s>", "seconds per measurement", (v) => Number(v), 10)
  .option("--rounds <n>", "measurements per engine", (v) => Number(v))
  .option("--engine <engine>", "pglite, postgres or all (default: PGlite, plus the server in DATABASE_URL)")
  .option("--cases <n>", "cases to generate for case-queue", (v) => Number(v))
  .action(
    async (name: string, opts: { duration: number; rounds?: number; engine?: string; cases?: number }) => {
      const { runBench } = await import("../../bench/run.ts");
      const engines =
        opts.engine === undefined || opts.engine === "all"
          ? opts.engine === "all"
            ? (["pglite", "postgres"] as const)
            : undefined
          : ([opts.engine] as ("pglite" | "postgres")[]);
      if (engines?.some((e) => e !== "pglite" && e !== "postgres")) {
        throw new InvalidArgumentError("--engine must be pglite, postgres or all");
      }
      await runBench(name, {
        duration: opts.duration,
        ...(opts.rounds !== undefined ? { rounds: opts.rounds } : {}),
        ...(engines ? { engines: [...engines] } : {}),
        ...(opts.cases !== undefined ? { cases: opts.cases } : {}),
      });
    },
  );

program.parseAsync().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
