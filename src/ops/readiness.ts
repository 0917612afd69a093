import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';
import { liveIndexOf } from '../search/index/index.service.js';

/** What `/readyz` answers: ready or not, each check's state, and why not in French. */
export interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string; searchIndex: string };
  message?: string;
}

function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Whether this process may take traffic: its database answers, every migration it knows is
 * applied, and its search index is built and caught up with the database. A process whose
 * index is not built starts building it and says not ready until it is: a proxy sends it no
 * reader meanwhile.
 */
export async function readiness(db: Kysely<Database>, timeoutMs = 2_000): Promise<Readiness> {
  const notReady = (checks: Readiness['checks'], message: string): Readiness => ({ ready: false, checks, message });
  const checks = { database: 'pending', migrations: 'pending', searchIndex: 'pending' };
  const answered = await within(timeoutMs, sql`select 1`.execute(db)).catch(() => 'error' as const);
  if (answered === 'timeout' || answered === 'error') {
    return notReady({ ...checks, database: answered }, 'La base de données ne répond pas.');
  }
  checks.database = 'ok';
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    return notReady({ ...checks, migrations: 'pending' }, `Migrations à appliquer : ${pending.join(', ')}.`);
  }
  checks.migrations = 'ok';
  const index = liveIndexOf(db);
  if (!index.state.built) {
    // Started here, shared by the searches that come meanwhile; its failure shows at the next check.
    index.warm().catch(() => {});
    return notReady({ ...checks, searchIndex: 'building' }, 'L’index de recherche est en construction.');
  }
  const caughtUp = await within(timeoutMs, index.fresh()).catch(() => 'error' as const);
  if (caughtUp === 'timeout' || caughtUp === 'error') {
    return notReady(
      { ...checks, searchIndex: caughtUp === 'timeout' ? 'catching_up' : 'error' },
      'L’index de recherche rattrape les dernières écritures.',
    );
  }
  return { ready: true, checks: { ...checks, searchIndex: 'ok' } };
}
