import type { Children } from '@kitajs/html';
import { clientScriptPath } from './client-bundle.js';

/** The page frame every HTML page shares: French, skip link, landmarks, one stylesheet, one script. */
export function Layout(props: { title: string; children: Children; canonical?: string }): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="fr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{props.title === 'Essaim' ? 'Essaim' : `${props.title} — Essaim`}</title>
          {props.canonical ? <link rel="canonical" href={props.canonical} /> : ''}
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
          <footer class="site-footer">
            <p>Les fiches actions sont publiées par les centres sociaux et les espaces de vie sociale.</p>
          </footer>
        </body>
      </html>
    </>
  );
}
