import { frenchSpacing } from '../core/typography.js';
import { ExportLinks, Pagination, ResultItem } from '../search/results.views.js';
import type { SearchResult } from '../search/search.model.js';
import { countFiches } from '../search/search.presenter.js';
import { CsrfField, Notice } from '../web/forms.js';
import { Layout } from '../web/layout.js';

/** The star of a fiche: a form that adds it to the reader's favourites or takes it out. */
export function FavouriteButton(props: {
  actionId: number;
  starred: boolean;
  csrf: string;
  back: string;
}): JSX.Element {
  return (
    <form
      method="post"
      action={props.starred ? `/favoris/${props.actionId}/retirer` : `/favoris/${props.actionId}`}
      class="favourite-form"
    >
      <CsrfField token={props.csrf} />
      <input type="hidden" name="suite" value={props.back} />
      <button type="submit" class={props.starred ? 'secondary' : undefined} aria-pressed={String(props.starred)}>
        <span aria-hidden="true">{props.starred ? '★ ' : '☆ '}</span>
        {props.starred ? 'Dans mes favoris (retirer)' : 'Ajouter à mes favoris'}
      </button>
    </form>
  );
}

const NOTICES: Record<string, string> = {
  ajout: 'Fiche ajoutée à vos favoris.',
  retrait: 'Fiche retirée de vos favoris.',
};

/** A reader's favourite fiches, each with its button, and their exports. */
export function FavouritesPage(props: { result: SearchResult; csrf: string; notice?: string }): JSX.Element {
  const { result } = props;
  return (
    <Layout title="Mes favoris">
      <h1>Mes favoris</h1>
      <Notice message={props.notice ? NOTICES[props.notice] : undefined} />
      {result.total === 0 ? (
        <p>
          Vous n’avez pas encore de favori. Sur la page d’une fiche, le bouton « Ajouter à mes favoris » la garde ici.{' '}
          <a href="/actions">Rechercher une action</a>
        </p>
      ) : (
        <>
          <p class="count">
            <span safe>{frenchSpacing(`${countFiches(result.total)} en favori. Les exporter :`)}</span>{' '}
            <ExportLinks href="/favoris/export" />
          </p>
          <ol class="result-list" start={String((result.page - 1) * result.perPage + 1)}>
            {result.items.map((item) => (
              <ResultItem item={item}>
                <FavouriteButton actionId={item.id} starred csrf={props.csrf} back="/favoris" />
              </ResultItem>
            ))}
          </ol>
          <Pagination result={result} basePath="/favoris" />
        </>
      )}
    </Layout>
  );
}
