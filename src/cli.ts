import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { config, refused, withDatabase } from './cli/context.js';
import { addFileCommands } from './cli/files.js';
import { addSynonymCommands } from './cli/synonyms.js';
import { addUserCommands } from './cli/users.js';
import { AppError } from './core/errors.js';
import { formatFileSize, frenchSpacing } from './core/typography.js';
import { EXPORT_FORMATS, type ExportFormat } from './exports/export-formats.js';
import type { ImportPhase, ImportSummary } from './legacy-dump/import.service.js';
import { formatProblem } from './legacy-dump/parser.js';

// Each command imports its services when it runs: a command loads only what it uses, which
// takes a second or more off the start of the light ones (`essaim user list`).

const PROGRESS_THRESHOLD = 200;
const PHASE_LABELS: Record<ImportPhase, string> = { store: 'Enregistrement', index: 'Indexation   ' };

async function runOpenDataBuild(): Promise<void> {
  const { buildOpenData, openDataDir } = await import('./opendata/opendata.service.js');
  await withDatabase(async ({ db }) => {
    const { dataDir, publicUrl, site } = config();
    const built = await buildOpenData(db, dataDir, { publicUrl, licence: site.licence });
    const size = built.files.reduce((sum, f) => sum + f.size, 0);
    process.stdout.write(
      frenchSpacing(
        `Données ouvertes prêtes : ${built.fiches} fiches, ${built.files.length} fichiers (${formatFileSize(size)}) dans ${openDataDir(dataDir)}.\n`,
      ),
    );
  });
}

async function runAlertsSend(): Promise<void> {
  const [{ sendDueAlerts }, { createMailer }] = await Promise.all([
    import('./alerts/alerts.service.js'),
    import('./mail/mailer.js'),
  ]);
  await withDatabase(async ({ db }) => {
    const mailer = createMailer(config(), { info: () => {} });
    const run = await sendDueAlerts(db, mailer, config().publicUrl, new Date(), (message) =>
      process.stderr.write(`${message}\n`),
    );
    process.stdout.write(
      frenchSpacing(
        `Alertes dues : ${run.due} ; e-mails envoyés : ${run.sent} (${run.fiches} ${run.fiches > 1 ? 'fiches' : 'fiche'}) ; échecs : ${run.failed}.\n`,
      ),
    );
    if (run.failed > 0) process.exitCode = 1;
  });
}

async function runBackup(options: { out: string }): Promise<void> {
  const out = path.resolve(options.out);
  const { backup } = await import('./backup/backup.service.js');
  await withDatabase(async (handle) => {
    const made = await backup(handle, config(), out);
    const size = made.files.reduce((sum, f) => sum + f.size, 0);
    process.stdout.write(
      frenchSpacing(`Sauvegarde faite dans ${out} : ${made.files.length} fichiers (${formatFileSize(size)}).\n`),
    );
  });
}

async function runRestore(from: string): Promise<void> {
  const settings = config();
  const [{ restore }, { openDatabase }] = await Promise.all([
    import('./backup/backup.service.js'),
    import('./db/connect.js'),
  ]);
  const made = await restore(settings, path.resolve(from), () => openDatabase({ databaseUrl: settings.databaseUrl }));
  process.stdout.write(
    frenchSpacing(`Sauvegarde du ${made.createdAt.slice(0, 10)} restaurée : ${made.files.length} fichiers vérifiés.\n`),
  );
}

const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

async function runRemindersSend(): Promise<void> {
  const [{ sendReminders }, { createMailer }] = await Promise.all([
    import('./freshness/reminders.service.js'),
    import('./mail/mailer.js'),
  ]);
  await withDatabase(async ({ db }) => {
    const { publicUrl, reminders } = config();
    const mailer = createMailer(config(), { info: () => {} });
    const run = await sendReminders(db, mailer, publicUrl, reminders, new Date(), (message) =>
      process.stderr.write(`${message}\n`),
    );
    process.stdout.write(
      frenchSpacing(
        `Rappels : ${count(run.reminded, 'fiche à vérifier', 'fiches à vérifier')}, ${count(run.emails, 'e-mail envoyé', 'e-mails envoyés')} ; signalées « À vérifier » : ${run.flagged} ; échecs : ${run.failed}.\n`,
      ),
    );
    if (run.failed > 0) process.exitCode = 1;
  });
}

