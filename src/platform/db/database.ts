import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Tables } from "./tables.ts";

export type Kdb = Kysely<Tables>;
export type Trx = Transaction<Tables>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Kdb | Trx;

export type DbKind = "pglite" | "postgres";

export type Notification = { channel: string; payload: string };

/**
 * The one handle on the database. Same SQL on both engines; only connection management and
 * LISTEN differ.
 */
export type Database = {
  kind: DbKind;
  kysely: Kdb;
  /** Calls `onNotify` for each NOTIFY on `channel`, from any process; returns an unsubscribe. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (test templates, backups). */
  dumpDataDir?: () => Promise<Blob>;
};

// Both engines parse values the same way: bigint and numeric as numbers (ranges we store fit),
// dates as 'YYYY-MM-DD' strings (a date has no time zone), timestamptz as Date.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

export type OpenOptions = {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined = in memory. */
  dataDir?: string | undefined;
  /** PGlite: start from a dumped data directory (test template clones). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
};

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | File | undefined,
): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pgl = new PGlite({
    dataDir: dataDir ? path.join(dataDir, "pgdata") : undefined,
    loadDataDir,
    parsers: {
      [NUMERIC]: (v: string) => Number(v),
      [DATE]: (v: string) => v,
    },
  });
  await pgl.waitReady;
  const kysely = new Kysely<Tables>({ dialect: new PGliteDialect(pgl) });
  return {
    kind: "pglite",
    kysely,
    async listen(channel, onNotify) {
      const unsubscribe = await pgl.listen(channel, onNotify);
      return async () => {
        if (!pgl.closed) await unsubscribe();
      };
    },
    async close() {
      await kysely.destroy();
    },
    async dumpDataDir() {
      return (await pgl.dumpDataDir("gzip")) as Blob;
    },
  };
}

function pgTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") => {
      if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
      if (oid === DATE) return (v: string) => v;
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig["getTypeParser"],
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, types: pgTypes() });
  // A pooled client that dies (server restart) must not crash the process.
  pool.on("error", () => {});
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<{ close: () => Promise<void> }>();
  return {
    kind: "postgres",
    kysely,
    async listen(channel, onNotify) {
      const listener = await startListener(databaseUrl, channel, onNotify);
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.close();
      };
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      await kysely.destroy();
    },
  };
}

/** A dedicated connection that LISTENs and reconnects when the server drops it. */
async function startListener(databaseUrl: string, channel: string, onNotify: (payload: string) => void) {
  let closed = false;
  let client: pg.Client | undefined;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on("notification", (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? "");
    });
    c.on("error", () => {
      if (closed) return;
      setTimeout(() => void connect().catch(() => {}), 1000);
    });
    await c.connect();
    await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
