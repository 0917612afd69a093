import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { openTestDatabase, testAppConfig } from '../../test/helpers/databases.js';
import { buildApp } from '../app.js';
import type { DbHandle } from '../db/connect.js';
import { missingSchemaParts, requireRouteSchema } from './route-schemas.js';

describe('a schema on every route', () => {
  let handle: DbHandle;
  let app: FastifyInstance;

  before(async () => {
    handle = await openTestDatabase('pglite');
    app = await buildApp(handle.db, testAppConfig());
    await app.ready();
  });
  after(async () => {
    await app.close();
    await handle.close();
  });

  it('lists the routes from Fastify, each with the schema of what it reads', () => {
    const routes = app.routeList.filter((r) => [r.method].flat().some((m) => m !== 'HEAD'));
    assert.ok(routes.length >= 65, `seulement ${routes.length} routes`);
    for (const route of routes) {
      const name = `${[route.method].flat().join(',')} ${route.url}`;
      assert.deepEqual(missingSchemaParts(route), [], name);
      // Each parameter of the path is one the schema knows.
      const declared = Object.keys((route.schema?.params as { properties?: object } | undefined)?.properties ?? {});
      for (const [, param] of route.url.matchAll(/:([A-Za-z]+)/g))
        assert.ok(declared.includes(param), `${name} : ${param}`);
    }
  });

  it('refuses to build a route without its schema', () => {
    const bare = Fastify();
    bare.addHook('onRoute', requireRouteSchema);
    assert.throws(() => bare.get('/sans-schema', async () => 'ok'), /GET \/sans-schema has no schema/);
    assert.throws(
      () => bare.post('/formulaire/:id', { schema: { params: { type: 'object' } } }, async () => 'ok'),
      /POST \/formulaire\/:id has no schema for: body/,
    );
    assert.doesNotThrow(() => bare.get('/page', { schema: { querystring: { type: 'object' } } }, async () => 'ok'));
  });

  it('answers a form sent with a field it does not have, or too long, in French', async () => {
    const unknown = await app.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.fr&password=x&admin=1',
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /Paramètre «\sadmin\s» invalide\s: ce paramètre n’existe pas/);
    const long = await app.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${'a'.repeat(400)}&password=x`,
    });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Paramètre «\semail\s» invalide\s: 320 caractères au plus/);
  });
});
