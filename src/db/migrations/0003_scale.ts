import { type Kysely, sql } from 'kysely';

// The lookups that grow with the catalogue: a fiche by its structure and title (import), a
// structure by its name and département, a fiche's links and history by the fiche, and the
// two orders a result list offers besides relevance.
const INDEXES: Array<[name: string, table: string, columns: string[]]> = [
  ['structures_departement_name_idx', 'structures', ['departement_code', 'name']],
  ['actions_structure_title_idx', 'actions', ['structure_id', 'title']],
  ['action_keywords_action_idx', 'action_keywords', ['action_id']],
  ['action_initiatives_action_idx', 'action_initiatives', ['action_id']],
  ['action_publics_action_idx', 'action_publics', ['action_id']],
  ['action_partners_action_idx', 'action_partners', ['action_id']],
  ['attachments_action_idx', 'attachments', ['action_id']],
  ['action_history_action_idx', 'action_history', ['action_id']],
  ['action_search_recent_idx', 'action_search', ['sort_date desc', 'action_id desc']],
  ['action_search_title_idx', 'action_search', ['title_sort', 'action_id']],
];

// Every table a search result is read from: a write to any of them may change a result.
const SEARCHED_TABLES = [
  'action_search',
  'actions',
  'structures',
  'search_synonyms',
  'search_words',
  'dimensions',
  'statuses',
  'keywords',
  'initiatives',
  'territories',
  'publics',
  'partners',
];

/**
 * Indexes for the lookups that would otherwise read whole tables at 100 000 fiches, and the
 * search generation: a number that any write to a searched table increases, in the writing
 * transaction, so that a process caching search results knows when they may be stale.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns(columns).execute();

  await db.schema
    .createTable('search_state')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('search_state').values({ id: 1, generation: 1 }).execute();
  // A trigger rather than a call in each service: no future write path can forget it.
  await sql`create function bump_search_generation() returns trigger language plpgsql as $$
    begin
      update search_state set generation = generation + 1 where id = 1;
      return null;
    end $$`.execute(db);
  for (const table of SEARCHED_TABLES) {
    await sql`create trigger ${sql.ref(`${table}_search_generation`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_search_generation()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of SEARCHED_TABLES) {
    await sql`drop trigger ${sql.ref(`${table}_search_generation`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function bump_search_generation()`.execute(db);
  await db.schema.dropTable('search_state').execute();
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
