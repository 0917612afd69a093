import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openSeededApp, testEngines } from '../../test/helpers/databases.js';

for (const engine of testEngines()) {
  describe(`read API and home page (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let app: FastifyInstance;
    before(async () => {
      seeded = await openSeededApp(engine);
      app = seeded.app;
    });
    after(() => seeded.close());

    it('returns a fiche with every field', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/actions/4' });
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^application\/json/);
      const fiche = response.json();
      assert.equal(fiche.id, 4);
      assert.equal(fiche.title, 'Séjour Adultes');
      assert.equal(fiche.url, '/actions/4-sejour-adultes');
      assert.deepEqual(fiche.structure, {
        id: 4,
        name: 'CENTRE SOCIOCULTUREL COIN DE LA RUE',
        kind: 'centre_social',
        url: '/structures/4-centre-socioculturel-coin-de-la-rue',
        // The legacy dump gives no contact details; the structure's editors add them.
        contact: {
          streetAddress: null,
          postalCode: null,
          commune: null,
          phone: null,
          website: null,
          role: null,
          name: null,
          formUrl: null,
        },
        department: { code: '49', name: 'Maine-et-Loire', region: { code: '52', name: 'Pays de la Loire' } },
      });
      assert.deepEqual(fiche.status, { code: 'terminee', label: 'Terminée' });
      assert.equal(fiche.endReason, "Accompagnement de projet d'un groupe pour un séjour.");
      assert.deepEqual(fiche.dimension, { code: 'accompagnement-projets', label: 'Accompagnement de projets' });
      assert.deepEqual(fiche.keywords, [{ code: 'vacances-loisirs', label: 'Vacances / loisirs' }]);
      assert.deepEqual(fiche.initiatives, [{ code: 'groupe-habitants', label: 'Un groupe d’habitants' }]);
      assert.deepEqual(fiche.territory, { code: 'plusieurs-communes', label: 'Plusieurs communes' });
      assert.deepEqual(fiche.publics, [{ code: 'adultes', label: 'Adultes' }]);
      assert.deepEqual(fiche.partners, [{ code: 'carsat', label: 'CARSAT', role: 'action' }]);
      assert.match(fiche.financialResources, /^Dépenses :\nHébergement : 1376€\n/);
      assert.match(fiche.financialResources, /\nTotal : 4256\.95€$/);
      assert.equal(fiche.peopleMobilised, '11 adultes\n1 animatrice\n1 bénévole');
      assert.equal(
        fiche.followUp.perspectives,
        'De nouveaux départs entre adultes, 2 séjours sont organisés pour 2022.',
      );
      assert.match(fiche.results.inhabitants, /^La possibilité de partir en vacances/);
      assert.ok(!Number.isNaN(Date.parse(fiche.createdAt)));
    });

    it('answers 404 with a JSON error for an unknown id', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/v1/actions/9999' });
      assert.equal(response.statusCode, 404);
      assert.match(response.headers['content-type'] as string, /^application\/json/);
      assert.deepEqual(response.json(), {
        statusCode: 404,
        code: 'not_found',
        message: 'Aucune fiche action n’a l’identifiant 9999.',
      });
    });

    it('answers 400 naming the parameter for an id that is not a number', async () => {
      for (const id of ['abc', '0', '1.5', '99999999999']) {
        const response = await app.inject({ method: 'GET', url: `/api/v1/actions/${id}` });
        assert.equal(response.statusCode, 400, id);
        const body = response.json();
        assert.equal(body.code, 'invalid_parameter');
        assert.equal(body.field, 'id');
        assert.match(body.message, /^Paramètre «\u00a0id\u00a0» invalide\u00a0: /);
      }
    });

    it('serves a home page in French: the count, themes and régions with their counts, the latest fiches', async () => {
      const response = await app.inject({ method: 'GET', url: '/' });
      assert.equal(response.statusCode, 200);
      const body = response.body.replaceAll('\u00a0', ' ');
      assert.match(body, /<html lang="fr">/);
      assert.match(body, /Le catalogue compte 25 fiches actions, dans 18 départements et 9 régions\./);
      assert.match(
        body,
        /<a href="\/actions\?keyword=vieillissement"><span class="entry-name">Vieillissement<\/span> <span class="entry-count">13 fiches<\/span><\/a>/,
      );
      assert.match(
        body,
        /<a href="\/actions\?region=76"><span class="entry-name">Occitanie<\/span> <span class="entry-count">4 fiches<\/span>/,
      );
      assert.equal((body.match(/class="result"/g) ?? []).length, 6, 'the six latest fiches');
      assert.ok(body.includes('aria-label="Paris (75) : aucune fiche"'), 'Paris can be tapped in its inset');
      const old = await app.inject({ method: 'GET', url: '/?q=seniors&region=76' });
      assert.equal(old.statusCode, 301);
      assert.equal(old.headers.location, '/actions?q=seniors&region=76');
      const css = await app.inject({ method: 'GET', url: '/assets/essaim.css' });
      assert.equal(css.statusCode, 200);
    });

    it('answers an unknown page with a French 404 page', async () => {
      const response = await app.inject({ method: 'GET', url: '/nulle-part' });
      assert.equal(response.statusCode, 404);
      assert.match(response.body, /Page introuvable/);
    });
  });
}
