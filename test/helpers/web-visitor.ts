/**
 * A browser without JavaScript over real HTTP (fetch): it keeps its cookies, follows nothing by
 * itself, and sends forms with the CSRF token of the last page it read. Each answer keeps the
 * request id the proxy gave it, to learn from the proxy's log which process served it.
 */
export class WebVisitor {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  private async send(path: string, init: RequestInit): Promise<Visited> {
    const response = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...this.headers, ...(init.headers as Record<string, string>), cookie: this.cookieHeader() },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const gone = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (gone || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return {
      status: response.status,
      body,
      location: response.headers.get('location'),
      requestId: response.headers.get('x-request-id') ?? '',
    };
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Reads a page. */
  get(path: string): Promise<Visited> {
    return this.send(path, { method: 'GET' });
  }

  /** Sends a form as a browser does, with the last CSRF token read. */
  post(path: string, fields: Record<string, string>): Promise<Visited> {
    const form = new URLSearchParams({ ...(this.csrf ? { _csrf: this.csrf } : {}), ...fields });
    return this.send(path, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Sends files as the upload form does (multipart, the CSRF token first). */
  upload(path: string, files: Array<{ name: string; content: Buffer; type?: string }>): Promise<Visited> {
    const form = new FormData();
    if (this.csrf) form.append('_csrf', this.csrf);
    for (const f of files) {
      form.append('fichiers', new Blob([new Uint8Array(f.content)], { type: f.type ?? 'application/pdf' }), f.name);
    }
    return this.send(path, { method: 'POST', body: form });
  }

  /** Reads a file's bytes. */
  async download(path: string): Promise<{ status: number; bytes: Buffer; requestId: string }> {
    const response = await fetch(`${this.base}${path}`, { headers: { ...this.headers, cookie: this.cookieHeader() } });
    return {
      status: response.status,
      bytes: Buffer.from(await response.arrayBuffer()),
      requestId: response.headers.get('x-request-id') ?? '',
    };
  }
}

/** An answer as the visitor read it. */
export interface Visited {
  status: number;
  body: string;
  location: string | null;
  requestId: string;
}
