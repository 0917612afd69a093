import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FACET_NAMES } from '../facets.js';
import { BulkBuilder } from './bulk-build.js';
import type { IndexRow, SearchIndex } from './search-index.js';
import type { QueryNode } from './text-search.js';

function row(actionId: number, document: string): IndexRow {
  return {
    actionId,
    document,
    titleSort: `fiche ${actionId}`,
    sortDate: actionId,
    structureId: 1,
    budgetTotal: null,
    facets: Object.fromEntries(FACET_NAMES.map((name) => [name, []])) as unknown as IndexRow['facets'],
  };
}

/** The action ids whose words start with `prefix`, as the last word being typed finds them. */
function completing(index: SearchIndex, prefix: string): number[] {
  const match = index.match({ text: { kind: 'lexeme', lexeme: prefix, prefix: true, weights: 0 } });
  return index.idsOf(match.matched).sort((a, b) => a - b);
}

/** The action ids where the lexemes follow one another, as a quoted phrase finds them. */
function found(index: SearchIndex, ...lexemes: string[]): number[] {
  const phrase: QueryNode = {
    kind: 'phrase',
    children: lexemes.map((lexeme) => ({ kind: 'lexeme', lexeme, prefix: false, weights: 0 })),
    distances: lexemes.slice(1).map(() => 1),
  };
  return index.idsOf(index.match({ text: phrase }).matched).sort((a, b) => a - b);
}

describe('search index: words of fiches published after the build', () => {
  function built(): SearchIndex {
    const builder = new BulkBuilder();
    builder.add([row(1, "'randon':1A 'social':2B"), row(2, "'jardin':1A 'randonneur':3C")]);
    return builder.finish();
  }

  it('completes a word that only a fiche published since holds, and still the older ones', () => {
    const index = built();
    assert.deepEqual(completing(index, 'rand'), [1, 2]);
    index.upsert([row(3, "'randonnee':1A 'zygomat':2B")]);
    assert.deepEqual(completing(index, 'zygo'), [3]);
    assert.deepEqual(completing(index, 'rand'), [1, 2, 3]);
    // A word that sorts first and one that sorts last find their place too.
    index.upsert([row(4, "'aaa':1A"), row(5, "'zzz':1A")]);
    assert.deepEqual(completing(index, 'aa'), [4]);
    assert.deepEqual(completing(index, 'zz'), [5]);
  });

  it('completes the words of a catch-up too large to insert one by one', () => {
    const index = built();
    assert.deepEqual(completing(index, 'jard'), [2]);
    const many = Array.from({ length: 1_200 }, (_, i) => `'mot${String(i).padStart(4, '0')}':1A`).join(' ');
    index.upsert([row(6, many), row(7, "'jardinier':1A")]);
    assert.deepEqual(completing(index, 'mot11'), [6]);
    assert.deepEqual(completing(index, 'jard'), [2, 7]);
  });
});

describe('search index: phrases read from the positions', () => {
  // A word said 20 times (more than a posting's frequency holds) before the phrase, positions
  // past 127 (two bytes each), and a fiche where the words are there but apart.
  const repeated = Array.from({ length: 20 }, (_, i) => i * 7 + 1).join(',');
  const fiches = (from: number) => [
    row(from, `'lien':${repeated},300 'social':301 'jardin':2`),
    row(from + 1, "'lien':5 'social':9"),
    row(from + 2, "'social':1 'lien':2"),
    row(from + 3, "'lien':200B 'social':201C 'jardin':202"),
  ];

  it('finds a phrase after a bulk build, whatever the number and size of the positions', () => {
    const builder = new BulkBuilder();
    builder.add(fiches(1));
    const index = builder.finish();
    assert.deepEqual(found(index, 'lien', 'social'), [1, 4]);
    assert.deepEqual(found(index, 'lien', 'social', 'jardin'), [4]);
  });

  it('still finds it once the lists have outgrown their room in the build’s arrays', () => {
    const builder = new BulkBuilder();
    builder.add(fiches(1));
    const index = builder.finish();
    assert.deepEqual(found(index, 'lien', 'social'), [1, 4]);
    // Each batch adds to both lists; the walk kept from the search above is taken up.
    for (let from = 11; from < 200; from += 10) index.upsert(fiches(from));
    const expected = [1, 4];
    for (let from = 11; from < 200; from += 10) expected.push(from, from + 3);
    assert.deepEqual(found(index, 'lien', 'social'), expected);
    assert.deepEqual(
      found(index, 'lien', 'social', 'jardin'),
      expected.filter((id) => id % 10 === 4),
    );
  });
});

