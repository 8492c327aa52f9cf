import { randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/**
 * Ids are made in the application (UUIDv7: time-ordered, so indexes stay compact),
 * never by the database: PGlite is Postgres 18 but servers may be older (no uuidv7()).
 */
export function newId(): string {
  return uuidv7();
}

/** A URL-safe random secret (session ids, API tokens, one-time links). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
