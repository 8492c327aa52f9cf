import { type Container, createContainer } from "./container.ts";
import { SYSTEM } from "./platform/auth/actor.ts";
import { type Clock, systemClock } from "./platform/clock.ts";
import type { Config } from "./platform/config.ts";
import { type Database, openDatabase } from "./platform/db/database.ts";
import { migrate } from "./platform/db/migrate.ts";
import type { Logger } from "./platform/logger.ts";

/** Opens the database, applies migrations and builds the container: what every command starts with. */
export async function boot(config: Config, log: Logger, clock: Clock = systemClock): Promise<Container> {
  const db: Database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied }, "migrations applied");
  return createContainer({ config, db, clock, log });
}

/** KEEPDESK_ADMIN_EMAIL / _PASSWORD create the first admin, only while no user exists. */
export async function bootstrapAdmin(c: Container): Promise<boolean> {
  const { adminEmail, adminPassword } = c.config;
  if (!adminEmail || !adminPassword) return false;
  if ((await c.users.countUsers()) > 0) return false;
  await c.db.kysely.transaction().execute(async (trx) => {
    const user = await c.users.insertUser(trx, {
      email: adminEmail,
      name: "Administrator",
      role: "admin",
      password: adminPassword,
    });
    await c.audit.record(trx, SYSTEM, {
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      details: { email: adminEmail, role: "admin", bootstrap: true },
    });
  });
  c.log.info({ email: adminEmail }, "bootstrap admin created");
  return true;
}
