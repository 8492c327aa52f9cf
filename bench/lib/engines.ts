import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, type DbKind, openDatabase } from "../../src/platform/db/database.ts";
import { migrate } from "../../src/platform/db/migrate.ts";

/** A migrated database that exists only for one bench run and is removed after it. */
export type BenchDatabase = {
  kind: DbKind;
  db: Database;
  /** Where it lives, for the report. */
  where: string;
  /** A data directory for the container's config (PGlite's, or a scratch one). */
  dataDir: string;
  dispose(): Promise<void>;
};

export type EngineOptions = {
  /** PGlite in memory instead of a temporary data directory. */
  memory?: boolean;
  /** The server to create the bench database on (its own database is left alone). */
  databaseUrl?: string | undefined;
  poolSize?: number;
};

export async function openBenchDatabase(kind: DbKind, options: EngineOptions = {}): Promise<BenchDatabase> {
  return kind === "pglite" ? openPglite(options) : openPostgres(options);
}

async function openPglite(options: EngineOptions): Promise<BenchDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepdesk-bench-"));
  const db = await openDatabase({ dataDir: options.memory ? undefined : dir });
  await migrate(db);
  return {
    kind: "pglite",
    db,
    where: options.memory ? "PGlite in memory" : `PGlite in ${dir}`,
    dataDir: dir,
    async dispose() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CREATE DATABASE kd_bench_<random> on the server, dropped (with force) afterwards. */
async function openPostgres(options: EngineOptions): Promise<BenchDatabase> {
  const adminUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!adminUrl) throw new Error("DATABASE_URL is not set: no Postgres server to bench on");
  const name = `kd_bench_${randomBytes(5).toString("hex")}`;
  await admin(adminUrl, `create database ${name}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepdesk-bench-"));
  const drop = async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await admin(adminUrl, `drop database if exists ${name} with (force)`);
  };
  // Ctrl-C in the middle of a run must not leave a database behind on the server.
  const onSignal = () => void drop().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  try {
    const db = await openDatabase({
      databaseUrl: withDatabase(adminUrl, name),
      poolSize: options.poolSize ?? 10,
    });
    await migrate(db);
    return {
      kind: "postgres",
      db,
      where: `PostgreSQL database ${name} on ${new URL(adminUrl).host}`,
      dataDir: dir,
      async dispose() {
        process.off("SIGINT", onSignal);
        await db.close();
        await drop();
      },
    };
  } catch (err) {
    process.off("SIGINT", onSignal);
    await drop();
    throw err;
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