function printSummary(file: string, s: ImportSummary): void {
  const lines = [
    s.dryRun ? `Essai à blanc de l’import de ${file} : rien n’a été enregistré.` : `Import de ${file} terminé.`,
    `  fiches lues : ${s.fiches}`,
    `  créées : ${s.created}`,
    `  mises à jour : ${s.updated}`,
    `  inchangées : ${s.unchanged}`,
    `  avertissements : ${s.warnings.length}`,
    ...s.warnings.map((w) => `    ${formatProblem(w)}`),
  ];
  process.stdout.write(`${lines.map(frenchSpacing).join('\n')}\n`);
}

async function runImport(file: string, options: { dryRun?: boolean }): Promise<void> {
  const { DumpImportError, importDump } = await import('./legacy-dump/import.service.js');
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw refused(
      error.code === 'ENOENT' ? `Fichier introuvable : ${file}` : `Lecture impossible de ${file} : ${error.message}`,
    );
  });
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} {bar} {value}/{total} fiches',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let shownPhase: ImportPhase | undefined;
  const onProgress = (phase: ImportPhase, done: number, total: number) => {
    if (total < PROGRESS_THRESHOLD || !process.stderr.isTTY) return;
    if (phase !== shownPhase) {
      if (started) bar.stop();
      bar.start(total, 0, { phase: PHASE_LABELS[phase] });
      started = true;
      shownPhase = phase;
    }
    bar.update(done);
  };
  await withDatabase(async ({ db }) => {
    try {
      const summary = await importDump(db, bytes, {
        dryRun: options.dryRun,
        actor: `cli:${process.env.USER ?? 'inconnu'}`,
        onProgress,
      });
      if (started) bar.stop();
      printSummary(path.basename(file), summary);
    } catch (error) {
      if (started) bar.stop();
      if (!(error instanceof DumpImportError)) throw error;
      const count = error.problems.length;
      throw refused(
        [
          `Import de ${path.basename(file)} annulé : ${count} erreur${count > 1 ? 's' : ''}. Aucune fiche n’a été enregistrée, la base est inchangée.`,
          ...error.problems.map(formatProblem),
        ].join('\n'),
      );
    }
  });
}

/** A chunk writer that waits when the stream's buffer is full. */
function writerTo(stream: NodeJS.WritableStream) {
  return async (chunk: string | Buffer) => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
}

async function runExport(options: { format: ExportFormat; out?: string }): Promise<void> {
  const { exportFiches } = await import('./exports/exports.service.js');
  await withDatabase(async ({ db }) => {
    if (!options.out) {
      await exportFiches(db, options.format, writerTo(process.stdout), {
        licence: config().site.licence,
        publicUrl: config().publicUrl,
      });
      return;
    }
    // Written beside the target then renamed, so that a failed export never leaves half a file.
    const temporary = `${options.out}.${process.pid}.tmp`;
    const stream = createWriteStream(temporary);
    try {
      const count = await exportFiches(db, options.format, writerTo(stream), {
        licence: config().site.licence,
        publicUrl: config().publicUrl,
      });
      stream.end();
      await once(stream, 'finish');
      await rename(temporary, options.out);
      process.stderr.write(`${count} fiches exportées dans ${options.out}.\n`);
    } catch (error) {
      stream.destroy();
      await rm(temporary, { force: true });
      throw error;
    }
  });
}

async function runMigrate(): Promise<void> {
  await withDatabase(async ({ engine, appliedMigrations }) => {
    const applied =
      appliedMigrations.length > 0
        ? `migrations appliquées : ${appliedMigrations.join(', ')}`
        : 'aucune migration en attente';
    process.stdout.write(frenchSpacing(`Base ${engine} à jour (${applied}).\n`));
  });
}

