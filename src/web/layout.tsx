import type { Children } from '@kitajs/html';

/** The page frame every HTML page shares: French, skip link, landmarks, one stylesheet. */
export function Layout(props: { title: string; children: Children }): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="fr">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{props.title === 'Essaim' ? 'Essaim' : `${props.title} — Essaim`}</title>
          <link rel="stylesheet" href="/assets/essaim.css" />
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
