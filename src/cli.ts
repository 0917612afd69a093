import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { listUsers } from './accounts/accounts.repository.js';
import { inviteUser, revokeUserRoles, setUserDisabled } from './accounts/roles.service.js';
import { sendDueAlerts } from './alerts/alerts.service.js';
import { openAppDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import { AppError } from './core/errors.js';
import { frenchSpacing } from './core/typography.js';
import { EXPORT_FORMATS, type ExportFormat, exportFiches } from './exports/exports.service.js';
import {
  DumpImportError,
  formatProblem,
  type ImportPhase,
  type ImportSummary,
  importDump,
} from './legacy-dump/import.service.js';
import { createMailer } from './mail/mailer.js';
import { addSynonymGroup, listSynonyms, removeSynonymGroup } from './search/synonyms.service.js';

/** A command refused with a French message; the CLI exits with 1, without a stack. */
function refused(message: string): AppError {
  return new AppError('invalid_command', message);
}

const PROGRESS_THRESHOLD = 200;
const PHASE_LABELS: Record<ImportPhase, string> = { store: 'Enregistrement', index: 'Indexation   ' };

async function runAlertsSend(): Promise<void> {
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

async function withDatabase<T>(run: (handle: Awaited<ReturnType<typeof openAppDatabase>>) => Promise<T>): Promise<T> {
  const handle = await openAppDatabase(config());
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
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
  await withDatabase(async ({ db }) => {
    if (!options.out) {
      await exportFiches(db, options.format, writerTo(process.stdout));
      return;
    }
    // Written beside the target then renamed, so that a failed export never leaves half a file.
    const temporary = `${options.out}.${process.pid}.tmp`;
    const stream = createWriteStream(temporary);
    try {
      const count = await exportFiches(db, options.format, writerTo(stream));
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

async function runSynonymsList(): Promise<void> {
  await withDatabase(async ({ db }) => {
    for (const group of await listSynonyms(db)) process.stdout.write(`${group.id}\t${group.terms.join(', ')}\n`);
  });
}

async function runSynonymsAdd(terms: string[]): Promise<void> {
  await withDatabase(async ({ db }) => {
    const id = await addSynonymGroup(
      db,
      terms.flatMap((t) => t.split(',')),
    );
    process.stdout.write(`Groupe de synonymes ${id} ajouté.\n`);
  });
}

async function runSynonymsRemove(id: string): Promise<void> {
  if (!/^\d{1,9}$/.test(id)) throw refused(`« ${id} » n’est pas un numéro de groupe (voir essaim synonyms list).`);
  await withDatabase(async ({ db }) => {
    await removeSynonymGroup(db, Number(id));
    process.stdout.write(`Groupe de synonymes ${id} supprimé.\n`);
  });
}

let loadedConfig: ReturnType<typeof loadConfig> | undefined;
function config() {
  loadedConfig ??= loadConfig();
  return loadedConfig;
}

interface RoleOptions {
  role?: 'admin' | 'editor' | 'reviewer';
  structure?: number[];
  departement?: string[];
}

function rolesOf(options: RoleOptions) {
  return {
    isAdmin: options.role === 'admin',
    structureIds: options.structure ?? [],
    departementCodes: options.departement ?? [],
  };
}

async function runUserCreate(options: RoleOptions & { email: string; name?: string }): Promise<void> {
  const roles = rolesOf(options);
  if (options.role === 'editor' && roles.structureIds.length === 0) {
    throw refused('Le rôle editor demande au moins une structure : --structure <numéro>.');
  }
  if (options.role === 'reviewer' && roles.departementCodes.length === 0) {
    throw refused('Le rôle reviewer demande au moins un département : --departement <code>.');
  }
  await withDatabase(async ({ db }) => {
    const mailer = createMailer(config(), {
      info: (fields: { file?: string }) => {
        if (fields.file) process.stderr.write(`E-mail écrit dans ${fields.file}\n`);
      },
    });
    const { link } = await inviteUser(db, mailer, config().publicUrl, null, {
      email: options.email,
      name: options.name,
      ...roles,
    });
    process.stdout.write(
      frenchSpacing(
        link
          ? `Compte ${options.email} créé. Lien d’activation (valable 7 jours, à usage unique) : ${link}\n` +
              `Adresse du site utilisée pour ce lien : ${config().publicUrl} (${process.env.PUBLIC_URL ? 'PUBLIC_URL' : 'PUBLIC_URL non réglée : déduite de HOST et PORT'}).\n`
          : `Rôles ajoutés au compte ${options.email}.\n`,
      ),
    );
  });
}

async function runUserList(): Promise<void> {
  await withDatabase(async ({ db }) => {
    const users = await listUsers(db);
    if (users.length === 0) process.stdout.write('Aucun compte.\n');
    for (const u of users) {
      const roles = [
        ...(u.is_admin ? ['admin'] : []),
        ...u.structure_ids.map((id) => `editor:${id}`),
        ...u.departement_codes.map((c) => `reviewer:${c}`),
      ];
      const state = u.disabled_at ? 'désactivé' : u.password_hash ? 'actif' : 'invitation en attente';
      process.stdout.write(`${u.email}\t${u.name}\t${roles.join(' ') || '-'}\t${state}\n`);
    }
  });
}

async function runUserRevoke(options: RoleOptions & { email: string }): Promise<void> {
  await withDatabase(async ({ db }) => {
    await revokeUserRoles(db, options.email, rolesOf(options));
    process.stdout.write(`Rôles retirés au compte ${options.email}.\n`);
  });
}

async function runUserDisabled(disabled: boolean, options: { email: string }): Promise<void> {
  await withDatabase(async ({ db }) => {
    await setUserDisabled(db, options.email, disabled);
    process.stdout.write(`Compte ${options.email} ${disabled ? 'désactivé' : 'réactivé'}.\n`);
  });
}

function structureId(value: string, previous: number[] = []): number[] {
  if (!/^\d{1,9}$/.test(value)) throw new InvalidArgumentError('numéro de structure attendu');
  return [...previous, Number(value)];
}

function departementCode(value: string, previous: string[] = []): string[] {
  return [...previous, value.trim().toUpperCase()];
}

function addRoleOptions(command: Command): Command {
  return command
    .option('--structure <numéro>', 'structure dont la personne rédige les fiches (répétable)', structureId)
    .option('--departement <code>', 'département dont la personne relit les fiches (répétable)', departementCode);
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

/** `essaim synonyms list|add|remove`. */
function addSynonymCommands(program: Command): void {
  const synonyms = program
    .command('synonyms')
    .description('les groupes de synonymes de la recherche (chaque terme trouve aussi les autres)');
  synonyms.command('list').description('liste les groupes, avec leur numéro').action(runSynonymsList);
  synonyms
    .command('add')
    .description('ajoute un groupe : essaim synonyms add "balade, randonnée, rando"')
    .argument('<termes...>', 'au moins deux termes, séparés par des virgules ou en arguments')
    .action(runSynonymsAdd);
  synonyms
    .command('remove')
    .description('supprime un groupe par son numéro')
    .argument('<numéro>', 'numéro du groupe (voir essaim synonyms list)')
    .action(runSynonymsRemove);
}

/** `essaim user create|list|revoke|disable|enable`. */
function addUserCommands(program: Command): void {
  const user = program.command('user').description('les comptes : création, rôles, désactivation');
  addRoleOptions(
    user
      .command('create')
      .description('crée un compte (ou ajoute des rôles à un compte) et envoie le lien d’activation')
      .requiredOption('--email <adresse>', 'adresse e-mail du compte')
      .option('--name <nom>', 'nom affiché')
      .addOption(
        new Option('--role <rôle>', 'admin, editor (avec --structure) ou reviewer (avec --departement)')
          .choices(['admin', 'editor', 'reviewer'])
          .makeOptionMandatory(),
      ),
  ).action(runUserCreate);
  user.command('list').description('liste les comptes, leurs rôles et leur état').action(runUserList);
  addRoleOptions(
    user
      .command('revoke')
      .description('retire des rôles à un compte')
      .requiredOption('--email <adresse>', 'adresse e-mail du compte')
      .option('--admin', 'retire l’administration'),
  ).action((options: RoleOptions & { email: string; admin?: boolean }) =>
    runUserRevoke({ ...options, role: options.admin ? 'admin' : undefined }),
  );
  user
    .command('disable')
    .description('désactive un compte et ferme ses sessions')
    .requiredOption('--email <adresse>', 'adresse e-mail du compte')
    .action((options: { email: string }) => runUserDisabled(true, options));
  user
    .command('enable')
    .description('réactive un compte')
    .requiredOption('--email <adresse>', 'adresse e-mail du compte')
    .action((options: { email: string }) => runUserDisabled(false, options));
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
  const alerts = program.command('alerts').description('les alertes des recherches enregistrées');
  alerts
    .command('send')
    .description('envoie les alertes dues (à lancer chaque jour ou chaque heure par cron)')
    .action(runAlertsSend);
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
