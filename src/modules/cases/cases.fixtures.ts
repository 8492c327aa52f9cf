import { sql } from "kysely";
import type { Actor, RequestCtx, Role } from "../../platform/auth/actor.ts";
import { SYSTEM } from "../../platform/auth/actor.ts";
import type { Executor } from "../../platform/db/database.ts";
import { newId } from "../../platform/ids.ts";
import type { UsersService } from "../users/users.service.ts";

/**
 * Test fixtures for the cases module. Accounts and contacts are inserted as rows: the
 * accounts API was being written alongside this module.
 */
export async function insertAccount(db: Executor, name: string): Promise<string> {
  const id = newId();
  await sql`insert into accounts (id, name, created_at, updated_at) values (${id}, ${name}, now(), now())`.execute(
    db,
  );
  return id;
}

export async function insertContact(db: Executor, accountId: string, name: string): Promise<string> {
  const id = newId();
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${id.slice(-6)}@example.test`;
  await sql`insert into contacts (id, account_id, name, email, created_at, updated_at)
            values (${id}, ${accountId}, ${name}, ${email}, now(), now())`.execute(db);
  return id;
}

export async function staffActor(users: UsersService, role: Role, name = role): Promise<Actor> {
  const email = `${name}.${newId().slice(-8)}@example.test`;
  const user = await users.create(SYSTEM, { email, name, role });
  return { kind: "user", id: user.id, email: user.email, role, teamIds: [] };
}

export function contactActor(contactId: string, accountId: string): Actor {
  return { kind: "contact", id: contactId, email: `${contactId}@example.test`, accountId };
}

export const as = (actor: Actor): RequestCtx => ({ actor });
