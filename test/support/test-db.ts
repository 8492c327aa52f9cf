import fs from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type Container, createContainer } from "../../src/container.ts";
import { ManualClock } from "../../src/platform/clock.ts";
import { loadConfig } from "../../src/platform/config.ts";
import { type Database, openDatabase } from "../../src/platform/db/database.ts";
import { createLogger, type Logger } from "../../src/platform/logger.ts";
import { withDatabase } from "./global-setup.ts";

export type TestDb = { db: Database; url?: string; drop(): Promise<void> };

let counter = 0;

/** A migrated database of this test file's own, cloned from the run's template. */
export async function createTestDb(): Promise<TestDb> {
  if (process.env.KEEPDESK_TEST_DB === "postgres") {
    const adminUrl = process.env.DATABASE_URL!;
    const name = `${inject("pgRunPrefix")}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} template ${inject("pgTemplate")}`);
    await admin.end();
    const url = withDatabase(adminUrl, name);
    const db = await openDatabase({ databaseUrl: url, poolSize: 10 });
    return {
      db,
      url,
      async drop() {
        await db.close();
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const blob = new Blob([fs.readFileSync(inject("pgliteTemplate"))]);
  const db = await openDatabase({ loadDataDir: blob });
  return { db, drop: () => db.close() };
}

export type TestContainer = Container & { clock: ManualClock; testDb: TestDb };

/** A container on a fresh database with a hand-driven clock and a quiet logger. */
export async function createTestContainer(
  options: { clock?: ManualClock; log?: Logger; env?: NodeJS.ProcessEnv } = {},
): Promise<TestContainer> {
  const testDb = await createTestDb();
  const clock = options.clock ?? new ManualClock("2026-03-02T09:00:00Z");
  const config = loadConfig({ KEEPDESK_DATA_DIR: "/nonexistent", ...options.env });
  const c = createContainer({ config, db: testDb.db, clock, log: options.log ?? createLogger("silent") });
  return Object.assign(c, { clock, testDb });
}
