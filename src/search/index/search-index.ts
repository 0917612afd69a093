import { FACET_NAMES, type FacetName } from '../facets.js';
import { addSlot, andInto, type Bits, forEachSlot, hasSlot, orInto, widened } from './bits.js';
import { FacetColumn, float64, int32 } from './columns.js';
import { countFacets, type FacetCounts, filterMatches } from './facet-counts.js';
import { type LexemeList, MAX_SLOTS } from './postings.js';
import { evaluateQuery, type LeafSets, rankGroupsOf } from './query-match.js';
import {
  bestInOrder,
  byRank,
  comparator,
  type IndexOrder,
  type RankGroups,
  type SortColumns,
  scoreAt,
} from './ranking.js';
import type { QueryNode } from './text-search.js';
import { type SnippetSource, WordLists } from './word-lists.js';

/** A search row as the index takes it (one row of `action_search`). */
export interface IndexRow {
  actionId: number;
  /** The tsvector's text form. */
  document: string;
  titleSort: string;
  /** Milliseconds since the epoch. */
  sortDate: number;
  structureId: number;
  budgetTotal: number | null;
  /** The codes of each facet: none, one or several. */
  facets: Record<FacetName, string[]>;
}

/** What to match: a text query (already analysed by PostgreSQL) and a scope; facets are counted apart. */
export interface IndexQuery {
  text?: QueryNode;
  /** Lexemes that only complete the last word being typed: they rank below the words typed. */
  completions?: ReadonlySet<string>;
  structureId?: number;
  actionIds?: number[];
}

/** The size of the index, for the benchmarks. */
export interface IndexStats {
  fiches: number;
  slots: number;
  lexemes: number;
  postings: number;
  /** Bytes held by the typed arrays (lexeme strings and maps not counted). */
  bytes: number;
  /** Phrases whose walk is kept (a search of one then reads only the postings added since). */
  phraseWalks: number;
}

/** The result of evaluating a query: the matching fiches and how to rank them. */
export interface IndexMatch {
  /** Slots that match the text and the scope (structure, ids), every facet ignored. */
  matched: Bits;
  /** Slots whose match PostgreSQL must confirm (a phrase); a subset of `matched`. */
  unsure: Bits;
  /** Lexemes whose postings rank the results, by AND group; prefix expansions marked. */
  groups: RankGroups;
}

/**
 * The in-process search index (ADR 0013): postings of every lexeme of the stored tsvectors, with
 * field weight and frequency, and each fiche's facet codes, sort keys and budget, in typed arrays.
 * A changed or removed fiche leaves a dead slot; its new version takes a new slot at the end, so
 * that the posting lists stay sorted by appending. See also word-lists.ts, bits.ts, columns.ts,
 * query-match.ts, facet-counts.ts and ranking.ts.
 */
export class SearchIndex {
  private readonly slotOf = new Map<number, number>();
  private readonly actionIds = int32(1024);
  /** One bit per slot, set while the slot holds a fiche's current version. */
  private alive = new Uint32Array(32);
  private readonly sortDates = float64(1024);
  private readonly budgets = float64(1024);
  private readonly structures = int32(1024);
  private readonly titles: string[] = [];
  private readonly departements: string[] = [];
  private readonly facets = Object.fromEntries(FACET_NAMES.map((name) => [name, new FacetColumn()])) as Record<
    FacetName,
    FacetColumn
  >;
  private readonly words = new WordLists(() => this.width());
  private liveCount = 0;
  /** The query's leaves as this index reads them. */
  private readonly leaves: LeafSets = {
    empty: () => this.empty(),
    lexeme: (lexeme, prefix, weights) => this.words.lexemeBits(lexeme, prefix, weights),
    phrase: (node, candidates) => this.words.phraseBits(node, candidates),
    postings: (lexeme, prefix) => this.words.postingCount(lexeme, prefix),
  };

  /** The number of fiches the index holds. */
  get size(): number {
    return this.liveCount;
  }

  /** The number of slots, dead ones included: a rebuild is due when too many are dead. */
  get slots(): number {
    return this.actionIds.length;
  }

  /** Adds or replaces fiches. */
  upsert(rows: IndexRow[]): void {
    this.words.add(rows.map((row) => ({ slot: this.addFiche(row), document: row.document })));
  }

