/** @module Routes: tax rates (/v1/tax-rates) and shipping rates (/v1/shipping-rates), read and changed like prices. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { ShippingRateBody, ShippingRateSchema, TaxRateBody, TaxRateSchema } from './cart.schemas';
import { shippingRateMethods, type ShippingService } from './shipping.service';
import type { TaxService } from './tax.service';

const tags = ['pricing'];
const read = { access: 'catalog:read' as const };

export function taxShippingRoutes(deps: {
  tax: TaxService;
  shipping: ShippingService;
}): FastifyPluginAsyncTypebox {
  const { tax, shipping } = deps;
  return async (app) => {
    app.get(
      '/v1/tax-rates',
      {
        config: read,
        schema: {
          tags,
          summary: 'Tax rates, newest first',
          querystring: strictObject({
            ...ListQuery,
            country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
          }),
          response: { 200: listOf(TaxRateSchema) },
        },
      },
      async (request) => tax.listTaxRates(request.query),
    );
    app.post(
      '/v1/tax-rates',
      {
        config: { access: 'catalog:write', audit: 'tax_rate.create' },
        schema: {
          tags,
          summary: 'Add a tax rate (country, optional region and category)',
          body: strictObject(TaxRateBody),
          response: { 201: TaxRateSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await tax.createTaxRate(request.body, actorOf(request.principal))),
    );
    app.get(
      '/v1/tax-rates/:id',
      {
        config: read,
        schema: { tags, summary: 'A tax rate', params: IdParams, response: { 200: TaxRateSchema } },
      },
      async (request) => tax.retrieveTaxRate(request.params.id),
    );
    app.patch(
      '/v1/tax-rates/:id',
      {
        config: { access: 'catalog:write', audit: 'tax_rate.update' },
        schema: {
          tags,
          summary: 'Change a tax rate’s name or percentage',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(TaxRateBody.name),
            rate_bp: Type.Optional(TaxRateBody.rate_bp),
          }),
          response: { 200: TaxRateSchema },
        },
      },
      async (request) => tax.updateTaxRate(request.params.id, request.body, actorOf(request.principal)),
    );
    app.delete(
      '/v1/tax-rates/:id',
      {
        config: { access: 'catalog:write', audit: 'tax_rate.delete' },
        schema: { tags, summary: 'Delete a tax rate', params: IdParams },
      },
      async (request, reply) => {
        await tax.deleteTaxRate(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );

    app.get(
      '/v1/shipping-rates',
      {
        config: read,
        schema: {
          tags,
          summary: 'Shipping rates, newest first',
          querystring: strictObject({ ...ListQuery, method: Type.Optional(Type.Enum(shippingRateMethods)) }),
          response: { 200: listOf(ShippingRateSchema) },
        },
      },
      async (request) => shipping.listShippingRates(request.query),
    );
    app.post(
      '/v1/shipping-rates',
      {
        config: { access: 'catalog:write', audit: 'shipping_rate.create' },
        schema: {
          tags,
          summary: 'Add a shipping rate (method, zone, amount, free over)',
          body: strictObject(ShippingRateBody),
          response: { 201: ShippingRateSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await shipping.createShippingRate(request.body, actorOf(request.principal))),
    );
    app.get(
      '/v1/shipping-rates/:id',
      {
        config: read,
        schema: { tags, summary: 'A shipping rate', params: IdParams, response: { 200: ShippingRateSchema } },
      },
      async (request) => shipping.retrieveShippingRate(request.params.id),
    );
    app.patch(
      '/v1/shipping-rates/:id',
      {
        config: { access: 'catalog:write', audit: 'shipping_rate.update' },
        schema: {
          tags,
          summary: 'Change a shipping rate',
          params: IdParams,
          body: strictObject(
            Object.fromEntries(Object.entries(ShippingRateBody).map(([k, v]) => [k, Type.Optional(v)])),
          ),
          response: { 200: ShippingRateSchema },
        },
      },
      async (request) =>
        shipping.updateShippingRate(request.params.id, request.body, actorOf(request.principal)),
    );
    app.delete(
      '/v1/shipping-rates/:id',
      {
        config: { access: 'catalog:write', audit: 'shipping_rate.delete' },
        schema: { tags, summary: 'Delete a shipping rate', params: IdParams },
      },
      async (request, reply) => {
        await shipping.deleteShippingRate(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );
  };
}
