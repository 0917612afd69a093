import type { Db } from '../db/database.js';

/** Where the attachments' bytes are: on the data folder's disk, or in the S3 bucket. */
export type StorageLocation = 'local' | 's3';

const SETTING = 'file_storage';

/** The recorded location; `local` until a migration to S3 has completed. */
export async function readStorageLocation(db: Db): Promise<StorageLocation> {
  const row = await db.selectFrom('app_settings').select('value').where('name', '=', SETTING).executeTakeFirst();
  return row?.value === 's3' ? 's3' : 'local';
}

/** Records the location every process opens its storage at from now on. */
export async function writeStorageLocation(db: Db, location: StorageLocation): Promise<void> {
  await db
    .insertInto('app_settings')
    .values({ name: SETTING, value: location })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: location, updated_at: new Date() }))
    .execute();
}
