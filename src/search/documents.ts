import type { Db } from '../db/database.js';
import { type AnalysedPiece, analysePieces, type DocumentTexts } from './search-rows.repository.js';
import { grown, hashStep, StringTable } from './string-table.js';

// A search document is `action_search_document` of a fiche's four texts (migration 0011): each
// text's `to_tsvector`, weighted A to D, joined by `||`. Most of its cost in PostgreSQL is the
// parser's walk over every character (two thirds of it on the bench set), done again for the
// same few hundred thousand words in every fiche of an import. Here each text is cut at its
// spaces, which no token of the parser spans, and each distinct piece is analysed once by
// PostgreSQL; the document is then put together in the process, by the rules of `to_tsvector`
// and `||`, so that it is the one PostgreSQL would have made (ADR 0030, documents.test.ts).

// PostgreSQL's limits on positions (tsearch/ts_type.h): a position above MAX_POSITION counts as
// MAX_POSITION, and a lexeme keeps at most MAX_POSITIONS of them (`to_tsvector` one fewer).
const MAX_POSITION = 16383;
const MAX_POSITIONS = 256;

// A text with a piece this long is analysed whole: a piece this short has fewer tokens than a
// lexeme may hold positions, so that no cap applies inside it.
const LONGEST_PIECE = 500;
// The pieces kept from one batch to the next, a bound on an import's memory for texts of ever
// new words; the cache starts again past it.
const PIECES_KEPT = 500_000;
// Pieces analysed per statement.
const PIECES_PER_STATEMENT = 5000;

// A position is kept as position × 4 + weight, the weight as `setweight` stores it: title A (3),
// résumé B (2), the other texts C (1), the structure and partners D (0).

/**
 * Builds the search documents of fiches in the process from PostgreSQL's analysis of each of
 * their distinct pieces, asked of `analysis` once per import: for an import of thousands of
 * fiches, many times less work for the database than `to_tsvector` over every text.
 */
export class DocumentBuilder {
  private readonly pieces = new StringTable();
  // Each piece's analysis: how many positions it takes, and its lexemes' occurrences `from`
  // to `to` in `lexemeAt` (lexeme id) and `positionAt` (position in the piece).
  private pieceTokens = new Int32Array(1 << 15);
  private pieceFrom = new Int32Array(1 << 15);
  private pieceTo = new Int32Array(1 << 15);
  private lexemeAt = new Int32Array(1 << 16);
  private positionAt = new Int32Array(1 << 16);
  private occurrences = 0;
  private readonly lexemeIds = new Map<string, number>();
  /** Each lexeme as a document's binary form holds it: in UTF-8, ended by a zero byte. */
  private readonly lexemeHeads: Uint8Array[] = [];
  private readonly scratch = new Scratch();
  private queue: Promise<unknown> = Promise.resolve();

  /** `analysis` analyses the pieces: any connection of a database set up like the fiches' one. */
  constructor(private readonly analysis: Db) {}

  /**
   * The search documents of these texts, in their order, in tsvector's binary form (that of
   * `tsvectorsend`, which a binary COPY reads without parsing text), views of one buffer.
   */
  documents(texts: DocumentTexts[]): Promise<Uint8Array[]> {
    // One batch at a time: a batch's pieces are known once its analysis is back.
    const built = this.queue.then(() => this.build(texts));
    this.queue = built.catch(() => {});
    return built;
  }

