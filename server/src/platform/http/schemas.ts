/**
 * @module Shared TypeBox schemas and helpers for routes. The unknown-field rule lives here: request bodies are
 * `strictObject`s, so a field the API does not know is a 400 naming it (never silently dropped).
 */
import { Type, type TObject, type TProperties, type TSchema } from 'typebox';

/** An object that rejects unknown properties: used for every request body. */
export const strictObject = <P extends TProperties>(
  properties: P,
  options: { description?: string } = {},
): TObject<P> => Type.Object(properties, { additionalProperties: false, ...options });

export const IsoTime = Type.String({ format: 'date-time', description: 'ISO-8601 UTC time' });
export const NullableIsoTime = Type.Union([IsoTime, Type.Null()]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = strictObject({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const ListQuery = {
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size (max 200)' }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page' })),
};
export const ListQuerySchema = strictObject(ListQuery);

export const listOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), next_cursor: Nullable(Type.String()) });

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    request_id: Type.String(),
  },
  { title: 'Problem', description: 'RFC 9457 problem details' },
);
