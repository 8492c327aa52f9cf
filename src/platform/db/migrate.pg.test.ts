import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";
import { withDatabase } from "../../../test/support/global-setup.ts";
import { openDatabase } from "./database.ts";
import { isMigrated, migrate, readMigrations } from "./migrate.ts";

const adminUrl = process.env.DATABASE_URL!;
const name = `${inject("pgRunPrefix")}_migrate_${process.pid}`;

afterAll(async () => {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
});

it("two processes migrating an empty database at once apply each migration exactly once", async () => {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = withDatabase(adminUrl, name);
  const a = await openDatabase({ databaseUrl: url, poolSize: 2 });
  const b = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    const [appliedA, appliedB] = await Promise.all([migrate(a), migrate(b)]);
    const all = readMigrations().length;
    // One of them did all the work; the other found nothing left to do.
    expect([appliedA.length, appliedB.length].sort()).toEqual([0, all]);
    expect(await isMigrated(a)).toBe(true);
  } finally {
    await a.close();
    await b.close();
  }
});