  private async build(texts: DocumentTexts[]): Promise<Uint8Array[]> {
    if (this.pieces.size > PIECES_KEPT) {
      this.pieces.clear();
      this.occurrences = 0;
    }
    const unknown: number[] = [];
    const fiches = texts.map((t) =>
      [t.title, t.summary, t.body, t.context].map((text) => this.pieceIds(text, unknown)),
    );
    for (let i = 0; i < unknown.length; i += PIECES_PER_STATEMENT) {
      const ids = unknown.slice(i, i + PIECES_PER_STATEMENT);
      const analysed = await analysePieces(
        this.analysis,
        ids.map((id) => this.pieces.strings[id]),
      );
      for (const [j, id] of ids.entries()) this.store(id, analysed[j]);
    }
    const ends = fiches.map((fields) => this.document(fields));
    // One buffer of the batch's size, which the worker's answer copies whole.
    const bytes = this.scratch.taken();
    return ends.map((end, i) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
  }

  /** The ids of a text's pieces; those never met are added to `unknown`. */
  private pieceIds(text: string, unknown: number[]): Int32Array {
    const cuts = cutPieces(text, this.scratch);
    const ids = new Int32Array(cuts);
    const { bounds } = this.scratch;
    for (let i = 0; i < cuts; i++) {
      const known = this.pieces.size;
      const id = this.pieces.intern(text, bounds[3 * i], bounds[3 * i + 1], bounds[3 * i + 2]);
      if (id === known) {
        if (id === this.pieceTokens.length) {
          this.pieceTokens = grown(this.pieceTokens);
          this.pieceFrom = grown(this.pieceFrom);
          this.pieceTo = grown(this.pieceTo);
        }
        unknown.push(id);
      }
      ids[i] = id;
    }
    return ids;
  }

  private store(id: number, piece: AnalysedPiece): void {
    const needed = this.occurrences + piece.occurrences.length;
    if (needed > this.lexemeAt.length) {
      this.lexemeAt = grown(this.lexemeAt, needed);
      this.positionAt = grown(this.positionAt, needed);
    }
    this.pieceFrom[id] = this.occurrences;
    for (const [position, lexeme] of piece.occurrences) {
      this.lexemeAt[this.occurrences] = this.lexemeId(lexeme);
      this.positionAt[this.occurrences++] = position;
    }
    this.pieceTo[id] = this.occurrences;
    this.pieceTokens[id] = piece.positions;
  }

  private lexemeId(lexeme: string): number {
    let id = this.lexemeIds.get(lexeme);
    if (id === undefined) {
      id = this.lexemeHeads.length;
      this.lexemeIds.set(lexeme, id);
      this.lexemeHeads.push(Buffer.from(`${lexeme}\0`));
      this.scratch.lexemes(id + 1);
    }
    return id;
  }

  /**
   * One fiche's document: each text's positions kept as `to_tsvector` keeps them (`uniqueWORD`),
   * then added to the document as `||` adds them (`add_pos`), shifted past its last position.
   * Written after the batch's documents so far; returns where it ends.
   */
  private document(fields: Int32Array[]): number {
    const s = this.scratch.startDocument();
    let end = 0;
    for (let f = 0; f < fields.length; f++) {
      const weight = 3 - f;
      const shift = end;
      const field = s.startField();
      let offset = 0;
      for (const piece of fields[f]) {
        for (let k = this.pieceFrom[piece]; k < this.pieceTo[piece]; k++) {
          const lexeme = this.lexemeAt[k];
          const position = Math.min(offset + this.positionAt[k], MAX_POSITION);
          if (s.fieldStamp[lexeme] !== field) {
            s.fieldStamp[lexeme] = field;
            s.fieldCount[lexeme] = 1;
          } else {
            // Positions come in order and stop growing at MAX_POSITION: a repeat is the cap.
            if (s.fieldCount[lexeme] >= MAX_POSITIONS - 1 || s.fieldLast[lexeme] === position) continue;
            s.fieldCount[lexeme]++;
          }
          s.fieldLast[lexeme] = position;
          const shifted = Math.min(position + shift, MAX_POSITION);
          if (s.add(lexeme, shifted, weight) && shifted > end) end = shifted;
        }
        offset += this.pieceTokens[piece];
      }
    }
    return s.write(this.lexemeHeads);
  }
}

/**
 * The state of the document being built, by lexeme id, reused from one fiche to the next: a
 * lexeme's entries count only when stamped with the current text's or document's serial.
 */
class Scratch {
  /** The pieces of the text being cut: start, end and hash of each. */
  bounds = new Int32Array(3 * 1024);
  fieldStamp = new Int32Array(1024);
  fieldCount = new Int32Array(1024);
  fieldLast = new Int32Array(1024);
  private documentStamp = new Int32Array(1024);
  private documentCount = new Int32Array(1024);
  private documentLast = new Int32Array(1024);
  private fieldSerial = 0;
  private documentSerial = 0;
  private readonly touched: number[] = [];
  private lexemeOf = new Int32Array(1024);
  private positionOf = new Int32Array(1024);
  private sorted = new Int32Array(1024);
  private added = 0;
  // The batch's documents written so far, up to `used`.
  private out: Buffer = Buffer.allocUnsafe(1 << 20);
  private used = 0;

  /** Makes room for lexeme ids below `count`. */
  lexemes(count: number): void {
    if (count <= this.fieldStamp.length) return;
    this.fieldStamp = grown(this.fieldStamp, count);
    this.fieldCount = grown(this.fieldCount, count);
    this.fieldLast = grown(this.fieldLast, count);
    this.documentStamp = grown(this.documentStamp, count);
    this.documentCount = grown(this.documentCount, count);
    this.documentLast = grown(this.documentLast, count);
  }

