import { departementPath, fichePath, structurePath } from '../core/paths.js';
import type { Db } from '../db/database.js';
import { INFO_PAGES } from './info-pages.js';
import {
  countPublishedFiches,
  listDepartementsWithFiches,
  listPublishedFiches,
  listStructuresWithFiches,
} from './site.repository.js';

/** The most addresses one sitemap file may hold (sitemaps.org). */
export const SITEMAP_MAX_URLS = 50_000;

const FICHES_READ = 5_000;

/** An address of the sitemap: a path of this site, and when its page last changed, if known. */
interface SitemapEntry {
  path: string;
  lastmod?: Date;
}

/** The pages every site has, before the départements, the structures and the fiches. */
const FIXED_PATHS = [
  '/',
  '/actions',
  '/statistiques',
  '/plan-du-site',
  '/api/v1/docs',
  ...INFO_PAGES.map((p) => `/${p.slug}`),
];

/**
 * The sitemap's addresses in their fixed order (the site's pages, the départements, the
 * structures, then the fiches by id), as parts of `size`: the number of parts, and a reader of
 * one part that streams the fiches a batch at a time.
 */
export async function sitemapParts(db: Db, size = SITEMAP_MAX_URLS) {
  const [departements, structures, fiches] = await Promise.all([
    listDepartementsWithFiches(db),
    listStructuresWithFiches(db),
    countPublishedFiches(db),
  ]);
  const head: SitemapEntry[] = [
    ...FIXED_PATHS.map((path) => ({ path })),
    ...departements.map((d) => ({ path: departementPath(d.code) })),
    ...structures.map((s) => ({ path: structurePath(s.id, s.name), lastmod: new Date(s.updated_at) })),
  ];
  const total = head.length + fiches;
  return {
    count: Math.max(1, Math.ceil(total / size)),
    /** The addresses of part `n`, from 1. */
    async *entries(n: number): AsyncGenerator<SitemapEntry> {
      const from = (n - 1) * size;
      const to = Math.min(total, from + size);
      for (let i = from; i < Math.min(to, head.length); i++) yield head[i];
      let offset = Math.max(0, from - head.length);
      let left = to - head.length - offset;
      for (let afterId = 0; left > 0; ) {
        const batch = await listPublishedFiches(db, { afterId, offset, limit: Math.min(left, FICHES_READ) });
        if (batch.length === 0) return;
        for (const f of batch) yield { path: fichePath(f.id, f.title), lastmod: f.updated_at };
        afterId = batch[batch.length - 1].id;
        offset = 0;
        left -= batch.length;
      }
    },
  };
}

/** Text as XML character data or attribute value. */
function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A date as the sitemap protocol's W3C datetime, to the second. */
function w3cDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMESPACE = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** A `<urlset>` of these addresses, absolute from `publicUrl`, as a stream of text. */
export async function* urlsetXml(entries: AsyncIterable<SitemapEntry>, publicUrl: string): AsyncGenerator<string> {
  yield `${XML_HEAD}<urlset xmlns="${NAMESPACE}">\n`;
  for await (const { path, lastmod } of entries) {
    const date = lastmod ? `<lastmod>${w3cDate(lastmod)}</lastmod>` : '';
    yield `<url><loc>${xmlEscape(`${publicUrl}${path}`)}</loc>${date}</url>\n`;
  }
  yield '</urlset>\n';
}

/** A `<sitemapindex>` of the parts' addresses. */
export function sitemapIndexXml(partUrls: string[]): string {
  const items = partUrls.map((url) => `<sitemap><loc>${xmlEscape(url)}</loc></sitemap>\n`).join('');
  return `${XML_HEAD}<sitemapindex xmlns="${NAMESPACE}">\n${items}</sitemapindex>\n`;
}
