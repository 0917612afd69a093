import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.js';
import { departementPath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { countFiches } from '../search/search.presenter.js';
import { Layout } from '../web/layout.js';
import { NoQuery } from '../web/route-schemas.js';
import { INFO_PAGES, type InfoPage, readInfoPage } from './info-pages.js';
import { listDepartements } from './site.service.js';

/** A page whose text the operator writes (Markdown, see info-pages.ts). */
function InfoPageView({ page, safeHtml }: { page: InfoPage; safeHtml: string }): JSX.Element {
  return (
    <Layout title={page.title} meta={{ canonical: `/${page.slug}`, description: page.description }}>
      <div class="prose">{safeHtml}</div>
    </Layout>
  );
}

/** A section of the site map: a heading and its links. */
function MapSection(props: { id: string; title: string; links: Array<[string, string]> }): JSX.Element {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id} safe>
        {props.title}
      </h2>
      <ul>
        {props.links.map(([href, text]) => (
          <li>
            <a href={href} safe>
              {text}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** « Plan du site »: every kind of page, and each département that has fiches. */
function SiteMapView({ departements }: { departements: Array<{ code: string; name: string; n: number }> }) {
  return (
    <Layout
      title="Plan du site"
      meta={{
        canonical: '/plan-du-site',
        description: 'Toutes les pages d’Essaim, et les fiches actions de chaque département.',
      }}
    >
      <h1>Plan du site</h1>
      <MapSection
        id="plan-catalogue"
        title="Le catalogue"
        links={[
          ['/', 'Accueil'],
          ['/actions', 'Rechercher une action'],
          ['/statistiques', 'Statistiques'],
          ['/api/v1/docs', 'API ouverte et sa documentation'],
        ]}
      />
      <MapSection
        id="plan-departements"
        title="Les fiches par département"
        links={departements.map((d) => [departementPath(d.code), `${d.name} (${d.code})\u00a0: ${countFiches(d.n)}`])}
      />
      <MapSection
        id="plan-contributeurs"
        title="Contributeurs"
        links={[
          ['/espace', 'Espace contributeurs'],
          ['/connexion', 'Connexion'],
          ['/devenir-contributeur', 'Devenir contributeur'],
        ]}
      />
      <MapSection
        id="plan-informations"
        title="Informations"
        links={INFO_PAGES.filter((p) => p.slug !== 'devenir-contributeur').map((p) => [`/${p.slug}`, p.title])}
      />
    </Layout>
  );
}

/** The public-service pages: the operator's texts and the site map. */
export function sitePages(db: Db, config: Pick<Config, 'dataDir' | 'publicUrl' | 'site'>): FastifyPluginAsync {
  return async (app) => {
    for (const page of INFO_PAGES) {
      app.get(`/${page.slug}`, { schema: { querystring: NoQuery } }, async (_request, reply) => {
        const safeHtml = await readInfoPage(page, config);
        return reply.type('text/html; charset=utf-8').send(<InfoPageView page={page} safeHtml={safeHtml} />);
      });
    }
    app.get('/plan-du-site', { schema: { querystring: NoQuery } }, async (_request, reply) => {
      const departements = await listDepartements(db);
      return reply.type('text/html; charset=utf-8').send(<SiteMapView departements={departements} />);
    });
  };
}
