/**
 * @module Sign-in and sessions. A session token is opaque and random; only its SHA-256 is stored. Failed
 * sign-ins are counted per email and per IP in the database (so the limit holds across processes); past the
 * limit, sign-in answers 429 with Retry-After until the window passes.
 */
import { AppError } from '../errors';
import { decodeBool, encodeBool } from '../db/codecs';
import type { Db } from '../db/database';
import { newId } from '../ids';
import { isRole, rolePermissions } from './permissions';
import type { Principal } from './principal';
import { dummyPasswordHash, hashToken, newToken, verifyPassword } from './secrets';
import { normalizeEmail, userFromRow, type StaffUser } from './users.service';

export interface SessionConfig {
  sessionTtlMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
}

export interface LoginResult {
  token: string;
  expires_at: string;
  user: StaffUser;
}

/** Renew last-use at most once a minute, so authenticated reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export function createSessionsService(deps: { db: Db; config: SessionConfig }) {
  const { db, config } = deps;

  async function failuresSince(
    column: 'email' | 'ip',
    value: string,
    since: number,
  ): Promise<{ count: number; oldest: number | null }> {
    const row = await db
      .selectFrom('login_attempts')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('attempted_at').as('oldest')])
      .where(column, '=', value)
      .where('succeeded', '=', encodeBool(false))
      .where('attempted_at', '>', since)
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest == null ? null : Number(row.oldest) };
  }

  async function record(email: string, ip: string, succeeded: boolean): Promise<void> {
    await db
      .insertInto('login_attempts')
      .values({ id: newId('lga'), email, ip, succeeded: encodeBool(succeeded), attempted_at: Date.now() })
      .execute();
  }

  return {
    /**
     * Checks the password and opens a session.
     * @example const { token } = await sessions.login('owner@shop.example', 'secret…', '127.0.0.1', 'curl')
     */
    async login(
      rawEmail: string,
      password: string,
      ip: string,
      userAgent: string | null,
    ): Promise<LoginResult> {
      const email = normalizeEmail(rawEmail);
      const now = Date.now();
      const since = now - config.loginWindowMs;
      // The IP limit is looser: several people may sign in from one shop's network.
      const [byEmail, byIp] = await Promise.all([
        failuresSince('email', email, since),
        failuresSince('ip', ip, since),
      ]);
      const limited =
        byEmail.count >= config.loginMaxFailures
          ? byEmail
          : byIp.count >= config.loginMaxFailures * 4
            ? byIp
            : null;
      if (limited) {
        const retryAfterS = Math.max(
          1,
          Math.ceil(((limited.oldest ?? now) + config.loginWindowMs - now) / 1000),
        );
        throw new AppError(
          'too_many_requests',
          `Too many failed sign-ins. Try again in ${Math.ceil(retryAfterS / 60)} minute(s).`,
          {
            headers: { 'retry-after': String(retryAfterS) },
          },
        );
      }
      const row = await db
        .selectFrom('staff_users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash));
      if (!row || !ok || !decodeBool(row.active)) {
        await record(email, ip, false);
        throw new AppError(
          'invalid_credentials',
          'The email or password is wrong, or the account is deactivated.',
        );
      }
      await record(email, ip, true);
      const token = newToken('ost_');
      const expiresAt = now + config.sessionTtlMs;
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('sessions')
          .values({
            id: newId('ses'),
            user_id: row.id,
            token_hash: hashToken(token),
            ip,
            user_agent: userAgent,
            created_at: now,
            last_used_at: now,
            expires_at: expiresAt,
          })
          .execute();
        await trx.updateTable('staff_users').set({ last_login_at: now }).where('id', '=', row.id).execute();
      });
      return {
        token,
        expires_at: new Date(expiresAt).toISOString(),
        user: userFromRow({ ...row, last_login_at: now }),
      };
    },

    async logout(sessionId: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
    },

    /** Resolves a session token to its staff principal, or null when unknown, expired or deactivated. */
    async authenticate(token: string): Promise<Principal | null> {
      const now = Date.now();
      const row = await db
        .selectFrom('sessions')
        .innerJoin('staff_users', 'staff_users.id', 'sessions.user_id')
        .select([
          'sessions.id as session_id',
          'sessions.last_used_at',
          'sessions.expires_at',
          'staff_users.id as user_id',
          'staff_users.name',
          'staff_users.email',
          'staff_users.role',
          'staff_users.active',
        ])
        .where('sessions.token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row || row.expires_at <= now || !decodeBool(row.active) || !isRole(row.role)) return null;
      if (now - row.last_used_at > TOUCH_INTERVAL_MS) {
        // Sliding expiry: an active session stays alive; an idle one ends after sessionTtlMs.
        await db
          .updateTable('sessions')
          .set({ last_used_at: now, expires_at: now + config.sessionTtlMs })
          .where('id', '=', row.session_id)
          .execute();
      }
      return {
        kind: 'staff',
        userId: row.user_id,
        sessionId: row.session_id,
        role: row.role,
        label: row.name || row.email,
        permissions: rolePermissions[row.role],
      };
    },

    /** Removes expired sessions and old login attempts (run by the housekeeping job). */
    async purgeExpired(): Promise<void> {
      const now = Date.now();
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
      await db
        .deleteFrom('login_attempts')
        .where('attempted_at', '<', now - Math.max(config.loginWindowMs, 86_400_000))
        .execute();
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
