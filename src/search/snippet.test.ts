import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { generatedDump } from '../../bench/lib/dump-file.js';
import { FIXTURES, openTestDatabase, SEED, testEngines } from '../../test/helpers/databases.js';
import { FIELD_LIST } from '../actions/fields.js';
import type { DbHandle } from '../db/connect.js';
import { importDump } from '../legacy-dump/import.service.js';
import { lexemesOfWords, readWordStems } from './index/index.repository.js';
import { analyse } from './index/index.service.js';
import { parseTsquery, type QueryNode } from './index/text-search.js';
import { parseQuery, SynonymIndex } from './query.js';
import { headline, MARK_END, MARK_START, matchedWords, snippetOf, wordsOf } from './snippet.js';
import { lexemeLookup, mayHaveLexeme } from './word-lexemes.js';

const tree = (text: string) => parseTsquery(text) as QueryNode;
// A stand-in for PostgreSQL's analysis: a word's lexeme is its first five letters.
const fiveLetters = (key: string) => [key.slice(0, 5)];
const marked = (snippet: string) =>
  [...snippet.matchAll(new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, 'g'))].map((m) => m[1]);
const filler = (n: number, word = 'blabla') => Array.from({ length: n }, () => word).join(' ');

describe('snippets', () => {
  it('shows a text of few words, its matched words marked, without a short word at either end', () => {
    const text = 'Un atelier cuisine pour les familles du quartier.';
    assert.equal(
      headline(text, wordsOf(text), tree("'cuisi' & 'famil'"), fiveLetters),
      `atelier ${MARK_START}cuisine${MARK_END} pour les ${MARK_START}familles${MARK_END} du quartier`,
    );
  });

  it('cuts a long text around the words, up to two fragments joined by an ellipsis, in the order of the text', () => {
    const text = `${filler(40)} jardin ${filler(60)} jardin potager ${filler(40)}`;
    const snippet = headline(text, wordsOf(text), tree("'jardi'"), fiveLetters);
    const fragments = snippet.split(' … ');
    assert.equal(fragments.length, 2);
    for (const fragment of fragments) assert.ok(fragment.split(' ').length <= 28, fragment);
    assert.deepEqual(marked(snippet), ['jardin', 'jardin']);
    assert.ok(fragments[1].includes(`${MARK_START}jardin${MARK_END} potager`));
  });

  it('chooses the fragment holding more of the query first, as ts_headline does for the same text', () => {
    // ts_headline('french_unaccent', text, 'cuisine & jardin', the options of the search) gives this.
    const text = `cuisine ${filler(60)} cuisine et jardin ${filler(60)}`;
    assert.equal(
      headline(text, wordsOf(text), tree("'cuisi' & 'jardi'"), fiveLetters),
      `${MARK_START}cuisine${MARK_END} ${filler(27)} … ${filler(12)} ${MARK_START}cuisine${MARK_END} et ` +
        `${MARK_START}jardin${MARK_END} ${filler(13)}`,
    );
  });

  it('shows the first 12 words when no span holds the query', () => {
    const text = `${filler(30)} cuisine`;
    assert.equal(headline(text, wordsOf(text), tree("'cuisi' & 'jardi'"), fiveLetters), filler(12));
  });

  it('splits a text into words, an address being one word that never matches, whatever its neighbours', () => {
    const text =
      'Inscriptions\u00a0: www.cs-exemple.fr/ateliers, contact@cs.fr ou 06.12 ; parents/enfants ÉTÉ 2,5\u202fh L’ÉCOLE';
    const words = wordsOf(text).map((w) => [text.slice(w.start, w.end), w.key]);
    assert.deepEqual(words, [
      ['Inscriptions', 'inscriptions'],
      ['www.cs-exemple.fr/ateliers,', ''],
      ['contact@cs.fr', ''],
      ['ou', 'ou'],
      ['06.12', '06.12'],
      ['parents/enfants', ''],
      ['ÉTÉ', 'été'],
      ['2', '2'],
      ['5', '5'],
      ['h', 'h'],
      ['L', 'l'],
      ['ÉCOLE', 'école'],
    ]);
    // Lower-cased word by word where the whole text would shift or change a letter's case.
    assert.deepEqual(
      wordsOf('İSTANBUL ÉTÉ').map((w) => w.key),
      ['i̇stanbul', 'été'],
    );
    assert.deepEqual(
      wordsOf("ΟΣ'Α ΟΔΟΣ").map((w) => w.key),
      ['ος', 'α', 'οδος'],
    );
  });

  it('takes the first text holding the whole query, else the first holding a part, else none', () => {
    const texts = ['cuisine seule', 'cuisine et jardin', 'jardin seul'].map((text) => ({ text, words: wordsOf(text) }));
    const query = { whole: tree("'cuisi' & 'jardi'"), any: tree("'cuisi' | 'jardi'"), lexemesOf: fiveLetters };
    assert.equal(snippetOf(texts, query), `${MARK_START}cuisine${MARK_END} et ${MARK_START}jardin${MARK_END}`);
    assert.equal(snippetOf([texts[0], texts[2]], query), `${MARK_START}cuisine${MARK_END} seule`);
    assert.equal(snippetOf([{ text: 'rien', words: wordsOf('rien') }, null], query), null);
  });

  it('keeps a phrase’s words together and in order', () => {
    const texts = ['jardin puis repas', 'repas au jardin'].map((text) => ({ text, words: wordsOf(text) }));
    const query = { whole: tree("'repas' <-> 'jardi'"), any: null, lexemesOf: fiveLetters };
    assert.equal(snippetOf(texts, query), null);
    const near = { ...query, whole: tree("'repas' <2> 'jardi'") };
    assert.equal(snippetOf(texts, near), `${MARK_START}repas${MARK_END} au ${MARK_START}jardin${MARK_END}`);
  });
});

