import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, SEED, SEED_TEXT, snapshot, testEngines, useTestDatabase } from '../../test/helpers/databases.js';
import { allFiches, exportedText } from '../../test/helpers/fiches.js';
import { listHistory } from '../actions/actions.repository.js';

import type { StoredFiche } from '../actions/fiche.js';
import type { DbHandle } from '../db/connect.js';
import { DumpImportError, importDump } from './import.service.js';
import { formatProblem, parseDump } from './parser.js';

async function ficheByTitle(handle: DbHandle, title: string): Promise<StoredFiche> {
  const fiche = (await allFiches(handle)).find((f) => f.title === title);
  assert.ok(fiche, `fiche « ${title} » absente`);
  return fiche;
}

const seedLines = SEED_TEXT.split('\n');
function seedWith(edits: Record<number, string[]>): string {
  return seedLines.flatMap((line, i) => edits[i + 1] ?? [line]).join('\n');
}

for (const engine of testEngines()) {
  describe(`legacy dump import and export (${engine})`, () => {
    const ctx = useTestDatabase(engine, { reset: true });

    it('imports the seed and exports it back byte for byte', async () => {
      const summary = await importDump(ctx.handle.db, SEED);
      assert.deepEqual(
        { fiches: summary.fiches, created: summary.created, updated: summary.updated, unchanged: summary.unchanged },
        { fiches: 25, created: 25, updated: 0, unchanged: 0 },
      );
      assert.deepEqual(summary.warnings, []);
      const exported = await exportedText(ctx.handle.db, 'dump');
      assert.ok(Buffer.from(exported, 'utf8').equals(SEED), 'the exported dump differs from the seed');
    });

    it('keeps the layouts of real exports that the seed lacks, byte for byte', async () => {
      const layouts = readFileSync(path.join(FIXTURES, 'layouts.txt'));
      const summary = await importDump(ctx.handle.db, layouts);
      assert.equal(summary.created, 2);
      assert.ok(
        Buffer.from(await exportedText(ctx.handle.db, 'dump'), 'utf8').equals(layouts),
        'the exported dump differs',
      );
      const garden = await ficheByTitle(ctx.handle, 'Jardin partagé du quartier Bellevue');
      assert.equal(garden.dimension, null);
      assert.deepEqual([garden.keywords, garden.initiatives, garden.partners], [[], [], []]);
      const cafe = await ficheByTitle(ctx.handle, '« Café des parents » : un lieu pour souffler');
      assert.equal(cafe.structure.name, '"La Passerelle" - Espace de vie sociale - Saint-Denis');
      assert.equal(cafe.structure.departementCode, '93');
      assert.equal(cafe.financialResources, null);
    });

    it('stores every field as the source says', async () => {
      await importDump(ctx.handle.db, SEED);
      const first = await ficheByTitle(ctx.handle, 'Accompagnement individuel et collectif au numérique');
      assert.equal(first.structure.name, "CENTRE SOCIAL Grand Montauban Communauté d'agglomération");
      assert.equal(first.structure.departementCode, '82');
      assert.equal(first.structure.kind, 'centre_social');
      assert.equal(first.status, 'en-cours');
      assert.equal(first.endReason, null);
      assert.equal(first.dimension, 'services');
      assert.deepEqual(first.keywords, ['intergenerationnel', 'vieillissement', 'integration']);
      assert.deepEqual(first.initiatives, ['centre-social', 'partenaires']);
      assert.equal(first.territory, 'plusieurs-quartiers');
      assert.equal(first.partnersTerritory, 'plusieurs-quartiers');
      assert.deepEqual(first.publics, ['tous-publics']);
      assert.deepEqual(first.partners, [{ code: 'carsat', role: 'action' }]);
      assert.equal(first.financialResources, null);
      assert.equal(first.peopleMobilised, '3 animateurs du centre social + 1 service civique');
      assert.equal(first.resultTerritory, null);
      assert.equal(
        first.perspectives,
        "L'action va continuer de la même façon mais toujours en co-construction avec les publics concernés",
      );
      assert.match(first.generalDescription ?? '', /^L'action a commencé en 2019.*\nPublics :\n/);
      assert.match(first.generalDescription ?? '', /\n- Surfer sur Internet\.\n- Gérer sa boite mail\.\n/);

      const mixes = await ficheByTitle(ctx.handle, 'O mamò tu mixes ?');
      assert.equal(mixes.structure.departementCode, '2B');
      assert.equal(mixes.status, 'terminee');
      assert.equal(mixes.endReason, "L'action est terminée car elle était programmée sur 6 séances");
      assert.deepEqual(mixes.keywords, ['culture']);
      assert.deepEqual(mixes.publics, ['seniors']);
      assert.equal(
        mixes.financialResources,
        "1500 euros sans la valorisation du temps de travail de l'animatrice et du transport en mini bus",
      );

      const artetsi = await ficheByTitle(ctx.handle, 'ARTETSI ESPACE DE VIE SOCIAL');
      assert.equal(artetsi.structure.name, 'ART ET SI');
      assert.equal(artetsi.structure.departementCode, '83');
      assert.deepEqual(artetsi.keywords, ['intergenerationnel', 'parentalite', 'education-scolarite']);
      assert.deepEqual(artetsi.initiatives, ['autre']);
      assert.equal(artetsi.initiativeDetail, "L'équipe salariale multidisciplinaire et les bénéficiaires");
      assert.equal(
        artetsi.experience,
        "Lutte contre l'exclusion\nSoutient à la parentalité\nAutonomiser les personnes pour les rendre acteurs de leur vie\nPrévention primaire de santé par la lutte contre les vulnérabilités afin de réduire les inégalités sociales de santé",
      );
      assert.deepEqual(artetsi.publics, ['tous-publics']);

      const bus = await ficheByTitle(ctx.handle, "Bus de l'autonomie");
      assert.equal(bus.structure.name, 'CENTRE SOCIAL BEAUREGARD-BUTHEGNEMONT');
      assert.equal(bus.structure.departementCode, '54');
      assert.deepEqual(bus.keywords, ['vieillissement', 'logement']);
      assert.deepEqual(bus.initiatives, ['autre']);
      assert.match(
        bus.initiativeDetail ?? '',
        /^Le Bus de l'autonomie est un projet proposé par l'OHS de Lorraine, mené en partenariat/,
      );
      assert.deepEqual(bus.publics, ['adultes']);
      assert.equal(
        bus.resultCentre,
        '- Rayonnement des actions du Centre Social\n- Faire découvrir la structure à un plus grand nombre de personnes',
      );
      assert.equal(bus.limits, null);
      assert.equal(bus.perspectives, 'Poursuite du projet en 2020');

      const atelier = await ficheByTitle(
        ctx.handle,
        "l'atelier des retraités connectés : lutter contre la fracture numérique des aînés",
      );
      assert.equal(atelier.structure.departementCode, '46');
      assert.equal(
        atelier.financialResources,
        [
          '- CHARGES :',
          '- collations : 24x 12€ = 288€',
          '- 4 tablettes : 436€',
          '- 1 animateur numérique (24 séances) : 1332€',
          '- transport ( 24 atliers x 60km x 0.35€ du km) = 504€',
          '- salaires (coordination, secrétariat, animation, chauffeur) : 2337€',
          '- valorisation bénévolat : 750€',
          'TOTAL CHARGES : 5647€',
          '- PRODUITS :',
          'financeurs (CARSAT et MSA) : 4497€',
          'Participation : 400€',
          'Valorisation du bénévolat : 750€',
          'TOTAL PRODUITS : 5647€',
        ].join('\n'),
      );
      assert.match(atelier.generalDescription ?? '', /^il nous a fallu :\n- proposer le projet à des financeurs/);

      const multimedia = await ficheByTitle(ctx.handle, 'Espace multimédia');
      assert.equal(multimedia.hasAttachmentsLine, false);
      assert.equal(multimedia.structure.departementCode, '971');
      assert.deepEqual(multimedia.keywords, ['intergenerationnel', 'education-scolarite', 'mixite-sociale']);
      assert.equal(multimedia.territory, 'une-commune');
      assert.match(multimedia.perspectives ?? '', /\n- Mettre en place un système de Pass numérique\n/);

      const fiches = await allFiches(ctx.handle);
      assert.equal(fiches.length, 25);
      assert.ok(fiches.every((f) => f.partners.length === 1 && f.partners[0].code === 'carsat'));
      assert.equal(fiches.filter((f) => !f.hasAttachmentsLine).length, 1);
      assert.equal(fiches.filter((f) => f.status === 'terminee').length, 3);
    });

    it('reports 25 unchanged on a second import and changes nothing', async () => {
      await importDump(ctx.handle.db, SEED);
      const before = await snapshot(ctx.handle);
      const summary = await importDump(ctx.handle.db, SEED);
      assert.deepEqual(
        { created: summary.created, updated: summary.updated, unchanged: summary.unchanged },
        {
          created: 0,
          updated: 0,
          unchanged: 25,
        },
      );
      assert.deepEqual(await snapshot(ctx.handle), before);
    });

    it('leaves the database exactly as before when fiche 10 has an error, and names its line', async () => {
      await importDump(ctx.handle.db, SEED);
      const before = await snapshot(ctx.handle);
      const structureLine = seedLines.indexOf('- CENTRE SOCIAL LE FOYER FREYMING-MERLEBACH - Moselle') + 1;
      const firstSummary = seedLines.indexOf('- Résumé') + 2;
      const file = seedWith({
        // Fiche 1 changes (it would be an update), fiche 10 names a département that does not exist.
        [firstSummary]: ['Un résumé réécrit.'],
        [structureLine]: ['- CENTRE SOCIAL LE FOYER FREYMING-MERLEBACH - Moselle-Nord'],
      });
      await assert.rejects(importDump(ctx.handle.db, file), (error: unknown) => {
        assert.ok(error instanceof DumpImportError);
        assert.equal(error.problems.length, 1);
        assert.equal(error.problems[0].line, structureLine);
        assert.equal(error.problems[0].fiche, '@ plus sur le web');
        assert.equal(
          formatProblem(error.problems[0]),
          `Ligne ${structureLine} (fiche «\u00a0@ plus sur le web\u00a0»)\u00a0: département inconnu «\u00a0Moselle-Nord\u00a0».`,
        );
        return true;
      });
      assert.deepEqual(await snapshot(ctx.handle), before);

      // A format error at fiche 10 stops the import too, nothing of it written, and is reported
      // with the other problems of the file, in the order of their lines.
      const publicLabel = seedLines.indexOf('- Public', structureLine) + 1;
      const firstStructure = seedLines.indexOf('- Structure organisatrice') + 2;
      const broken = seedWith({
        [publicLabel]: ['- Publics visés'],
        [firstStructure]: [`${seedLines[firstStructure - 1]}-Nord`],
      });
      await assert.rejects(importDump(ctx.handle.db, broken), (error: unknown) => {
        assert.ok(error instanceof DumpImportError);
        assert.deepEqual(
          error.problems.map((p) => p.line),
          [firstStructure, parseDump(broken).errors[0].line],
        );
        assert.match(error.problems[0].message, /département inconnu/);
        assert.match(error.problems[1].message, /le champ «\u00a0Public\u00a0» était attendu/);
        return true;
      });
      assert.deepEqual(await snapshot(ctx.handle), before);
    });

    it('updates a changed fiche in place and records what changed', async () => {
      await importDump(ctx.handle.db, SEED);
      const firstSummary = seedLines.indexOf('- Résumé') + 2;
      const summary = await importDump(ctx.handle.db, seedWith({ [firstSummary]: ['Un résumé réécrit.'] }));
      assert.deepEqual(
        { created: summary.created, updated: summary.updated, unchanged: summary.unchanged },
        {
          created: 0,
          updated: 1,
          unchanged: 24,
        },
      );
      const fiche = await ficheByTitle(ctx.handle, 'Accompagnement individuel et collectif au numérique');
      assert.equal(fiche.id, 1);
      assert.match(fiche.summary ?? '', /^Un résumé réécrit\.\nDévelopper les capacités/);
      const history = await listHistory(ctx.handle.db, fiche.id);
      assert.deepEqual(
        history.map((h) => h.operation),
        ['create', 'update'],
      );
      assert.deepEqual(Object.keys(history[1].changes), ['summary']);
      assert.match(String(history[1].changes.summary.before), /^Accompagner chaque personne/);
    });

    it('keeps an unknown vocabulary value, flags it and warns', async () => {
      const keywordLine = seedLines.indexOf('- Intégration') + 1;
      const file = seedWith({ [keywordLine]: ['- Intégration', '- Jardinage partagé'] });
      const summary = await importDump(ctx.handle.db, file);
      assert.equal(summary.warnings.length, 1);
      assert.match(
        summary.warnings[0].message.replace(/\u00a0/g, ' '),
        /valeur inconnue « Jardinage partagé » ajoutée au vocabulaire « Mots clés »/,
      );
      const term = await ctx.handle.db
        .selectFrom('keywords')
        .selectAll()
        .where('code', '=', 'jardinage-partage')
        .executeTakeFirst();
      assert.equal(term?.flagged, true);
      assert.equal(term?.label, 'Jardinage partagé');
      const fiche = await ficheByTitle(ctx.handle, 'Accompagnement individuel et collectif au numérique');
      assert.deepEqual(fiche.keywords, ['intergenerationnel', 'vieillissement', 'integration', 'jardinage-partage']);
      assert.equal(await exportedText(ctx.handle.db, 'dump'), file);
    });

    it('writes nothing on a dry run but says what it would do', async () => {
      const summary = await importDump(ctx.handle.db, SEED, { dryRun: true });
      assert.equal(summary.created, 25);
      assert.equal(summary.dryRun, true);
      assert.equal((await allFiches(ctx.handle)).length, 0);
    });

    it('imports CRLF line endings and a byte order mark like the plain file', async () => {
      await importDump(ctx.handle.db, `\uFEFF${SEED_TEXT.replace(/\n/g, '\r\n')}`);
      assert.equal(await exportedText(ctx.handle.db, 'dump'), SEED_TEXT);
    });

    it('refuses a file naming the same fiche twice', async () => {
      const doubled = `${SEED_TEXT}\n${seedLines.slice(seedLines.indexOf('Actions', 1), seedLines.indexOf('Actions', 2)).join('\n')}`;
      await assert.rejects(importDump(ctx.handle.db, doubled), (error: unknown) => {
        assert.ok(error instanceof DumpImportError);
        assert.match(error.problems[0].message, /figure déjà ligne 2 /);
        return true;
      });
      assert.equal((await allFiches(ctx.handle)).length, 0);
    });

    it('exports every field as JSON with codes, labels and the département', async () => {
      await importDump(ctx.handle.db, SEED);
      const items = JSON.parse(await exportedText(ctx.handle.db, 'json')).fiches;
      assert.equal(items.length, 25);
      const mixes = items[1];
      assert.equal(mixes.title, 'O mamò tu mixes ?');
      assert.deepEqual(mixes.structure.department, {
        code: '2B',
        name: 'Haute-Corse',
        region: { code: '94', name: 'Corse' },
      });
      assert.deepEqual(mixes.status, { code: 'terminee', label: 'Terminée' });
      assert.deepEqual(mixes.keywords, [{ code: 'culture', label: 'Culture' }]);
      assert.deepEqual(mixes.partners, [{ code: 'carsat', label: 'CARSAT', role: 'action' }]);
      assert.equal(items[0].keywords[1].label, 'Vieillissement');
      assert.equal(mixes.followUp.limits, 'La taille du studio, qui ne pouvait accueillir plus de séniors');
    });
  });
}
