import type { Db } from '../db/database.js';
import { listDepartementsWithFiches } from './site.repository.js';

/** The départements that have published fiches, with their number, in code order. */
export async function listDepartements(db: Db): Promise<Array<{ code: string; name: string; n: number }>> {
  return (await listDepartementsWithFiches(db)).map((d) => ({ code: d.code, name: d.name, n: Number(d.n) }));
}
