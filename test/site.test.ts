import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { presentFiche } from '../src/actions/actions.presenter.js';
import { getFiche } from '../src/actions/actions.service.js';
import { fichePath } from '../src/core/paths.js';
import { search } from '../src/search/search.service.js';
import { INFO_PAGES } from '../src/site/info-pages.js';
import { siteRoutes } from '../src/site/site.routes.js';
import { loadReferenceIndex } from '../src/vocabularies/vocabularies.service.js';
import { Agent } from './helpers/agent.js';
import { openSeededApp } from './helpers/databases.js';
import { missing } from './helpers/tools.js';
import { parseFeed, xmllint } from './helpers/xml-clients.js';

const SITE = 'https://essaim.example.org';
const SETTINGS = {
  PUBLIC_URL: SITE,
  SITE_PUBLISHER: 'la Fédération des centres sociaux du Nord',
  SITE_CONTACT_EMAIL: 'contact@fcs59.example.org',
  SITE_HOSTING: 'Hébergeur Exemple SAS, 2 rue du Port, 59000 Lille',
  DATA_LICENCE_NAME: 'Licence Ouverte 2.0',
  DATA_LICENCE_URL: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  ACCESSIBILITY_STATUS: 'non conforme',
};

const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
const attribute = (html: string, pattern: RegExp) => pattern.exec(html)?.[1];

