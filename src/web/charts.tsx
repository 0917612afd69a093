import { frenchSpacing } from './typography.js';

/** One bar: what it counts, its value, the value as read, and where it leads. */
export interface Bar {
  label: string;
  value: number;
  /** The value as the table and the bar's end show it ("3", "5 647 €"). */
  display: string;
  href: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 230;
const VALUE_ROOM = 80;
const ROW = 26;
const LABEL_CHARS = 34;

function shortLabel(label: string): string {
  return label.length <= LABEL_CHARS ? label : `${label.slice(0, LABEL_CHARS - 1).trimEnd()}…`;
}

/**
 * A horizontal bar chart drawn on the server, with the same figures in a table beside it. The
 * drawing is hidden from screen readers and its links from the keyboard (tabindex -1): the
 * table, with a link on every value, is how they read and follow it.
 */
export function BarChart(props: { id: string; caption: string; unit: string; bars: Bar[] }): JSX.Element {
  const { bars } = props;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / max;
  const height = bars.length * ROW + 4;
  return (
    <div class="chart">
      <svg
        class="chart-drawing"
        viewBox={`0 0 ${WIDTH} ${height}`}
        width={String(WIDTH)}
        height={String(height)}
        aria-hidden="true"
        focusable="false"
      >
        {bars.map((bar, i) => {
          const y = i * ROW + 2;
          const length = Math.max(2, bar.value * scale);
          return (
            <a href={bar.href} tabindex="-1">
              <title safe>{frenchSpacing(`${bar.label} : ${bar.display}`)}</title>
              <text x={String(LABEL_WIDTH - 8)} y={String(y + ROW / 2 + 5)} text-anchor="end" class="chart-label" safe>
                {shortLabel(bar.label)}
              </text>
              <rect
                x={String(LABEL_WIDTH)}
                y={String(y + 4)}
                width={length.toFixed(1)}
                height={String(ROW - 8)}
                class="chart-bar"
              />
              <text x={(LABEL_WIDTH + length + 6).toFixed(1)} y={String(y + ROW / 2 + 5)} class="chart-value" safe>
                {bar.display}
              </text>
            </a>
          );
        })}
      </svg>
      <table class="chart-table" id={props.id}>
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Valeur</th>
            <th scope="col" class="number" safe>
              {props.unit}
            </th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr>
              <th scope="row">
                <a href={bar.href} safe>
                  {bar.label}
                </a>
              </th>
              <td class="number" safe>
                {bar.display}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
