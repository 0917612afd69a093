import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A browser without JavaScript over Fastify's inject: it keeps its cookies, follows nothing by
 * itself, and sends forms with the CSRF token of the last page it read.
 */
export class Agent {
  readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string> = {},
  ) {}

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const gone = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.csrf = token;
    return response;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  /** The same visitor, with its cookies, on another app (another process of the same site). */
  on(app: FastifyInstance): Agent {
    const other = new Agent(app, this.headers);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }

  /** Reads a page. */
  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({ method: 'GET', url, headers: { ...this.headers, ...this.cookieHeader() } }),
    );
  }

  /** Sends a form as a browser does; `_csrf` is the last token seen unless the fields say otherwise. */
  async post(url: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    const body = new URLSearchParams();
    if (options.csrf !== false && this.csrf && !('_csrf' in fields)) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { ...this.headers, ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body.toString(),
      }),
    );
  }

  /** Sends files as the upload form does (multipart, its CSRF token first unless `csrf` is false). */
  async upload(
    url: string,
    files: Array<{ name: string; content: Buffer; type?: string }>,
    options: { csrf?: boolean } = {},
  ) {
    const form = new FormData();
    if (options.csrf !== false && this.csrf) form.append('_csrf', this.csrf);
    for (const f of files)
      form.append('fichiers', new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/pdf' }), f.name);
    // The platform's Request encodes the form exactly as a browser would.
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: {
          ...this.headers,
          ...this.cookieHeader(),
          'content-type': request.headers.get('content-type') ?? '',
        },
        payload: Buffer.from(await request.arrayBuffer()),
      }),
    );
  }
}

/** The messages written to an outbox, oldest first, as raw text (quoted-printable softened). */
export async function readOutbox(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'outbox');
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (f) => decodeQuotedPrintable(await readFile(path.join(dir, f), 'latin1'))));
}

// Headers and bodies alike: enough to read a French message's text and links.
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The last link to this path found in the outbox's messages to `to`. */
export async function linkFromOutbox(dataDir: string, to: string, pathPrefix: string): Promise<string> {
  const messages = (await readOutbox(dataDir)).filter((m) => new RegExp(`^To: ${to}$`, 'mi').test(m));
  const links = messages.flatMap((m) => [...m.matchAll(/https?:\/\/[^\s/]+(\/[^\s]+)/g)].map((x) => x[1]));
  const link = links.filter((l) => l.startsWith(pathPrefix)).at(-1);
  if (!link) throw new Error(`no ${pathPrefix} link for ${to} in the outbox`);
  return link;
}

/** The password every invited test user chooses. */
export const TEST_PASSWORD = 'une phrase de passe assez longue';

/** Follows the invitation sent to `email` and returns a browser logged in as that user. */
export async function acceptInvitation(
  app: FastifyInstance,
  dataDir: string,
  email: string,
  name: string,
): Promise<Agent> {
  const agent = new Agent(app);
  const link = await linkFromOutbox(dataDir, email, '/invitation/');
  assert.equal((await agent.get(link)).statusCode, 200);
  const done = await agent.post(link, { name, password: TEST_PASSWORD, confirmation: TEST_PASSWORD });
  assert.equal(done.statusCode, 303, done.body);
  return agent;
}
