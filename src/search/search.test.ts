import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, SEED, testEngines } from '../../test/helpers/databases.js';
import { loadFiches, updateAction } from '../actions/actions.repository.js';
import { pickContent, type StoredFiche } from '../actions/fiche.js';
import { CONTENT_FIELDS } from '../actions/fields.js';
import type { SessionUser } from '../authorization/authorization.js';
import { budgetRangeOf } from '../budgets/budgets.service.js';
import { extractBudget } from '../budgets/extract.js';
import type { DbHandle } from '../db/connect.js';
import { inTransaction } from '../db/transaction.js';
import { importDump } from '../legacy-dump/import.service.js';
import { saveStructure } from '../structures/structures.service.js';
import { DEPARTEMENTS } from '../vocabularies/departements.js';
import { FACET_NAMES, type FacetFilters, type FacetName } from './facets.js';
import { MARK_END, MARK_START } from './search.repository.js';
import { DEFAULT_TUNING, indexActions, type SearchResult, search, similarActions } from './search.service.js';
import { addSynonymGroup, removeSynonymGroup } from './synonyms.service.js';

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

// Everything a fiche says, for checking results against the text itself.
const TEXTS = CONTENT_FIELDS.filter((f) => ['title', 'text', 'line'].includes(f.kind)).map((f) => f.key);
const fullText = (fiche: StoredFiche) => fold(TEXTS.map((k) => (fiche as Record<string, unknown>)[k] ?? '').join(' '));

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
    let handle: DbHandle;
    let fiches: StoredFiche[];

    const ids = async (q: string, filters: FacetFilters = {}) =>
      (await search(handle.db, { q, filters, perPage: 100 })).items.map((i) => i.id).sort((a, b) => a - b);

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      const rows = await handle.db.selectFrom('actions').select('id').orderBy('id').execute();
      fiches = await loadFiches(
        handle.db,
        rows.map((r) => r.id),
      );
    });
    after(async () => {
      await handle.close();
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
      const id = await addSynonymGroup(handle.db, ['balade', 'randonnée', 'rando']);
      try {
        const after = await ids('balade');
        for (const found of rando) assert.ok(after.includes(found), `la fiche ${found} de randonnée manque`);
        assert.ok(after.length > before.length, 'le groupe ajouté élargit la recherche');
        assert.deepEqual(after, await ids('rando'));
      } finally {
        await removeSynonymGroup(handle.db, id);
      }
      assert.deepEqual(await ids('balade'), before);
    });

    it('suggests a correction for an unknown word', async () => {
      const result = await search(handle.db, { q: 'vieillisement' });
      assert.equal(result.suggestion, 'vieillissement');
      const kept = await search(handle.db, { q: 'atelier vieillisement seniors' });
      assert.equal(kept.suggestion, 'atelier vieillissement seniors');
      assert.equal((await search(handle.db, { q: 'vieillissement' })).suggestion, null);
      assert.equal((await search(handle.db, { q: 'numeriques' })).suggestion, null);
      assert.equal((await search(handle.db, { q: 'xqzwv' })).suggestion, null);
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
      await assert.rejects(search(handle.db, { q: words.join(' OR ') }), { field: 'q', code: 'invalid_parameter' });
      assert.equal((await search(handle.db, { q: words.slice(0, 32).join(' OR ') })).total, 0);
    });

    it('treats a query of stop words only as no query', async () => {
      assert.equal((await search(handle.db, { q: 'de la du' })).total, fiches.length);
    });

    it('counts each facet value as a direct count over the filtered set does', async () => {
      const cases: Array<{ q?: string; filters: FacetFilters }> = [
        { filters: {} },
        { filters: { keyword: ['vieillissement'] } },
        { filters: { keyword: ['vieillissement', 'culture'], status: ['en-cours'] } },
        { q: 'seniors', filters: { department: ['49', '46'] } },
      ];
      for (const { q, filters } of cases) {
        const result = await search(handle.db, { q, filters, perPage: 100 });
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
      const result = await search(handle.db, { filters: { keyword: ['culture'], department: ['59'] } });
      assert.equal(result.total, 0);
      const culture = result.facets.keyword.find((v) => v.code === 'culture');
      assert.deepEqual(culture && { count: culture.count, selected: culture.selected }, { count: 0, selected: true });
    });

    it('sorts by relevance, date or title, and pages by 20', async () => {
      const relevance = await search(handle.db, { q: 'numérique' });
      assert.equal(relevance.sort, 'relevance');
      assert.match(relevance.items[0].title, /numérique/i);
      const byTitle = await search(handle.db, { sort: 'title', perPage: 100 });
      const titles = byTitle.items.map((i) => i.title);
      assert.deepEqual(
        titles,
        [...titles].sort((a, b) => fold(a).localeCompare(fold(b))),
      );
      const first = await search(handle.db, { sort: 'title' });
      const second = await search(handle.db, { sort: 'title', page: 2 });
      assert.equal(first.items.length, 20);
      assert.equal(second.items.length, fiches.length - 20);
      assert.equal(first.pageCount, 2);
      assert.deepEqual(
        [...first.items, ...second.items].map((i) => i.title),
        titles,
      );
    });

    it('highlights the matched words in a snippet from the field that matched', async () => {
      const result = await search(handle.db, { q: 'tablette' });
      assert.ok(result.items.length > 0);
      for (const item of result.items) {
        assert.match(item.snippet, new RegExp(`${MARK_START}tablettes?${MARK_END}`, 'i'));
      }
    });

    it('shows an edited fiche and a renamed structure in the next search, snippet included', async () => {
      const before = await search(handle.db, { q: 'tablette' });
      const [first] = before.items;
      const fiche = fiches.find((f) => f.id === first.id) as StoredFiche;
      await inTransaction(handle.db, async (tx) => {
        const content = pickContent(fiche);
        content.summary = 'Une tablette prêtée à chaque famille du quartier, avec un atelier le mardi.';
        await updateAction(tx, fiche.id, content);
        await indexActions(tx, [fiche.id]);
      });
      const admin: SessionUser = {
        id: 0,
        email: 'a@b.fr',
        name: 'Admin',
        isAdmin: true,
        structureIds: [],
        departementCodes: [],
      };
      const structure = {
        name: `${first.structure.name} (nouveau nom)`,
        departementCode: first.structure.department.code,
        kind: '',
      };
      await saveStructure(handle.db, admin, first.structure.id, structure);
      try {
        const item = (await search(handle.db, { q: 'tablette', perPage: 100 })).items.find((i) => i.id === fiche.id);
        assert.ok(item);
        assert.match(item.snippet, new RegExp(`${MARK_START}tablette${MARK_END} prêtée à chaque famille du quartier`));
        assert.equal(item.structure.name, structure.name);
      } finally {
        await inTransaction(handle.db, async (tx) => {
          await updateAction(tx, fiche.id, pickContent(fiche));
          await indexActions(tx, [fiche.id]);
        });
        await saveStructure(handle.db, admin, first.structure.id, { ...structure, name: first.structure.name });
      }
    });

    it('keeps a page across a write that does not concern it, never across one that does', async () => {
      const edit = async (id: number, summary: string) =>
        inTransaction(handle.db, async (tx) => {
          const fiche = fiches.find((f) => f.id === id) as StoredFiche;
          await updateAction(tx, id, { ...pickContent(fiche), summary });
          await indexActions(tx, [id]);
        });
      const tablette = await search(handle.db, { q: 'tablette' });
      assert.ok(tablette.total > 0 && tablette.total < 20, 'every match on the first page');
      const elsewhere = fiches.find((f) => !tablette.items.some((i) => i.id === f.id)) as StoredFiche;
      // A match that says the word in its résumé only, so that a new résumé takes it out.
      const inside = fiches.find(
        (f) =>
          tablette.items.some((i) => i.id === f.id) && !/tablette/.test(fullText({ ...f, summary: '' } as StoredFiche)),
      ) as StoredFiche;
      assert.ok(inside, 'a match with the word in its résumé only');
      try {
        // A fiche that neither matched nor matches: the very same page comes back.
        await edit(elsewhere.id, 'Un atelier cuisine entre voisins, chaque jeudi.');
        assert.equal(await search(handle.db, { q: 'tablette' }), tablette);
        // The same fiche, now saying the word: it is counted and listed at once.
        await edit(elsewhere.id, 'Une tablette pour chaque voisin, chaque jeudi.');
        const grown = await search(handle.db, { q: 'tablette', perPage: 20 });
        assert.notEqual(grown, tablette);
        assert.equal(grown.total, tablette.total + 1);
        assert.ok(grown.items.some((i) => i.id === elsewhere.id));
        // A fiche among the matches that no longer says the word: it leaves the page.
        await edit(inside.id, 'Un atelier cuisine entre voisins.');
        const shrunk = await search(handle.db, { q: 'tablette' });
        assert.equal(shrunk.total, tablette.total);
        assert.ok(!shrunk.items.some((i) => i.id === inside.id));
      } finally {
        for (const fiche of [elsewhere, inside]) await edit(fiche.id, fiche.summary ?? '');
      }
      assert.deepEqual(await search(handle.db, { q: 'tablette' }), tablette);
    });

    it('mends a kept page that a write concerns into the page a search afresh gives', async () => {
      const edit = async (fiche: StoredFiche, summary: string) =>
        inTransaction(handle.db, async (tx) => {
          await updateAction(tx, fiche.id, { ...pickContent(fiche), summary });
          await indexActions(tx, [fiche.id]);
        });
      const ids = (result: SearchResult) => result.items.map((i) => i.id).sort((a, b) => a - b);
      const everything = await search(handle.db, {});
      const keyword = everything.facets.keyword[0].code;
      const requests = [
        {},
        { perPage: 5, page: 2 },
        { q: 'atelier' },
        { q: 'atelier', sort: 'title' as const, filters: { keyword: [keyword] } },
        { q: 'social', sort: 'budget' as const, perPage: 5 },
        { filters: { keyword: [keyword], department: [everything.facets.department[0].code] } },
        // A phrase: the index takes up its walk of the lists where the last search left it.
        { q: '"atelier social"' },
      ];
      for (const request of requests) await search(handle.db, request);
      const first = fiches.find((f) => f.id === everything.items[0].id) as StoredFiche;
      const middle = fiches.find((f) => f.id === everything.items[7].id) as StoredFiche;
      const unrelated = fiches.find((f) => !fullText(f).includes('atelier')) as StoredFiche;
      const steps: Array<[StoredFiche, string]> = [
        // A result below the first page: its old version leaves, its new one is ranked again.
        [middle, `${middle.summary ?? ''} Un atelier de plus.`],
        // A fiche that did not match « atelier » and now does.
        [unrelated, 'Un atelier social, atelier après atelier, pour tout le quartier.'],
        // The first result of every page: the pages are ranked afresh.
        [first, 'Plus rien à voir.'],
        [unrelated, unrelated.summary ?? ''],
        [middle, middle.summary ?? ''],
        [first, first.summary ?? ''],
      ];
      for (const [fiche, summary] of steps) {
        await edit(fiche, summary);
        for (const request of requests) {
          const mended = await search(handle.db, request);
          const afresh = await search(handle.db, request, { ...DEFAULT_TUNING, pageCache: false });
          const where = `${JSON.stringify(request)} after editing fiche ${fiche.id}`;
          assert.deepEqual(
            mended.items.map((i) => i.id),
            afresh.items.map((i) => i.id),
            where,
          );
          assert.deepEqual(mended, afresh, where);
        }
        // The index's own sets of a word and a phrase, taken up after the write, against PostgreSQL.
        for (const request of [requests[2], requests[6]]) {
          const plain = await search(handle.db, request, { ...DEFAULT_TUNING, index: false });
          const indexed = await search(handle.db, request);
          const where = `${request.q} after editing fiche ${fiche.id}`;
          assert.deepEqual(
            [indexed.total, indexed.facets, ids(indexed)],
            [plain.total, plain.facets, ids(plain)],
            where,
          );
        }
      }
      // Every text back as it was: the same counts (the order is by date of change).
      const restored = await search(handle.db, {});
      assert.deepEqual([restored.total, restored.facets], [everything.total, everything.facets]);
    });

    it('refuses unknown codes and out-of-range pages with the parameter named', async () => {
      await assert.rejects(search(handle.db, { filters: { keyword: ['inconnu'] } }), { field: 'keyword' });
      await assert.rejects(search(handle.db, { page: 0 }), { field: 'page' });
      await assert.rejects(search(handle.db, { perPage: 101 }), { field: 'perPage' });
      await assert.rejects(search(handle.db, { q: 'a'.repeat(5000) }), { field: 'q' });
    });

    it('finds similar actions by shared keywords and words', async () => {
      const atelier = fiches.find((f) => f.title.startsWith("l'atelier des retraités connectés")) as StoredFiche;
      const similar = await similarActions(handle.db, atelier.id);
      assert.equal(similar.length, 5);
      assert.ok(!similar.some((s) => s.id === atelier.id));
      const shared = similar.filter((s) => s.keywords.some((k) => atelier.keywords.includes(k.code)));
      assert.ok(shared.length >= 4, 'les actions similaires partagent ses mots clés');
    });
  });
}
