import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { missing } from '../helpers/tools.js';
import { assertAccessible, newContext, openBrowserApp, saveScreenshot, WIDTHS } from './browser.js';

async function resultTitles(page: Page): Promise<string[]> {
  return page.locator('.result-list .result-title a').allTextContents();
}

// The pages run in PGlite in this process; the browser talks to them over a real port.
describe('the pages in Chromium', { skip: missing('chromium') }, () => {
  let opened: Awaited<ReturnType<typeof openBrowserApp>>;
  let browser: Browser;
  let base: string;

  let smtp: TestSmtp;
  const centreEmail = 'accueil@centre-retraites.example';

  before(async () => {
    smtp = await startSmtp();
    opened = await openBrowserApp({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    ({ browser, base } = opened);
    // The centre of « L'atelier des retraités connectés » gave its contact details.
    const { db } = opened.seeded.handle;
    const fiche = await db
      .selectFrom('actions')
      .select('structure_id')
      .where('title', 'ilike', '%retraités connectés%')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('structures')
      .set({ phone: '05 63 98 76 54', contact_email: centreEmail, contact_role: 'Accueil' })
      .where('id', '=', fiche.structure_id)
      .execute();
  });
  after(async () => {
    await opened?.close();
    await smtp?.close();
  });

  it('searches, ticks a facet, opens a fiche and comes back to the same results, with JavaScript', async () => {
    const page = await browser.newPage({ viewport: WIDTHS.desktop });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.getByLabel('Rechercher une action').fill('numérique seniors');
    await page.getByLabel('Rechercher une action').press('Enter');
    await page.waitForURL(/\/actions\?q=num%C3%A9rique\+seniors$/);
    await assertHeading(page, /^\d+ actions pour « numérique seniors »$/);
    const unfiltered = await resultTitles(page);

    // Ticking a facet updates the results in place and leaves the focus on the box.
    const box = page.locator('#f-keyword-vieillissement');
    await box.focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/keyword=vieillissement/);
    await page.waitForFunction(() => !document.querySelector('form[aria-busy]'));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-keyword-vieillissement');
    assert.equal(await page.locator('#f-keyword-vieillissement').isChecked(), true);
    const filtered = await resultTitles(page);
    assert.ok(filtered.length > 0 && filtered.length < unfiltered.length, `${filtered.length} / ${unfiltered.length}`);
    assert.match(
      (await page.locator('#search-status').textContent()) ?? '',
      new RegExp(`^${filtered.length} actions? pour`),
    );

    await page.locator('.result-list .result-title a').first().click();
    await page.waitForURL(/\/actions\/\d+-/);
    assert.equal(await page.locator('h1').textContent(), filtered[0]);
    await page.goBack();
    await page.waitForURL(/keyword=vieillissement/);
    assert.deepEqual(await resultTitles(page), filtered);
    assert.equal(await page.locator('#f-keyword-vieillissement').isChecked(), true);
    assert.equal(await page.locator('#q').inputValue(), 'numérique seniors');

    // Back once more: the search before the facet was ticked.
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('keyword'));
    await page.waitForFunction(() => !document.querySelector('form[aria-busy]'));
    assert.deepEqual(await resultTitles(page), unfiltered);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('does the same journey with JavaScript disabled', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false, viewport: WIDTHS.desktop });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('Rechercher une action').fill('sejour familles');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.waitForURL(/\/actions\?q=sejour\+familles/);
    await assertHeading(page, /pour « sejour familles »$/);
    const unfiltered = await resultTitles(page);
    assert.ok(unfiltered.length > 0);

    await page.locator('#f-status-en-cours').check();
    await page.getByRole('button', { name: 'Appliquer les filtres' }).first().click();
    await page.waitForURL(/status=en-cours/);
    const filtered = await resultTitles(page);
    assert.ok(filtered.length > 0 && filtered.length <= unfiltered.length);

    await page.locator('.result-list .result-title a').first().click();
    await page.waitForURL(/\/actions\/\d+-/);
    assert.equal(await page.locator('h1').textContent(), filtered[0]);
    await page.goBack();
    await page.waitForURL(/status=en-cours/);
    assert.deepEqual(await resultTitles(page), filtered);
    assert.equal(await page.locator('#f-status-en-cours').isChecked(), true);

    // The suggestion is a plain link too.
    await page.goto(`${base}/actions?q=vieillisement`);
    await page.getByRole('link', { name: 'vieillissement', exact: true }).click();
    await page.waitForURL(/q=vieillissement/);
    assert.ok((await resultTitles(page)).length > 0);
    await context.close();
  });

  it('finds « numérique seniors » in Occitanie, sees budgets in the results, a fiche’s budget and contact without scrolling, and writes to the centre, with and without JavaScript', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const how = javaScriptEnabled ? 'avec JavaScript' : 'sans JavaScript';
      const context = await newContext(browser, {
        javaScriptEnabled,
        viewport: { width: 1366, height: 768 },
        bypassCSP: true, // for axe, injected by the test
      });
      const page = await context.newPage();
      await page.goto(`${base}/actions`);
      await page.getByLabel('Rechercher une action').fill('numérique seniors');
      await page.getByLabel('Rechercher une action').press('Enter');
      await page.waitForURL(/q=num%C3%A9rique\+seniors/);
      await page.locator('#f-region-76').check();
      // Without JavaScript the filters are sent by the button at the top of the facets.
      if (!javaScriptEnabled) await page.getByRole('button', { name: 'Appliquer les filtres' }).first().click();
      await page.waitForURL(/region=76/);
      await page.waitForFunction(() => !document.querySelector('form[aria-busy]'));
      const result = page.locator('.result', { hasText: 'retraités connectés' });
      assert.equal(await result.locator('.result-budget').textContent(), 'Budget\u00a0: 5\u202f647\u00a0€', how);
      await result.locator('.result-title a').click();
      await page.waitForURL(/\/actions\/\d+-/);
      const budget = page.locator('.key-facts dd', { hasText: '647' });
      const box = await budget.boundingBox();
      assert.ok(box && box.y + box.height <= 768, `${how} : le budget est à ${box?.y} px`);
      assert.ok(await page.locator('.key-facts').getByRole('link', { name: 'Télécharger en PDF' }).isVisible(), how);
      const contact = page.locator('.key-facts').getByRole('link', { name: 'Contacter le centre' });
      const contactBox = await contact.boundingBox();
      assert.ok(contactBox && contactBox.y + contactBox.height <= 768, `${how} : le contact est à ${contactBox?.y} px`);
      assert.ok(!(await page.content()).includes(centreEmail), how);

      // The message goes to the centre through the site; the centre's address never shows.
      const title = (await page.locator('h1').textContent()) ?? '';
      await contact.click();
      await page.waitForURL(/\/contact\?fiche=\d+$/);
      assert.ok(!(await page.content()).includes(centreEmail), how);
      if (javaScriptEnabled) {
        await assertAccessible(page, 'formulaire de contact', { bestPractice: true });
        await saveScreenshot(page, 'contacter-le-centre-desktop');
      }
      const sentBefore = smtp.inbox.length;
      await page.getByLabel('Votre nom').fill('Camille Roux');
      await page.getByLabel('Votre adresse e-mail').fill('camille.roux@cs-rodez.example');
      await page.getByLabel('Votre message').fill(`Bonjour, nous voudrions lancer le même atelier à Rodez (${how}).`);
      await page.getByRole('button', { name: 'Envoyer le message' }).click();
      await page.waitForURL(/info=envoye/);
      assert.match((await page.getByRole('status').textContent()) ?? '', /Votre message a été envoyé au centre/);
      assert.ok(!(await page.content()).includes(centreEmail), how);
      await waitFor(() => smtp.inbox.length >= sentBefore + 2);
      const received = smtp.inbox.slice(sentBefore);
      const toCentre = received.find((m) => m.to === centreEmail);
      assert.ok(toCentre, JSON.stringify(received.map((m) => m.to)));
      assert.equal(toCentre.replyTo, 'camille.roux@cs-rodez.example');
      assert.ok(toCentre.text.includes(`le même atelier à Rodez (${how})`));
      const spaces = (text: string) => text.replaceAll('\u00a0', ' ');
      assert.ok(spaces(toCentre.subject).includes(spaces(title)), toCentre.subject);
      assert.ok(
        received.some((m) => m.to === 'camille.roux@cs-rodez.example'),
        'a copy for the sender',
      );
      await context.close();
    }
  });

  it('exports a département’s fiches as a spreadsheet whose name says what it holds, without JavaScript too', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await newContext(browser, { javaScriptEnabled, acceptDownloads: true, viewport: WIDTHS.desktop });
      const page = await context.newPage();
      await page.goto(`${base}/departements/46`);
      const total = Number(/^(\d+)/.exec((await page.locator('#resultats-titre').textContent()) ?? '')?.[1]);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Tableur CSV' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^essaim-fiches-lot-\d{4}-\d{2}-\d{2}\.csv$/);
      const rows = (await readFile((await download.path()) as string, 'utf8')).trim().split('\r\n');
      // One header row, then a row per fiche (no cell of these fiches holds a line break).
      assert.equal(rows.length, total + 1);
      await context.close();
    }
  });

  it('shows the results of the correction under « Vouliez-vous dire » when the words typed find nothing', async () => {
    const page = await browser.newPage({ viewport: WIDTHS.desktop });
    await page.goto(`${base}/actions?q=vieilisement`);
    await assertHeading(page, /^Aucune action pour « vieilisement »$/);
    await page.locator('.suggestion a', { hasText: 'vieillissement' }).waitFor();
    const suggested = await page.locator('.suggested .result-title a').allTextContents();
    await page.locator('.suggestion a').click();
    await page.waitForURL(/q=vieillissement/);
    assert.deepEqual((await resultTitles(page)).slice(0, suggested.length), suggested);
    assert.ok(suggested.length > 0);
    await page.close();
  });
});

async function assertHeading(page: Page, pattern: RegExp): Promise<void> {
  const heading = page.locator('#resultats-titre');
  await heading.waitFor();
  await page.waitForFunction(
    ([source, flags]) => new RegExp(source, flags).test(document.querySelector('#resultats-titre')?.textContent ?? ''),
    [pattern.source.replaceAll(' ', '[\\s\\u00a0]'), pattern.flags] as const,
  );
}

async function waitFor(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('the SMTP server received nothing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
