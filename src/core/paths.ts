import slugify from '@sindresorhus/slugify';

// Letters are transliterated (« œ » gives "oe", « ß » "ss"), never dropped; « & » reads « et ».
const SLUG_OPTIONS = { decamelize: false, customReplacements: [['&', ' et ']] as Array<[string, string]> };

// Every result list makes the slugs of its 20 titles, and slugify transliterates letter by
// letter (4 % of a results page's time): the slugs of the titles met last are kept.
const MAX_SLUGS = 20_000;
const slugs = new Map<string, string>();

function slugOf(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    // An address that used to drop letters still works: pages are found by id and redirect here.
    const full = slugify(text, SLUG_OPTIONS) || 'fiche';
    // A long title is cut at a word boundary, so that the address stays readable.
    slug = full.length <= 80 ? full : full.slice(0, 81).replace(/-[^-]*$/, '');
    if (slugs.size >= MAX_SLUGS) slugs.clear();
    slugs.set(text, slug);
  }
  return slug;
}

function withSlug(prefix: string, id: number, text: string): string {
  return `${prefix}/${id}-${slugOf(text)}`;
}

/** The page of a fiche, with a readable slug: /actions/12-atelier-numerique. */
export function fichePath(id: number, title: string): string {
  return withSlug('/actions', id, title);
}

/** The page of a structure: /structures/3-centre-social-la-clef. */
export function structurePath(id: number, name: string): string {
  return withSlug('/structures', id, name);
}

/** The page of a département: /departements/2A. */
export function departementPath(code: string): string {
  return `/departements/${code}`;
}

/** The leading id of a path segment such as "12-atelier-numerique"; undefined when there is none. */
export function idFromSegment(segment: string): number | undefined {
  const match = /^(\d{1,9})(?:-[a-z0-9-]*)?$/.exec(segment);
  return match ? Number(match[1]) : undefined;
}

/** The download address of an uploaded file; the name at the end is what browsers save it as. */
export function filePath(id: number, fileName: string): string {
  return `/fichiers/${id}/${encodeURIComponent(fileName)}`;
}

const SITE = new URL('https://essaim.invalid');
const isControlOrBackslash = (c: string) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f;

/**
 * A path of this site to go back to after a form, or `fallback`: never another site's address.
 * The path is read as a browser reads a Location header (WHATWG URL, which drops tabs and line
 * breaks and takes "\\" for "/"), so "/\t/evil.example" cannot become "//evil.example"; any
 * control character or backslash is refused outright, and what is returned is the parsed path.
 */
export function safeReturnPath(next: string | undefined, fallback: string): string {
  if (!next?.startsWith('/') || [...next].some(isControlOrBackslash)) return fallback;
  try {
    const url = new URL(next, SITE);
    return url.origin === SITE.origin ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
