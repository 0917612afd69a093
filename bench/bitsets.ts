// npm run bench:bitsets -- --engine pglite|postgres --count 100000 [--seed 1] [--queries 320] [--rounds 5]
//
// The two set operations of a search, over the real match sets of the mix, in the same run:
// - facet counts (disjunctive, as the results page shows them): the index's own (its match
//   copied into a roaring bitmap, one kept per facet value: ADR 0026), against one typed-array
//   bitset per facet value, against roaring bitmaps made by the library's constructor;
// - the match of the words: the index's posting lists decoded into a bitset, against one
//   prebuilt roaring bitmap per lexeme.
// Every variant must give the same counts and the same match sets; the run fails otherwise.
import roaring from 'roaring';
import { openAppDatabase } from '../src/bootstrap.js';
import { FACET_NAMES, type FacetFilters, type FacetName } from '../src/search/facets.js';
import { analyse, liveIndexOf } from '../src/search/index/index.service.js';
import { lowerBound } from '../src/search/index/postings.js';
import type { SearchIndex } from '../src/search/index/search-index.js';
import type { QueryNode } from '../src/search/index/text-search.js';
import { parseQuery, SynonymIndex } from '../src/search/query.js';
import { listSynonyms } from '../src/search/synonyms.service.js';
import { benchCommand, positiveInt } from './lib/args.js';
import { loadMix } from './lib/mix.js';
import { markdownTable, ms, summarize } from './lib/stats.js';
import { type Engine, prepareTarget } from './lib/target.js';

const { RoaringBitmap32, getRoaringUsedMemory } = roaring;
type Roaring = InstanceType<typeof RoaringBitmap32>;
type Counts = Record<FacetName, Map<string, number>> & { total: number };

const BROAD = 10_000;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function toBits(slots: Uint32Array, words: number): Uint32Array {
  const bits = new Uint32Array(words);
  for (const s of slots) bits[s >>> 5] |= 1 << (s & 31);
  return bits;
}

