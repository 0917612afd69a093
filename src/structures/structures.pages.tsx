import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { hasContact, presentContact } from '../actions/structure-contact.js';
import { can } from '../authorization/authorization.js';
import { notFound } from '../core/errors.js';
import { departementPath, idFromSegment, structurePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { Pagination, ResultItem } from '../search/results.views.js';
import { countActions } from '../search/search.presenter.js';
import { search } from '../search/search.service.js';
import { Layout } from '../web/layout.js';
import { PathSegment } from '../web/route-schemas.js';
import { ContactDetails } from './contact-details.views.js';
import { structureKindLabel } from './structures.presenter.js';
import { getStructureDetail } from './structures.service.js';

const SlugParams = Type.Object({ slug: PathSegment });

const PageQuerystring = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) });

/** The page of a structure: who it is, where, and its fiches. */
export function structurePages(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { slug: string }; Querystring: { page?: number } }>(
      '/structures/:slug',
      { schema: { params: SlugParams, querystring: PageQuerystring } },
      async (request, reply) => {
        const id = idFromSegment(request.params.slug);
        const detail = id === undefined ? undefined : await getStructureDetail(db, id);
        if (!detail) throw notFound('Cette structure n’existe pas, ou plus.');
        const { structure } = detail;
        const path = structurePath(structure.id, structure.name);
        if (request.url.split('?')[0] !== path) return reply.redirect(path, 301);
        const result = await search(db, { structureId: structure.id, sort: 'title', page: request.query.page });
        const kind = structureKindLabel(structure.kind);
        const contact = presentContact(structure, structure);
        const canEdit = can(request.user, 'structure:contact', {
          structureId: structure.id,
          departementCode: structure.departement_code,
        });
        return reply.type('text/html; charset=utf-8').send(
          <Layout
            title={structure.name}
            meta={{
              canonical: path,
              description: `${countActions(result.total).replace(/^./, (c) => c.toUpperCase())} de ${structure.name}, ${kind ?? 'structure'} (${structure.departement_name}) : leurs objectifs, leurs publics, leurs budgets et leurs résultats.`,
            }}
          >
            <p class="kicker" safe>
              {kind ?? 'Structure'}
            </p>
            <h1 safe>{structure.name}</h1>
            <p class="meta">
              <a href={departementPath(structure.departement_code)} safe>
                {`${structure.departement_name} (${structure.departement_code})`}
              </a>
              <span safe>{` · ${structure.region_name}`}</span>
            </p>
            {hasContact(contact) ? (
              <section aria-labelledby="coordonnees" class="structure-contact">
                <h2 id="coordonnees">Coordonnées</h2>
                <ContactDetails structure={structure} contact={contact} />
              </section>
            ) : (
              ''
            )}
            {canEdit ? (
              <p>
                <a href={`/espace/structures/${structure.id}/coordonnees`}>Modifier les coordonnées</a>
              </p>
            ) : (
              ''
            )}
            <section aria-labelledby="fiches-structure">
              <h2 id="fiches-structure" safe>
                {`${countActions(result.total).replace(/^./, (c) => c.toUpperCase())} publiée${result.total > 1 ? 's' : ''} par cette structure`}
              </h2>
              <ul class="result-list">
                {result.items.map((item) => (
                  <ResultItem item={item} />
                ))}
              </ul>
              <Pagination result={result} basePath={path} />
            </section>
          </Layout>,
        );
      },
    );
  };
}
