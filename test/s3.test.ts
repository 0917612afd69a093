import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { writeStorageLocation } from '../src/attachments/storage.repository.js';
import { openAppDatabase } from '../src/bootstrap.js';
import type { Config } from '../src/config.js';
import type { Db } from '../src/db/database.js';
import { importSeedIfEmpty } from '../src/legacy-dump/seed.js';
import { appOn, openSeededApp, SEED_PATH, snapshot, testAppConfig } from './helpers/databases.js';
import { samplePdf } from './helpers/files.js';
import { invitedPerson, structureOfDepartement } from './helpers/people.js';
import { essaim, tempDir } from './helpers/processes.js';
import { startS3, type TestS3 } from './helpers/s3.js';

const plain = (text: string) => text.replaceAll('\u00a0', ' ');

/** Creates a fiche of the Vosges structure as its editor, and returns the editor and the fiche. */
async function editorWithFiche(seeded: { handle: { db: Db }; app: FastifyInstance; config: Config }, email: string) {
  const structure = await structureOfDepartement(seeded as never, '88');
  const editor = await invitedPerson(seeded as never, email, 'Rédactrice', { structureIds: [structure.id] });
  await editor.get('/espace/fiches/nouvelle');
  const created = await editor.post('/espace/fiches', {
    title: `Atelier photo des voisins (${email})`,
    dimension: 'services',
    structure: String(structure.id),
    version: '0',
    intent: 'save',
  });
  assert.equal(created.statusCode, 303, created.body);
  const ficheId = Number(/\/espace\/fiches\/(\d+)/.exec(String(created.headers.location))?.[1]);
  return { editor, ficheId };
}

async function filesOf(db: Db, ficheId: number) {
  return db
    .selectFrom('attachments')
    .select(['id', 'file_name', 'storage_key'])
    .where('action_id', '=', ficheId)
    .orderBy('id')
    .execute();
}

async function filesOnDisk(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'files');
  const dirs = await readdir(root).catch(() => [] as string[]);
  const lists = await Promise.all(dirs.map(async (d) => (await readdir(path.join(root, d))).map((f) => `${d}/${f}`)));
  return lists.flat().sort();
}

describe('attachments in an S3-compatible bucket (s3rver)', () => {
  let s3: TestS3;
  let seeded: Awaited<ReturnType<typeof openSeededApp>>;
  before(async () => {
    s3 = await startS3();
    seeded = await openSeededApp('pglite', s3.env);
    // The app read the location at build: rebuild it once the files are said to be in S3.
    await writeStorageLocation(seeded.handle.db, 's3');
    await seeded.app.close();
    seeded.app = await buildApp(seeded.handle.db, seeded.config);
  });
  after(async () => {
    await seeded?.close();
    await s3?.close();
  });

  test('an upload goes to the bucket and comes back; one cut in the middle leaves nothing behind', async () => {
    const { editor, ficheId } = await editorWithFiche(seeded, 'photo@centre.test');
    const pdf = samplePdf('Programme des sorties photo');
    const sent = await editor.upload(`/espace/fiches/${ficheId}/fichiers`, [{ name: 'programme.pdf', content: pdf }]);
    assert.equal(sent.statusCode, 303, sent.body);
    const [file] = await filesOf(seeded.handle.db, ficheId);
    assert.deepEqual(await s3.keys(), [file.storage_key]);
    assert.deepEqual(await s3.object(file.storage_key as string), pdf);
    assert.deepEqual(await filesOnDisk(seeded.config.dataDir), [], 'nothing is written on the disk');

    const download = await editor.get(`/fichiers/${file.id}/programme.pdf`);
    assert.equal(download.statusCode, 200);
    assert.deepEqual(download.rawPayload, pdf);
    assert.match(String(download.headers['content-disposition']), /filename="programme\.pdf"/);

    const before = await snapshot(seeded.handle);
    s3.relay.cutUploadsAfter(0);
    try {
      const cut = await editor.upload(`/espace/fiches/${ficheId}/fichiers`, [
        { name: 'bilan.pdf', content: samplePdf('Bilan '.repeat(2000)) },
      ]);
      assert.equal(cut.statusCode, 503);
      assert.match(plain(cut.body), /Le stockage des fichiers ne répond pas : rien n’a été enregistré/);
    } finally {
      s3.relay.mend();
    }
    assert.deepEqual(await s3.keys(), [file.storage_key], 'no object, whole or partial, is left in the bucket');
    assert.deepEqual(await snapshot(seeded.handle), before, 'the fiche, its files and its history are unchanged');
  });

  test('with S3_DOWNLOADS=redirect a download is sent to a presigned URL that serves the file', async () => {
    const { editor, ficheId } = await editorWithFiche(seeded, 'redirection@centre.test');
    const pdf = samplePdf('Affiche de la fête');
    assert.equal(
      (await editor.upload(`/espace/fiches/${ficheId}/fichiers`, [{ name: 'affiche.pdf', content: pdf }])).statusCode,
      303,
    );
    const [file] = await filesOf(seeded.handle.db, ficheId);
    const redirecting = await buildApp(seeded.handle.db, testAppConfig({ ...s3.env, S3_DOWNLOADS: 'redirect' }));
    try {
      const asked = await editor.on(redirecting).get(`/fichiers/${file.id}/affiche.pdf`);
      assert.equal(asked.statusCode, 302);
      assert.match(String(asked.headers['cache-control']), /no-store/);
      const location = String(asked.headers.location);
      assert.match(location, /X-Amz-Signature=/);
      const served = await fetch(location);
      assert.equal(served.status, 200);
      assert.equal(served.headers.get('content-type'), 'application/pdf');
      assert.match(String(served.headers.get('content-disposition')), /attachment; filename="affiche\.pdf"/);
      assert.deepEqual(Buffer.from(await served.arrayBuffer()), pdf);
    } finally {
      await redirecting.close();
    }
  });
});

