/** `essaim files`: where the attachments' bytes are kept. */
import { type Command, Option } from 'commander';
import { frenchSpacing } from '../core/typography.js';
import { config, withDatabase } from './context.js';

async function runFilesMigrate(): Promise<void> {
  // Imported when the command runs, as in src/cli.ts: the S3 client is a large module.
  const { migrateFilesToS3 } = await import('../attachments/files-migration.service.js');
  await withDatabase(async ({ db }) => {
    let shown = 0;
    const report = await migrateFilesToS3(db, config(), (done, total) => {
      // A line every tenth on a long run: the operator sees it move, a log stays short.
      if (done === total || done - shown >= Math.max(1, Math.ceil(total / 10))) {
        shown = done;
        process.stderr.write(frenchSpacing(`${done} / ${total} fichiers traités\n`));
      }
    });
    process.stdout.write(
      frenchSpacing(
        `Fichiers dans le stockage S3 : ${report.files} (copiés et vérifiés : ${report.copied} ; déjà présents : ${report.alreadyThere}). Les fichiers sont désormais lus et écrits dans S3 : redémarrez les instances l’une après l’autre, puis relancez cette commande pour copier ce qu’elles auraient écrit entre-temps.\n`,
      ),
    );
  });
}

/** Adds `essaim files migrate --to s3`. */
export function addFileCommands(program: Command): void {
  program
    .command('files')
    .description('les fichiers joints aux fiches')
    .command('migrate')
    .description(
      'copie les fichiers joints du dossier de données vers le stockage S3 (S3_BUCKET…), vérifie chaque copie, puis bascule ; relançable sans risque',
    )
    .addOption(new Option('--to <stockage>', 'le stockage de destination').choices(['s3']).makeOptionMandatory())
    .action(runFilesMigrate);
}
