import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * A value COPY can write: text, numbers, booleans, dates, text arrays, JSON objects, or null;
 * for a tsvector, the bytes of its binary form.
 */
export type CopyValue = string | number | boolean | Date | string[] | Uint8Array | object | null | undefined;

// Kysely has no way to reach the driver's connection inside a transaction, so a COPY goes
// through it as an ordinary statement carrying a ticket, and the pool's client (src/db/connect.ts)
// swaps the ticket for the payload: pg-copy-streams on PostgreSQL, PGlite's /dev/blob.
const payloads = new Map<number, Uint8Array>();
let nextTicket = 1;
const TICKET = /\/\* essaim-copy:(\d+) \*\/$/;

/** What the pool's client runs instead of a COPY statement carrying a ticket. */
export interface CopyRequest {
  /** The COPY statement, reading from STDIN. */
  statement: string;
  data: Uint8Array;
}

/** The COPY that this statement stands for, taken out of the waiting list; undefined for any other statement. */
export function takeCopyRequest(statement: string): CopyRequest | undefined {
  const ticket = TICKET.exec(statement);
  if (!ticket) return undefined;
  const data = payloads.get(Number(ticket[1]));
  if (!data) throw new Error(`COPY payload ${ticket[1]} is missing`);
  payloads.delete(Number(ticket[1]));
  return { statement: statement.slice(0, ticket.index).trimEnd(), data };
}

/**
 * Writes rows into a table with COPY, in the caller's transaction: many times faster than a
 * multi-row insert for the thousands of rows an import writes. No trigger is skipped. Rows go
 * in COPY's binary format, each value as its column's type stores it, which the database reads
 * without parsing text (a search document's thousands of positions, for one); a `tsvector` is
 * given in its binary form (that of `tsvectorsend`).
 */
export async function copyRows(db: Db, table: string, columns: string[], rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(db, table, columns);
  const ticket = nextTicket++;
  payloads.set(ticket, encodeCopyBinary(types, rows));
  try {
    const list = columns.map((c) => `"${c}"`).join(', ');
    await sql.raw(`copy "${table}" (${list}) from stdin (format binary) /* essaim-copy:${ticket} */`).execute(db);
  } finally {
    payloads.delete(ticket);
  }
}

// The binary form of each type a COPY writes, by its name in the catalogue.
const BINARY_TYPES: Record<string, BinaryColumn> = {
  integer: 'int4',
  text: 'text',
  boolean: 'bool',
  'timestamp with time zone': 'timestamptz',
  'text[]': 'text[]',
  numeric: 'numeric',
  jsonb: 'jsonb',
  tsvector: 'binary',
};

// Each table's column types, read once per process: the schema is migrated before anything is
// written, and every schema of the tests has the same tables.
const knownTypes = new Map<string, Map<string, BinaryColumn>>();

async function columnTypes(db: Db, table: string, columns: string[]): Promise<BinaryColumn[]> {
  let types = knownTypes.get(table);
  if (!types || columns.some((c) => !types?.has(c))) {
    const { rows } = await sql<{ name: string; type: string }>`
      select attname as name, format_type(atttypid, null) as type from pg_attribute
      where attrelid = to_regclass(${table}) and attnum > 0 and not attisdropped`.execute(db);
    types = new Map(rows.flatMap((r) => (r.type in BINARY_TYPES ? [[r.name, BINARY_TYPES[r.type]] as const] : [])));
    knownTypes.set(table, types);
  }
  return columns.map((c) => {
    const type = types?.get(c);
    if (!type) throw new Error(`COPY cannot write ${table}.${c}: no such column, or a type it does not write`);
    return type;
  });
}

/**
 * How a column's values are written in COPY's binary format: as PostgreSQL's binary form of
 * the type, or, for `binary`, as bytes already in that form.
 */
type BinaryColumn = 'int4' | 'text' | 'bool' | 'timestamptz' | 'text[]' | 'numeric' | 'jsonb' | 'binary';

// The file's header: its signature, no flags, no header extension.
const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
// Timestamps count microseconds from 2000-01-01 UTC.
const EPOCH_MS = Date.UTC(2000, 0, 1);
const TEXT_OID = 25;
const TRUE = Uint8Array.of(1);
const FALSE = Uint8Array.of(0);
const JSONB_VERSION = Uint8Array.of(1);
// numeric's digits are in base 10 000, its sign 0x4000 when negative.
const NUMERIC_NEGATIVE = 0x4000;
const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

