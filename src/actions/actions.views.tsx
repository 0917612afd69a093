import { FileList } from '../attachments/attachments.views.js';
import type { Budget, Figure } from '../budgets/extract.js';
import { departementPath, structurePath } from '../core/paths.js';
import { formatEuros, frenchSpacing } from '../core/typography.js';
import { FavouriteButton } from '../favourites/favourites.views.js';
import { ResultItem } from '../search/results.views.js';
import type { SearchItem } from '../search/search.service.js';
import { Layout } from '../web/layout.js';
import { type FicheJson, ficheDates } from './actions.presenter.js';

/** A field of the fiche page: a short value (a term, a list) or a free text. */
export type Block =
  | { kind: 'short'; heading: string; value: JSX.Element }
  | { kind: 'text'; heading: string; text: string };

function Label({ text }: { text: string }): JSX.Element {
  return <span safe>{text}</span>;
}

/** Free text as written: the stylesheet keeps its line breaks. */
function Text({ text }: { text: string }): JSX.Element {
  return (
    <div class="free-text" safe>
      {text}
    </div>
  );
}

function TermList({ terms }: { terms: Array<{ label: string; href?: string }> }): JSX.Element {
  return (
    <ul class="inline-list">
      {terms.map((t) =>
        t.href ? (
          <li>
            <a href={t.href} safe>
              {t.label}
            </a>
          </li>
        ) : (
          <li safe>{t.label}</li>
        ),
      )}
    </ul>
  );
}

const CONFIDENCE_NOTES = {
  high: '',
  medium: ' (lu dans le texte)',
  low: ' (approximatif)',
} as const;

function amount(figure: Figure): string {
  return frenchSpacing(`${formatEuros(figure.amount)}${CONFIDENCE_NOTES[figure.confidence]}`);
}

// What the resources text says about money, read into figures above the text itself.
function budgetBlocks(budget: Budget): Block[] {
  const blocks: Block[] = [];
  const { total, charges, products } = budget;
  if (total) {
    // The total is the charges, or else the products: both are worth showing only together.
    const detail = charges && products ? ` — charges ${amount(charges)}, produits ${amount(products)}` : '';
    blocks.push({ kind: 'short', heading: 'Budget', value: <Label text={`${amount(total)}${detail}`} /> });
  }
  if (budget.funders.length > 0) {
    blocks.push({
      kind: 'short',
      heading: 'Financeurs cités',
      value: (
        <TermList
          terms={budget.funders.map((f) => ({
            label: f.amount === null ? f.label : frenchSpacing(`${f.label} : ${formatEuros(f.amount)}`),
          }))}
        />
      ),
    });
  }
  if (budget.volunteering !== null) {
    blocks.push({
      kind: 'short',
      heading: 'Valorisation du bénévolat',
      value: <Label text={frenchSpacing(formatEuros(budget.volunteering))} />,
    });
  }
  return blocks;
}

/** The fiche's fields in the source's order and with its headings; empty fields are left out. */
export function ficheBlocks(fiche: FicheJson): Block[] {
  const list: Array<Block | false> = [
    fiche.attachments.length > 0 && {
      kind: 'short',
      heading: 'Fichier(s) associé(s)',
      value: <FileList files={fiche.attachments} />,
    },
    fiche.status !== null && {
      kind: 'short',
      heading: 'Statut de l’action',
      value: <Label text={fiche.status.label} />,
    },
    fiche.endReason !== null && {
      kind: 'text',
      heading: 'Raisons pour lesquelles l’action est terminée',
      text: fiche.endReason,
    },
    fiche.dimension !== null && { kind: 'short', heading: 'Dimension', value: <Label text={fiche.dimension.label} /> },
    fiche.keywords.length > 0 && {
      kind: 'short',
      heading: 'Mots clés associés à l’action',
      value: <TermList terms={fiche.keywords.map((k) => ({ label: k.label, href: `/actions?keyword=${k.code}` }))} />,
    },
    fiche.summary !== null && { kind: 'text', heading: 'Résumé', text: fiche.summary },
    fiche.initiatives.length > 0 && {
      kind: 'short',
      heading: frenchSpacing('Qui est à l’initiative de l’action ?'),
      value: <TermList terms={fiche.initiatives} />,
    },
    fiche.initiativeDetail !== null && { kind: 'text', heading: 'Précision (si autre)', text: fiche.initiativeDetail },
    fiche.territory !== null && {
      kind: 'short',
      heading: 'Territoire concerné',
      value: <Label text={fiche.territory.label} />,
    },
    fiche.experience !== null && {
      kind: 'text',
      heading: 'Description de l’expérience, ses objectifs, ses acteurs et ses différentes phases',
      text: fiche.experience,
    },
    fiche.publics.length > 0 && {
      kind: 'short',
      heading: 'Public',
      value: <TermList terms={fiche.publics.map((p) => ({ label: p.label, href: `/actions?public=${p.code}` }))} />,
    },
    ...partnerBlocks(fiche),
    fiche.partnersTerritory !== null && {
      kind: 'short',
      heading: 'Territoire concerné par le partenariat',
      value: <Label text={fiche.partnersTerritory.label} />,
    },
    fiche.generalDescription !== null && {
      kind: 'text',
      heading: 'Description générale',
      text: fiche.generalDescription,
    },
    ...resultBlocks(fiche),
  ];
  return list.filter((b): b is Block => b !== false);
}

