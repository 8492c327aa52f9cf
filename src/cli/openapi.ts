import fs from "node:fs";
import { createContainer } from "../container.ts";
import { buildApp } from "../http/app.ts";
import { systemClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import { openDatabase } from "../platform/db/database.ts";
import { createLogger } from "../platform/logger.ts";

/** Builds the app against a throwaway in-memory database and prints its OpenAPI document. */
export async function writeOpenApi(out: string | undefined) {
  const config = loadConfig({ ...process.env, DATABASE_URL: "" });
  const db = await openDatabase({});
  const app = await buildApp(
    createContainer({ config, db, clock: systemClock, log: createLogger("silent") }),
  );
  await app.ready();
  const doc = JSON.stringify(app.swagger(), null, 2);
  await app.close();
  await db.close();
  if (out) fs.writeFileSync(out, `${doc}\n`);
  else process.stdout.write(`${doc}\n`);
}
