import { frenchSpacing } from '../core/typography.js';
import { renderMarkdown } from '../site/markdown.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

/** What the page reads of a parameter's schema. */
export interface SchemaLike {
  type?: string | string[];
  items?: SchemaLike;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  description?: string;
}

/** What the page reads of an operation of the OpenAPI document. */
export interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string; schema?: SchemaLike }>;
  responses?: Record<string, { description?: string }>;
}

/** An example of an operation: the request's address and the start of the answer it got. */
export interface Example {
  url: string;
  status: number;
  contentType: string;
  body: string;
}

/** One operation as the page shows it. */
export interface DocumentedOperation {
  path: string;
  method: string;
  op: Operation;
  example?: Example;
}

const RESPONSE_TEXT: Record<string, string> = {
  '200': 'Réussite : le corps décrit ci-dessus.',
  '400': 'Paramètre invalide : le corps nomme le paramètre (champ `field`) et dit pourquoi.',
  '404': 'Aucun objet n’a cet identifiant.',
};

function describeType(schema: SchemaLike | undefined): string {
  if (!schema) return '';
  if (schema.enum) return schema.enum.map(String).join(' | ');
  if (schema.type === 'array') return `liste de ${describeType(schema.items)}, répétable`;
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) bounds.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) bounds.push(`${schema.maxLength} caractères au plus`);
  const type = schema.type === 'integer' ? 'entier' : schema.type === 'string' ? 'texte' : String(schema.type ?? '');
  return [type, ...bounds].join(', ');
}

/** The anchor of an operation's section. */
export function operationId(method: string, path: string): string {
  return `${method}-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`;
}

// Markdown of the OpenAPI document (raw HTML off, so escaped), rendered with French typography.
function Markdown({ text }: { text: string }): JSX.Element {
  const safeHtml = renderMarkdown(text);
  return <div class="prose">{safeHtml}</div>;
}

function Parameters({ label, op }: { label: string; op: Operation }): JSX.Element {
  if (!op.parameters || op.parameters.length === 0) return '';
  return (
    <TableScroll label={label}>
      <table class="api-params">
        <caption safe>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Où</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {op.parameters.map((p) => (
            <tr>
              <th scope="row">
                <code safe>{p.name}</code>
                {p.required ? ' (obligatoire)' : ''}
              </th>
              <td data-label="Où">{p.in === 'path' ? 'chemin' : 'requête'}</td>
              <td data-label="Type" safe>
                {describeType(p.schema)}
              </td>
              <td>
                <Markdown text={p.description ?? p.schema?.description ?? ''} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The example request, as a command and a link, and the start of its answer. */
function ExampleBlock({ example, publicUrl }: { example: Example; publicUrl: string }): JSX.Element {
  return (
    <>
      <h3>Exemple</h3>
      <pre class="code-block" tabindex="0">
        <code safe>{`curl '${publicUrl}${example.url}'`}</code>
      </pre>
      <p>
        <a href={example.url}>Ouvrir cette requête dans le navigateur</a>
      </p>
      <p class="hint" safe>
        {frenchSpacing(
          `Réponse : ${example.status}, ${example.contentType} (extrait : les listes sont coupées après deux éléments, les longs textes après 160 caractères).`,
        )}
      </p>
      <pre class="code-block" tabindex="0">
        <code safe>{example.body}</code>
      </pre>
    </>
  );
}

/** One operation of the API: what it does, its parameters, its answers, an example. */
function OperationSection(props: DocumentedOperation & { publicUrl: string }): JSX.Element {
  const { path, method, op } = props;
  const id = operationId(method, path);
  return (
    <section class="api-operation" aria-labelledby={id}>
      <h2 id={id}>
        <span class="api-summary" safe>
          {op.summary ?? ''}
        </span>{' '}
        <code safe>{`${method} ${path}`}</code>
      </h2>
      {op.description ? <Markdown text={op.description} /> : ''}
      <Parameters label={`Paramètres de ${method} ${path}`} op={op} />
      <h3>Réponses</h3>
      <ul>
        {Object.keys(op.responses ?? {}).map((code) => (
          <li>
            <Markdown text={`${code} : ${RESPONSE_TEXT[code] ?? op.responses?.[code]?.description ?? ''}`} />
          </li>
        ))}
      </ul>
      {props.example ? <ExampleBlock example={props.example} publicUrl={props.publicUrl} /> : ''}
    </section>
  );
}

/** The API's page: what it is, the search first, then each operation with an example. */
export function ApiDocsPage(props: {
  description: string;
  operations: DocumentedOperation[];
  publicUrl: string;
}): JSX.Element {
  return (
    <Layout
      title="API"
      meta={{
        canonical: '/api/v1/docs',
        description:
          'L’API ouverte d’Essaim : rechercher, lire et exporter les fiches actions des centres sociaux en JSON, sans compte ni clé.',
      }}
    >
      <h1>API ouverte</h1>
      <Markdown text={props.description} />
      <p>
        <span safe>{frenchSpacing('Sans compte ni clé. Description complète au format OpenAPI 3.1 : ')}</span>
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>
      <nav aria-labelledby="sommaire-api" class="api-toc">
        <h2 id="sommaire-api">Sommaire</h2>
        <ul>
          {props.operations.map(({ path, method, op }) => (
            <li>
              <a href={`#${operationId(method, path)}`} safe>
                {op.summary ?? `${method} ${path}`}
              </a>{' '}
              <code safe>{`${method} ${path}`}</code>
            </li>
          ))}
        </ul>
      </nav>
      {props.operations.map((operation) => (
        <OperationSection {...operation} publicUrl={props.publicUrl} />
      ))}
    </Layout>
  );
}