describe('the public-service layer', () => {
  let seeded: Awaited<ReturnType<typeof openSeededApp>>;
  let visitor: Agent;

  before(async () => {
    seeded = await openSeededApp('pglite', SETTINGS);
    visitor = new Agent(seeded.app);
  });
  after(() => seeded.close());

  it('serves every page of the footer, the settings written where the texts name them', async () => {
    for (const page of INFO_PAGES) {
      const response = await visitor.get(`/${page.slug}`);
      assert.equal(response.statusCode, 200, page.slug);
      assert.match(response.body, new RegExp(`<h1>${page.title}</h1>`), page.slug);
      assert.doesNotMatch(response.body, /\{\{/, `${page.slug}: a placeholder left`);
      // Every page's footer leads to every other one and says the licence and the level.
      for (const other of [...INFO_PAGES.map((p) => `/${p.slug}`), '/plan-du-site']) {
        assert.match(response.body, new RegExp(`<footer[^]*href="${other}"[^]*</footer>`), `${page.slug} → ${other}`);
      }
      assert.match(response.body, /Accessibilité\u00a0: non conforme/);
      assert.match(
        response.body,
        /<a href="https:\/\/www\.etalab\.gouv\.fr\/licence-ouverte-open-licence\/" rel="license">Licence Ouverte 2\.0<\/a>/,
      );
    }
    const legal = (await visitor.get('/mentions-legales')).body;
    assert.match(legal, /édité par la Fédération des centres sociaux du Nord\./);
    assert.match(legal, /<a href="mailto:contact@fcs59\.example\.org">contact@fcs59\.example\.org<\/a>/);
    assert.match(legal, /Hébergeur Exemple SAS, 2 rue du Port, 59000 Lille/);
    const statement = (await visitor.get('/accessibilite')).body;
    assert.match(
      statement,
      /est <strong>non conforme<\/strong> avec le référentiel général d’amélioration de l’accessibilité/,
    );
    assert.match(statement, /Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07/);
    // French typography: no plain space before a colon in the texts.
    assert.doesNotMatch(statement.replace(/<[^>]+>/g, ''), / [:;?!]/);
  });

  it('shows the text the operator wrote in $DATA_DIR/pages instead of the default, its HTML as text', async () => {
    const dir = path.join(seeded.config.dataDir, 'pages');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'contact.md'),
      '# Nous écrire\n\nÉcrivez à {{contact}} ou passez nous voir !\n\n<script>alert(1)</script>\n',
    );
    const body = (await visitor.get('/contact')).body;
    assert.match(body, /<h1>Nous écrire<\/h1>/);
    assert.match(body, /passez nous voir\u00a0!/);
    assert.match(body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(body, /<script>alert/);
  });

  it('lists in the plan du site each département with the number of fiches its search finds', async () => {
    const body = (await visitor.get('/plan-du-site')).body;
    const listed = [
      ...body.matchAll(/<a href="\/departements\/(\w+)">[^<]+\((\w+)\)\u00a0: (\d+) fiches? actions?<\/a>/g),
    ];
    assert.ok(listed.length >= 10, `${listed.length} départements`);
    for (const [, code, shown, n] of listed) {
      assert.equal(code, shown);
      const found = await search(seeded.handle.db, { filters: { department: [code] } });
      assert.equal(Number(n), found.total, code);
    }
  });

  it('gives a fiche its absolute canonical address, its résumé as description and a link preview', async () => {
    const fiche = await getFiche(seeded.handle.db, 1);
    assert.ok(fiche);
    const json = presentFiche(fiche, await loadReferenceIndex(seeded.handle.db));
    const body = (await visitor.get(json.url)).body;
    assert.equal(attribute(body, /<link rel="canonical" href="([^"]+)"/), `${SITE}${json.url}`);
    assert.equal(attribute(body, /<meta property="og:url" content="([^"]+)"/), `${SITE}${json.url}`);
    assert.equal(attribute(body, /<meta property="og:type" content="([^"]+)"/), 'article');
    const description = (attribute(body, /<meta name="description" content="([^"]+)"/) ?? '')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&amp;', '&');
    assert.ok(description.length > 40 && description.length <= 160, description);
    const summary = (json.summary ?? '').replace(/\s+/g, ' ');
    assert.ok(summary.startsWith(description.replace(/…$/, '')), `${description} ≠ ${summary.slice(0, 160)}`);
  });

  it('states the licence of the settings in the OpenAPI file', async () => {
    const spec = JSON.parse((await visitor.get('/api/v1/openapi.json')).body);
    assert.deepEqual(spec.info.license, { name: SETTINGS.DATA_LICENCE_NAME, url: SETTINGS.DATA_LICENCE_URL });
  });

  it('serves robots.txt that keeps crawlers out of the accounts and points to the sitemap', async () => {
    const response = await visitor.get('/robots.txt');
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(response.body, /^User-agent: \*$/m);
    assert.match(response.body, /^Disallow: \/espace$/m);
    assert.doesNotMatch(response.body, /^Disallow: \/actions$/m);
    assert.match(response.body, new RegExp(`^Sitemap: ${SITE}/sitemap.xml$`, 'm'));
    const icon = await visitor.get('/favicon.ico');
    assert.equal(icon.headers['content-type'], 'image/x-icon');
    assert.deepEqual([...icon.rawPayload.subarray(0, 4)], [0, 0, 1, 0]);
  });

  it('lists every published fiche in a sitemap valid for sitemaps.org’s schema, never an archived one', {
    skip: missing('xmllint'),
  }, async () => {
    const fiches = await seeded.handle.db.selectFrom('actions').select(['id', 'title']).orderBy('id').execute();
    const archived = fiches[3];
    await seeded.handle.db
      .updateTable('actions')
      .set({ publication: 'archived' })
      .where('id', '=', archived.id)
      .execute();
    const response = await visitor.get('/sitemap.xml');
    assert.equal(response.headers['content-type'], 'application/xml; charset=utf-8');
    assert.equal(await xmllint(response.body, { schema: 'sitemap' }), '');
    const listed = new Set(locs(response.body));
    for (const f of fiches) {
      assert.equal(listed.has(`${SITE}${fichePath(f.id, f.title)}`), f.id !== archived.id, f.title);
    }
    for (const page of ['/', '/actions', '/plan-du-site', '/accessibilite', '/departements/59']) {
      assert.ok(listed.has(`${SITE}${page}`), page);
    }
    await seeded.handle.db
      .updateTable('actions')
      .set({ publication: 'published' })
      .where('id', '=', archived.id)
      .execute();
  });

  it('splits the sitemap into an index of parts above its size, the parts holding every address once', {
    skip: missing('xmllint'),
  }, async () => {
    const whole = locs((await visitor.get('/sitemap.xml')).body);
    const small = Fastify();
    await small.register(siteRoutes(seeded.handle.db, SITE, 10));
    try {
      const index = (await small.inject('/sitemap.xml')).body;
      assert.equal(await xmllint(index), '');
      assert.match(index, /<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
      const parts = locs(index);
      assert.equal(parts.length, Math.ceil(whole.length / 10));
      const seen: string[] = [];
      for (const part of parts) {
        const body = (await small.inject(part.slice(SITE.length))).body;
        assert.equal(await xmllint(body, { schema: 'sitemap' }), '', part);
        const addresses = locs(body);
        assert.ok(addresses.length <= 10, part);
        seen.push(...addresses);
      }
      assert.deepEqual(seen, whole);
      assert.equal((await small.inject(`/sitemaps/${parts.length}.xml`)).statusCode, 200);
      // Beyond the last part, or when the sitemap is one file, there is no part to give.
      assert.equal((await visitor.get('/sitemaps/1.xml')).statusCode, 404);
      assert.equal((await visitor.get('/sitemaps/0.xml')).statusCode, 400);
    } finally {
      await small.close();
    }
  });

  it('gives feed readers the latest fiches of the search, as the results page lists them', {
    skip: missing('feedparser'),
  }, async () => {
    const response = await visitor.get('/actions.atom?keyword=vieillissement');
    assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
    const feed = await parseFeed(response.body);
    assert.equal(feed.bozo, false, feed.bozoException ?? '');
    assert.equal(feed.version, 'atom10');
    assert.match(feed.feed.title, /Mots clés\u00a0: Vieillissement/);
    assert.equal(feed.feed.id, `${SITE}/actions.atom?keyword=vieillissement`);
    assert.ok(
      feed.feed.links.some((l) => l.rel === 'alternate' && l.href === `${SITE}/actions?keyword=vieillissement`),
    );
    assert.match(feed.feed.rights, /Licence Ouverte 2\.0/);
    const page = await search(seeded.handle.db, {
      filters: { keyword: ['vieillissement'] },
      sort: 'recent',
      perPage: 30,
    });
    assert.ok(page.total > 0);
    assert.deepEqual(
      feed.entries.map((e) => e.link),
      page.items.map((item) => `${SITE}${item.path}`),
    );
    for (const entry of feed.entries) {
      assert.ok(entry.updated, entry.title);
      assert.ok(entry.author.length > 0, entry.title);
      assert.ok(entry.tags.includes('Vieillissement'), entry.title);
    }
    // The results page names its feed, for browsers and readers that look for it.
    const html = (await visitor.get('/actions?keyword=vieillissement')).body;
    assert.match(
      html,
      /<link rel="alternate" type="application\/atom\+xml" title="[^"]+" href="\/actions\.atom\?keyword=vieillissement"\/>/,
    );
    assert.match(
      html,
      /<a href="\/actions\.atom\?keyword=vieillissement" type="application\/atom\+xml">Suivre par flux Atom<\/a>/,
    );
  });

  it('shows a title with « & » and « < » as the text it is, not as markup', {
    skip: missing('feedparser'),
  }, async () => {
    const [first] = (await search(seeded.handle.db, { q: 'seniors', sort: 'recent' })).items;
    const title = 'Café & <jeux> des aînés';
    await seeded.handle.db.updateTable('actions').set({ title }).where('id', '=', first.id).execute();
    const feed = await parseFeed((await visitor.get('/actions.atom?q=seniors')).body);
    assert.equal(feed.bozo, false, feed.bozoException ?? '');
    assert.equal(feed.entries[0].title, title);
    // A summary's « < » too, the first entry's résumé as its page has it.
    assert.ok(feed.entries.every((e) => !/&(amp|lt|gt);/.test(e.summary)));
  });

  it('refuses a feed of an unknown filter in French, naming it', async () => {
    const response = await visitor.get('/actions.atom?keyword=inexistant');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Paramètre «\u00a0keyword\u00a0» invalide/);
  });
});