  /** Adds a fiche's own columns (its words aside) in a new slot, replacing any older version. */
  addFiche(row: IndexRow): number {
    this.remove([row.actionId]);
    const slot = this.actionIds.length;
    if (slot >= MAX_SLOTS) throw new Error('index de recherche plein : reconstruction nécessaire');
    this.slotOf.set(row.actionId, slot);
    this.actionIds.push(row.actionId);
    if (slot >>> 5 >= this.alive.length) this.alive = widened(this.alive, this.alive.length * 2);
    addSlot(this.alive, slot);
    this.sortDates.push(row.sortDate);
    this.budgets.push(row.budgetTotal ?? Number.NaN);
    this.structures.push(row.structureId);
    this.titles.push(row.titleSort);
    this.departements.push(row.facets.department[0] ?? '');
    for (const name of FACET_NAMES) this.facets[name].add(row.facets[name]);
    this.liveCount++;
    return slot;
  }

  /** Takes the lexeme lists of a bulk build (see bulk-build.ts); the index must hold no words yet. */
  adoptLexemes(lists: Map<string, LexemeList>): void {
    this.words.adopt(lists);
  }

  /** Removes fiches (unpublished or deleted); unknown ids are ignored. */
  remove(actionIds: number[]): void {
    for (const id of actionIds) {
      const slot = this.slotOf.get(id);
      if (slot === undefined) continue;
      this.alive[slot >>> 5] &= ~(1 << (slot & 31));
      this.slotOf.delete(id);
      this.liveCount--;
    }
  }

  /** A fiche's version in this index: its slot, which no other version or fiche ever takes (undefined: none). */
  versionOf(actionId: number): number | undefined {
    return this.slotOf.get(actionId);
  }

  /** What a fiche's result shows that the index holds: its codes of these facets, in order, and its budget. */
  shownOf(actionId: number, facets: FacetName[]): { codes: string[][]; budget: number | null } | undefined {
    const slot = this.slotOf.get(actionId);
    if (slot === undefined) return undefined;
    const budget = this.budgets.data[slot];
    return {
      codes: facets.map((name) => this.facets[name].codesAt(slot)),
      budget: Number.isNaN(budget) ? null : budget,
    };
  }

  /** Whether some fiche holds this lexeme (a word's stem). */
  knows(lexeme: string): boolean {
    return this.words.holds(lexeme, (slot) => this.isAlive(slot));
  }

  /** Sizes, for the benchmarks and the logs. */
  stats(): IndexStats {
    const { lexemes, postings, bytes: listBytes, phraseWalks } = this.words.stats();
    let bytes = listBytes;
    for (const c of [this.actionIds, this.sortDates, this.budgets, this.structures]) bytes += c.data.byteLength;
    bytes += this.alive.byteLength;
    for (const f of Object.values(this.facets)) bytes += f.byteLength;
    return { fiches: this.liveCount, slots: this.slots, lexemes, postings, bytes, phraseWalks };
  }

  /** The live slots of every lexeme and facet value, sorted, for `bench:bitsets`: the index keeps neither so. */
  sets(): { lexemes: Map<string, Uint32Array>; facets: Record<FacetName, Map<string, Uint32Array>> } {
    const isAlive = (slot: number) => this.isAlive(slot);
    const facets = {} as Record<FacetName, Map<string, Uint32Array>>;
    for (const name of FACET_NAMES) facets[name] = this.facets[name].slotsByCode(this.slots, isAlive);
    return { lexemes: this.words.liveSlots(isAlive), facets };
  }

  /** The fiches that match a query's text and scope, facets aside. */
  match(query: IndexQuery): IndexMatch {
    const all = this.allAlive();
    let matched = all;
    let unsure: Bits | undefined;
    let groups: RankGroups = [];
    if (query.text) {
      const t = evaluateQuery(query.text, all, this.leaves);
      matched = t.sure;
      if (t.maybe) orInto(matched, t.maybe);
      andInto(matched, all);
      unsure = t.maybe;
      if (unsure) andInto(unsure, all);
      groups = rankGroupsOf(query.text, (lexeme, prefix) => this.words.expand(lexeme, prefix), query.completions);
    }
    if (query.structureId !== undefined || query.actionIds) {
      const scope = this.scopeOf(query, all);
      andInto(matched, scope);
      if (unsure) andInto(unsure, scope);
    }
    return { matched, unsure: unsure ?? this.empty(), groups };
  }

  /** The slots of a query's structure and ids, among `all`. */
  private scopeOf(query: IndexQuery, all: Bits): Bits {
    const scope = query.actionIds ? this.slotSet(query.actionIds) : all.slice();
    if (query.structureId !== undefined) {
      const structures = this.structures.data;
      for (let s = 0; s < this.slots; s++) {
        if (structures[s] !== query.structureId) scope[s >>> 5] &= ~(1 << (s & 31));
      }
    }
    return scope;
  }