// The texts compared with ts_headline: the seed's real fiches, field by field, and sentences
// written to hold what French texts hold (elisions, hyphens, ligatures, addresses, numbers).
const QUERIES = [
  'jeunes',
  'sociaux',
  'centre social',
  'bénévoles',
  'oeuvre',
  'familles numérique',
  'rando',
  'numéri',
  '"repas partagé"',
  'jardin OR cuisine',
  'santé -sport',
  'ateliers parents enfants',
  'accès aux droits',
  'seniors autonomie',
  'ville',
  'Évreux 2024',
  'intergénérationnel',
  'partenariat CAF',
  'vacances familiales',
  'école',
];

for (const engine of testEngines()) {
  describe(`snippets against ts_headline (${engine})`, () => {
    let handle: DbHandle;
    let texts: string[];

    before(async () => {
      handle = await openTestDatabase(engine);
      await importDump(handle.db, SEED);
      const columns = FIELD_LIST.flatMap((f) => (f.snippet !== undefined && f.column ? [f.column] : []));
      const { rows } = await sql<{ texts: Array<string | null> }>`select array[${sql.join(
        columns.map((c) => sql.ref(c)),
      )}] as texts from actions order by id`.execute(handle.db);
      const fixture = readFileSync(path.join(FIXTURES, 'snippet-texts.txt'), 'utf8').split('\n');
      texts = [...rows.flatMap((r) => r.texts), ...fixture].filter((t): t is string => Boolean(t?.trim()));
    });
    after(() => handle.close());

    it('asks PostgreSQL only for words that may have a lexeme: every word met may have its own', async () => {
      // The seed, a generated set's vocabulary, and words whose stems rewrite their endings.
      const words = readFileSync(path.join(FIXTURES, 'french-words.txt'), 'utf8');
      const sources = [...texts, generatedDump(3000, 7), words];
      const keys = [...new Set(sources.flatMap((text) => wordsOf(text).map((w) => w.key)))].filter(Boolean);
      const missed: string[] = [];
      let pairs = 0;
      for (const { word, lexemes } of await lexemesOfWords(handle.db, keys)) {
        for (const lexeme of lexemes) {
          pairs++;
          if (!mayHaveLexeme(word, lexeme)) missed.push(`${word} → ${lexeme}`);
        }
      }
      assert.ok(pairs > 10_000, `${pairs} mots seulement`);
      assert.deepEqual(missed, []);
    });

    it('reads at start, for the lexicon’s words, the lexemes PostgreSQL gives each word alone', async () => {
      const stems = await readWordStems(handle.db, 100_000);
      assert.ok(stems.length > 1000, `${stems.length} mots seulement`);
      const asked = await lexemesOfWords(
        handle.db,
        stems.map((s) => s.word),
      );
      assert.deepEqual(
        stems.map((s) => [s.word, [s.stem]]),
        asked.map((a) => [a.word, a.lexemes]),
      );
    });

    it('marks the words PostgreSQL marks, and no other, in every text of the seed', async () => {
      assert.ok(texts.length > 150, `${texts.length} textes seulement`);
      let compared = 0;
      for (const q of QUERIES) {
        const analysed = await analyse(handle.db, parseQuery(q, new SynonymIndex([])));
        assert.ok(analysed.tree, q);
        const parsed = texts.map((text) => ({ text, words: wordsOf(text) }));
        const lexemesOf = await lexemeLookup(handle.db, parsed, analysed.tree);
        const { rows } = await sql<{ marked: string }>`select ts_headline('french_unaccent', t.text,
            ${analysed.text}::tsquery, ${`HighlightAll=true, StartSel=${MARK_START}, StopSel=${MARK_END}`}) as marked
          from unnest(${texts}::text[]) with ordinality t(text, n) order by t.n`.execute(handle.db);
        parsed.forEach(({ text, words }, i) => {
          const mine = matchedWords(words, analysed.tree as QueryNode, lexemesOf);
          const ours = words.flatMap((w, k) => (mine[k] ? [text.slice(w.start, w.end)] : []));
          assert.deepEqual(ours, marked(rows[i].marked), `« ${q} » dans ${JSON.stringify(text.slice(0, 80))}`);
          compared += ours.length;
        });
      }
      // Enough words matched for the comparison to mean something.
      assert.ok(compared > 500, `${compared} mots marqués seulement`);
    });

    it('cuts the same fragments as ts_headline, nearly always', async () => {
      const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
      const differing: string[] = [];
      let compared = 0;
      // A result never holds an excluded word, so queries with one are left out.
      for (const q of QUERIES.filter((query) => !query.includes(' -'))) {
        const analysed = await analyse(handle.db, parseQuery(q, new SynonymIndex([])));
        const node = analysed.tree as QueryNode;
        const parsed = texts.map((text) => ({ text, words: wordsOf(text) }));
        const lexemesOf = await lexemeLookup(handle.db, parsed, node);
        const { rows } = await sql<{ headline: string }>`select ts_headline('french_unaccent', t.text,
            ${analysed.text}::tsquery, ${options}) as headline
          from unnest(${texts}::text[]) with ordinality t(text, n) order by t.n`.execute(handle.db);
        parsed.forEach(({ text, words }, i) => {
          if (!matchedWords(words, node, lexemesOf).includes(1)) return;
          compared++;
          const ours = headline(text, words, node, lexemesOf);
          if (ours !== rows[i].headline) differing.push(`« ${q} »\n  ${ours}\n  ${rows[i].headline}`);
        });
      }
      assert.ok(compared > 300, `${compared} extraits seulement`);
      // What is left differs by a word or a dash at a fragment's end, where PostgreSQL's parser
      // reads tokens its own way: « habitant.e. s », « séniors/jeunes », a dash opening a line.
      assert.ok(
        differing.length <= compared / 10,
        `${differing.length} extraits sur ${compared} :\n${differing.join('\n')}`,
      );
    });
  });
}
