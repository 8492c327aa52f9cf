import type { Container } from "../container.ts";
import type { Config } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { boot } from "../runtime.ts";
import { type DemoLogin, seedDemo } from "../seed/demo-seed.ts";

/** Seeds the demo organisation when the database has no users yet; returns the sign-ins to print. */
export async function seedDemoIfEmpty(c: Container, seed: number): Promise<DemoLogin[]> {
  if ((await c.users.countUsers()) > 0) return [];
  return seedDemo(c, { seed, progress: true });
}

export async function seedCommand(config: Config, opts: { seed: number; force?: boolean }) {
  const c = await boot(config, createLogger("warn"));
  try {
    if (!opts.force && (await c.users.countUsers()) > 0) {
      console.error("The database already has users; pass --force to add demo data anyway.");
      process.exitCode = 1;
      return;
    }
    const logins = await seedDemo(c, { seed: opts.seed, progress: true });
    console.log("Demo sign-ins:");
    for (const l of logins) console.log(`  ${l.role.padEnd(8)} ${l.email.padEnd(32)} ${l.password}`);
  } finally {
    await c.db.close();
  }
}
