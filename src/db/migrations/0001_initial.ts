import { type Kysely, sql } from 'kysely';

const VOCABULARIES = ['dimensions', 'statuses', 'keywords', 'initiatives', 'territories', 'publics', 'partners'];

// Migrations never import app code: the schema they create must not change when the app does.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('departements')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull().references('regions.code'))
    .execute();

  for (const table of VOCABULARIES) {
    await db.schema
      .createTable(table)
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('legacy_labels', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('flagged', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  }

  await db.schema
    .createTable('structures')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('departement_code', 'text', (c) => c.notNull().references('departements.code'))
    .addColumn('kind', 'text', (c) => c.check(sql`kind in ('centre_social', 'evs')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('structures_name_departement_key', ['name', 'departement_code'])
    .execute();

  const vocabularyRef = (table: string) => (c: any) => c.references(`${table}.code`).onUpdate('cascade');
  await db.schema
    .createTable('actions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('structure_id', 'integer', (c) => c.notNull().references('structures.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('has_attachments_line', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('status_code', 'text', vocabularyRef('statuses'))
    .addColumn('end_reason', 'text')
    .addColumn('dimension_code', 'text', vocabularyRef('dimensions'))
    .addColumn('summary', 'text')
    .addColumn('initiative_detail', 'text')
    .addColumn('territory_code', 'text', vocabularyRef('territories'))
    .addColumn('experience', 'text')
    .addColumn('partners_territory_code', 'text', vocabularyRef('territories'))
    .addColumn('general_description', 'text')
    .addColumn('financial_resources', 'text')
    .addColumn('people_mobilised', 'text')
    .addColumn('result_territory', 'text')
    .addColumn('result_centre', 'text')
    .addColumn('result_inhabitants', 'text')
    .addColumn('limits', 'text')
    .addColumn('perspectives', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('actions_structure_title_key', ['structure_id', 'title'])
    .execute();

  const links: Array<[string, string, string]> = [
    ['action_keywords', 'keyword_code', 'keywords'],
    ['action_initiatives', 'initiative_code', 'initiatives'],
    ['action_publics', 'public_code', 'publics'],
  ];
  for (const [table, column, vocabulary] of links) {
    await db.schema
      .createTable(table)
      .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
      .addColumn(column, 'text', (c) => c.notNull().references(`${vocabulary}.code`).onUpdate('cascade'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pkey`, ['action_id', column])
      .execute();
    await db.schema.createIndex(`${table}_${column}_idx`).on(table).column(column).execute();
  }
  await db.schema
    .createTable('action_partners')
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('partner_code', 'text', (c) => c.notNull().references('partners.code').onUpdate('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('action', 'financial')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('action_partners_pkey', ['action_id', 'partner_code', 'role'])
    .execute();
  await db.schema
    .createIndex('action_partners_partner_code_idx')
    .on('action_partners')
    .column('partner_code')
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('action_id', 'integer', (c) => c.notNull().references('actions.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('size_bytes', 'integer')
    .addColumn('storage_key', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('attachments_action_id_idx').on('attachments').column('action_id').execute();

  await db.schema
    .createTable('action_history')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('action_id', 'integer', (c) => c.references('actions.id').onDelete('set null'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('import', 'web', 'cli', 'api')`))
    .addColumn('operation', 'text', (c) => c.notNull().check(sql`operation in ('create', 'update', 'delete')`))
    .addColumn('changes', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('action_history_action_id_idx')
    .on('action_history')
    .columns(['action_id', 'at'])
    .execute();
  await db.schema.createIndex('actions_structure_id_idx').on('actions').column('structure_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'action_history',
    'attachments',
    'action_partners',
    'action_publics',
    'action_initiatives',
    'action_keywords',
    'actions',
    'structures',
    ...VOCABULARIES,
    'departements',
    'regions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
