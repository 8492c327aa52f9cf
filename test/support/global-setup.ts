import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/platform/db/database.ts";
import { migrate } from "../../src/platform/db/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
    pgRunPrefix: string;
  }
}

/**
 * Migrates one template database per run; each test file then clones it (a PGlite data-dir
 * dump, or CREATE DATABASE … TEMPLATE on the server) instead of running initdb and migrations.
 */
export default async function setup(project: TestProject) {
  const kind = project.config.env?.KEEPDESK_TEST_DB ?? "pglite";
  if (kind === "postgres") return setupPostgres(project);
  return setupPglite(project);
}

async function setupPglite(project: TestProject) {
  const db = await openDatabase({});
  await migrate(db);
  if (!db.dumpDataDir) throw new Error("expected PGlite");
  const pgl = await db.dumpDataDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "keepdesk-test-"));
  const file = path.join(dir, "template.tar.gz");
  fs.writeFileSync(file, Buffer.from(await pgl.arrayBuffer()));
  await db.close();
  project.provide("pgliteTemplate", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

async function setupPostgres(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL!;
  const prefix = `kd_t_${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_tpl`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: withDatabase(adminUrl, template), poolSize: 2 });
  await migrate(db);
  await db.close();
  project.provide("pgTemplate", template);
  project.provide("pgRunPrefix", prefix);
  return async () => {
    // Drop everything this run made, including databases of files that crashed.
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      "select datname from pg_database where datname like $1",
      [`${prefix}%`],
    );
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    await c.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
