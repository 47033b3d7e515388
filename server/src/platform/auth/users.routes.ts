/** @module Routes: staff users. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, ListQuerySchema, listOf, strictObject } from '../http/schemas';
import { LocaleSchema, RoleSchema, StaffUserSchema } from './auth.routes';
import { actorOf } from './principal';
import type { UsersService } from './users.service';

export function usersRoutes(users: UsersService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/users',
      {
        config: { access: 'users:read' },
        schema: {
          tags: ['users'],
          summary: 'List staff users',
          querystring: ListQuerySchema,
          response: { 200: listOf(StaffUserSchema) },
        },
      },
      async (request) => users.listUsers(request.query),
    );

    app.post(
      '/v1/users',
      {
        config: { access: 'users:write', audit: 'staff_user.create' },
        schema: {
          tags: ['users'],
          summary: 'Create a staff user',
          body: strictObject({
            email: Type.String({ minLength: 3, maxLength: 320 }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: RoleSchema,
            password: Type.String({ minLength: 10, maxLength: 1024 }),
            locale: Type.Optional(LocaleSchema),
          }),
          response: { 201: StaffUserSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await users.createUser(request.body, request.principal, actorOf(request.principal))),
    );

    app.get(
      '/v1/users/:id',
      {
        config: { access: 'users:read' },
        schema: {
          tags: ['users'],
          summary: 'Retrieve a staff user',
          params: IdParams,
          response: { 200: StaffUserSchema },
        },
      },
      async (request) => users.retrieveUser(request.params.id),
    );

    app.patch(
      '/v1/users/:id',
      {
        config: { access: 'users:write', audit: 'staff_user.update' },
        schema: {
          tags: ['users'],
          summary: 'Change a staff user (name, role, active, language)',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            role: Type.Optional(RoleSchema),
            active: Type.Optional(Type.Boolean()),
            locale: Type.Optional(LocaleSchema),
          }),
          response: { 200: StaffUserSchema },
        },
      },
      async (request) =>
        users.updateUser(request.params.id, request.body, request.principal, actorOf(request.principal)),
    );
  };
}
