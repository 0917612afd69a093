import { type Kysely, sql } from 'kysely';

/**
 * A structure's contact details: its address (street, postal code, commune with its INSEE code),
 * telephone, website, a contact person's role (and name, only when the centre gives it), and the
 * address the contact form relays messages to, which no page shows. The legacy dump has none of
 * them. Messages sent through the form are counted in `auth_attempts` for their rate limits.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('structures')
    .addColumn('street_address', 'text')
    .addColumn('postal_code', 'text', (c) => c.check(sql`postal_code ~ '^[0-9]{5}$'`))
    .addColumn('commune_code', 'text', (c) => c.check(sql`commune_code ~ '^[0-9][0-9AB][0-9]{3}$'`))
    .addColumn('commune_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('contact_role', 'text')
    .addColumn('contact_name', 'text')
    .execute();
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check
      check (kind in ('login_failure', 'reset_request', 'alert_request', 'contact_message'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from auth_attempts where kind = 'contact_message'`.execute(db);
  await sql`alter table auth_attempts drop constraint auth_attempts_kind_check,
    add constraint auth_attempts_kind_check check (kind in ('login_failure', 'reset_request', 'alert_request'))`.execute(
    db,
  );
  for (const column of [
    'street_address',
    'postal_code',
    'commune_code',
    'commune_name',
    'phone',
    'website',
    'contact_email',
    'contact_role',
    'contact_name',
  ]) {
    await db.schema.alterTable('structures').dropColumn(column).execute();
  }
}
