import type { SiteSettings } from '../config.js';
import { formatFileSize, frenchSpacing } from '../core/typography.js';
import { Layout } from '../web/layout.js';
import { TableScroll } from '../web/table-scroll.js';
import type { OpenDataManifest } from './opendata.service.js';

const builtFormat = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});

/** The catalogue as files: each with its size, the day they were made, their licence and schema. */
export function OpenDataPage(props: {
  manifest: OpenDataManifest | null;
  licence: SiteSettings['licence'];
}): JSX.Element {
  const { manifest, licence } = props;
  return (
    <Layout
      title="Données ouvertes"
      meta={{
        canonical: '/donnees-ouvertes',
        description:
          'Toutes les fiches actions publiées, en fichiers réutilisables : tableur CSV avec son schéma, tableur Excel, JSON, format SENACS.',
      }}
    >
      <h1>Données ouvertes</h1>
      <p safe>
        {frenchSpacing(
          'Toutes les fiches actions publiées, en un fichier par format. Le tableur CSV est décrit par un schéma (Table Schema, selon les conventions de schema.data.gouv.fr) et un paquet de données (Data Package) ; ses colonnes sont celles des exports de la recherche.',
        )}
      </p>
      <p>
        <span safe>{frenchSpacing('Licence : ')}</span>
        <a href={licence.url} rel="license" safe>
          {licence.name}
        </a>
        <span>. Pour une partie seulement du catalogue, exportez les résultats d’une </span>
        <a href="/actions">recherche</a>.
      </p>
      {manifest ? (
        <>
          <p safe>
            {`Fichiers préparés le ${builtFormat.format(new Date(manifest.builtAt))}, ${manifest.fiches.toLocaleString('fr-FR')} fiches.`}
          </p>
          <TableScroll label="Fichiers des données ouvertes">
            <table class="stacked">
              <caption>Fichiers des données ouvertes</caption>
              <thead>
                <tr>
                  <th scope="col">Fichier</th>
                  <th scope="col">Contenu</th>
                  <th scope="col">Taille</th>
                </tr>
              </thead>
              <tbody>
                {manifest.files.map((f) => (
                  <tr>
                    <td class="stacked-title">
                      <a href={`/donnees-ouvertes/${f.name}`} safe>
                        {f.name}
                      </a>
                    </td>
                    <td data-label="Contenu" safe>
                      {f.label}
                    </td>
                    <td data-label="Taille" safe>
                      {formatFileSize(f.size)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      ) : (
        <p safe>
          {frenchSpacing(
            'Les fichiers n’ont pas encore été préparés : l’exploitant du site les prépare avec la commande « essaim opendata build », chaque nuit.',
          )}
        </p>
      )}
    </Layout>
  );
}
