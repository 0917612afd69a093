import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers/agent.js';
import { ficheOfDepartement, invitedPerson, structureOfDepartement } from '../helpers/people.js';
import { missing } from '../helpers/tools.js';
import { assertAccessible, newContext, openBrowserApp, saveScreenshot, WIDTHS } from './browser.js';

// A centre of the Lot takes up an action of a centre of the Nord, as issue 20 tells it.
describe('« S’inspirer de cette fiche » in Chromium', { skip: missing('chromium') }, () => {
  let opened: Awaited<ReturnType<typeof openBrowserApp>>;
  let browser: Browser;
  let base: string;
  let source: { url: string; title: string };

  before(async () => {
    opened = await openBrowserApp();
    ({ browser, base } = opened);
    source = await ficheOfDepartement(opened.seeded, '59');
    const lot = await structureOfDepartement(opened.seeded, '46');
    await invitedPerson(opened.seeded, 'redaction@rionet.test', 'Rédactrice du Lot', { structureIds: [lot.id] });
    await invitedPerson(opened.seeded, 'relecture@lot.test', 'Relecteur du Lot', { departementCodes: ['46'] });
  });
  after(() => opened?.close());

  async function signedIn(email: string, javaScriptEnabled: boolean): Promise<Page> {
    const context = await newContext(browser, { javaScriptEnabled, bypassCSP: true, viewport: WIDTHS.desktop });
    const page = await context.newPage();
    await page.goto(`${base}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${base}/espace`);
    return page;
  }

  for (const javaScriptEnabled of [true, false]) {
    const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
    it(`takes up a Nord fiche in the Lot, and once published the Nord fiche says so (${how})`, async () => {
      const title = `Vivre ensemble au Rionet (${javaScriptEnabled ? 'avec' : 'sans'} script)`;
      const editor = await signedIn('redaction@rionet.test', javaScriptEnabled);
      await editor.goto(`${base}${source.url}`);
      await editor.getByRole('link', { name: 'S’inspirer de cette fiche' }).click();
      await editor.getByRole('heading', { level: 1, name: 'S’inspirer de cette fiche' }).waitFor();
      if (javaScriptEnabled) {
        for (const [device, viewport] of Object.entries(WIDTHS)) {
          await editor.setViewportSize(viewport);
          await assertAccessible(editor, `s’inspirer (${device})`, { bestPractice: true });
          await saveScreenshot(editor, `page-sinspirer-${device}`);
        }
        await editor.setViewportSize(WIDTHS.desktop);
      }
      await editor.getByRole('button', { name: 'Créer mon brouillon' }).click();
      await editor.getByText('Brouillon créé à partir de la fiche d’un autre centre').waitFor();
      await editor.getByText(`Inspirée de «\u00a0${source.title}\u00a0»`).waitFor();
      await editor.getByRole('link', { name: 'Modifier' }).first().click();
      await editor.getByLabel('Titre de l’action *').fill(title);
      await editor.getByRole('button', { name: 'Enregistrer et soumettre à relecture' }).click();
      await editor.getByText('Fiche soumise à relecture').waitFor();

      const reviewer = await signedIn('relecture@lot.test', javaScriptEnabled);
      await reviewer.goto(`${base}/espace/relecture`);
      await reviewer.getByRole('link', { name: title }).click();
      await reviewer.getByRole('link', { name: 'Publier', exact: true }).click();
      await reviewer.getByRole('button', { name: 'Confirmer la publication' }).click();
      await reviewer.getByText('Fiche publiée').waitFor();

      const visitor = await (await newContext(browser, { javaScriptEnabled })).newPage();
      await visitor.goto(`${base}${source.url}`);
      const reprises = visitor.locator('section.reprises');
      await reprises.getByRole('link', { name: title }).waitFor();
      assert.match((await reprises.getByRole('heading').textContent()) ?? '', /^Reprise par [12] centres?$/);
      for (const page of [editor, reviewer, visitor]) await page.context().close();
    });
  }
});
