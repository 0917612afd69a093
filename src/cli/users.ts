/** `essaim user`: accounts, their roles, their activation. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { frenchSpacing } from '../core/typography.js';
import { config, refused, withDatabase } from './context.js';

// The services are imported when a command runs, as in src/cli.ts.
const rolesService = () => import('../accounts/roles.service.js');

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
  const [{ inviteUser }, { createMailer }] = await Promise.all([rolesService(), import('../mail/mailer.js')]);
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
  const { listUsers } = await import('../accounts/accounts.repository.js');
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
  const { revokeUserRoles } = await rolesService();
  await withDatabase(async ({ db }) => {
    await revokeUserRoles(db, options.email, rolesOf(options));
    process.stdout.write(`Rôles retirés au compte ${options.email}.\n`);
  });
}

async function runUserDisabled(disabled: boolean, options: { email: string }): Promise<void> {
  const { setUserDisabled } = await rolesService();
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

/** `essaim user create|list|revoke|disable|enable`. */
export function addUserCommands(program: Command): void {
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
