import { FileList } from '../attachments/attachments.views.js';
import type { Budget } from '../budgets/extract.js';
import { budgetLine, funderLines } from '../budgets/summary.js';
import { formatEuros, frenchSpacing, quote } from '../core/typography.js';
import { FavouriteButton } from '../favourites/favourites.views.js';
import { ResultItem } from '../search/results.views.js';
import type { SearchItem } from '../search/search.model.js';
import { Layout } from '../web/layout.js';
import { absoluteUrl, currentSite } from '../web/site.js';
import { type FicheJson, ficheDates, ficheDescription, longDay } from './actions.presenter.js';
import { FIELD_LIST, formatMonth, jsonPlace, type TermJson } from './fields.js';
import { KeyFacts } from './key-facts.views.js';

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

// What the resources text says about money, read into figures above the text itself.
function budgetBlocks(budget: Budget): Block[] {
  const blocks: Block[] = [];
  const line = budgetLine(budget);
  if (line) blocks.push({ kind: 'short', heading: 'Budget', value: <Label text={line} /> });
  const funders = funderLines(budget);
  if (funders.length > 0) {
    blocks.push({
      kind: 'short',
      heading: 'Financeurs cités',
      value: (
        <ul class="plain-list">
          {funders.map((text) => (
            <li safe>{text}</li>
          ))}
        </ul>
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

/**
 * The fiche's fields in the source's order and with its headings; empty fields are left out.
 * The budget read from the resources comes before them, unless a page shows it elsewhere.
 */
export function ficheBlocks(fiche: FicheJson, options: { budget?: boolean } = {}): Block[] {
  const fields = fiche as unknown as Record<string, Record<string, unknown>>;
  return FIELD_LIST.flatMap((def): Block[] => {
    const { group, key } = jsonPlace(def);
    const value = group === null ? fields[key] : fields[group][key];
    const heading = frenchSpacing(def.label);
    const before = def.readsBudget && options.budget !== false ? budgetBlocks(fiche.budget) : [];
    const short = (element: JSX.Element): Block[] => [...before, { kind: 'short', heading, value: element }];
    if (def.kind === 'attachments')
      return fiche.attachments.length > 0 ? short(<FileList files={fiche.attachments} />) : [];
    if (def.kind === 'partners') return [...before, ...partnerBlocks(fiche, heading)];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return before;
    switch (def.kind) {
      case 'text':
      case 'line':
        return [...before, { kind: 'text', heading, text: value as unknown as string }];
      case 'month':
        return short(<Label text={formatMonth(value as unknown as string)} />);
      case 'term':
        return short(<Label text={(value as unknown as TermJson).label} />);
      case 'terms':
        return short(
          <TermList
            terms={(value as unknown as TermJson[]).map((t) => ({
              label: t.label,
              href: def.filter && `/actions?${def.filter}=${t.code}`,
            }))}
          />,
        );
      default:
        return before;
    }
  });
}

function partnerBlocks(fiche: FicheJson, heading: string): Block[] {
  const byRole = (role: 'action' | 'financial') =>
    fiche.partners.filter((p) => p.role === role).map((p) => ({ label: p.label, href: `/actions?partner=${p.code}` }));
  const action = byRole('action');
  const financial = byRole('financial');
  if (action.length === 0 && financial.length === 0) return [];
  return [
    {
      kind: 'short',
      heading,
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

/** « Reprise par 3 centres »: the published fiches written from this one, each linked. */
function Reprises({ fiche }: { fiche: FicheJson }): JSX.Element {
  if (fiche.inspired.length === 0) return '';
  const n = fiche.inspired.length;
  return (
    <section class="fiche-section reprises" aria-labelledby="reprises">
      <h2 id="reprises" safe>{`Reprise par ${n} centre${n > 1 ? 's' : ''}`}</h2>
      <ul>
        {fiche.inspired.map((f) => (
          <li>
            <a href={f.url} safe>
              {f.title}
            </a>
            <span safe>{` — ${f.structure}`}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The fields of a fiche, short ones as facts and texts as sections: the page's body, and the editors' preview. */
export function FicheBody({ fiche, budget }: { fiche: FicheJson; budget?: boolean }): JSX.Element {
  return (
    <>
      {fiche.inspiredBy ? (
        <p class="lineage">
          {'Inspirée de '}
          <a href={fiche.inspiredBy.url} safe>
            {quote(fiche.inspiredBy.title)}
          </a>
          <span safe>{` (${fiche.inspiredBy.structure})`}</span>
        </p>
      ) : (
        ''
      )}
      {group(ficheBlocks(fiche, { budget })).map((g) =>
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
      <Reprises fiche={fiche} />
    </>
  );
}

/** On paper only: where the fiche comes from and when it was printed, as its PDF says too. */
function PrintSource({ fiche }: { fiche: FicheJson }): JSX.Element {
  const day = longDay(new Date());
  return (
    <p class="print-only" safe>
      {`Essaim, le catalogue des actions des centres sociaux — ${absoluteUrl(currentSite(), fiche.url)} — imprimée le ${day}`}
    </p>
  );
}

/** Under the text: its dates, the fiche in JSON, and how to report what is wrong in it. */
function FicheFooter({ fiche }: { fiche: FicheJson }): JSX.Element {
  return (
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
      {' · '}
      <a href={`${fiche.url}/signaler`}>Signaler une erreur</a>
    </p>
  );
}

/** The public page of a fiche: its facts, its texts, its files, and what a reader may do with it. */
export function FichePage({
  fiche,
  similar,
  favourite,
  editHref,
}: {
  fiche: FicheJson;
  similar: SearchItem[];
  /** For a signed-in reader: whether the fiche is a favourite, and the form's token. */
  favourite?: { starred: boolean; csrf: string };
  /** The editor's address, for a reader who may write this fiche. */
  editHref?: string;
}): JSX.Element {
  return (
    <Layout title={fiche.title} meta={{ canonical: fiche.url, type: 'article', description: ficheDescription(fiche) }}>
      <article class="fiche" aria-labelledby="fiche-titre">
        <header class="fiche-header">
          <p class="kicker">Fiche action</p>
          <h1 id="fiche-titre" safe>
            {fiche.title}
          </h1>
          <div class="fiche-tools">
            {editHref ? (
              <a class="button-link" href={editHref}>
                Modifier
              </a>
            ) : (
              ''
            )}
            {favourite ? (
              <FavouriteButton actionId={fiche.id} starred={favourite.starred} csrf={favourite.csrf} back={fiche.url} />
            ) : (
              <a href={`/connexion?suite=${encodeURIComponent(fiche.url)}`}>
                Se connecter pour garder cette fiche en favori
              </a>
            )}
            <button type="button" class="secondary" data-print hidden>
              Imprimer
            </button>
            <a href={`${fiche.url}/inspirer`}>S’inspirer de cette fiche</a>
          </div>
        </header>
        <KeyFacts fiche={fiche} />
        <div class="fiche-body">
          <FicheBody fiche={fiche} budget={false} />
          <FicheFooter fiche={fiche} />
          <PrintSource fiche={fiche} />
        </div>
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