  startDocument(): this {
    this.documentSerial++;
    this.touched.length = 0;
    this.added = 0;
    return this;
  }

  startField(): number {
    return ++this.fieldSerial;
  }

  /** Adds a position to a lexeme of the document, unless it is full; says whether it did. */
  add(lexeme: number, position: number, weight: number): boolean {
    if (this.documentStamp[lexeme] !== this.documentSerial) {
      this.documentStamp[lexeme] = this.documentSerial;
      this.documentCount[lexeme] = 0;
      this.touched.push(lexeme);
    } else if (this.documentCount[lexeme] >= MAX_POSITIONS || this.documentLast[lexeme] === MAX_POSITION) {
      return false;
    }
    this.documentCount[lexeme]++;
    this.documentLast[lexeme] = position;
    if (this.added === this.lexemeOf.length) {
      this.lexemeOf = grown(this.lexemeOf);
      this.positionOf = grown(this.positionOf);
      this.sorted = grown(this.sorted);
    }
    this.lexemeOf[this.added] = lexeme;
    this.positionOf[this.added++] = position * 4 + weight;
    return true;
  }

  /**
   * Writes the document in tsvector's binary form: the number of lexemes, then each lexeme,
   * its number of positions and each position with its weight in the top two bits. Lexemes
   * come in the order met: `tsvectorrecv` sorts them, as `tsvectorin` did for the text form.
   * Returns where it ends.
   */
  write(heads: Uint8Array[]): number {
    // Each lexeme's positions gathered, in the order added, which is each lexeme's position order.
    let next = 0;
    for (const lexeme of this.touched) {
      this.documentLast[lexeme] = next;
      next += this.documentCount[lexeme];
    }
    for (let i = 0; i < this.added; i++) this.sorted[this.documentLast[this.lexemeOf[i]]++] = this.positionOf[i];
    let n = this.used;
    let out = this.room(n, 4);
    n = out.writeInt32BE(this.touched.length, n);
    let at = 0;
    for (const lexeme of this.touched) {
      const head = heads[lexeme];
      const count = this.documentCount[lexeme];
      out = this.room(n, head.length + 2 + 2 * count);
      out.set(head, n);
      n = out.writeUInt16BE(count, n + head.length);
      for (let i = 0; i < count; i++) {
        const packed = this.sorted[at++];
        n = out.writeUInt16BE(((packed & 3) << 14) | (packed >> 2), n);
      }
    }
    this.used = n;
    return n;
  }

  /** The documents written since the last call, in a buffer of their own. */
  taken(): Buffer {
    const bytes = Buffer.from(this.out.subarray(0, this.used));
    this.used = 0;
    return bytes;
  }

  /** The buffer, with room for `needed` bytes past `used`. */
  private room(used: number, needed: number): Buffer {
    if (this.out.length - used >= needed) return this.out;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.out.length, used + needed));
    this.out.copy(larger, 0, 0, used);
    this.out = larger;
    return larger;
  }
}

/**
 * Cuts a text at its spaces, where every token of PostgreSQL's parser ends, into `scratch`'s
 * bounds; returns how many pieces. The text is one piece when it holds a `<`, which may open a
 * tag (the one token that spans spaces), or a piece too long to cut.
 */
function cutPieces(text: string, scratch: Scratch): number {
  let count = 0;
  let start = -1;
  let hash = 0;
  const whole = text.includes('<');
  for (let i = 0; i <= text.length && !whole; i++) {
    const unit = i < text.length ? text.charCodeAt(i) : 32;
    if (unit === 32 || unit === 10 || unit === 9 || unit === 13) {
      if (start < 0) continue;
      if (i - start > LONGEST_PIECE) return cutWhole(text, scratch);
      if (3 * count + 3 > scratch.bounds.length) scratch.bounds = grown(scratch.bounds);
      const { bounds } = scratch;
      bounds[3 * count] = start;
      bounds[3 * count + 1] = i;
      bounds[3 * count++ + 2] = hash;
      start = -1;
    } else {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = hashStep(hash, unit);
    }
  }
  return whole ? cutWhole(text, scratch) : count;
}

function cutWhole(text: string, scratch: Scratch): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = hashStep(hash, text.charCodeAt(i));
  scratch.bounds.set([0, text.length, hash]);
  return text.length > 0 ? 1 : 0;
}
