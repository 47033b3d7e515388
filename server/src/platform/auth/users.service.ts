/**
 * @module Staff users: create, list, change role, deactivate. Guards that matter: only an owner may make or
 * change an owner, and the last active owner can be neither demoted nor deactivated.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../errors';
import { decodeBool, encodeBool, toIso, toIsoRequired } from '../db/codecs';
import type { Db } from '../db/database';
import { inTransaction, type DbOrTrx } from '../db/transaction';
import { isUniqueViolation } from '../db/errors';
import { newId } from '../ids';
import { paginate, type Page, type PageRequest } from '../http/pagination';
import type { EventBus } from '../events/outbox';
import type { StaffUserRow } from './auth.table';
import { isRole, rolePermissions, type Permission, type Role } from './permissions';
import type { Actor, Principal } from './principal';
import { hashPassword } from './secrets';

export const locales = ['en', 'es', 'ru'] as const;
export type Locale = (typeof locales)[number];

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string;
  active: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export function userFromRow(row: Selectable<StaffUserRow>): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    locale: row.locale,
    active: decodeBool(row.active),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
    last_login_at: toIso(row.last_login_at),
  };
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const MIN_PASSWORD_LENGTH = 10;

export interface CreateUserInput {
  email: string;
  name: string;
  role: string;
  password: string;
  locale?: string | undefined;
}

export interface UpdateUserInput {
  name?: string | undefined;
  role?: string | undefined;
  active?: boolean | undefined;
  locale?: string | undefined;
}

function field(name: string, message: string): AppError {
  return new AppError('validation_failed', `${name} ${message}.`, { errors: [{ field: name, message }] });
}

function checkRole(role: string, fieldName: string): Role {
  if (!isRole(role))
    throw field(fieldName, 'must be one of owner, admin, agent, associate, marketer, analyst');
  return role;
}

/** The role of whoever acts, when it is a staff user or secret key; null for the system (CLI, bootstrap). */
const actingRole = (principal: Principal | null): Role | null =>
  principal && (principal.kind === 'staff' || principal.kind === 'secret_key') ? principal.role : null;

export function createUsersService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function retrieveRow(trx: DbOrTrx, id: string) {
    const row = await trx.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('staff user', id);
    return row;
  }

  async function activeOwnerCount(trx: DbOrTrx): Promise<number> {
    const row = await trx
      .selectFrom('staff_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'owner')
      .where('active', '=', encodeBool(true))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  return {
    async listUsers(page: PageRequest): Promise<Page<StaffUser>> {
      return paginate(db.selectFrom('staff_users').selectAll(), 'id', page, userFromRow);
    },

    async retrieveUser(id: string): Promise<StaffUser> {
      return userFromRow(await retrieveRow(db, id));
    },

    async countUsers(): Promise<number> {
      const row = await db
        .selectFrom('staff_users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /**
     * Creates a staff user. `by` is null for the system (first-run bootstrap, CLI).
     * @example await users.createUser({ email: 'ana@shop.example', name: 'Ana', role: 'agent', password }, principal, actor)
     */
    async createUser(input: CreateUserInput, by: Principal | null, actor: Actor): Promise<StaffUser> {
      const role = checkRole(input.role, 'body.role');
      const email = normalizeEmail(input.email);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw field('body.email', 'must be an email address');
      if (input.password.length < MIN_PASSWORD_LENGTH)
        throw field('body.password', `must have at least ${MIN_PASSWORD_LENGTH} characters`);
      const locale = input.locale ?? 'en';
      if (!(locales as readonly string[]).includes(locale))
        throw field('body.locale', 'must be one of en, es, ru');
      if (role === 'owner' && actingRole(by) !== null && actingRole(by) !== 'owner') {
        throw new AppError('forbidden', 'Only an owner can create another owner.');
      }
      const passwordHash = await hashPassword(input.password);
      const now = Date.now();
      const row = {
        id: newId('usr'),
        email,
        name: input.name.trim(),
        role,
        password_hash: passwordHash,
        locale,
        active: encodeBool(true),
        created_at: now,
        updated_at: now,
        last_login_at: null,
      };
      await inTransaction(db, async (trx) => {
        // The unique index on email decides, so two simultaneous invitations cannot both succeed.
        await trx
          .insertInto('staff_users')
          .values(row)
          .execute()
          .catch((err: unknown) => {
            if (!isUniqueViolation(err)) throw err;
            throw new AppError('conflict', `A staff user with email ${email} already exists.`, {
              errors: [{ field: 'body.email', message: 'is already in use' }],
            });
          });
        await events.append(trx, {
          type: 'staff_user.created',
          aggregate: { type: 'staff_user', id: row.id },
          actor,
          data: { id: row.id, role },
        });
      });
      return userFromRow(row);
    },

    async updateUser(
      id: string,
      patch: UpdateUserInput,
      by: Principal | null,
      actor: Actor,
    ): Promise<StaffUser> {
      const role = patch.role === undefined ? undefined : checkRole(patch.role, 'body.role');
      if (patch.locale !== undefined && !(locales as readonly string[]).includes(patch.locale))
        throw field('body.locale', 'must be one of en, es, ru');
      return inTransaction(db, async (trx) => {
        const current = await retrieveRow(trx, id);
        const touchesOwner = current.role === 'owner' || role === 'owner';
        if (
          touchesOwner &&
          (role !== undefined || patch.active !== undefined) &&
          actingRole(by) !== null &&
          actingRole(by) !== 'owner'
        ) {
          throw new AppError('forbidden', 'Only an owner can change an owner or make someone owner.');
        }
        const losesOwner =
          current.role === 'owner' &&
          decodeBool(current.active) &&
          ((role !== undefined && role !== 'owner') || patch.active === false);
        if (losesOwner && (await activeOwnerCount(trx)) <= 1) {
          throw new AppError('conflict', 'This is the last active owner; make someone else owner first.');
        }
        await trx
          .updateTable('staff_users')
          .set({
            ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
            ...(role !== undefined ? { role } : {}),
            ...(patch.active !== undefined ? { active: encodeBool(patch.active) } : {}),
            ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
            updated_at: Date.now(),
          })
          .where('id', '=', id)
          .execute();
        // A deactivated user or a changed role signs in again, so no session keeps stale rights.
        if (patch.active === false || (role !== undefined && role !== current.role)) {
          await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
        }
        await events.append(trx, {
          type: 'staff_user.updated',
          aggregate: { type: 'staff_user', id },
          actor,
          data: {
            id,
            fields: Object.keys(patch).filter((k) => patch[k as keyof UpdateUserInput] !== undefined),
          },
        });
        return userFromRow(await retrieveRow(trx, id));
      });
    },

    permissionsOf(role: Role): readonly Permission[] {
      return rolePermissions[role];
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