  /** Drops from a match the fiches PostgreSQL found not to match after all. */
  confirm(match: IndexMatch, confirmed: number[]): void {
    const keep = this.slotSet(confirmed);
    for (let w = 0; w < match.matched.length; w++) {
      match.matched[w] &= ~match.unsure[w] | keep[w];
      match.unsure[w] = 0;
    }
  }

  /**
   * Counts the facets over a match: the total with every filter, each facet's values with the
   * other facets' filters only (its own are alternatives) or with all (`within`); and the results.
   */
  count(match: IndexMatch, filters: Partial<Record<FacetName, string[]>>, within = false): FacetCounts {
    return countFacets(match.matched, this.facets, filters, within);
  }

  /** The slots of a match that every filter accepts, before any count. */
  results(match: IndexMatch, filters: Partial<Record<FacetName, string[]>>): Bits {
    return filterMatches(match.matched, this.facets, filters);
  }

  /** The action ids of the slots in a set, in slot order. */
  idsOf(bits: Bits): number[] {
    const ids: number[] = [];
    forEachSlot(bits, (slot) => ids.push(this.actionIds.data[slot]));
    return ids;
  }

  /** The action ids of these slots. */
  actionIdsAt(slots: number[]): number[] {
    return slots.map((slot) => this.actionIds.data[slot]);
  }

  /** Where each fiche's snippet comes from, so that PostgreSQL analyses only the fields that may give one. */
  snippetSources(actionIds: number[], match: IndexMatch): SnippetSource[] {
    return actionIds.map((id) => {
      const slot = this.slotOf.get(id);
      return slot === undefined ? 'none' : this.words.snippetSourceAt(slot, match.groups);
    });
  }

  /** The stated budgets of a set of slots, overall and by keyword, for medians. */
  budgetsOf(bits: Bits): { all: number[]; byKeyword: Map<string, number[]> } {
    const all: number[] = [];
    const byKeyword = new Map<string, number[]>();
    forEachSlot(bits, (slot) => {
      const amount = this.budgets.data[slot];
      if (Number.isNaN(amount)) return;
      all.push(amount);
      for (const code of this.facets.keyword.codesAt(slot)) {
        const list = byKeyword.get(code) ?? [];
        list.push(amount);
        byKeyword.set(code, list);
      }
    });
    return { all, byKeyword };
  }

  /**
   * The slots of the best `k` results, best first, in an order. Relevance ranks by where the words
   * are (title, résumé, other texts, context), how often they occur, the latest first; ties by id.
   */
  topSlots(results: Bits, match: IndexMatch, order: IndexOrder, k: number): number[] {
    if (k <= 0) return [];
    return bestInOrder(results, k, order, this.sortColumns(), {
      groups: match.groups,
      postings: this.words.lists,
      slots: this.slots,
    });
  }

  /**
   * The best `k` slots after a change, from the best `k` before it: none of the removed slots
   * was among them, so they are the best of what stayed, and the new best are among them and
   * the added slots. Undefined when a removed slot was among them: rank afresh then.
   */
  retop(
    previous: number[],
    removed: Bits,
    added: Bits,
    match: IndexMatch,
    order: IndexOrder,
    k: number,
  ): number[] | undefined {
    if (previous.some((slot) => hasSlot(removed, slot))) return undefined;
    const candidates = previous.slice();
    forEachSlot(added, (slot) => {
      candidates.push(slot);
    });
    const better = comparator(order, this.sortColumns(), (slot) => scoreAt(slot, match.groups, this.words.lists));
    return candidates.sort(byRank(better)).slice(0, k);
  }

  private sortColumns(): SortColumns {
    return {
      dates: this.sortDates.data,
      ids: this.actionIds.data,
      titles: this.titles,
      departements: this.departements,
      budgets: this.budgets.data,
    };
  }

  /** The slots in 32-bit words: the width of every set. */
  private width(): number {
    return (this.slots + 31) >>> 5;
  }

  /** The slots of these fiches, as a set; those the index lacks are left out. */
  private slotSet(actionIds: number[]): Bits {
    const set = this.empty();
    for (const id of actionIds) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) addSlot(set, slot);
    }
    return set;
  }

  private empty(): Bits {
    return new Uint32Array(this.width());
  }

  private allAlive(): Bits {
    return this.alive.slice(0, this.width());
  }

  private isAlive(slot: number): boolean {
    return hasSlot(this.alive, slot);
  }
}
