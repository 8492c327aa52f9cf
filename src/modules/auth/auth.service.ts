import type { Actor, RequestCtx } from "../../platform/auth/actor.ts";
import { dummyPasswordHash, verifyPassword } from "../../platform/auth/passwords.ts";
import { sha256 } from "../../platform/auth/secrets.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Database } from "../../platform/db/database.ts";
import { AppError, forbidden, notFound } from "../../platform/errors.ts";
import { newId, newSecret } from "../../platform/ids.ts";
import { RateLimit } from "../../platform/rate-limit.ts";
import type { AuditService } from "../audit/audit.service.ts";
import { usersRepository } from "../users/users.repository.ts";
import { presentUser, type User } from "../users/users.service.ts";
import { authRepository as repo } from "./auth.repository.ts";

/** Sliding session lifetime: a week of inactivity signs you out. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** Sign-in rate limit: this many failures per window, per email and (more loosely) per IP. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILED_PER_EMAIL = 10;
export const MAX_FAILED_PER_IP = 50;
const loginLimit = new RateLimit(
  LOGIN_WINDOW_MS,
  "Too many failed sign-ins. Wait a few minutes and try again.",
);

export type SignedIn = { user: User; csrfToken: string; sessionToken: string; expiresAt: Date };
export type Authenticated = {
  actor: Actor & { kind: "user" };
  user: User;
  via: "session" | "token";
  csrfToken?: string;
  sessionId?: string;
};

export type ApiToken = {
  id: string;
  name: string;
  userId: string;
  createdAt: string;
  lastUsedAt: string | null;
};

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** Checks the password, starts a session, and audits the attempt either way. */
  async login(
    input: { email: string; password: string },
    meta: { ip?: string | undefined; userAgent?: string | undefined },
  ): Promise<SignedIn> {
    const k = this.db.kysely;
    const email = input.email.trim();
    const since = loginLimit.since(this.clock.now());
    await loginLimit.enforce([
      [this.audit.countFailedLogins(k, { email }, since), MAX_FAILED_PER_EMAIL],
      [meta.ip ? this.audit.countFailedLogins(k, { ip: meta.ip }, since) : 0, MAX_FAILED_PER_IP],
    ]);
    const row = await usersRepository.findByEmail(k, email);
    // Same cost whether or not the user exists, so timing does not reveal accounts.
    const ok = row?.password_hash
      ? await verifyPassword(row.password_hash, input.password)
      : (await verifyPassword(await dummyPasswordHash(), input.password)) && false;
    const ctx: RequestCtx = { actor: { kind: "system" }, ip: meta.ip };
    if (!row || !ok || !row.active) {
      await this.audit.record(k, ctx, {
        action: "auth.login_failed",
        email,
        targetType: row ? "user" : undefined,
        targetId: row?.id,
        details: { reason: !row ? "unknown_email" : !ok ? "wrong_password" : "inactive" },
      } as Parameters<AuditService["record"]>[2]);
      throw new AppError("unauthenticated", "Email or password is not right");
    }
    const now = this.clock.now();
    const sessionToken = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await k.transaction().execute(async (trx) => {
      await repo.insertSession(trx, {
        id: newId(),
        token_hash: sha256(sessionToken),
        user_id: row.id,
        csrf_token: csrfToken,
        created_at: now,
        expires_at: expiresAt,
        last_seen_at: now,
        ip: meta.ip ?? null,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
      });
      await this.audit.record(
        trx,
        {
          actor: { kind: "user", id: row.id, email: row.email, role: row.role, teamIds: row.team_ids },
          ip: meta.ip,
        },
        { action: "auth.login", targetType: "user", targetId: row.id },
      );
    });
    return { user: presentUser(row), csrfToken, sessionToken, expiresAt };
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (sessionId) await repo.deleteSession(this.db.kysely, sessionId);
  }

  /** Resolves a session cookie value; slides its expiry. Undefined when invalid or expired. */
  async authenticateSession(sessionToken: string): Promise<Authenticated | undefined> {
    const k = this.db.kysely;
    const session = await repo.findSessionByHash(k, sha256(sessionToken));
    const now = this.clock.now();
    if (!session || session.expires_at <= now) return undefined;
    const row = await usersRepository.findById(k, session.user_id);
    if (!row?.active) return undefined;
    // Touch at most once a minute: a busy UI should not write on every request.
    if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
      await repo.touchSession(k, session.id, now, new Date(now.getTime() + SESSION_TTL_MS));
    }
    const user = presentUser(row);
    return {
      actor: toActor(user),
      user,
      via: "session",
      csrfToken: session.csrf_token,
      sessionId: session.id,
    };
  }

  async authenticateToken(token: string): Promise<Authenticated | undefined> {
    const k = this.db.kysely;
    const row = await repo.findTokenByHash(k, sha256(token));
    if (!row || row.revoked_at) return undefined;
    const userRow = await usersRepository.findById(k, row.user_id);
    if (!userRow?.active) return undefined;
    const now = this.clock.now();
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
      await repo.markTokenUsed(k, row.id, now);
    }
    const user = presentUser(userRow);
    return { actor: toActor(user), user, via: "token" };
  }

  /** Creates an API token for the caller; the secret is returned this once and stored only hashed. */
  async createToken(ctx: RequestCtx, name: string): Promise<ApiToken & { token: string }> {
    const actor = ctx.actor;
    if (actor.kind !== "user") throw forbidden("Only staff users can create API tokens");
    const secret = `kd_${newSecret(30)}`;
    const now = this.clock.now();
    const id = newId();
    await this.db.kysely.transaction().execute(async (trx) => {
      await repo.insertToken(trx, {
        id,
        user_id: actor.id,
        name: name.trim(),
        token_hash: sha256(secret),
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      });
      await this.audit.record(trx, ctx, {
        action: "api_token.created",
        targetType: "api_token",
        targetId: id,
        details: { name },
      });
    });
    return {
      id,
      name: name.trim(),
      userId: actor.id,
      createdAt: now.toISOString(),
      lastUsedAt: null,
      token: secret,
    };
  }

  async listTokens(actor: Actor): Promise<ApiToken[]> {
    if (actor.kind !== "user") throw forbidden();
    const rows = await repo.listTokens(this.db.kysely, actor.role === "admin" ? undefined : actor.id);
    return rows.map(presentToken);
  }

  async revokeToken(ctx: RequestCtx, id: string): Promise<void> {
    const actor = ctx.actor;
    if (actor.kind !== "user") throw forbidden();
    await this.db.kysely.transaction().execute(async (trx) => {
      const row = await repo.findToken(trx, id);
      if (!row || row.revoked_at || (row.user_id !== actor.id && actor.role !== "admin"))
        throw notFound("API token");
      await repo.revokeToken(trx, id, this.clock.now());
      await this.audit.record(trx, ctx, {
        action: "api_token.revoked",
        targetType: "api_token",
        targetId: id,
      });
    });
  }

  async purgeExpiredSessions(): Promise<number> {
    return repo.deleteExpiredSessions(this.db.kysely, this.clock.now());
  }
}

export function toActor(user: User): Actor & { kind: "user" } {
  return { kind: "user", id: user.id, email: user.email, role: user.role, teamIds: user.teamIds };
}

function presentToken(r: {
  id: string;
  name: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date | null;
}): ApiToken {
  return {
    id: r.id,
    name: r.name,
    userId: r.user_id,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}
