import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { testEngines, useTestDatabase } from '../../test/helpers/databases.js';
import { allFiches, fold, fullText } from '../../test/helpers/fiches.js';
import type { StoredFiche } from '../actions/fiche.js';
import { budgetRangeOf } from '../budgets/budgets.service.js';
import { extractBudget } from '../budgets/extract.js';
import { DEPARTEMENTS } from '../vocabularies/departements.js';
import { FACET_NAMES, type FacetFilters, type FacetName } from './facets.js';
import { DEFAULT_TUNING } from './search.model.js';
import { search, similarActions } from './search.service.js';
import { MARK_END, MARK_START } from './snippet.js';
import { addSynonymGroup, removeSynonymGroup } from './synonyms.service.js';

// A fiche's codes for each facet, read from the fiches themselves rather than the search table.
function facetCodes(fiche: StoredFiche, facet: FacetName): string[] {
  const departement = DEPARTEMENTS.find((d) => d.code === fiche.structure.departementCode);
  switch (facet) {
    case 'dimension':
      return fiche.dimension ? [fiche.dimension] : [];
    case 'keyword':
      return fiche.keywords;
    case 'public':
      return fiche.publics;
    case 'status':
      return fiche.status ? [fiche.status] : [];
    case 'initiative':
      return fiche.initiatives;
    case 'territory':
      return fiche.territory ? [fiche.territory] : [];
    case 'partner':
      return [...new Set(fiche.partners.map((p) => p.code))];
    case 'region':
      return departement ? [departement.regionCode] : [];
    case 'department':
      return [fiche.structure.departementCode];
    case 'budget':
      return [budgetRangeOf(extractBudget(fiche.financialResources).total?.amount ?? null) ?? 'non-chiffre'];
    case 'year':
      // An imported fiche has no publication date: the source's export gives none.
      return [fiche.publishedAt ? String(fiche.publishedAt.getFullYear()) : 'inconnue'];
    case 'freshness':
      return [fiche.freshness];
  }
}

function matchesFilters(fiche: StoredFiche, filters: FacetFilters, except?: FacetName): boolean {
  return FACET_NAMES.every((name) => {
    const codes = filters[name] ?? [];
    return name === except || codes.length === 0 || facetCodes(fiche, name).some((c) => codes.includes(c));
  });
}

