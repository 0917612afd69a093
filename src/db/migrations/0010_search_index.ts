import { type Kysely, sql } from 'kysely';

// The vocabularies and synonyms a search reads besides the fiches: they change seldom, so what
// is computed from them is kept across the writes that only touch fiches.
const REFERENCE_TABLES = [
  'search_synonyms',
  'dimensions',
  'statuses',
  'keywords',
  'initiatives',
  'territories',
  'publics',
  'partners',
];

/**
 * What lets every web process keep its own search index up to date (ADR 0013): a log of the
 * fiches whose search row changed, each with the generation of its last change, and a second
 * counter for the reference data.
 *
 * The generation is bumped by an `update` of the one row of `search_state`, whose lock is held
 * until commit, so writers take generations in commit order: a snapshot that sees generation G
 * sees every change labelled G or less, and none above. Reading the log above the index's own
 * generation in one statement therefore gives exactly the fiches it has to read again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('action_search_changes')
    // No foreign key: a deleted fiche's id must stay in the log for the indexes to drop it.
    .addColumn('action_id', 'integer', (c) => c.primaryKey())
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('action_search_changes_generation_idx')
    .on('action_search_changes')
    .column('generation')
    .execute();
  await db.schema
    .alterTable('search_state')
    // A truncate leaves no row to log: indexes older than this generation rebuild from scratch.
    .addColumn('reset_generation', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('reference_generation', 'bigint', (c) => c.notNull().defaultTo(1))
    .execute();

  await sql`drop trigger action_search_search_generation on action_search`.execute(db);
  await sql`create function log_action_search_changes() returns trigger language plpgsql as $$
    declare g bigint;
    begin
      update search_state set generation = generation + 1 where id = 1 returning generation into g;
      if tg_op = 'DELETE' then
        insert into action_search_changes (action_id, generation) select action_id, g from old_rows
          on conflict (action_id) do update set generation = excluded.generation;
      else
        insert into action_search_changes (action_id, generation) select action_id, g from new_rows
          on conflict (action_id) do update set generation = excluded.generation;
      end if;
      return null;
    end $$`.execute(db);
  for (const [event, table] of [
    ['insert', 'new'],
    ['update', 'new'],
    ['delete', 'old'],
  ]) {
    await sql
      .raw(
        `create trigger action_search_log_${event} after ${event} on action_search ` +
          `referencing ${table} table as ${table}_rows for each statement execute function log_action_search_changes()`,
      )
      .execute(db);
  }
  await sql`create function reset_action_search_changes() returns trigger language plpgsql as $$
    begin
      update search_state set generation = generation + 1, reset_generation = generation + 1 where id = 1;
      delete from action_search_changes;
      return null;
    end $$`.execute(db);
  await sql`create trigger action_search_log_truncate after truncate on action_search
    for each statement execute function reset_action_search_changes()`.execute(db);

  await sql`create function bump_reference_generation() returns trigger language plpgsql as $$
    begin
      update search_state set reference_generation = reference_generation + 1 where id = 1;
      return null;
    end $$`.execute(db);
  for (const table of REFERENCE_TABLES) {
    await sql`create trigger ${sql.ref(`${table}_reference_generation`)}
      after insert or update or delete or truncate on ${sql.table(table)}
      for each statement execute function bump_reference_generation()`.execute(db);
  }
  // The completions of a last word being typed: words of the lexicon by their start.
  await sql`create index search_words_plain_prefix_idx on search_words (plain text_pattern_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index search_words_plain_prefix_idx`.execute(db);
  for (const table of REFERENCE_TABLES) {
    await sql`drop trigger ${sql.ref(`${table}_reference_generation`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function bump_reference_generation()`.execute(db);
  for (const event of ['insert', 'update', 'delete', 'truncate']) {
    await sql.raw(`drop trigger action_search_log_${event} on action_search`).execute(db);
  }
  await sql`drop function reset_action_search_changes()`.execute(db);
  await sql`drop function log_action_search_changes()`.execute(db);
  await sql`create trigger action_search_search_generation
    after insert or update or delete or truncate on action_search
    for each statement execute function bump_search_generation()`.execute(db);
  await db.schema
    .alterTable('search_state')
    .dropColumn('reset_generation')
    .dropColumn('reference_generation')
    .execute();
  await db.schema.dropTable('action_search_changes').execute();
}
