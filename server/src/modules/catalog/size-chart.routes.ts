/** @module Routes: size charts (/v1/size-charts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { SizeChartInputFields, SizeChartSchema } from './catalog.schemas';
import type { CatalogService } from './catalog.service';

const tags = ['catalog'];

export function sizeChartRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  const { sizeCharts } = catalog;
  return async (app) => {
    app.get(
      '/v1/size-charts',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List size charts',
          querystring: strictObject({
            ...ListQuery,
            brand: Type.Optional(Type.String({ maxLength: 100 })),
            category_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: listOf(SizeChartSchema) },
        },
      },
      async (request) => sizeCharts.listSizeCharts(request.query),
    );

    app.post(
      '/v1/size-charts',
      {
        config: { access: 'catalog:write', audit: 'size_chart.create' },
        schema: {
          tags,
          summary: 'Create a size chart; with brand and/or category_id it is their default',
          body: strictObject(SizeChartInputFields),
          response: { 201: SizeChartSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await sizeCharts.createSizeChart(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/size-charts/:id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Retrieve a size chart',
          params: IdParams,
          response: { 200: SizeChartSchema },
        },
      },
      async (request) => sizeCharts.retrieveSizeChart(request.params.id),
    );

    app.patch(
      '/v1/size-charts/:id',
      {
        config: { access: 'catalog:write', audit: 'size_chart.update' },
        schema: {
          tags,
          summary: 'Change a size chart',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(SizeChartInputFields.name),
            brand: SizeChartInputFields.brand,
            category_id: SizeChartInputFields.category_id,
            unit: Type.Optional(SizeChartInputFields.unit),
            columns: Type.Optional(SizeChartInputFields.columns),
            rows: Type.Optional(SizeChartInputFields.rows),
            fit_notes: SizeChartInputFields.fit_notes,
          }),
          response: { 200: SizeChartSchema },
        },
      },
      async (request) =>
        sizeCharts.updateSizeChart(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/size-charts/:id',
      {
        config: { access: 'catalog:write', audit: 'size_chart.delete' },
        schema: {
          tags,
          summary: 'Delete a size chart no product has attached',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await sizeCharts.deleteSizeChart(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );
  };
}