// Commander speaks English; its few fixed phrases are put into French on the way out.
const COMMANDER_FRENCH: Array<[RegExp, string]> = [
  [/^error: /gm, 'erreur : '],
  [/missing required argument '([^']+)'/, 'argument obligatoire manquant « $1 »'],
  [
    /option '([^' ]+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\./,
    'valeur « $2 » invalide pour $1 ; valeurs admises : $3.',
  ],
  [/required option '([^' ]+)[^']*' not specified/, 'l’option $1 est obligatoire'],
  [/unknown option '([^']+)'/, 'option inconnue $1'],
  [/unknown command '([^']+)'/, 'commande inconnue « $1 »'],
  [/too many arguments.*/, 'trop d’arguments'],
  [/^Usage:/gm, 'Utilisation :'],
  [/^Options:/gm, 'Options :'],
  [/^Commands:/gm, 'Commandes :'],
  [/^Arguments:/gm, 'Arguments :'],
  [/\(choices: /g, '(valeurs : '],
  [/display help for command/g, 'affiche l’aide de la commande'],
];

function frenchCommander(text: string): string {
  return frenchSpacing(COMMANDER_FRENCH.reduce((t, [pattern, french]) => t.replace(pattern, french), text));
}

/** Builds the `essaim` command line. */
export function buildCli(): Command {
  const program = new Command('essaim')
    .description('Essaim — le catalogue des actions des centres sociaux')
    .helpOption('-h, --help', 'affiche l’aide')
    .helpCommand('help [commande]', 'affiche l’aide d’une commande')
    .showHelpAfterError('(essaim --help pour l’aide)')
    .configureOutput({
      writeOut: (text) => process.stdout.write(frenchCommander(text)),
      writeErr: (text) => process.stderr.write(frenchCommander(text)),
    });
  program
    .command('import')
    .description('importe un fichier texte exporté par l’observatoire (tout ou rien, sans doublon)')
    .argument('<fichier>', 'fichier texte au format de l’observatoire')
    .option('--dry-run', 'vérifie et compte sans rien enregistrer')
    .action(runImport);
  program
    .command('export')
    .description('exporte toutes les fiches publiées')
    .addOption(
      new Option('--format <format>', 'dump (format texte de l’observatoire), csv, xlsx, json ou ndjson')
        .choices(EXPORT_FORMATS)
        .makeOptionMandatory(),
    )
    .option('--out <fichier>', 'fichier de sortie (sortie standard par défaut)', (value: string) => {
      if (!value.trim()) throw new InvalidArgumentError('nom de fichier vide');
      return value;
    })
    .action(runExport);
  program.command('migrate').description('applique les migrations de la base en attente').action(runMigrate);
  addSynonymCommands(program);
  addUserCommands(program);
  addFileCommands(program);
  program
    .command('opendata')
    .description('les fichiers des données ouvertes')
    .command('build')
    .description('prépare les fichiers de /donnees-ouvertes (à lancer chaque nuit par cron)')
    .action(runOpenDataBuild);
  const alerts = program.command('alerts').description('les alertes des recherches enregistrées');
  alerts
    .command('send')
    .description('envoie les alertes dues (à lancer chaque jour ou chaque heure par cron)')
    .action(runAlertsSend);
  program
    .command('backup')
    .description('sauvegarde la base et les fichiers dans un dossier neuf (pg_dump, ou la base intégrée)')
    .requiredOption('--out <dossier>', 'le dossier de la sauvegarde, neuf ou vide')
    .action(runBackup);
  program
    .command('restore')
    .argument('<dossier>', 'le dossier d’une sauvegarde')
    .description(
      'restaure une sauvegarde dans une base vide et un DATA_DIR vide, après en avoir vérifié chaque fichier',
    )
    .action(runRestore);
  program
    .command('reminders')
    .description('les rappels d’actualité des fiches')
    .command('send')
    .description(
      'écrit aux éditeurs des fiches non mises à jour depuis REMINDER_AFTER_MONTHS mois et signale « À vérifier » celles restées sans réponse (à lancer chaque jour par cron)',
    )
    .action(runRemindersSend);
  return program;
}

// `essaim export … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof AppError) {
      process.stderr.write(`${frenchSpacing(error.message)}\n`);
      process.exitCode = 1;
      return;
    }
    // Something no check foresaw: one French line for the user, the stack only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${frenchSpacing(`Erreur inattendue : ${message}`)}\n`);
    if (process.env.ESSAIM_DEBUG) console.error(error);
    else process.stderr.write('Relancez avec ESSAIM_DEBUG=1 pour le détail technique.\n');
    process.exitCode = 1;
  });
