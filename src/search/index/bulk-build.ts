import { makeUint8, makeUint32, uint32 } from './columns.js';
import { marksOf } from './phrases.js';
import { FREQUENCY_CAP, LexemeList, packPosting } from './postings.js';
import { type IndexRow, SearchIndex } from './search-index.js';
import { type LexemeVisitor, readTsvector } from './text-search.js';

// Entries are gathered in large chunks, never copied as they grow, then laid out once.
const CHUNK = 1 << 22;
// From this many postings a list is marked at build (phrases.ts); a shorter one is read whole
// faster than a search waits for a round trip.
const MARKED_POSTINGS = 1024;

/** An append-only list of numbers in fixed chunks. */
class Chunked<T extends Uint32Array | Uint8Array> {
  readonly chunks: T[] = [];
  private filled = CHUNK;
  length = 0;

  constructor(private readonly make: (size: number) => T) {}

  push(value: number): void {
    if (this.filled === CHUNK) {
      this.chunks.push(this.make(CHUNK));
      this.filled = 0;
    }
    this.chunks[this.chunks.length - 1][this.filled++] = value;
    this.length++;
  }

  /** Lets the chunks go; the list is empty afterwards. */
  release(): void {
    this.chunks.length = 0;
    this.filled = CHUNK;
    this.length = 0;
  }

  /** The value at `i`. */
  at(i: number): number {
    return this.chunks[i >>> 22][i & (CHUNK - 1)];
  }
}

/**
 * Builds a search index from every fiche at once, in compact memory: the postings of every
 * lexeme in one array and their positions in another, each lexeme's list a range of them with a
 * little room to grow (a list that outgrows it gets arrays of its own). Growing a list per lexeme
 * instead leaves the freed copies scattered in the process's memory, for good.
 */
export class BulkBuilder {
  readonly index = new SearchIndex();
  private readonly lexemeIds = new Map<string, number>();
  private readonly entryLexemes = new Chunked(makeUint32);
  private readonly entryPostings = new Chunked(makeUint32);
  private readonly positionBytes = new Chunked(makeUint8);
  private readonly counts = uint32(1024);
  private readonly byteCounts = uint32(1024);

  // The fiche being added. The visitor below is made once: a closure made per fiche or per
  // entry is also named per call by the TypeScript loader (esbuild's keepNames), which cost a
  // quarter of a 100 000-fiche build.
  private slot = 0;
  private readonly visit: LexemeVisitor = (lexeme, weights, positions, count) => {
    let id = this.lexemeIds.get(lexeme);
    if (id === undefined) {
      id = this.lexemeIds.size;
      this.lexemeIds.set(lexeme, id);
      this.counts.push(0);
      this.byteCounts.push(0);
    }
    this.entryLexemes.push(id);
    this.entryPostings.push(packPosting(this.slot, weights, count));
    let bytes = count >= FREQUENCY_CAP ? this.varint(count) : 0;
    for (let i = 0, previous = 0; i < count; previous = positions[i++]) bytes += this.varint(positions[i] - previous);
    this.counts.data[id]++;
    this.byteCounts.data[id] += bytes;
  };

  /** Adds fiches, in the order of their ids. */
  add(rows: IndexRow[]): void {
    for (const row of rows) {
      this.slot = this.index.addFiche(row);
      readTsvector(row.document, this.visit);
    }
  }

  private varint(value: number): number {
    if (value < 128) {
      this.positionBytes.push(value);
      return 1;
    }
    this.positionBytes.push((value & 127) | 128);
    this.positionBytes.push(value >>> 7);
    return 2;
  }

  /** Lays the postings out, lexeme by lexeme, and returns the index. */
  finish(): SearchIndex {
    const n = this.lexemeIds.size;
    const postingStart = new Uint32Array(n + 1);
    const byteStart = new Uint32Array(n + 1);
    // Each list gets room to grow in place: the first publications after the build add to many
    // lists at once, and copying the largest ones out of the layout then cost 2 ms an edit.
    for (let id = 0; id < n; id++) {
      const count = this.counts.data[id];
      const byteCount = this.byteCounts.data[id];
      postingStart[id + 1] = postingStart[id] + count + (count >>> 6) + 2;
      byteStart[id + 1] = byteStart[id] + byteCount + (byteCount >>> 6) + 8;
    }
    const postings = new Uint32Array(postingStart[n]);
    const bytes = new Uint8Array(byteStart[n]);
    const nextPosting = postingStart.slice(0, n);
    const nextByte = byteStart.slice(0, n);
    let at = 0;
    const source = this.positionBytes;
    for (let entry = 0; entry < this.entryLexemes.length; entry++) {
      const id = this.entryLexemes.at(entry);
      const posting = this.entryPostings.at(entry);
      postings[nextPosting[id]++] = posting;
      // An entry's positions: their number when the posting's frequency is capped, then that
      // many varints (one or two bytes each), copied as they are once their length is known.
      let count = posting & 15;
      let length = 0;
      if (count >= FREQUENCY_CAP) {
        const first = source.at(at);
        count = first < 128 ? first : (first & 127) | (source.at(at + 1) << 7);
        length = first < 128 ? 1 : 2;
      }
      for (let c = 0; c < count; c++) length += source.at(at + length) < 128 ? 1 : 2;
      let target = nextByte[id];
      for (const end = at + length; at < end; ) bytes[target++] = source.at(at++);
      nextByte[id] = target;
    }
    const lists = new Map<string, LexemeList>();
    for (const [lexeme, id] of this.lexemeIds) {
      const from = postingStart[id];
      const bytesFrom = byteStart[id];
      lists.set(
        lexeme,
        new LexemeList(
          postings,
          from,
          from + this.counts.data[id],
          postingStart[id + 1],
          bytes,
          bytesFrom,
          bytesFrom + this.byteCounts.data[id],
          byteStart[id + 1],
        ),
      );
    }
    // The long lists get the marks a phrase's walk jumps by now, not at the first search.
    for (const list of lists.values()) if (list.length >= MARKED_POSTINGS) marksOf(list);
    // Laid out: the entries (twice the postings' size) go now, even if a caller keeps the builder.
    for (const chunked of [this.entryLexemes, this.entryPostings, this.positionBytes]) chunked.release();
    this.index.adoptLexemes(lists);
    return this.index;
  }
}
