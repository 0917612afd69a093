import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../actions/actions.schema.js';
import { notFound } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { NoQuery } from '../web/route-schemas.js';
import { presentStructure, presentStructureDetail } from './structures.presenter.js';
import {
  StructureDetailSchema,
  StructureIdParams,
  StructureListQuerystring,
  StructureListResponse,
} from './structures.schema.js';
import { findStructures, getStructureDetail } from './structures.service.js';

/** The read API of structures. */
export function structureRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: StructureListQuerystring }>(
      '/api/v1/structures',
      {
        schema: {
          operationId: 'listStructures',
          summary: 'Lister les structures',
          description: 'Centres sociaux et espaces de vie sociale, par ordre alphabétique, avec leur nombre de fiches.',
          tags: ['Structures'],
          querystring: StructureListQuerystring,
          response: { 200: StructureListResponse, 400: ApiError },
        },
      },
      async (request) => {
        const { department, ...rest } = request.query;
        const result = await findStructures(db, {
          ...rest,
          departments: department?.map((c) => c.toUpperCase()),
        });
        return { ...result, items: result.items.map(presentStructure) };
      },
    );

    app.get<{ Params: { id: number } }>(
      '/api/v1/structures/:id',
      {
        schema: {
          operationId: 'getStructure',
          summary: 'Lire une structure et ses fiches',
          tags: ['Structures'],
          params: StructureIdParams,
          querystring: NoQuery,
          response: { 200: StructureDetailSchema, 400: ApiError, 404: ApiError },
        },
      },
      async (request) => {
        const detail = await getStructureDetail(db, request.params.id);
        if (!detail) throw notFound(`Aucune structure n’a l’identifiant ${request.params.id}.`);
        return presentStructureDetail(detail);
      },
    );
  };
}
