import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { withDatabase } from "../../../test/support/global-setup.ts";
import { createTestDb, type TestDb } from "../../../test/support/test-db.ts";
import { type Database, openDatabase } from "./database.ts";
import { isMigrated, MIGRATIONS_DIR, type Migration, migrate, readMigrations } from "./migrate.ts";

const onServer = process.env.KEEPDESK_TEST_DB === "postgres";

/** An empty database (no schema at all), and a way to open more handles on it. */
async function emptyDatabase(): Promise<{ open(): Promise<Database>; drop(): Promise<void> }> {
  if (!onServer) {
    const db = await openDatabase({});
    return { open: async () => db, drop: () => db.close() };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `${inject("pgRunPrefix")}_empty_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const handles: Database[] = [];
  return {
    async open() {
      const db = await openDatabase({ databaseUrl: withDatabase(adminUrl, name), poolSize: 2 });
      handles.push(db);
      return db;
    },
    async drop() {
      await Promise.all(handles.map((h) => h.close()));
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function applied(db: Database) {
  const r = await sql<{ version: number; name: string }>`
    select version, name from schema_migrations order by version`.execute(db.kysely);
  return r.rows;
}

describe("the migration files", () => {
  it("are all named NNNN_name.sql, numbered from 1 without gaps or duplicates", () => {
    // README.md is the index of what each migration holds, not a migration.
    const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => !f.startsWith(".") && f !== "README.md");
    // A file the runner would silently skip is a mistake.
    expect(files.filter((f) => !/^\d{4}_[a-z0-9_]+\.sql$/.test(f))).toEqual([]);
    const versions = files.map((f) => Number(f.slice(0, 4))).sort((a, b) => a - b);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(readMigrations().map((m) => m.version)).toEqual(versions);
  });

  it("refuses two migrations with one version", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepdesk-migrations-"));
    try {
      fs.writeFileSync(path.join(dir, "0001_one.sql"), "select 1;");
      fs.writeFileSync(path.join(dir, "0002_two.sql"), "select 2;");
      fs.writeFileSync(path.join(dir, "0002_also_two.sql"), "select 2;");
      expect(() => readMigrations(dir)).toThrow("Two migrations share version 2");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("migrate", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t?.drop());

  it("has applied every migration exactly once, and re-running applies nothing", async () => {
    const files = readMigrations();
    expect(await applied(t.db)).toEqual(files.map((m) => ({ version: m.version, name: m.name })));
    expect(await migrate(t.db)).toEqual([]);
    expect(await migrate(t.db)).toEqual([]);
    expect(await applied(t.db)).toHaveLength(files.length);
    expect(await isMigrated(t.db)).toBe(true);
  });

  it("applies a new migration once, and isMigrated says whether every one is applied", async () => {
    const next: Migration = {
      version: 9001,
      name: "probe",
      sql: "create table migrate_probe (id integer); insert into migrate_probe values (1);",
    };
    const withNext = [...readMigrations(), next];
    expect(await isMigrated(t.db, withNext)).toBe(false);
    expect(await migrate(t.db, withNext)).toEqual(["9001_probe"]);
    expect(await migrate(t.db, withNext)).toEqual([]);
    const rows = await sql<{ n: number }>`select count(*)::int as n from migrate_probe`.execute(t.db.kysely);
    expect(rows.rows[0]!.n).toBe(1);
    expect(await isMigrated(t.db, withNext)).toBe(true);

    // A gap in what was applied also counts as not migrated.
    const [first] = await applied(t.db);
    await sql`delete from schema_migrations where version = ${first!.version}`.execute(t.db.kysely);
    try {
      expect(await isMigrated(t.db, withNext)).toBe(false);
    } finally {
      await sql`insert into schema_migrations (version, name) values (${first!.version}, ${first!.name})`.execute(
        t.db.kysely,
      );
    }
    expect(await isMigrated(t.db, withNext)).toBe(true);
  });

  it("leaves no trace of a migration that fails, and applies it once it is fixed", async () => {
    const broken: Migration = {
      version: 9101,
      name: "broken",
      sql: "create table half_done (id integer); select * from no_such_table;",
    };
    await expect(migrate(t.db, [...readMigrations(), broken])).rejects.toThrow(/no_such_table/);
    expect((await applied(t.db)).map((m) => m.version)).not.toContain(9101);
    const table = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_name = 'half_done'`.execute(
      t.db.kysely,
    );
    expect(table.rows[0]!.n).toBe(0);

    const fixed = { ...broken, sql: "create table half_done (id integer);" };
    expect(await migrate(t.db, [...readMigrations(), fixed])).toEqual(["9101_broken"]);
  });
});

describe("migrate on an empty database", () => {
  it("applies every file in order, once", async () => {
    const empty = await emptyDatabase();
    try {
      const db = await empty.open();
      expect(await isMigrated(db).catch(() => false)).toBe(false);
      const files = readMigrations();
      expect(await migrate(db)).toEqual(files.map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`));
      expect(await migrate(db)).toEqual([]);
      expect((await applied(db)).map((m) => m.version)).toEqual(files.map((m) => m.version));
      expect(await isMigrated(db)).toBe(true);
    } finally {
      await empty.drop();
    }
  });
});
