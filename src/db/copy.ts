import { sql } from 'kysely';
import type { Db } from './database.js';

/** A value COPY can write: text, numbers, booleans, dates, text arrays, JSON objects, or null. */
export type CopyValue = string | number | boolean | Date | string[] | object | null | undefined;

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
 * multi-row insert for the thousands of rows an import writes. No trigger is skipped.
 */
export async function copyRows(db: Db, table: string, columns: string[], rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const ticket = nextTicket++;
  payloads.set(ticket, new TextEncoder().encode(encodeCopyText(rows)));
  try {
    const list = columns.map((c) => `"${c}"`).join(', ');
    await sql.raw(`copy "${table}" (${list}) from stdin /* essaim-copy:${ticket} */`).execute(db);
  } finally {
    payloads.delete(ticket);
  }
}

/** Rows in COPY's text format: tab-separated, one line each, \N for null. */
export function encodeCopyText(rows: CopyValue[][]): string {
  let out = '';
  for (const row of rows) out += `${row.map(encodeValue).join('\t')}\n`;
  return out;
}

function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  return escapeText(JSON.stringify(value));
}

// Backslash first, then the characters that would end a field or a row.
function escapeText(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function arrayLiteral(items: string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
