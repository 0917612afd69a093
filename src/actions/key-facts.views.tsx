import type { Children } from '@kitajs/html';
import { budgetLine, funderLines } from '../budgets/summary.js';
import { departementPath, structurePath } from '../core/paths.js';
import { formatEuros, frenchSpacing } from '../core/typography.js';
import { ContactDetails } from '../structures/contact-details.views.js';
import { type FicheJson, ficheDates, longDay } from './actions.presenter.js';
import { formatMonth } from './fields.js';
import { hasContact } from './structure-contact.js';

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
        <Fact term="À jour au">
          <time datetime={fiche.upToDate} safe>
            {longDay(fiche.upToDate)}
          </time>
          {fiche.freshness === 'stale' ? <strong class="badge badge-stale">À vérifier</strong> : ''}
        </Fact>
      </dl>
      {fiche.freshness === 'stale' ? (
        <p class="stale-note" safe>
          {frenchSpacing(
            'Ses éditeurs n’ont pas confirmé qu’elle est toujours d’actualité : vérifiez auprès du centre avant de vous en servir.',
          )}
        </p>
      ) : (
        ''
      )}
      <p class="key-facts-pdf">
        <a href={`${fiche.url}.pdf`}>Télécharger en PDF</a>
      </p>
    </aside>
  );
}
