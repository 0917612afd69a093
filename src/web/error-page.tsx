import { frenchSpacing } from '../core/typography.js';
import { Layout } from './layout.js';

/** An error page in the site's frame. */
export function ErrorPage(props: { status: number; message: string }): JSX.Element {
  const title = props.status === 404 ? 'Page introuvable' : props.status === 400 ? 'Adresse invalide' : 'Erreur';
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <p safe>{frenchSpacing(props.message)}</p>
      <p>
        <a href="/">Retour à l’accueil</a>
      </p>
    </Layout>
  );
}