for (const engine of testEngines()) {
  describe(`search (${engine})`, () => {
    const ctx = useTestDatabase(engine, { seed: true });
    let fiches: StoredFiche[];

    const ids = async (q: string, filters: FacetFilters = {}) =>
      (await search(ctx.handle.db, { q, filters, perPage: 100 })).items.map((i) => i.id).sort((a, b) => a - b);

    before(async () => {
      fiches = await allFiches(ctx.handle);
    });

    it('finds the same fiches whatever the accents and the case', async () => {
      const seniors = await ids('seniors');
      assert.ok(seniors.length >= 10, `seulement ${seniors.length} fiches pour seniors`);
      assert.deepEqual(await ids('séniors'), seniors);
      assert.deepEqual(await ids('SENIORS'), seniors);
      assert.deepEqual(await ids('Séniors'), seniors);
    });

    it('finds every fiche that says "numérique" when "numeriques" is typed', async () => {
      const found = await ids('numeriques');
      const saying = fiches.filter((f) => /\bnumeriques?\b/.test(fullText(f))).map((f) => f.id);
      assert.ok(saying.length >= 5);
      for (const id of saying) assert.ok(found.includes(id), `la fiche ${id} dit « numérique » mais n’est pas trouvée`);
    });

    it('widens a word to its synonyms: "aînés" finds the fiches that say "seniors"', async () => {
      const aines = await ids('aînés');
      const sayingSeniors = fiches.filter((f) => /\bseniors?\b/.test(fullText(f))).map((f) => f.id);
      assert.ok(sayingSeniors.length >= 5);
      for (const id of sayingSeniors) assert.ok(aines.includes(id), `la fiche ${id} dit « seniors »`);
      // Without synonyms, "aînés" alone is in two fiches only.
      assert.ok(aines.length > fiches.filter((f) => /\baines?\b/.test(fullText(f))).length);
      // A multi-word synonym typed without quotes is widened as a whole.
      assert.deepEqual(await ids('personnes âgées'), aines);
    });

    it('uses synonym groups edited as data', async () => {
      // « rando » is completed as it is typed, and finds the fiche of the « randonneurs ».
      const rando = await ids('rando');
      const before = await ids('balade');
      assert.ok(rando.length > 0, '« rando » trouve au moins une fiche');
      assert.ok(
        rando.some((found) => !before.includes(found)),
        'sans le groupe, « balade » ne trouve pas les fiches de randonnée',
      );
      const id = await addSynonymGroup(ctx.handle.db, ['balade', 'randonnée', 'rando']);
      try {
        const after = await ids('balade');
        for (const found of rando) assert.ok(after.includes(found), `la fiche ${found} de randonnée manque`);
        assert.ok(after.length > before.length, 'le groupe ajouté élargit la recherche');
        assert.deepEqual(after, await ids('rando'));
      } finally {
        await removeSynonymGroup(ctx.handle.db, id);
      }
      assert.deepEqual(await ids('balade'), before);
    });

    it('suggests a correction for an unknown word', async () => {
      const result = await search(ctx.handle.db, { q: 'vieillisement' });
      assert.equal(result.suggestion, 'vieillissement');
      const kept = await search(ctx.handle.db, { q: 'atelier vieillisement seniors' });
      assert.equal(kept.suggestion, 'atelier vieillissement seniors');
      assert.equal((await search(ctx.handle.db, { q: 'vieillissement' })).suggestion, null);
      assert.equal((await search(ctx.handle.db, { q: 'numeriques' })).suggestion, null);
      assert.equal((await search(ctx.handle.db, { q: 'xqzwv' })).suggestion, null);
    });

    it('reads quotes as an exact phrase, a dash as an exclusion and OR as an alternative', async () => {
      const phrase = await ids('"personnes âgées"');
      const sayingPhrase = fiches.filter((f) => /personnes agees/.test(fullText(f))).map((f) => f.id);
      assert.ok(sayingPhrase.length > 0);
      for (const id of sayingPhrase) assert.ok(phrase.includes(id));
      // Both words, not next to each other, are not enough for the phrase.
      const both = await ids('personnes agees');
      assert.ok(phrase.length < both.length);

      const numerique = await ids('numérique');
      const withoutSeniors = await ids('numérique -seniors');
      const seniors = await ids('seniors');
      assert.ok(withoutSeniors.length > 0 && withoutSeniors.length < numerique.length);
      assert.deepEqual(
        withoutSeniors,
        numerique.filter((id) => !seniors.includes(id)),
      );

      const jardin = await ids('jardin');
      const theatre = await ids('théâtre');
      assert.deepEqual(
        await ids('jardin OR théâtre'),
        [...new Set([...jardin, ...theatre])].sort((a, b) => a - b),
      );
    });

    it('completes the last word as it is typed, and only the last', async () => {
      const accompagnement = await ids('accompagnement');
      assert.ok(accompagnement.length >= 3);
      // « accompagnem » stems to nothing a fiche holds: found as the start of « accompagnement ».
      assert.deepEqual(await ids('accompagnem'), accompagnement);
      assert.deepEqual(await ids('accompagnem numérique'), []);
      const randonneurs = fiches.filter((f) => /\brandonneurs?\b/.test(fullText(f))).map((f) => f.id);
      assert.ok(randonneurs.length > 0);
      for (const id of randonneurs) assert.ok((await ids('randonn')).includes(id));
      // Two letters complete nothing.
      assert.deepEqual(await ids('ra'), []);
    });

    it('refuses more than 32 terms joined by OR, naming the parameter', async () => {
      const words = Array.from({ length: 33 }, (_, i) => `mot${i}`);
      await assert.rejects(search(ctx.handle.db, { q: words.join(' OR ') }), { field: 'q', code: 'invalid_parameter' });
      assert.equal((await search(ctx.handle.db, { q: words.slice(0, 32).join(' OR ') })).total, 0);
    });

    it('treats a query of stop words only as no query', async () => {
      assert.equal((await search(ctx.handle.db, { q: 'de la du' })).total, fiches.length);
    });

    it('counts each facet value as a direct count over the filtered set does', async () => {
      const cases: Array<{ q?: string; filters: FacetFilters }> = [
        { filters: {} },
        { filters: { keyword: ['vieillissement'] } },
        { filters: { keyword: ['vieillissement', 'culture'], status: ['en-cours'] } },
        { q: 'seniors', filters: { department: ['49', '46'] } },
      ];
      for (const { q, filters } of cases) {
        const result = await search(ctx.handle.db, { q, filters, perPage: 100 });
        // The fiches the text alone matches; facets are then counted over them in JavaScript.
        const textIds = q ? await ids(q) : fiches.map((f) => f.id);
        const pool = fiches.filter((f) => textIds.includes(f.id));
        assert.equal(result.total, pool.filter((f) => matchesFilters(f, filters)).length);
        for (const name of FACET_NAMES) {
          // A facet is counted with the other facets' filters, not its own (its values are alternatives).
          const base = pool.filter((f) => matchesFilters(f, filters, name));
          const expected = new Map<string, number>();
          for (const f of base)
            for (const code of facetCodes(f, name)) expected.set(code, (expected.get(code) ?? 0) + 1);
          for (const code of filters[name] ?? []) if (!expected.has(code)) expected.set(code, 0);
          const actual = new Map(result.facets[name].map((v) => [v.code, v.count]));
          assert.deepEqual(actual, expected, `facette ${name}, ${JSON.stringify({ q, filters })}`);
        }
      }
    });

    it('joins values of a facet by OR and facets by AND', async () => {
      const vieillissement = await ids('', { keyword: ['vieillissement'] });
      const culture = await ids('', { keyword: ['culture'] });
      const either = await ids('', { keyword: ['vieillissement', 'culture'] });
      assert.deepEqual(
        either,
        [...new Set([...vieillissement, ...culture])].sort((a, b) => a - b),
      );

      const maineEtLoire = await ids('', { department: ['49'] });
      const both = await ids('', { keyword: ['vieillissement'], department: ['49'] });
      assert.ok(both.length > 0 && both.length < maineEtLoire.length && both.length < vieillissement.length);
      assert.deepEqual(
        both,
        vieillissement.filter((id) => maineEtLoire.includes(id)),
      );
      for (const id of both) {
        const fiche = fiches.find((f) => f.id === id) as StoredFiche;
        assert.ok(fiche.keywords.includes('vieillissement'));
        assert.equal(fiche.structure.departementCode, '49');
      }
    });

    it('keeps a selected value visible with 0 when other filters leave it nothing', async () => {
      const result = await search(ctx.handle.db, { filters: { keyword: ['culture'], department: ['59'] } });
      assert.equal(result.total, 0);
      const culture = result.facets.keyword.find((v) => v.code === 'culture');
      assert.deepEqual(culture && { count: culture.count, selected: culture.selected }, { count: 0, selected: true });
    });

    it('sorts by relevance, date or title, and pages by 20', async () => {
      const relevance = await search(ctx.handle.db, { q: 'numérique' });
      assert.equal(relevance.sort, 'relevance');
      assert.match(relevance.items[0].title, /numérique/i);
      const byTitle = await search(ctx.handle.db, { sort: 'title', perPage: 100 });
      const titles = byTitle.items.map((i) => i.title);
      assert.deepEqual(
        titles,
        [...titles].sort((a, b) => fold(a).localeCompare(fold(b))),
      );
      const first = await search(ctx.handle.db, { sort: 'title' });
      const second = await search(ctx.handle.db, { sort: 'title', page: 2 });
      assert.equal(first.items.length, 20);
      assert.equal(second.items.length, fiches.length - 20);
      assert.equal(first.pageCount, 2);
      assert.deepEqual(
        [...first.items, ...second.items].map((i) => i.title),
        titles,
      );
    });

    it('sorts by département, then by title within one, through the index and in PostgreSQL alike', async () => {
      for (const index of [true, false]) {
        const tuning = { ...DEFAULT_TUNING, index };
        const found = await search(ctx.handle.db, { q: 'seniors', sort: 'department', perPage: 100 }, tuning);
        assert.equal(found.sort, 'department');
        const keys = found.items.map((i) => [i.structure.department.code, fold(i.title)] as const);
        const sorted = [...keys].sort(([da, ta], [db, tb]) => (da < db ? -1 : da > db ? 1 : ta.localeCompare(tb)));
        assert.deepEqual(keys, sorted, `index: ${index}`);
        assert.ok(new Set(keys.map(([code]) => code)).size > 3);
      }
    });

    it('highlights the matched words in a snippet from the field that matched', async () => {
      const result = await search(ctx.handle.db, { q: 'tablette' });
      assert.ok(result.items.length > 0);
      for (const item of result.items) {
        assert.match(item.snippet, new RegExp(`${MARK_START}tablettes?${MARK_END}`, 'i'));
      }
    });

    it('refuses unknown codes and out-of-range pages with the parameter named', async () => {
      await assert.rejects(search(ctx.handle.db, { filters: { keyword: ['inconnu'] } }), { field: 'keyword' });
      await assert.rejects(search(ctx.handle.db, { page: 0 }), { field: 'page' });
      await assert.rejects(search(ctx.handle.db, { perPage: 101 }), { field: 'perPage' });
      await assert.rejects(search(ctx.handle.db, { q: 'a'.repeat(5000) }), { field: 'q' });
    });

    it('finds similar actions by shared keywords and words', async () => {
      const atelier = fiches.find((f) => f.title.startsWith("l'atelier des retraités connectés")) as StoredFiche;
      const similar = await similarActions(ctx.handle.db, atelier.id);
      assert.equal(similar.length, 5);
      assert.ok(!similar.some((s) => s.id === atelier.id));
      const shared = similar.filter((s) => s.keywords.some((k) => atelier.keywords.includes(k.code)));
      assert.ok(shared.length >= 4, 'les actions similaires partagent ses mots clés');
    });
  });
}