/** The fiche's money, people, results and what comes next; empty fields are left out. */
function resultBlocks(fiche: FicheJson): Block[] {
  const list: Array<Block | false> = [
    ...budgetBlocks(fiche.budget),
    fiche.financialResources !== null && {
      kind: 'text',
      heading: 'Ressources financières mobilisées pour cette action',
      text: fiche.financialResources,
    },
    fiche.peopleMobilised !== null && {
      kind: 'text',
      heading: 'Nombre de personnes mobilisées pour cette action',
      text: fiche.peopleMobilised,
    },
    fiche.results.territory !== null && {
      kind: 'text',
      heading: 'Résultat sur le territoire',
      text: fiche.results.territory,
    },
    fiche.results.socialCentre !== null && {
      kind: 'text',
      heading: 'Résultat pour le centre social',
      text: fiche.results.socialCentre,
    },
    fiche.results.inhabitants !== null && {
      kind: 'text',
      heading: 'Résultat pour les habitants',
      text: fiche.results.inhabitants,
    },
    fiche.followUp.limits !== null && {
      kind: 'text',
      heading: frenchSpacing('Suite de l’action : limites'),
      text: fiche.followUp.limits,
    },
    fiche.followUp.perspectives !== null && {
      kind: 'text',
      heading: frenchSpacing('Suite de l’action : perspectives'),
      text: fiche.followUp.perspectives,
    },
  ];
  return list.filter((b): b is Block => b !== false);
}

function partnerBlocks(fiche: FicheJson): Block[] {
  const byRole = (role: 'action' | 'financial') =>
    fiche.partners.filter((p) => p.role === role).map((p) => ({ label: p.label, href: `/actions?partner=${p.code}` }));
  const action = byRole('action');
  const financial = byRole('financial');
  if (action.length === 0 && financial.length === 0) return [];
  return [
    {
      kind: 'short',
      heading: frenchSpacing('Avec qui cette action a-t-elle été menée ?'),
      value: (
        <dl class="partners">
          {action.length > 0 && (
            <>
              <dt>Partenaires d’action</dt>
              <dd>
                <TermList terms={action} />
              </dd>
            </>
          )}
          {financial.length > 0 && (
            <>
              <dt>Partenaires financiers</dt>
              <dd>
                <TermList terms={financial} />
              </dd>
            </>
          )}
        </dl>
      ),
    },
  ];
}

// Consecutive short fields share one definition list; each long text gets its own section.
function group(list: Block[]): Array<Block[] | Block> {
  const groups: Array<Block[] | Block> = [];
  for (const block of list) {
    const last = groups[groups.length - 1];
    if (block.kind === 'short' && Array.isArray(last)) last.push(block);
    else groups.push(block.kind === 'short' ? [block] : block);
  }
  return groups;
}

/** The page of one fiche: every field in the source's order, then similar actions. */
/** The fields of a fiche, short ones as facts and texts as sections: the page's body, and the editors' preview. */
export function FicheBody({ fiche }: { fiche: FicheJson }): JSX.Element {
  return (
    <>
      {group(ficheBlocks(fiche)).map((g) =>
        Array.isArray(g) ? (
          <dl class="facts">
            {g.map((b) => (
              <div>
                <dt safe>{b.heading}</dt>
                <dd>{b.kind === 'short' ? b.value : ''}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <section class="fiche-section">
            <h2 safe>{g.heading}</h2>
            <Text text={g.kind === 'text' ? g.text : ''} />
          </section>
        ),
      )}
    </>
  );
}

/** The public page of a fiche: its facts, its texts, its files, and what a reader may do with it. */
export function FichePage({
  fiche,
  similar,
  favourite,
}: {
  fiche: FicheJson;
  similar: SearchItem[];
  /** For a signed-in reader: whether the fiche is a favourite, and the form's token. */
  favourite?: { starred: boolean; csrf: string };
}): JSX.Element {
  const dep = fiche.structure.department;
  return (
    <Layout title={fiche.title} canonical={fiche.url}>
      <article class="fiche" aria-labelledby="fiche-titre">
        <header class="fiche-header">
          <p class="kicker">Fiche action</p>
          <h1 id="fiche-titre" safe>
            {fiche.title}
          </h1>
          <p class="meta">
            <span class="visually-hidden">Structure organisatrice : </span>
            <a href={structurePath(fiche.structure.id, fiche.structure.name)} safe>
              {fiche.structure.name}
            </a>
            {' — '}
            <a href={departementPath(dep.code)} safe>
              {`${dep.name ?? dep.code} (${dep.code})`}
            </a>
            {dep.region ? <span safe>{` · ${dep.region.name}`}</span> : ''}
          </p>
          <div class="fiche-tools">
            {favourite ? (
              <FavouriteButton actionId={fiche.id} starred={favourite.starred} csrf={favourite.csrf} back={fiche.url} />
            ) : (
              <a href={`/connexion?suite=${encodeURIComponent(fiche.url)}`}>
                Se connecter pour garder cette fiche en favori
              </a>
            )}
            <a href={`${fiche.url}.pdf`}>Télécharger en PDF</a>
            <button type="button" class="secondary" data-print hidden>
              Imprimer
            </button>
          </div>
        </header>
        <FicheBody fiche={fiche} />
        <p class="fiche-footer">
          {ficheDates(fiche).map((part) =>
            part.iso ? (
              <>
                <time datetime={part.iso} safe>
                  {part.text}
                </time>
                {' · '}
              </>
            ) : (
              <>
                <span safe>{part.text}</span>
                {' · '}
              </>
            ),
          )}
          <a href={`/api/v1/actions/${fiche.id}`}>Cette fiche en JSON</a>
        </p>
      </article>
      {similar.length > 0 && (
        <aside class="similar" aria-labelledby="similaires">
          <h2 id="similaires">Actions similaires</h2>
          <ul class="result-list">
            {similar.map((item) => (
              <ResultItem item={item} />
            ))}
          </ul>
        </aside>
      )}
    </Layout>
  );
}
