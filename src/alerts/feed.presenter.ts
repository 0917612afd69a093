import { escapeHtml } from '@kitajs/html';
import { Feed } from 'feed';
import type { FicheJson } from '../actions/actions.presenter.js';
import type { SiteSettings } from '../config.js';
import type { SearchFeed } from './feed.service.js';

/** When a fiche last changed, as its entry's <updated>: its last edit, else its publication or import. */
function changedAt(fiche: FicheJson): Date {
  return new Date(fiche.updatedAt ?? fiche.publishedAt ?? fiche.importedAt ?? fiche.createdAt);
}

/**
 * A search's feed in Atom 1.0: one entry per fiche (its résumé, its structure as author, its
 * keywords as categories), the feed's address as its id, the data's licence as its rights.
 */
export function atomFeed(
  feed: SearchFeed,
  where: { publicUrl: string; selfPath: string; searchPath: string; licence: SiteSettings['licence'] },
): string {
  const { publicUrl } = where;
  const dates = feed.fiches.map(changedAt);
  const atom = new Feed({
    id: `${publicUrl}${where.selfPath}`,
    title:
      feed.q || Object.values(feed.filters).some((codes) => codes.length > 0)
        ? `Essaim — nouvelles fiches actions (${feed.description})`
        : 'Essaim — nouvelles fiches actions',
    description: 'Les dernières fiches actions publiées par les centres sociaux pour cette recherche.',
    link: `${publicUrl}${where.searchPath}`,
    language: 'fr',
    updated: dates.length > 0 ? new Date(Math.max(...dates.map(Number))) : new Date(0),
    generator: 'Essaim',
    feedLinks: { atom: `${publicUrl}${where.selfPath}` },
    author: { name: 'Essaim', link: publicUrl },
    favicon: `${publicUrl}/favicon.ico`,
    copyright: `Données réutilisables sous ${where.licence.name} : ${where.licence.url}`,
  });
  feed.fiches.forEach((fiche, i) => {
    const url = `${publicUrl}${fiche.url}`;
    // The library marks titles and summaries as HTML: the fiches' plain text goes in escaped.
    atom.addItem({
      title: escapeHtml(fiche.title),
      id: url,
      link: url,
      date: dates[i],
      ...(fiche.publishedAt ? { published: new Date(fiche.publishedAt) } : {}),
      description: escapeHtml(fiche.summary ?? `Fiche action de ${fiche.structure.name}.`),
      author: [{ name: fiche.structure.name, link: `${publicUrl}${fiche.structure.url}` }],
      category: fiche.keywords.map((k) => ({ name: k.label, term: k.code })),
    });
  });
  return atom.atom1();
}
