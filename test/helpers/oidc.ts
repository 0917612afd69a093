import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './processes.js';

/** What the test provider says of an agent, by the login typed at its sign-in form. */
export type Claims = { email: string; email_verified?: boolean; given_name?: string; usual_name?: string };

/** A real OpenID Connect provider (oidc-provider) on 127.0.0.1, with one client: the site. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Follows the provider's address the site sent the browser to, signs in as `login` at its
   * forms (login, then consent), and returns the address it sends the browser back to.
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  /** Follows the provider's sign-out address, confirms, and returns where it sends the browser. */
  signOut(endSessionUrl: string): Promise<URL>;
  close(): Promise<void>;
}

// The provider's own pages, read as a browser would: the form's action and its fields.
function formOf(html: string): { action: string; fields: Array<[string, string]> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in the provider's page:\n${html.slice(0, 500)}`);
  const fields = [...html.matchAll(/<input[^>]*>/g)]
    .map((m): [string, string] => [/name="([^"]+)"/.exec(m[0])?.[1] ?? '', /value="([^"]*)"/.exec(m[0])?.[1] ?? ''])
    .filter(([name]) => name !== '');
  return { action, fields };
}

/**
 * Starts the provider with its development sign-in forms (any login is an account id, here
 * one of `accounts`), PKCE required, and one client redirecting to `redirectUri` only.
 */
export async function startProvider(
  redirectUri: string,
  accounts: Record<string, Claims>,
  postLogoutUri: string,
): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'essaim-test';
  const clientSecret = 'un-secret-de-client-assez-long-pour-le-test';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: [postLogoutUri],
      },
    ],
    findAccount: (_ctx, id) =>
      accounts[id] ? { accountId: id, claims: () => ({ sub: id, ...accounts[id] }) } : undefined,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      given_name: ['given_name'],
      usual_name: ['usual_name'],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
  });
  const server: Server = provider.listen(port, '127.0.0.1');
  // The browser's cookies at the provider: each sign-in starts a new browser, its sign-out
  // continues the last one's session.
  let cookies = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [name, ...value] = line.split(';')[0].split('=');
      cookies.set(name, value.join('='));
    }
    return response;
  };

  await new Promise((resolve) => server.once('listening', resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    async signIn(authorizationUrl, login) {
      cookies = new Map<string, string>();
      let url = new URL(authorizationUrl);
      for (let step = 0; step < 10; step++) {
        let response = await send(url);
        if (response.status === 200) {
          const { action, fields } = formOf(await response.text());
          const body = new URLSearchParams(
            fields.map(([k, v]): [string, string] => [k, k === 'login' ? login : k === 'password' ? 'x' : v]),
          );
          response = await send(new URL(action, url), {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          });
        }
        const location = response.headers.get('location');
        if (!location) throw new Error(`the provider answered ${response.status} without a redirect`);
        url = new URL(location, url);
        if (url.href.startsWith(redirectUri)) return url;
      }
      throw new Error('the provider never sent the browser back');
    },
    async signOut(endSessionUrl) {
      const page = await send(new URL(endSessionUrl));
      const { action, fields } = formOf(await page.text());
      const confirmed = await send(new URL(action, endSessionUrl), {
        method: 'POST',
        body: new URLSearchParams([...fields, ['logout', 'yes']]),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const location = confirmed.headers.get('location');
      if (!location) throw new Error(`the provider answered ${confirmed.status} to the sign-out`);
      return new URL(location, endSessionUrl);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