describe('search index: phrases of common words, their lists jumped over', () => {
  // Every fiche holds « lien » and « social », a third of them « lien » 20 times (its count then
  // written before its positions), past 127 for half; « jardin » is rare. The phrase of the
  // three is where all three follow one another.
  const fiche = (i: number) => {
    const lien = i % 3 === 0 ? Array.from({ length: 20 }, (_, k) => k * 7 + 1) : [5];
    if (i % 2 === 0) lien.push(300);
    const parts = [`'lien':${lien.join(',')}`, `'social':${i % 7 === 0 ? 301 : 4}`];
    if (i % 50 === 0) parts.push(`'jardin':302`);
    return row(i, parts.join(' '));
  };
  const expected = (upTo: number, step: number) =>
    Array.from({ length: upTo }, (_, i) => i + 1).filter((i) => i % step === 0);

  it('finds the same fiches as reading every position, after the build and after writes', () => {
    const builder = new BulkBuilder();
    builder.add(Array.from({ length: 5000 }, (_, i) => fiche(i + 1)));
    const index = builder.finish();
    assert.deepEqual(found(index, 'lien', 'social', 'jardin'), expected(5000, 350));
    assert.deepEqual(found(index, 'lien', 'social'), expected(5000, 14));
    // The lists outgrow their room and move; the walks kept and the marks are taken up.
    for (let from = 5001; from <= 9000; from += 500) {
      index.upsert(Array.from({ length: 500 }, (_, i) => fiche(from + i)));
    }
    assert.deepEqual(found(index, 'lien', 'social', 'jardin'), expected(9000, 350));
    assert.deepEqual(found(index, 'lien', 'social'), expected(9000, 14));
    assert.deepEqual(found(index, 'social', 'jardin'), expected(9000, 350));
  });
});

describe('search index: the best results by relevance', () => {
  // 400 fiches, each holding some of four words, in random fields and numbers (seeded).
  const WEIGHTS = ['A', 'B', 'C', 'D'];
  const RANK: Record<string, number> = { A: 3, B: 2, C: 1, D: 0 };
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const fiches = Array.from({ length: 400 }, (_, i) => {
    const words = ['alpha', 'beta', 'gamma', 'delta'].filter(() => random(3) > 0);
    let position = 1;
    const entries = words.map((word) => {
      const positions = Array.from({ length: 1 + random(20) }, () => `${position++}${WEIGHTS[random(4)]}`);
      return { word, positions };
    });
    return { id: i + 1, entries };
  });
  const index = (() => {
    const builder = new BulkBuilder();
    builder.add(fiches.map((f) => row(f.id, f.entries.map((e) => `'${e.word}':${e.positions.join(',')}`).join(' '))));
    return builder.finish();
  })();
  // The score as ranking.ts defines it, computed here from the fiches themselves.
  const expected = (words: string[], k: number) =>
    fiches
      .map((f) => {
        const mine = f.entries.filter((e) => words.includes(e.word));
        const best = Math.max(-1, ...mine.flatMap((e) => e.positions.map((p) => RANK[p.at(-1) as string] * 2 + 1)));
        const frequencies = mine.reduce((n, e) => n + Math.min(e.positions.length, 15), 0);
        return { id: f.id, score: best < 0 ? -1 : best * 1000 + frequencies, held: mine.length > 0 };
      })
      .filter((f) => f.held)
      .sort((a, b) => b.score - a.score || b.id - a.id)
      .slice(0, k)
      .map((f) => f.id);
  const best = (words: string[], k: number) => {
    const text: QueryNode =
      words.length === 1
        ? { kind: 'lexeme', lexeme: words[0], prefix: false, weights: 0 }
        : { kind: 'or', children: words.map((lexeme) => ({ kind: 'lexeme', lexeme, prefix: false, weights: 0 })) };
    const match = index.match({ text });
    return index.actionIdsAt(index.topSlots(match.matched, match, 'relevance', k));
  };

  it('are those that full scoring ranks first, for one word or several joined by OR', () => {
    for (const words of [['alpha'], ['beta', 'gamma'], ['alpha', 'beta', 'gamma', 'delta']]) {
      for (const k of [1, 5, 20, 150, 400]) assert.deepEqual(best(words, k), expected(words, k), `${words} ${k}`);
    }
  });
});