function slotsOf(bits: Uint32Array): Uint32Array {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      out.push((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
  return Uint32Array.from(out);
}

/** The filters' accepted values per selected facet, as one set each (the values are alternatives). */
function selectedSets<T>(filters: FacetFilters, values: Record<FacetName, Map<string, T>>) {
  return FACET_NAMES.flatMap((name) => {
    const codes = filters[name] ?? [];
    return codes.length === 0 ? [] : [{ name, sets: codes.flatMap((c) => values[name].get(c) ?? []) }];
  });
}

/** Disjunctive counts with one typed-array bitset per facet value: AND, then popcount. */
function countBitsets(
  matched: Uint32Array,
  filters: FacetFilters,
  values: Record<FacetName, Map<string, Uint32Array>>,
) {
  const words = matched.length;
  const selected = selectedSets(filters, values).map(({ name, sets }) => {
    const any = new Uint32Array(words);
    for (const set of sets) for (let w = 0; w < words; w++) any[w] |= set[w];
    return { name, any };
  });
  // The matches with every filter but one facet's (`except`), or with all of them.
  const base = (except: FacetName | null) => {
    const out = matched.slice();
    for (const { name, any } of selected) if (name !== except) for (let w = 0; w < words; w++) out[w] &= any[w];
    return out;
  };
  const all = base(null);
  let total = 0;
  for (let w = 0; w < words; w++) total += popcount(all[w]);
  const counts = { total } as Counts;
  for (const name of FACET_NAMES) {
    const within = selected.some((s) => s.name === name) ? base(name) : all;
    const out = new Map<string, number>();
    for (const [code, set] of values[name]) {
      let n = 0;
      for (let w = 0; w < words; w++) n += popcount(within[w] & set[w]);
      if (n > 0) out.set(code, n);
    }
    counts[name] = out;
  }
  return counts;
}

/** The same counts with one roaring bitmap per facet value, the match being one too. */
function countRoaring(match: Roaring, filters: FacetFilters, values: Record<FacetName, Map<string, Roaring>>) {
  const selected = selectedSets(filters, values).map(({ name, sets }) => ({
    name,
    any: RoaringBitmap32.orMany(sets),
  }));
  const base = (except: FacetName | null) => {
    let out = match;
    for (const { name, any } of selected) if (name !== except) out = RoaringBitmap32.and(out, any);
    return out;
  };
  const all = base(null);
  const counts = { total: all.size } as Counts;
  for (const name of FACET_NAMES) {
    const within = selected.some((s) => s.name === name) ? base(name) : all;
    const out = new Map<string, number>();
    for (const [code, set] of values[name]) {
      const n = within.andCardinality(set);
      if (n > 0) out.set(code, n);
    }
    counts[name] = out;
  }
  return counts;
}

function countIndex(index: SearchIndex, match: ReturnType<SearchIndex['match']>, filters: FacetFilters): Counts {
  const { total, counts } = index.count(match, filters);
  return { ...counts, total };
}

/** A query tree on roaring bitmaps; undefined for what a set cannot tell (phrases, field weights). */
function evaluateRoaring(
  node: QueryNode,
  lexemes: Map<string, Roaring>,
  sorted: string[],
  all: Roaring,
): Roaring | undefined {
  switch (node.kind) {
    case 'lexeme': {
      if (node.weights !== 0) return undefined;
      if (!node.prefix) return lexemes.get(node.lexeme) ?? new RoaringBitmap32();
      const found: Roaring[] = [];
      for (let i = lowerBound(sorted, node.lexeme); i < sorted.length && sorted[i].startsWith(node.lexeme); i++) {
        found.push(lexemes.get(sorted[i]) as Roaring);
      }
      return RoaringBitmap32.orMany(found);
    }
    case 'not': {
      const inner = evaluateRoaring(node.child, lexemes, sorted, all);
      return inner && RoaringBitmap32.andNot(all, inner);
    }
    case 'phrase':
      return undefined;
    default: {
      const parts: Roaring[] = [];
      for (const child of node.children) {
        const part = evaluateRoaring(child, lexemes, sorted, all);
        if (!part) return undefined;
        parts.push(part);
      }
      if (node.kind === 'or') return RoaringBitmap32.orMany(parts);
      // Smallest first: each AND then shrinks as fast as it can.
      parts.sort((a, b) => a.size - b.size);
      let out = parts[0];
      for (const part of parts.slice(1)) out = RoaringBitmap32.and(out, part);
      return out;
    }
  }
}

/** The median of `rounds` timings of `run`, and its last result. */
function timed<T>(rounds: number, run: () => T): { ms: number; value: T } {
  const times: number[] = [];
  let value = run();
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    value = run();
    times.push(performance.now() - started);
  }
  return { ms: summarize(times).median, value };
}

async function main(options: { engine: Engine; count: number; seed: number; queries?: number; rounds: number }) {
  const { config } = await prepareTarget(options);
  const handle = await openAppDatabase(config, { worker: true });
  try {
    const live = liveIndexOf(handle.db);
    await live.warm();
    const { index } = await live.fresh();
    const words = (index.slots + 31) >>> 5;
    const sets = index.sets();

    // Memory of each layout, for the whole index.
    const heapBefore = getRoaringUsedMemory();
    const lexemeBitmaps = new Map<string, Roaring>();
    for (const [lexeme, slots] of sets.lexemes) {
      const bitmap = new RoaringBitmap32(slots);
      bitmap.runOptimize();
      bitmap.shrinkToFit();
      lexemeBitmaps.set(lexeme, bitmap);
    }
    const lexemeBytes = getRoaringUsedMemory() - heapBefore;
    const facetBitsets = {} as Record<FacetName, Map<string, Uint32Array>>;
    const facetBitmaps = {} as Record<FacetName, Map<string, Roaring>>;
    let values = 0;
    const facetBefore = getRoaringUsedMemory();
    for (const name of FACET_NAMES) {
      facetBitsets[name] = new Map([...sets.facets[name]].map(([code, slots]) => [code, toBits(slots, words)]));
      facetBitmaps[name] = new Map(
        [...sets.facets[name]].map(([code, slots]) => {
          const bitmap = new RoaringBitmap32(slots);
          bitmap.runOptimize();
          bitmap.shrinkToFit();
          return [code, bitmap];
        }),
      );
      values += sets.facets[name].size;
    }
    const facetRoaringBytes = getRoaringUsedMemory() - facetBefore;
    const stats = index.stats();
    console.log(
      `${handle.engine}, ${stats.fiches} fiches, ${stats.lexemes} lexemes, ${values} facet values\n` +
        `memory: postings (slot, weights, frequency) ${mb(stats.postings * 4)}; roaring per lexeme (sets only) ${mb(lexemeBytes)}; ` +
        `facet bitsets ${mb(values * words * 4)} in typed arrays, ${mb(facetRoaringBytes)} in roaring`,
    );

    const synonyms = new SynonymIndex((await listSynonyms(handle.db)).map((g) => g.terms));
    const sorted = [...lexemeBitmaps.keys()].sort();
    const all = new RoaringBitmap32(slotsOf(index.match({}).matched));
    const samples: Array<{ stage: string; variant: string; ms: number; broad: boolean }> = [];
    let mismatches = 0;
    let notComparable = 0;
    for (const query of await loadMix(options.queries)) {
      const parsed = query.q ? parseQuery(query.q, synonyms) : [];
      const analysed = parsed.length > 0 ? await analyse(handle.db, parsed) : undefined;
      const text = analysed?.tree ?? undefined;
      const indexMatch = timed(options.rounds, () => index.match({ text, completions: analysed?.completions }));
      const match = indexMatch.value;
      const filters = query.filters ?? {};
      const roaringMatchSet = new RoaringBitmap32(slotsOf(match.matched));
      const broad = match.matched.reduce((n, w) => n + popcount(w), 0) > BROAD;
      const facetRuns = [
        ['index (a pass over up to 256 matches; past them, roaring bitmaps)', () => countIndex(index, match, filters)],
        ['typed-array bitsets per value', () => countBitsets(match.matched, filters, facetBitsets)],
        // The match converted slot by slot, as the library's constructor takes it.
        [
          'roaring per value, match added slot by slot',
          () => countRoaring(new RoaringBitmap32(slotsOf(match.matched)), filters, facetBitmaps),
        ],
        // As a search done in roaring throughout would: its match is already a roaring bitmap.
        ['roaring per value, match already roaring', () => countRoaring(roaringMatchSet, filters, facetBitmaps)],
      ] as const;
      let reference: string | undefined;
      for (const [variant, run] of facetRuns) {
        const { ms: took, value } = timed(options.rounds, run);
        samples.push({ stage: 'facet counts', variant, ms: took, broad });
        const outcome = JSON.stringify([value.total, ...FACET_NAMES.map((n) => [...value[n]].sort())]);
        if (reference === undefined) reference = outcome;
        else if (outcome !== reference) mismatches++;
      }
      if (!text) continue;
      const roaringMatch = timed(options.rounds, () => evaluateRoaring(text, lexemeBitmaps, sorted, all));
      if (!roaringMatch.value) {
        notComparable++;
        continue;
      }
      samples.push({
        stage: 'match of the words',
        variant: 'index (postings into a bitset)',
        ms: indexMatch.ms,
        broad,
      });
      samples.push({ stage: 'match of the words', variant: 'roaring per lexeme', ms: roaringMatch.ms, broad });
      // What the index's ranking and facet passes would need: the match as a bitset.
      const intoBits = timed(options.rounds, () => {
        const set = evaluateRoaring(text, lexemeBitmaps, sorted, all) as Roaring;
        return toBits(set.toUint32Array(), words);
      });
      samples.push({
        stage: 'match of the words',
        variant: 'roaring per lexeme, into a bitset',
        ms: intoBits.ms,
        broad,
      });
      const expected = slotsOf(match.matched).join();
      if (roaringMatch.value.toUint32Array().join() !== expected) mismatches++;
    }

    const rows: string[][] = [];
    for (const stage of ['facet counts', 'match of the words']) {
      const variants = [...new Set(samples.filter((s) => s.stage === stage).map((s) => s.variant))];
      for (const variant of variants) {
        const mine = samples.filter((s) => s.stage === stage && s.variant === variant);
        const every = summarize(mine.map((s) => s.ms));
        const broad = summarize(mine.filter((s) => s.broad).map((s) => s.ms));
        rows.push([
          stage,
          variant,
          String(every.n),
          ms(every.median),
          ms(every.p95),
          ms(every.max),
          ms(broad.median),
          ms(broad.p95),
        ]);
      }
    }
    console.log(`\nmedian of ${options.rounds} rounds per query, ms\n`);
    console.log(
      markdownTable(
        ['stage', 'layout', 'queries', 'median', 'p95', 'max', `median broad (n > ${BROAD})`, 'p95 broad'],
        rows,
      ),
    );
    console.log(
      `\n${notComparable} queries left out of the match comparison (a phrase or a field weight, which a set cannot check).`,
    );
    console.log(
      mismatches === 0 ? 'Every layout gave the same counts and match sets.' : `${mismatches} results differed.`,
    );
    if (mismatches > 0) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

const program = benchCommand(
  'bench:bitsets',
  'compares set layouts for facet counts and word matches: the index, typed-array bitsets, roaring',
)
  .option('--queries <n>', 'only the first n queries of the mix', positiveInt)
  .option('--rounds <n>', 'timed rounds per query (the median is kept)', positiveInt, 5)
  .action(main);

await program.parseAsync();
