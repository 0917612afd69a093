import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DocumentTexts } from './search-rows.repository.js';
import { grown, hashStep, StringTable } from './string-table.js';
import { TEXT_CONFIG } from './text-config.js';

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
// résumé B (2), the other texts C (1), the structure and partners D (0), printed without a letter.
const WEIGHT_LETTERS = [0, 67, 66, 65];

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
  /** Each lexeme as a document's text begins it: quoted, escaped, and followed by « : ». */
  private readonly lexemeHeads: Uint8Array[] = [];
  private readonly scratch = new Scratch();
  private queue: Promise<unknown> = Promise.resolve();

  /** `analysis` analyses the pieces: any connection of a database set up like the fiches' one. */
  constructor(private readonly analysis: Db) {}

  /** The search documents of these texts, in their order, as tsvector text. */
  documents(texts: DocumentTexts[]): Promise<string[]> {
    // One batch at a time: a batch's pieces are known once its analysis is back.
    const built = this.queue.then(() => this.build(texts));
    this.queue = built.catch(() => {});
    return built;
  }

  private async build(texts: DocumentTexts[]): Promise<string[]> {
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
    return fiches.map((fields) => this.document(fields));
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
      this.lexemeHeads.push(Buffer.from(`'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}':`));
      this.scratch.lexemes(id + 1);
    }
    return id;
  }

  /**
   * One fiche's document: each text's positions kept as `to_tsvector` keeps them (`uniqueWORD`),
   * then added to the document as `||` adds them (`add_pos`), shifted past its last position.
   */
  private document(fields: Int32Array[]): string {
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
    return s.format(this.lexemeHeads);
  }
}

/** What PostgreSQL made of a piece: the positions it takes, its lexemes by position in it. */
interface AnalysedPiece {
  positions: number;
  occurrences: Array<[number, string]>;
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
  private out: Buffer = Buffer.allocUnsafe(1 << 16);

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

  /** The document in tsvector's text form, lexemes in the order met (COPY's `tsvectorin` sorts them). */
  format(heads: Uint8Array[]): string {
    // Each lexeme's positions gathered, in the order added, which is each lexeme's position order.
    let next = 0;
    for (const lexeme of this.touched) {
      this.documentLast[lexeme] = next;
      next += this.documentCount[lexeme];
    }
    for (let i = 0; i < this.added; i++) this.sorted[this.documentLast[this.lexemeOf[i]]++] = this.positionOf[i];
    // Written as bytes and read back as one flat string: a string grown piece by piece is a tree
    // of thousands of parts, which the garbage collector traces and COPY's escaping flattens.
    let out = this.out;
    let n = 0;
    let at = 0;
    for (const lexeme of this.touched) {
      const head = heads[lexeme];
      if (out.length - n < head.length + 8 * this.documentCount[lexeme] + 1)
        out = this.grow(n, head.length + 8 * this.documentCount[lexeme] + 1);
      if (n > 0) out[n++] = 32;
      for (let i = 0; i < head.length; i++) out[n++] = head[i];
      for (let i = 0; i < this.documentCount[lexeme]; i++) {
        if (i > 0) out[n++] = 44;
        const packed = this.sorted[at++];
        n = writePosition(out, n, packed >> 2);
        if ((packed & 3) !== 0) out[n++] = WEIGHT_LETTERS[packed & 3];
      }
    }
    return out.toString('utf8', 0, n);
  }

  private grow(used: number, needed: number): Buffer {
    const larger = Buffer.allocUnsafe(Math.max(2 * this.out.length, used + needed));
    this.out.copy(larger, 0, 0, used);
    this.out = larger;
    return larger;
  }
}

/** Writes a position (1 to 16 383) in decimal at `n`; returns where it ends. */
function writePosition(out: Buffer, n: number, position: number): number {
  const digits = position >= 10000 ? 5 : position >= 1000 ? 4 : position >= 100 ? 3 : position >= 10 ? 2 : 1;
  for (let i = n + digits - 1, rest = position; i >= n; i--, rest = (rest / 10) | 0) out[i] = 48 + (rest % 10);
  return n + digits;
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

/**
 * Each piece's analysis: its `to_tsvector`, and the tokens that take a position (those of a
 * type the configuration maps, below the parser's longest word, as `parsetext` counts them).
 */
async function analysePieces(db: Db, pieces: string[]): Promise<AnalysedPiece[]> {
  const { rows } = await sql<{ document: string; positions: number }>`
    with mapped as (select array_agg(maptokentype) as types from pg_ts_config_map
      where mapcfg = ${TEXT_CONFIG}::regconfig)
    select to_tsvector(${TEXT_CONFIG}, p.piece)::text as document,
      (select count(*)::int from ts_parse('default', p.piece) t
        where octet_length(t.token) < 2047 and t.tokid = any(mapped.types)) as positions
    from unnest(${pieces}::text[]) with ordinality p(piece, n) cross join mapped
    order by p.n`.execute(db);
  return rows.map((r) => ({ positions: r.positions, occurrences: occurrencesIn(r.document) }));
}

// 'lexeme':1,5 with quotes doubled and backslashes escaped inside the lexeme.
const ENTRY = /'((?:[^'\\]|''|\\.)*)'(?::([\d,]+))?/g;

/** A piece's lexemes with their positions in it, in the order of the piece. */
function occurrencesIn(document: string): Array<[number, string]> {
  const occurrences: Array<[number, string]> = [];
  for (const [, quoted, list] of document.matchAll(ENTRY)) {
    const lexeme = quoted.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    for (const at of (list ?? '').split(',')) if (at) occurrences.push([Number(at), lexeme]);
  }
  return occurrences.sort((a, b) => a[0] - b[0]);
}
