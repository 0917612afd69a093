import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SiteSettings } from '../config.js';
import { renderMarkdown } from './markdown.js';

/** The public-service pages whose text the operator writes, by address. */
export const INFO_PAGES = [
  {
    slug: 'mentions-legales',
    title: 'Mentions légales',
    description: 'Qui édite et héberge Essaim, sous quelle licence ses données sont réutilisables.',
  },
  {
    slug: 'donnees-personnelles',
    title: 'Données personnelles',
    description:
      'Les données personnelles que le site collecte, pourquoi, combien de temps, et comment les faire supprimer.',
  },
  {
    slug: 'accessibilite',
    title: 'Déclaration d’accessibilité',
    description: 'L’état de conformité du site au RGAA, ce qui n’est pas encore accessible et comment le signaler.',
  },
  {
    slug: 'contact',
    title: 'Contact',
    description: 'Écrire à l’équipe du site, ou trouver le centre qui a mené une action.',
  },
  {
    slug: 'devenir-contributeur',
    title: 'Devenir contributeur',
    description: 'Comment un centre social ou un espace de vie sociale obtient un compte pour publier ses actions.',
  },
] as const;

/** One of the pages of INFO_PAGES. */
export type InfoPage = (typeof INFO_PAGES)[number];

const DEFAULTS = path.join(import.meta.dirname, 'texts');

/** What a page's text may name, replaced by the settings before the Markdown is read. */
function placeholders(site: SiteSettings, publicUrl: string): Record<string, string> {
  return {
    site: 'Essaim',
    adresse: `<${publicUrl}>`,
    editeur: escapeMarkdown(site.publisher),
    contact: `<${site.contactEmail}>`,
    hebergeur: escapeMarkdown(site.hosting),
    licence: `[${escapeMarkdown(site.licence.name)}](<${site.licence.url}>)`,
    conformite: site.accessibility,
  };
}

/** A setting as literal text in Markdown: its punctuation cannot start a list, a link or an emphasis. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

/**
 * A page's text as HTML: the operator's `$DATA_DIR/pages/<slug>.md` when it exists, else the
 * default shipped with the app, its placeholders ({{contact}}…) replaced by the settings.
 * Read at each request, so that an edited text shows without a restart.
 */
export async function readInfoPage(
  page: InfoPage,
  where: { dataDir: string; publicUrl: string; site: SiteSettings },
): Promise<string> {
  const own = path.join(where.dataDir, 'pages', `${page.slug}.md`);
  const text = await readFile(own, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return readFile(path.join(DEFAULTS, `${page.slug}.md`), 'utf8');
    throw error;
  });
  const values = placeholders(where.site, where.publicUrl);
  return renderMarkdown(text.replace(/\{\{([a-z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole));
}
