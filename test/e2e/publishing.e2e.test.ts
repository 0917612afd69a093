import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inviteUser } from '../../src/accounts/roles.service.js';
import { createMailer } from '../../src/mail/mailer.js';
import { findRevision } from '../../src/publishing/publishing.repository.js';
import { linkFromOutbox, TEST_PASSWORD } from '../helpers/agent.js';
import { openSeededApp } from '../helpers/databases.js';
import { samplePdf } from '../helpers/files.js';
import { missing } from '../helpers/tools.js';
import { assertAccessible, launchChromium, newContext, saveScreenshot, WIDTHS } from './browser.js';

const TITLE = 'Jardin des Capucines partagé avec l’école';
const PDF_NAME = 'Plan du jardin.pdf';
const PDF = samplePdf('Plan du jardin des Capucines');

// One real browser, one context per person, the app on PGlite over a real port.
describe('publishing a fiche in Chromium: invitation, writing, review, publication', {
  skip: missing('chromium'),
}, () => {
  let seeded: Awaited<ReturnType<typeof openSeededApp>>;
  let browser: Browser;
  let base: string;
  let dataDir: string;
  const contexts: BrowserContext[] = [];

  before(async () => {
    seeded = await openSeededApp('pglite');
    dataDir = seeded.config.dataDir;
    base = await seeded.app.listen({ host: '127.0.0.1', port: 0 });
    // What `essaim user create --role admin` does.
    await inviteUser(seeded.handle.db, createMailer(seeded.config, { info: () => {} }), base, null, {
      email: 'admin@essaim.test',
      isAdmin: true,
    });
    browser = await launchChromium();
  });
  after(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await seeded?.close();
  });

  /** A person's own browser window; `javaScript: false` is the same flow without the script. */
  async function person(options: { javaScript?: boolean } = {}): Promise<Page> {
    const context = await newContext(browser, {
      bypassCSP: true,
      javaScriptEnabled: options.javaScript ?? true,
      viewport: WIDTHS.desktop,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  }

  /** Screenshots of the page at a desktop's and a phone's width, which it must fit. */
  async function shoot(page: Page, name: string): Promise<void> {
    for (const [device, viewport] of Object.entries(WIDTHS)) {
      await page.setViewportSize(viewport);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} déborde de ${overflow} px en ${device}`);
      await saveScreenshot(page, `${name}-${device}`);
    }
    await page.setViewportSize(WIDTHS.desktop);
  }

  async function activate(page: Page, email: string, name: string): Promise<void> {
    const link = await linkFromOutbox(dataDir, email, '/invitation/');
    await page.goto(`${base}${link}`);
    await page.getByLabel('Votre nom').fill(name);
    await page.getByLabel('Mot de passe', { exact: true }).fill(TEST_PASSWORD);
    await page.getByLabel('Le même mot de passe, encore une fois').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.waitForURL(`${base}/espace`);
  }

  async function flow(javaScript: boolean, suffix: string) {
    const title = `${TITLE} ${suffix}`;
    const structure = await seeded.handle.db
      .selectFrom('structures')
      .select(['id', 'name', 'departement_code'])
      .orderBy('id')
      .executeTakeFirstOrThrow();

    const admin = await person({ javaScript });
    if (suffix === 'A') await activate(admin, 'admin@essaim.test', 'Ada Admin');
    else {
      await admin.goto(`${base}/connexion`);
      await admin.getByLabel('Adresse e-mail').fill('admin@essaim.test');
      await admin.getByLabel('Mot de passe').fill(TEST_PASSWORD);
      await admin.getByRole('button', { name: 'Se connecter' }).click();
      await admin.waitForURL(`${base}/espace`);
    }
    const invite = async (email: string, role: string, choose: () => Promise<unknown>) => {
      await admin.goto(`${base}/espace/invitations/nouvelle`);
      await admin.getByLabel('Adresse e-mail').fill(email);
      await admin.getByLabel(role).check();
      await choose();
      await admin.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await admin.getByText(`Invitation envoyée à ${email}`).waitFor();
    };
    await invite(`redaction-${suffix}@centre.test`, 'Rédaction des fiches d’une structure', () =>
      admin.getByLabel('Structure (pour la rédaction)').selectOption(String(structure.id)),
    );
    await invite(`relecture-${suffix}@caf.test`, 'Relecture des fiches d’un département', () =>
      admin.getByLabel('Département (pour la relecture)').selectOption(structure.departement_code),
    );

    const editor = await person({ javaScript });
    await activate(editor, `redaction-${suffix}@centre.test`, 'Rita Rédaction');
    await editor.goto(`${base}/espace/fiches/nouvelle`);
    await editor.getByLabel('Titre de l’action *').fill(title);
    await editor.getByLabel('Services').check();
    await editor.getByLabel('Environnement').check();
    await editor.getByLabel('Parentalité').check();
    await editor.getByLabel('Résumé').fill('Un jardin tenu par les familles et les écoliers.');
    await editor.getByRole('button', { name: 'Enregistrer le brouillon' }).last().click();
    await editor.getByText('Brouillon enregistré').waitFor();
    const ficheUrl = editor.url().split('?')[0];
    await editor.getByRole('link', { name: 'Fichiers associés' }).click();
    await editor
      .getByLabel('Ajouter des fichiers')
      .setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF });
    await editor.getByRole('button', { name: 'Envoyer les fichiers' }).click();
    await editor.getByText('Fichier ajouté.').waitFor();
    await editor.getByText(/\(PDF, \d+\u00a0octets\)/).waitFor();
    await editor.getByRole('link', { name: 'Retour à la fiche' }).click();
    await editor.getByRole('button', { name: 'Soumettre à relecture' }).click();
    await editor.getByText('Fiche soumise à relecture').waitFor();

    const reviewer = await person({ javaScript });
    await activate(reviewer, `relecture-${suffix}@caf.test`, 'Rémi Relecture');
    await reviewer.goto(`${base}/espace/relecture`);
    await reviewer.getByRole('link', { name: title }).click();
    await reviewer.getByLabel('Demander des modifications').fill('Ajoutez le budget, s’il vous plaît.');
    await reviewer.getByRole('button', { name: 'Renvoyer à la structure' }).click();
    await reviewer.getByText('La structure est prévenue des modifications demandées.').waitFor();

    await editor.goto(ficheUrl);
    await editor.getByText('Ajoutez le budget, s’il vous plaît.').waitFor();
    await editor.getByRole('link', { name: 'Modifier' }).click();
    await editor
      .getByLabel('Ressources financières mobilisées pour cette action')
      .fill('Charges : 900 €\nProduits : Caf 900 €');
    await editor.getByRole('button', { name: 'Enregistrer et soumettre à relecture' }).click();
    await editor.getByText('Fiche soumise à relecture').waitFor();

    await reviewer.goto(`${base}/espace/relecture`);
    await reviewer.getByRole('link', { name: title }).click();
    await reviewer.getByRole('link', { name: 'Publier', exact: true }).click();
    // A step to confirm, which names the fiche and what publishing does.
    await reviewer.getByRole('heading', { level: 1, name: 'Publier cette fiche ?' }).waitFor();
    await reviewer.getByText(title, { exact: true }).waitFor();
    await reviewer.getByRole('button', { name: 'Confirmer la publication' }).click();
    await reviewer.getByText('Fiche publiée').waitFor();

    const visitor = await person({ javaScript });
    await visitor.goto(`${base}/actions?q=${encodeURIComponent(`Capucines ${suffix}`)}`);
    await visitor.getByRole('link', { name: title }).click();
    await visitor.getByRole('heading', { level: 1, name: title }).waitFor();
    await visitor.getByText('Charges : 900 €').waitFor();
    const [download] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.getByRole('link', { name: PDF_NAME }).click(),
    ]);
    assert.equal(download.suggestedFilename(), PDF_NAME);
    assert.deepEqual(await readFile(await download.path()), PDF);

    await editor.goto(`${ficheUrl}/historique`);
    const steps = await editor.locator('.history > li > h2 > span:first-child').allTextContents();
    assert.deepEqual(steps, [
      'Publiée',
      'Soumise à relecture',
      'Modification enregistrée',
      'Modifications demandées',
      'Soumise à relecture',
      'Modification enregistrée',
      'Création',
    ]);

    // An edit of the published fiche: the reviewer reads what changed, word by word, then publishes.
    await editor.goto(ficheUrl);
    await editor.getByRole('link', { name: 'Modifier' }).click();
    await editor.getByLabel('Résumé').fill('Un jardin tenu par les familles, les écoliers et les voisins.');
    await editor.getByRole('button', { name: 'Enregistrer et soumettre à relecture' }).click();
    await editor.getByText('Fiche soumise à relecture').waitFor();
    await reviewer.goto(`${base}/espace/relecture`);
    await reviewer.getByRole('link', { name: title }).click();
    const changes = reviewer.getByRole('table', { name: 'Champs modifiés depuis la version publiée' });
    await changes.waitFor();
    const added = (await changes.locator('ins').allTextContents()).map((t) => t.replace('ajouté\u00a0: ', ''));
    assert.deepEqual(added, [',', 'les écoliers ', 'voisins']);
    if (javaScript) {
      await assertAccessible(reviewer, 'relecture d’une modification', { bestPractice: true });
      await shoot(reviewer, 'relecture-modification');
    }
    await reviewer.getByRole('link', { name: 'Publier', exact: true }).click();
    await reviewer.getByRole('button', { name: 'Confirmer la publication' }).click();
    await reviewer.getByText('Fiche publiée').waitFor();
    await visitor.goto(`${base}${new URL(ficheUrl).pathname.replace('/espace/fiches/', '/actions/')}`);
    await visitor
      .getByRole('article')
      .getByText('Un jardin tenu par les familles, les écoliers et les voisins.')
      .waitFor();
    return { admin, editor, reviewer, ficheUrl };
  }

  it('goes from invitation to a public fiche, with JavaScript, and the pages pass axe-core', async () => {
    const { admin, editor, reviewer, ficheUrl } = await flow(true, 'A');
    const login = await person();
    await login.goto(`${base}/connexion`);
    await assertAccessible(login, 'connexion');
    await editor.goto(`${base}/espace/fiches/nouvelle`);
    await assertAccessible(editor, 'formulaire vide');
    // The reasons field shows only once the status is Terminée.
    assert.equal(await editor.getByLabel('Raisons pour lesquelles l’action est terminée').isVisible(), false);
    await editor.getByLabel('Terminée', { exact: true }).check();
    assert.equal(await editor.getByLabel('Raisons pour lesquelles l’action est terminée').isVisible(), true);
    await editor.getByLabel('Titre de l’action *').fill('ab');
    await editor.getByRole('button', { name: 'Enregistrer le brouillon' }).last().click();
    await editor.getByText('Le formulaire contient 2 erreurs').waitFor();
    assert.equal(await editor.evaluate(() => document.activeElement?.className), 'error-summary');
    await assertAccessible(editor, 'formulaire avec erreurs');
    await reviewer.goto(`${base}/espace/relecture`);
    await assertAccessible(reviewer, 'file de relecture');
    await shoot(reviewer, 'file-de-relecture');
    await reviewer.goto(`${base}/espace/structures`);
    await reviewer
      .getByRole('link', { name: /^À compléter/ })
      .first()
      .click();
    await reviewer.getByLabel('Code postal').fill('7500');
    await reviewer.getByRole('button', { name: 'Enregistrer les coordonnées' }).click();
    await reviewer.getByText('Le code postal compte cinq chiffres').first().waitFor();
    await assertAccessible(reviewer, 'coordonnées avec erreur', { bestPractice: true });
    await shoot(reviewer, 'coordonnees-erreur');
    await editor.goto(`${ficheUrl}/historique`);
    await assertAccessible(editor, 'historique');
    await editor.goto(ficheUrl);
    await assertAccessible(editor, 'fiche dans l’espace');
    await editor.goto(`${ficheUrl}/fichiers`);
    await assertAccessible(editor, 'fichiers associés');
    await admin.goto(`${base}/espace/vocabulaires`);
    await assertAccessible(admin, 'vocabulaires');
    await reviewer.goto(`${base}/espace/structures`);
    await assertAccessible(reviewer, 'structures');
    await reviewer.goto(`${base}/espace/structures/nouvelle`);
    await reviewer.getByLabel('Nom de la structure *').fill('X');
    await reviewer.getByRole('button', { name: 'Enregistrer' }).click();
    await reviewer.getByText('Le nom doit compter de 2 à 200 caractères').first().waitFor();
    await assertAccessible(reviewer, 'structure avec erreur');
    // A file over 10 Mo is stopped in the browser, before minutes of upload.
    const input = editor.getByLabel('Ajouter des fichiers');
    await input.setInputFiles({
      name: 'vidéo.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(11 * 1024 * 1024),
    });
    assert.match(
      await input.evaluate((el: HTMLInputElement) => el.validationMessage),
      /«\u00a0vidéo\.pdf\u00a0» dépasse 10 Mo/,
    );
  });

  it('reaches the same end without JavaScript', async () => {
    await flow(false, 'B');
  });

  it('writes a fiche in sections: their progress, the budget read as it is typed, a draft saved every 30 s but never over a newer one', async () => {
    const page = await person();
    await page.clock.install();
    await page.goto(`${base}/connexion`);
    await page.getByLabel('Adresse e-mail').fill('redaction-A@centre.test');
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${base}/espace`);
    await page.goto(`${base}/espace/fiches/nouvelle`);
    const toc = page.getByRole('navigation', { name: 'Sommaire' });
    assert.deepEqual(await toc.getByRole('link').allTextContents(), [
      'L’action',
      'Le public et les partenaires',
      'Le déroulement',
      'Budget',
      'Résultats et suites',
    ]);
    const progress = toc.locator('[data-progress-of="section-action"]');
    const before = await progress.textContent();
    await page.getByLabel('Titre de l’action *').fill('Vélo-école pour adultes');
    await page.getByLabel('Services').check();
    await page.waitForFunction(
      ([text]) => document.querySelector('.editor-toc [data-progress-of="section-action"]')?.textContent !== text,
      [before],
    );
    assert.match((await progress.textContent()) ?? '', /^2 champs remplis sur \d+$/);

    await page
      .getByLabel('Ressources financières mobilisées pour cette action')
      .fill('Charges : 5 647 €\nProduits : CARSAT 2 000 €, Caf 3 647 €');
    await page.clock.runFor(1000);
    await page
      .getByText(
        'Budget lu\u00a0: 5\u202f647\u00a0€ · financeurs\u00a0: CARSAT 2\u202f000\u00a0€, Caf 3\u202f647\u00a0€',
      )
      .waitFor();
    await page.locator('#section-budget').getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.waitForURL(/\/modifier\?section=section-budget#section-budget$/);
    await page.locator('#section-budget').getByText('Brouillon enregistré.').waitFor();
    const id = Number(/\/espace\/fiches\/(\d+)\//.exec(page.url())?.[1]);

    // Typing, then 30 s: the draft saves itself.
    await page.getByLabel('Résumé').fill('Apprendre à rouler en ville, entre adultes.');
    await page.clock.runFor(31_000);
    await page.getByText(/^Brouillon enregistré automatiquement à \d+:\d+\.$/).waitFor();
    const stored = async () => (await findRevision(seeded.handle.db, id))?.content.summary;
    assert.equal(await stored(), 'Apprendre à rouler en ville, entre adultes.');

    // Someone saves in another window: the next autosave is refused and overwrites nothing.
    const other = await page.context().newPage();
    await other.goto(`${base}/espace/fiches/${id}/modifier`);
    await other.getByLabel('Résumé').fill('La version de la collègue.');
    await other.getByRole('button', { name: 'Enregistrer le brouillon' }).last().click();
    await other.getByText('Brouillon enregistré').waitFor();
    await page.getByLabel('Résumé').fill('Ma version, plus ancienne.');
    await page.clock.runFor(31_000);
    await page.getByText(/Quelqu’un a enregistré une version plus récente de cette fiche/).waitFor();
    assert.equal(await stored(), 'La version de la collègue.');
    await assertAccessible(page, 'éditeur en sections', { bestPractice: true });
    await shoot(page, 'editeur');

    // An admin writes for any structure: a search field with suggestions, not a list of thousands.
    const admin = await person();
    await admin.goto(`${base}/connexion`);
    await admin.getByLabel('Adresse e-mail').fill('admin@essaim.test');
    await admin.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await admin.getByRole('button', { name: 'Se connecter' }).click();
    await admin.waitForURL(`${base}/espace`);
    await admin.getByRole('link', { name: 'Écrire une fiche' }).click();
    await admin.getByLabel('Structure organisatrice *').pressSequentially('Rionet');
    await admin.waitForFunction(() => document.querySelectorAll('#structures-proposees option').length > 0);
    assert.deepEqual(
      await admin
        .locator('#structures-proposees option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
      ['Centre Social et Cuturel le Rionet (46)'],
    );
  });
});
