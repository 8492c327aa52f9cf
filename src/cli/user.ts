import { type Role, SYSTEM } from "../platform/auth/actor.ts";
import type { Config } from "../platform/config.ts";
import { AppError } from "../platform/errors.ts";
import { createLogger } from "../platform/logger.ts";
import { boot } from "../runtime.ts";

export async function createUserCommand(
  config: Config,
  input: { email: string; name: string; role: Role; password?: string | undefined },
) {
  const c = await boot(config, createLogger("warn"));
  try {
    const user = await c.users.create(SYSTEM, input);
    console.log(`Created ${user.role} ${user.email} (${user.id})`);
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      process.exitCode = 1;
    } else throw err;
  } finally {
    await c.db.close();
  }
}
