import type { Children } from '@kitajs/html';
import { clientScriptPath } from './client-bundle.js';
import { absoluteUrl, currentSite } from './site.js';

/** What a page tells search engines and link previews about itself. */
export interface PageMeta {
  /** The page's one address, a path of this site: given absolute as the canonical link. */
  canonical?: string;
  /** One or two sentences on what the page holds (a fiche's résumé, a search's count). */
  description?: string;
  /** A fiche or a structure is an article; the other pages are the website. */
  type?: 'website' | 'article';
  /** A form or a step, which no search engine should list. */
  noindex?: boolean;
  /** An Atom feed of the page's fiches. */
  feed?: { title: string; href: string };
}

const DEFAULT_DESCRIPTION =
  'Le catalogue des actions des centres sociaux et des espaces de vie sociale : rechercher une action, la lire, la reprendre, la compter.';

/** The page frame every HTML page shares: French, skip link, landmarks, one stylesheet, one script. */
export function Layout(props: { title: string; children: Children; meta?: PageMeta }): JSX.Element {
  const site = currentSite();
  const title = props.title === 'Essaim' ? 'Essaim' : `${props.title} — Essaim`;
  const meta = props.meta ?? {};
  const canonical = meta.canonical;
  const description = meta.description ?? DEFAULT_DESCRIPTION;
  return (
    <>
      {'<!doctype html>'}
      <html lang="fr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{title}</title>
          <meta name="description" content={description} />
          {meta.noindex ? <meta name="robots" content="noindex" /> : ''}
          {canonical ? <link rel="canonical" href={absoluteUrl(site, canonical)} /> : ''}
          <meta property="og:site_name" content="Essaim" />
          <meta property="og:locale" content="fr_FR" />
          <meta property="og:type" content={meta.type ?? 'website'} />
          <meta property="og:title" content={props.title} />
          <meta property="og:description" content={description} />
          {canonical ? <meta property="og:url" content={absoluteUrl(site, canonical)} /> : ''}
          <meta name="twitter:card" content="summary" />
          {meta.feed ? (
            <link rel="alternate" type="application/atom+xml" title={meta.feed.title} href={meta.feed.href} />
          ) : (
            ''
          )}
          <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/assets/essaim.css" />
          <script type="module" src={clientScriptPath()} />
        </head>
        <body>
          <a class="skip-link" href="#contenu">
            Aller au contenu
          </a>
          <header class="site-header">
            <a class="brand" href="/">
              Essaim
            </a>
            <span class="tagline">Le catalogue des actions des centres sociaux</span>
            <nav class="site-nav" aria-label="Menu principal">
              <ul>
                <li>
                  <a href="/actions">Rechercher une action</a>
                </li>
                <li>
                  <a href="/statistiques">Statistiques</a>
                </li>
                <li>
                  <a href="/api/v1/docs">API ouverte</a>
                </li>
                <li>
                  <a href="/espace">Espace contributeurs</a>
                </li>
              </ul>
            </nav>
          </header>
          <main id="contenu" tabindex="-1">
            {props.children}
          </main>
          <SiteFooter />
        </body>
      </html>
    </>
  );
}

/** The footer of every page: the public-service pages, the accessibility statement's level, the licence. */
function SiteFooter(): JSX.Element {
  const site = currentSite();
  return (
    <footer class="site-footer">
      <p>Les fiches actions sont publiées par les centres sociaux et les espaces de vie sociale.</p>
      <nav aria-label="Informations sur le site">
        <ul class="footer-links">
          <li>
            <a href="/plan-du-site">Plan du site</a>
          </li>
          <li>
            <a href="/accessibilite" safe>
              {`Accessibilité\u00a0: ${site.accessibility}`}
            </a>
          </li>
          <li>
            <a href="/mentions-legales">Mentions légales</a>
          </li>
          <li>
            <a href="/donnees-personnelles">Données personnelles</a>
          </li>
          <li>
            <a href="/contact">Contact</a>
          </li>
          <li>
            <a href="/devenir-contributeur">Devenir contributeur</a>
          </li>
          <li>
            <a href="/donnees-ouvertes">Données ouvertes</a>
          </li>
        </ul>
      </nav>
      <p>
        Données ouvertes, réutilisables sous{' '}
        <a href={site.licence.url} rel="license" safe>
          {site.licence.name}
        </a>
        .
      </p>
    </footer>
  );
}
