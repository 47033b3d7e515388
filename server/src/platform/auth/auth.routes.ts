/** @module Routes: sign-in, sign-out, the signed-in user (/v1/me) and the role matrix. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../errors';
import { recordAudit } from '../audit/audit';
import type { Db } from '../db/database';
import { IsoTime, NullableIsoTime, strictObject } from '../http/schemas';
import { allPermissions, permissions, rolePermissions, roles } from './permissions';
import { actorOf } from './principal';
import type { SessionsService } from './sessions.service';
import { locales, type UsersService } from './users.service';

export const RoleSchema = Type.Enum(roles);
export const LocaleSchema = Type.Enum(locales);

export const StaffUserSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    locale: Type.String(),
    active: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
    last_login_at: NullableIsoTime,
  },
  { title: 'StaffUser' },
);

const MeSchema = Type.Object({ ...StaffUserSchema.properties, permissions: Type.Array(Type.String()) });

export function authRoutes(deps: {
  db: Db;
  sessions: SessionsService;
  users: UsersService;
}): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Sign in as a staff user',
          body: strictObject({
            email: Type.String({ minLength: 3, maxLength: 320 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
          }),
          response: {
            200: Type.Object({
              token: Type.String(),
              expires_at: IsoTime,
              user: Type.Pick(StaffUserSchema, ['id', 'email', 'name', 'role', 'locale']),
            }),
          },
        },
      },
      async (request) => {
        try {
          const result = await deps.sessions.login(
            request.body.email,
            request.body.password,
            request.ip,
            request.headers['user-agent'] ?? null,
          );
          await recordAudit(deps.db, {
            actor: { type: 'staff', id: result.user.id, label: result.user.name },
            action: 'auth.login',
            targetType: 'staff_user',
            targetId: result.user.id,
            ip: request.ip,
            requestId: String(request.id),
          });
          return result;
        } catch (err) {
          if (err instanceof AppError && err.code === 'invalid_credentials') {
            await recordAudit(deps.db, {
              actor: { type: 'system', id: null, label: 'anonymous' },
              action: 'auth.login_failed',
              ip: request.ip,
              requestId: String(request.id),
              data: { email: request.body.email.trim().toLowerCase() },
            });
          }
          throw err;
        }
      },
    );

    app.post(
      '/v1/auth/logout',
      {
        config: { access: 'session', audit: 'auth.logout' },
        schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        if (request.principal.kind === 'staff') await deps.sessions.logout(request.principal.sessionId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/me',
      {
        config: { access: 'session' },
        schema: {
          tags: ['auth'],
          summary: 'The signed-in staff user and their permissions',
          response: { 200: MeSchema },
        },
      },
      async (request) => {
        if (request.principal.kind !== 'staff') throw new AppError('forbidden', 'Not a staff session.');
        const user = await deps.users.retrieveUser(request.principal.userId);
        return { ...user, permissions: [...request.principal.permissions] };
      },
    );

    app.patch(
      '/v1/me',
      {
        config: { access: 'session', audit: 'staff_user.update_self' },
        schema: {
          tags: ['auth'],
          summary: 'Change your own name or language',
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            locale: Type.Optional(LocaleSchema),
          }),
          response: { 200: MeSchema },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (principal.kind !== 'staff') throw new AppError('forbidden', 'Not a staff session.');
        const user = await deps.users.updateUser(
          principal.userId,
          request.body,
          principal,
          actorOf(principal),
        );
        return { ...user, permissions: [...principal.permissions] };
      },
    );

    app.get(
      '/v1/roles',
      {
        config: { access: 'users:read' },
        schema: {
          tags: ['users'],
          summary: 'Roles and the permissions each one grants',
          response: {
            200: Type.Object({
              data: Type.Array(Type.Object({ role: RoleSchema, permissions: Type.Array(Type.String()) })),
              permissions: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
            }),
          },
        },
      },
      async () => ({
        data: roles.map((role) => ({ role, permissions: [...rolePermissions[role]] })),
        permissions: allPermissions.map((name) => ({ name, description: permissions[name] })),
      }),
    );
  };
}
