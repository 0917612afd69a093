import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { openSeededApp } from './helpers/databases.js';
import { startNginx } from './helpers/nginx.js';
import { freePort } from './helpers/processes.js';
import { missing } from './helpers/tools.js';

/** One HTTP exchange sent from 127.0.0.2, so that the client's address differs from the proxy's (127.0.0.1). */
function fromOtherAddress(
  port: number,
  options: { method: string; path: string; headers?: Record<string, string | number>; body?: string },
): Promise<{ status: number; cookies: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: '127.0.0.2',
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            cookies: (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}

/** Failed sign-ins, each with a different forged X-Forwarded-For; the statuses returned. */
async function failures(port: number, count: number): Promise<number[]> {
  const form = await fromOtherAddress(port, { method: 'GET', path: '/connexion' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const statuses: number[] = [];
  for (let attempt = 0; attempt < count; attempt++) {
    const body = new URLSearchParams({
      _csrf: csrf,
      email: `inconnu-${attempt}@exemple.test`,
      password: 'pas le bon',
    }).toString();
    const answer = await fromOtherAddress(port, {
      method: 'POST',
      path: '/connexion',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': Buffer.byteLength(body),
        cookie: form.cookies.join('; '),
        'x-forwarded-for': `203.0.113.${attempt + 1}`,
      },
      body,
    });
    statuses.push(answer.status);
  }
  return statuses;
}

// Each failure costs an argon2 hash: the lock after 50 is shown once (TRUST_PROXY=false); the
// trusted forms show that the address counted is the one nginx saw, which that lock then counts.
const CASES = [
  { setting: 'true', attempts: 60, clients: ['60 forged'], what: 'believes the forged header: 60 addresses, no lock' },
  { setting: 'false', attempts: 51, clients: ['127.0.0.1'], what: 'sees only the proxy: 50 failures lock everyone' },
  { setting: '1', attempts: 5, clients: ['127.0.0.2'], what: 'a hop count takes the address nginx saw' },
  {
    setting: '127.0.0.1/32',
    attempts: 5,
    clients: ['127.0.0.2'],
    what: 'a list of proxies takes the address nginx saw',
  },
] as const;

// The four set-ups are independent (a database, an app and an nginx each): run at once.
describe('TRUST_PROXY behind nginx, 60 failed sign-ins with forged X-Forwarded-For', {
  skip: missing('nginx'),
  concurrency: true,
}, () => {
  for (const { setting, attempts, clients, what } of CASES) {
    describe(`TRUST_PROXY=${setting}`, () => {
      let seeded: Awaited<ReturnType<typeof openSeededApp>>;
      let nginx: Awaited<ReturnType<typeof startNginx>>;
      before(async () => {
        seeded = await openSeededApp('pglite', { TRUST_PROXY: setting });
        const appPort = await freePort();
        await seeded.app.listen({ port: appPort, host: '127.0.0.1' });
        nginx = await startNginx(await freePort(), [appPort, appPort]);
      });
      after(async () => {
        await nginx?.close();
        await seeded?.close();
      });

      test(what, async () => {
        const port = Number(new URL(nginx.base).port);
        const statuses = await failures(port, attempts);
        const rows = await seeded.handle.db
          .selectFrom('auth_attempts')
          .select('key')
          .where('scope', '=', 'ip')
          .execute();
        const addresses = [...new Set(rows.map((r) => r.key))];
        if (setting === 'true') {
          assert.equal(addresses.length, 60);
          assert.ok(addresses.every((address) => address.startsWith('203.0.113.')));
        } else {
          assert.deepEqual(addresses, clients);
        }
        const expected = setting === 'false' ? [...Array(50).fill(401), 429] : Array(attempts).fill(401);
        assert.deepEqual(statuses, expected);
      });
    });
  }
});
