import type { SessionUser } from '../authorization/authorization.js';
import { frenchSpacing, quote } from '../core/typography.js';
import { EspaceLayout } from '../web/espace-layout.js';
import { TableScroll } from '../web/table-scroll.js';
import { FIGURE_COLUMNS, type FiguresReport } from './figures.service.js';
import { monthLabel } from './months.js';

const number = (n: number) => n.toLocaleString('fr-FR');

/**
 * The month's reads as bars: a picture for the eye, hidden from screen readers, which read
 * the same figures in the table below it.
 */
function ViewsChart(props: { months: FiguresReport['months'] }): JSX.Element {
  const max = Math.max(1, ...props.months.map((m) => m.views));
  const width = 36;
  const height = 120;
  return (
    <svg
      class="figures-chart"
      viewBox={`0 0 ${props.months.length * width} ${height + 34}`}
      aria-hidden="true"
      focusable="false"
    >
      {props.months.map((m, i) => {
        const bar = Math.round((m.views / max) * height);
        return (
          <g>
            <rect x={i * width + 6} y={height - bar + 14} width={width - 12} height={bar} class="figures-bar" />
            <text x={i * width + width / 2} y={height - bar + 10} text-anchor="middle" class="figures-value">
              {m.views > 0 ? number(m.views) : ''}
            </text>
            <text x={i * width + width / 2} y={height + 30} text-anchor="middle" class="figures-month" safe>
              {monthLabel(m.month).split(' ')[0]}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function FigureHeads(props: { first: string }): JSX.Element {
  return (
    <thead>
      <tr>
        <th scope="col" safe>
          {props.first}
        </th>
        {FIGURE_COLUMNS.map((c) => (
          <th scope="col" class="number">
            {c.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function MonthTable(props: { months: FiguresReport['months'] }): JSX.Element {
  return (
    <TableScroll label="Chiffres par mois">
      <table class="figures-table">
        <caption>Par mois</caption>
        <FigureHeads first="Mois" />
        <tbody>
          {props.months.map((m) => (
            <tr>
              <th scope="row" safe>
                {monthLabel(m.month)}
              </th>
              {FIGURE_COLUMNS.map((c) => (
                <td class="number" safe>
                  {number(m[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function FicheTable(props: { report: FiguresReport }): JSX.Element {
  const { fiches, counted } = props.report;
  const caption =
    counted > fiches.length ? `Les ${fiches.length} fiches les plus lues sur ${number(counted)}` : 'Par fiche';
  return (
    <TableScroll label="Chiffres par fiche">
      <table class="stacked figures-table">
        <caption safe>{caption}</caption>
        <FigureHeads first="Fiche" />
        <tbody>
          {fiches.map((f) => (
            <tr>
              <td class="stacked-title">
                <a href={`/espace/statistiques?fiche=${f.id}`} safe>
                  {f.title}
                </a>
                <span class="meta" safe>{` — ${f.structureName}`}</span>
              </td>
              {FIGURE_COLUMNS.map((c) => (
                <td class="number" data-label={c.label} safe>
                  {number(f[c.key])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** « Mes statistiques »: what readers did with the user's fiches these last 12 months. */
export function FiguresPage(props: { user: SessionUser; csrf: string; report: FiguresReport }): JSX.Element {
  const { report } = props;
  const total = report.months.reduce((n, m) => n + m.views, 0);
  const title = report.fiche ? `Statistiques de ${quote(report.fiche.title)}` : 'Mes statistiques';
  return (
    <EspaceLayout title={title} user={props.user} csrf={props.csrf}>
      <h1 safe>{title}</h1>
      <p safe>
        {frenchSpacing(
          `${number(total)} lecture${total > 1 ? 's' : ''} ces 12 derniers mois. Les lectures sont comptées sans cookie et sans garder qui lit : ni adresse IP, ni identifiant ; les robots des moteurs de recherche ne comptent pas. Ces chiffres ne sont montrés qu’aux éditeurs de la structure et à la relecture.`,
        )}
      </p>
      {report.fiche ? (
        <p>
          <a href={report.fiche.url}>Voir la fiche</a> · <a href="/espace/statistiques">Toutes mes fiches</a>
        </p>
      ) : (
        ''
      )}
      <figure class="figures-figure">
        <figcaption>Lectures par mois</figcaption>
        <ViewsChart months={report.months} />
      </figure>
      <MonthTable months={report.months} />
      {report.fiche ? (
        ''
      ) : report.fiches.length === 0 ? (
        <p>Aucune lecture de vos fiches ces 12 derniers mois.</p>
      ) : (
        <FicheTable report={report} />
      )}
    </EspaceLayout>
  );
}