/** Rows in COPY's binary format, each value written as its column's type says. */
function encodeCopyBinary(types: BinaryColumn[], rows: CopyValue[][]): Uint8Array {
  const out = new BinaryWriter();
  out.bytes(HEADER);
  for (const row of rows) {
    out.int16(types.length);
    for (const [i, type] of types.entries()) {
      const value = row[i];
      if (value === null || value === undefined) out.int32(-1);
      else out.sized(() => writeValue(out, type, value));
    }
  }
  out.int16(-1);
  return out.result();
}

function writeValue(out: BinaryWriter, type: BinaryColumn, value: NonNullable<CopyValue>): void {
  if (type === 'int4') out.int32(Number(value));
  else if (type === 'text') out.text(String(value));
  else if (type === 'bool') out.bytes(value ? TRUE : FALSE);
  else if (type === 'jsonb') {
    // Version 1 of jsonb's binary form, then the JSON text; a string is JSON text already.
    out.bytes(JSONB_VERSION);
    out.text(typeof value === 'string' ? value : JSON.stringify(value));
  } else if (type === 'timestamptz') {
    const ms = (value instanceof Date ? value : new Date(String(value))).getTime();
    out.int64(BigInt(ms - EPOCH_MS) * 1000n);
  } else if (type === 'text[]') writeTextArray(out, value as string[]);
  else if (type === 'numeric') writeNumeric(out, String(value));
  else out.bytes(value as Uint8Array);
}

// One dimension from 1, no null, items of type text; an empty array has no dimension.
function writeTextArray(out: BinaryWriter, items: string[]): void {
  out.int32(items.length === 0 ? 0 : 1);
  out.int32(0);
  out.int32(TEXT_OID);
  if (items.length === 0) return;
  out.int32(items.length);
  out.int32(1);
  for (const item of items) out.sized(() => out.text(item));
}

// A decimal as numeric's digits in base 10 000, the first of weight `weight`, with as many
// decimals as written (the column's scale rounds it then, as it does a text).
function writeNumeric(out: BinaryWriter, decimal: string): void {
  const match = DECIMAL.exec(decimal);
  if (!match || match[2].length + (match[3]?.length ?? 0) === 0) throw new Error(`not a decimal number: ${decimal}`);
  const [, minus, whole, fraction = ''] = match;
  const wholeDigits = whole.padStart(4 * Math.ceil(whole.length / 4), '0');
  const digits = wholeDigits + fraction.padEnd(4 * Math.ceil(fraction.length / 4), '0');
  const groups: number[] = [];
  for (let i = 0; i < digits.length; i += 4) groups.push(Number(digits.slice(i, i + 4)));
  let weight = wholeDigits.length / 4 - 1;
  let first = 0;
  while (first < groups.length && groups[first] === 0) {
    first++;
    weight--;
  }
  let end = groups.length;
  while (end > first && groups[end - 1] === 0) end--;
  out.int16(end - first);
  out.int16(end === first ? 0 : weight);
  out.int16(minus && end > first ? NUMERIC_NEGATIVE : 0);
  out.int16(fraction.length);
  for (let i = first; i < end; i++) out.int16(groups[i]);
}

/** A growing buffer of big-endian values. */
class BinaryWriter {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private n = 0;

  int16(value: number): void {
    this.n = this.room(2).writeInt16BE(value, this.n);
  }

  int32(value: number): void {
    this.n = this.room(4).writeInt32BE(value, this.n);
  }

  int64(value: bigint): void {
    this.n = this.room(8).writeBigInt64BE(value, this.n);
  }

  bytes(value: Uint8Array): void {
    this.room(value.length).set(value, this.n);
    this.n += value.length;
  }

  text(value: string): void {
    // At most three bytes of UTF-8 for each UTF-16 unit.
    this.n += this.room(3 * value.length).write(value, this.n, 'utf8');
  }

  /** Writes a value preceded by its length in bytes. */
  sized(write: () => void): void {
    const at = this.n;
    this.int32(0);
    write();
    this.buffer.writeInt32BE(this.n - at - 4, at);
  }

  result(): Uint8Array {
    return this.buffer.subarray(0, this.n);
  }

  private room(needed: number): Buffer {
    if (this.buffer.length - this.n < needed) {
      const larger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.n + needed));
      this.buffer.copy(larger, 0, 0, this.n);
      this.buffer = larger;
    }
    return this.buffer;
  }
}