describe('essaim files migrate --to s3', () => {
  let s3: TestS3;
  let work: { dir: string; remove: () => Promise<void> };
  before(async () => {
    s3 = await startS3();
    work = await tempDir('files-migrate');
  });
  after(async () => {
    await s3?.close();
    await work?.remove();
  });

  test('copies the files, resumes after a failure, switches, and the downloads still work', async () => {
    const env = { ...s3.env, DATA_DIR: path.join(work.dir, 'data'), SEED_FILE: SEED_PATH, DATABASE_URL: '' };
    const config = testAppConfig(env);
    const pdfs = ['Programme', 'Bilan', 'Affiche'].map((text) => ({
      name: `${text.toLowerCase()}.pdf`,
      content: samplePdf(text),
    }));
    // The app on the data folder's embedded database, with the seed's fiches, writing on disk.
    const open = async () => appOn(await openAppDatabase(config), config);
    let site = await open();
    await importSeedIfEmpty(site.handle.db, SEED_PATH);
    const { editor, ficheId } = await editorWithFiche(site, 'migration@centre.test');
    assert.equal((await editor.upload(`/espace/fiches/${ficheId}/fichiers`, pdfs)).statusCode, 303);
    const files = await filesOf(site.handle.db, ficheId);
    assert.equal((await filesOnDisk(config.dataDir)).length, 3);
    await site.close();

    s3.relay.cutUploadsAfter(1);
    const failed = await essaim(['files', 'migrate', '--to', 's3'], env);
    s3.relay.mend();
    assert.equal(failed.code, 1, failed.stdout);
    assert.match(plain(failed.stderr), /Le stockage des fichiers ne répond pas/);
    assert.equal((await s3.keys()).length, 1, 'the first file was copied, the cut one left nothing');

    const resumed = await essaim(['files', 'migrate', '--to', 's3'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(
      plain(resumed.stdout),
      /Fichiers dans le stockage S3 : 3 \(copiés et vérifiés : 2 ; déjà présents : 1\)/,
    );
    assert.deepEqual(await s3.keys(), files.map((f) => f.storage_key).sort());

    // The disk's copies gone, the restarted app can only be reading the bucket.
    await rm(path.join(config.dataDir, 'files'), { recursive: true });
    site = await open();
    try {
      const reader = editor.on(site.app);
      for (const [index, file] of files.entries()) {
        const download = await reader.get(`/fichiers/${file.id}/${file.file_name}`);
        assert.equal(download.statusCode, 200, download.body);
        assert.deepEqual(download.rawPayload, pdfs[index].content);
      }
    } finally {
      await site.close();
    }
    const again = await essaim(['files', 'migrate', '--to', 's3'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(plain(again.stdout), /copiés et vérifiés : 0 ; déjà présents : 3/);

    // A backup reads the files from the bucket; a restore puts them into another, empty one.
    const saved = path.join(work.dir, 'sauvegarde');
    const backedUp = await essaim(['backup', '--out', saved], env);
    assert.equal(backedUp.code, 0, backedUp.stderr);
    for (const [index, file] of files.entries()) {
      assert.deepEqual(await readFile(path.join(saved, 'files', file.storage_key as string)), pdfs[index].content);
    }
    const elsewhere = await startS3();
    try {
      const restoredEnv = { ...env, ...elsewhere.env, DATA_DIR: path.join(work.dir, 'restauree') };
      const restored = await essaim(['restore', saved], restoredEnv);
      assert.equal(restored.code, 0, restored.stderr);
      assert.deepEqual(await elsewhere.keys(), files.map((f) => f.storage_key).sort());
      for (const [index, file] of files.entries()) {
        assert.deepEqual(await elsewhere.object(file.storage_key as string), pdfs[index].content);
      }
      assert.deepEqual(await filesOnDisk(restoredEnv.DATA_DIR), [], 'the attachments go to the bucket, not the disk');
    } finally {
      await elsewhere.close();
    }
  });
});
