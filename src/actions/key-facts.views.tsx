import type { Children } from '@kitajs/html';
import type { Budget, Figure } from '../budgets/extract.js';
import { departementPath, structurePath } from '../core/paths.js';
import { formatEuros, frenchSpacing } from '../core/typography.js';
import { ContactDetails } from '../structures/contact-details.views.js';
import { type FicheJson, ficheDates } from './actions.presenter.js';
import { formatMonth } from './fields.js';
import { hasContact } from './structure-contact.js';

const CONFIDENCE_NOTES = {
  high: '',
  medium: ' (lu dans le texte)',
  low: ' (approximatif)',
} as const;

function amount(figure: Figure): string {
  return frenchSpacing(`${formatEuros(figure.amount)}${CONFIDENCE_NOTES[figure.confidence]}`);
}

/**
 * The budget in one line: the overall amount, and the charges and products only when they
 * differ (a balanced budget would say the same figure three times). Null without an amount.
 */
export function budgetLine(budget: Budget): string | null {
  const { total, charges, products } = budget;
  if (!total) return null;
  const detail =
    charges && products && charges.amount !== products.amount
      ? ` (charges ${amount(charges)}, produits ${amount(products)})`
      : '';
  return `${amount(total)}${detail}`;
}

/** Each funder the text names, with its amount when it gives one: « CARSAT : 2 000 € ». */
export function funderLines(budget: Budget): string[] {
  return budget.funders.map((f) =>
    f.amount === null ? f.label : frenchSpacing(`${f.label} : ${formatEuros(f.amount)}`),
  );
}

/** One line of the panel: a heading and what it says. */
function Fact(props: { term: string; children: Children }): JSX.Element {
  return (
    <div>
      <dt safe>{props.term}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/**
 * What a reader looks for first, beside the text on a wide screen and above it on a phone: who
 * led the action and where, where it stands, what it cost and who paid, for whom, since when,
 * and the PDF.
 */
export function KeyFacts({ fiche }: { fiche: FicheJson }): JSX.Element {
  const dep = fiche.structure.department;
  const budget = budgetLine(fiche.budget);
  const funders = funderLines(fiche.budget);
  const { volunteering } = fiche.budget;
  return (
    <aside class="key-facts" aria-labelledby="en-bref">
      <h2 id="en-bref">En bref</h2>
      <dl>
        <Fact term="Structure">
          <a href={structurePath(fiche.structure.id, fiche.structure.name)} safe>
            {fiche.structure.name}
          </a>
          {fiche.structure.contact && hasContact(fiche.structure.contact) ? (
            <ContactDetails structure={fiche.structure} contact={fiche.structure.contact} ficheId={fiche.id} compact />
          ) : (
            ''
          )}
        </Fact>
        <Fact term="Département">
          <a href={departementPath(dep.code)} safe>
            {`${dep.name ?? dep.code} (${dep.code})`}
          </a>
          {dep.region ? <span safe>{` · ${dep.region.name}`}</span> : ''}
        </Fact>
        {fiche.status ? <Fact term="Statut">{<span safe>{fiche.status.label}</span>}</Fact> : ''}
        {fiche.startDate ? <Fact term="Début">{<span safe>{formatMonth(fiche.startDate)}</span>}</Fact> : ''}
        {budget ? <Fact term="Budget">{<span safe>{budget}</span>}</Fact> : ''}
        {funders.length > 0 ? (
          <Fact term="Financeurs cités">
            <ul class="plain-list">
              {funders.map((line) => (
                <li safe>{line}</li>
              ))}
            </ul>
          </Fact>
        ) : (
          ''
        )}
        {volunteering !== null ? (
          <Fact term="Valorisation du bénévolat">{<span safe>{formatEuros(volunteering)}</span>}</Fact>
        ) : (
          ''
        )}
        {fiche.publics.length > 0 ? (
          <Fact term="Public">{<span safe>{fiche.publics.map((p) => p.label).join(', ')}</span>}</Fact>
        ) : (
          ''
        )}
        <Fact term="Dates">{<span safe>{ficheDates(fiche)[0].text}</span>}</Fact>
      </dl>
      <p class="key-facts-pdf">
        <a href={`${fiche.url}.pdf`}>Télécharger en PDF</a>
      </p>
    </aside>
  );
}
