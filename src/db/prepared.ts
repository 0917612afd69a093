import { createHash } from 'node:crypto';
import { sql } from 'kysely';

// PostgreSQL plans a statement each time it is sent with parameters: about a millisecond for the
// result rows of a search, as much as reading them. A statement that starts with this mark is
// sent as a named prepared statement instead (src/db/connect.ts for the pool, pglite-runner.ts
// for PGlite's one session): each connection parses it once, and PostgreSQL may then keep a
// generic plan. Only for statements whose text has a few fixed shapes, since a connection keeps
// every statement it prepared until it closes.
const MARK = '/* essaim-prepared */ ';

/** Put first in a statement's SQL to have it prepared once per PostgreSQL connection. */
export const PREPARED = sql.raw(MARK);

const names = new Map<string, string>();

/** The prepared statement's name for this SQL text, or undefined when it is not marked. */
export function preparedName(statement: string): string | undefined {
  if (!statement.startsWith(MARK)) return undefined;
  let name = names.get(statement);
  if (!name) {
    name = `essaim_${createHash('sha1').update(statement).digest('hex').slice(0, 20)}`;
    names.set(statement, name);
  }
  return name;
}
