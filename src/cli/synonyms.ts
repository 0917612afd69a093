/** `essaim synonyms`: the search's synonym groups. */
import type { Command } from 'commander';
import { addSynonymGroup, listSynonyms, removeSynonymGroup } from '../search/synonyms.service.js';
import { refused, withDatabase } from './context.js';

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

/** `essaim synonyms list|add|remove`. */
export function addSynonymCommands(program: Command): void {
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
