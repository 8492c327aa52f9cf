import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import type { Database } from "./database.ts";

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../migrations",
);

export type Migration = { version: number; name: string; sql: string };

/** Migrations are forward-only files named `NNNN_name.sql`, applied in order, never edited once landed. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f));
  const migrations = files
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: fs.readFileSync(path.join(dir, file), "utf8"),
    }))
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`Two migrations share version ${migrations[i]!.version}`);
    }
  }
  return migrations;
}

// Any fixed number: serialises concurrent migrators (several `serve` processes starting at once).
const MIGRATION_LOCK = 7_312_024;

/**
 * Applies pending migrations in one transaction (all or nothing), under an advisory lock so
 * that several processes starting at once migrate one after the other. Returns the names applied.
 */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    // Inside the lock: two concurrent `create table if not exists` collide on the catalog.
    await sql`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx);
    const done = await sql<{ version: number }>`select version from schema_migrations`.execute(trx);
    const doneVersions = new Set(done.rows.map((r) => r.version));
    for (const m of migrations) {
      if (doneVersions.has(m.version)) continue;
      await sql.raw(m.sql).execute(trx);
      await sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`.execute(trx);
      applied.push(`${String(m.version).padStart(4, "0")}_${m.name}`);
    }
  });
  return applied;
}

/** True when every migration on disk has been applied (for /ready). */
export async function isMigrated(db: Database, migrations = readMigrations()): Promise<boolean> {
  const result = await sql<{ version: number }>`select version from schema_migrations`.execute(db.kysely);
  const applied = new Set(result.rows.map((r) => r.version));
  return migrations.every((m) => applied.has(m.version));
}
