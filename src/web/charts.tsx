import { frenchSpacing } from '../core/typography.js';

/** One bar: what it counts, its value, the value as read, and where it leads. */
export interface Bar {
  label: string;
  value: number;
  /** The value as the table and the bar's end show it ("3", "5 647 €"). */
  display: string;
  href: string;
}

// Each bar has its label on the line above it, wrapped, so that the longest label reads whole;
// a narrow drawing keeps the text legible once scaled down to a phone's width.
const WIDTH = 420;
const VALUE_ROOM = 76;
const LINE = 16;
const BAR = 14;
const GAP = 10;
/** About what fits on one line of the drawing at its font size. */
const LINE_CHARS = 58;

/** The label cut into lines at spaces, none longer than `LINE_CHARS` unless a word is. */
export function wrapLabel(label: string, width = LINE_CHARS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/**
 * A horizontal bar chart drawn on the server, with the same figures in a table beside it. The
 * drawing is hidden from screen readers and its links from the keyboard (tabindex -1): the
 * table, with a link on every value, is how they read and follow it.
 */
export function BarChart(props: { id: string; caption: string; unit: string; bars: Bar[] }): JSX.Element {
  const { bars } = props;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (WIDTH - VALUE_ROOM) / max;
  let y = 0;
  const rows = bars.map((bar) => {
    const lines = wrapLabel(bar.label);
    const top = y;
    y += lines.length * LINE + BAR + GAP;
    return { bar, lines, top };
  });
  const height = Math.max(y, 1);
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
        {rows.map(({ bar, lines, top }) => {
          const barTop = top + lines.length * LINE + 3;
          const length = Math.max(2, bar.value * scale);
          return (
            <a href={bar.href} tabindex="-1">
              <title safe>{frenchSpacing(`${bar.label} : ${bar.display}`)}</title>
              <text x="0" y={String(top + LINE - 3)} class="chart-label">
                {lines.map((line, i) => (
                  <tspan x="0" dy={i === 0 ? '0' : String(LINE)} safe>
                    {line}
                  </tspan>
                ))}
              </text>
              <rect x="0" y={String(barTop)} width={length.toFixed(1)} height={String(BAR)} class="chart-bar" />
              <text x={(length + 6).toFixed(1)} y={String(barTop + BAR - 2)} class="chart-value" safe>
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
