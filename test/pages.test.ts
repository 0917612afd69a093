import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSeededApp, testEngines } from './helpers/databases.js';

const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/[\s\u00a0]+/g, ' ');

for (const engine of testEngines()) {
  describe(`server-rendered pages (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    const get = (url: string) => seeded.app.inject({ method: 'GET', url });

    before(async () => {
      seeded = await openSeededApp(engine);
    });
    after(() => seeded.close());

    it('sends a fiche to its address with a slug, and shows it in the source order', async () => {
      const short = await get('/actions/4');
      assert.equal(short.statusCode, 301);
      assert.equal(short.headers.location, '/actions/4-sejour-adultes');
      assert.equal((await get('/actions/4-ancien-titre')).headers.location, '/actions/4-sejour-adultes');
      // An address of the slugs that dropped letters (« Œuvre » gave "-uvre") still leads there.
      assert.equal((await get('/actions/4--uvre-sejour-')).headers.location, '/actions/4-sejour-adultes');
      const page = await get('/actions/4-sejour-adultes');
      assert.equal(page.statusCode, 200);
      // The fields in the source's order, in the body; the key facts come before it.
      const text = plain(page.body.slice(page.body.indexOf('class="fiche-body"')));
      const facts = plain(
        page.body.slice(page.body.indexOf('<aside class="key-facts"'), page.body.indexOf('class="fiche-body"')),
      );
      assert.match(facts, /^ En bref Structure CENTRE SOCIOCULTUREL COIN DE LA RUE Département Maine-et-Loire \(49\)/);
      // One budget line, the funders each with its amount, none left dangling.
      assert.match(
        facts,
        /Budget 4 256,95 € Financeurs cités ANCV : 1 200 € Autofinancement : 1 120 € CARSAT : 286,95 €/,
      );
      assert.equal(facts.match(/4 256,95 €/g)?.length, 1);
      assert.match(facts, /Télécharger en PDF <div $/);
      const headings = [
        'Statut de l’action',
        'Raisons pour lesquelles l’action est terminée',
        'Dimension',
        'Mots clés associés à l’action',
        'Résumé',
        'Qui est à l’initiative de l’action ?',
        'Territoire concerné',
        'Public',
        'Avec qui cette action a-t-elle été menée ?',
        'Ressources financières mobilisées pour cette action',
      ];
      const positions = headings.map((h) => text.indexOf(h));
      assert.ok(!positions.includes(-1), JSON.stringify(headings.filter((_, i) => positions[i] === -1)));
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
      );
      assert.match(text, /Hébergement : 1376€/);
      assert.match(page.body, /href="\/structures\/4-centre-socioculturel-coin-de-la-rue"/);
      assert.match(page.body, /href="\/departements\/49"/);
      assert.match(text, /Actions similaires/);
      // An empty field has no heading.
      assert.doesNotMatch(text, /Fichier\(s\) associé\(s\)/);
    });

    it('answers an unknown fiche, structure or département with a French 404 page', async () => {
      for (const url of ['/actions/99999', '/actions/abc', '/structures/99999', '/departements/00']) {
        const response = await get(url);
        assert.equal(response.statusCode, 404, url);
        assert.match(response.headers['content-type'] as string, /^text\/html/);
        assert.match(response.body, /Page introuvable/);
      }
    });

    it('explains an invalid address in French rather than failing', async () => {
      const response = await get('/actions?page=0');
      assert.equal(response.statusCode, 400);
      assert.match(plain(response.body), /Paramètre « page » invalide : la valeur doit être au moins 1\./);
      assert.equal((await get('/actions?utm_source=lettre')).statusCode, 200);
    });

    it('shows a structure with its fiches and a département with its fiches only', async () => {
      const structure = await get('/structures/4-centre-socioculturel-coin-de-la-rue');
      assert.equal(structure.statusCode, 200);
      assert.match(plain(structure.body), /CENTRE SOCIOCULTUREL COIN DE LA RUE/);
      assert.match(structure.body, /href="\/actions\/4-sejour-adultes"/);

      const departement = await get('/departements/49');
      const text = plain(departement.body);
      assert.match(text, /Les actions du département Maine-et-Loire \(49\)/);
      const count = Number(/(\d+) actions publiées/.exec(text)?.[1]);
      const api = (await get('/api/v1/actions?department=49')).json();
      assert.equal(count, api.total);
      assert.equal((departement.body.match(/class="result"/g) ?? []).length, api.total);
      // The département's own filter is part of the page, not a facet to untick.
      assert.doesNotMatch(departement.body, /name="department"/);
    });

    it('keeps the search state in links: pages, sort and filters', async () => {
      const page = await get('/actions?sort=title&status=en-cours&perPage=5');
      assert.match(page.body, /href="\/actions\?sort=title&(amp;)?status=en-cours&(amp;)?page=2" rel="next"/);
      assert.match(page.body, /<option value="title" selected>/);
      assert.match(page.body, /id="f-status-en-cours" name="status" value="en-cours" checked/);
      assert.equal((page.body.match(/class="result"/g) ?? []).length, 20);
    });
  });
}
