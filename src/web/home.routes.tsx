import type { FastifyPluginAsync } from 'fastify';
import { getCatalogueOverview } from '../actions/actions.service.js';
import type { Db } from '../db/database.js';
import { Layout } from './layout.js';
import { frenchSpacing } from './typography.js';

type Overview = Awaited<ReturnType<typeof getCatalogueOverview>>;

/** "25 fiches actions", "1 fiche action", "aucune fiche action". */
export function countFiches(n: number): string {
  if (n === 0) return 'aucune fiche action';
  return `${n.toLocaleString('fr-FR')} ${n === 1 ? 'fiche action' : 'fiches actions'}`;
}

function HomePage({ overview }: { overview: Overview }): JSX.Element {
  return (
    <Layout title="Essaim">
      <h1>Les actions des centres sociaux</h1>
      <p class="lead">
        Essaim réunit les fiches actions des centres sociaux et des espaces de vie sociale : ce qu’ils ont fait, avec
        qui, pour quel budget et avec quels résultats.
      </p>
      <p class="count" safe>
        {`Le catalogue compte ${countFiches(overview.total)}.`}
      </p>
      {overview.items.length > 0 && (
        <section aria-labelledby="dernieres">
          <h2 id="dernieres">Dernières fiches mises à jour</h2>
          <ul class="fiche-list">
            {overview.items.map((item) => (
              <li>
                <a href={`/api/v1/actions/${item.id}`} safe>
                  {item.title}
                </a>
                <span class="meta" safe>
                  {frenchSpacing(`${item.structure_name} — ${item.departement_name} (${item.departement_code})`)}
                  {item.status_label ? ` · ${item.status_label}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

/** The home page. */
export function homeRoutes(db: Db): FastifyPluginAsync {
  return async (app) => {
    app.get('/', async (_request, reply) => {
      const overview = await getCatalogueOverview(db);
      return reply.type('text/html; charset=utf-8').send(<HomePage overview={overview} />);
    });
  };
}

/** An error page in the site's frame. */
export function ErrorPage(props: { status: number; message: string }): JSX.Element {
  const title = props.status === 404 ? 'Page introuvable' : 'Erreur';
  return (
    <Layout title={title}>
      <h1 safe>{title}</h1>
      <p safe>{frenchSpacing(props.message)}</p>
      <p>
        <a href="/">Retour à l’accueil</a>
      </p>
    </Layout>
  );
}
