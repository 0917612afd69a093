import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { INFO_PAGES } from '../../src/site/info-pages.js';
import { readPdf } from '../helpers/files.js';
import { missing } from '../helpers/tools.js';
import { newContext, openBrowserApp, WIDTHS } from './browser.js';

const _PAGES = [...INFO_PAGES.map((p) => `/${p.slug}`), '/plan-du-site'];

describe('the public-service pages in Chromium', { skip: missing('chromium') }, () => {
  let opened: Awaited<ReturnType<typeof openBrowserApp>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    opened = await openBrowserApp();
    ({ browser, base } = opened);
  });
  after(() => opened?.close());

  it('leads from any page’s footer to the accessibility statement, without JavaScript', async () => {
    const context = await newContext(browser, { javaScriptEnabled: false, viewport: WIDTHS.phone });
    const page = await context.newPage();
    await page.goto(`${base}/actions/12`);
    const footer = page.getByRole('navigation', { name: 'Informations sur le site' });
    await footer.getByRole('link', { name: 'Accessibilité : partiellement conforme' }).click();
    await page.waitForURL(/\/accessibilite$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Déclaration d’accessibilité');
    await footer.getByRole('link', { name: 'Plan du site' }).click();
    await page.waitForURL(/\/plan-du-site$/);
    await page.getByRole('link', { name: /^Nord \(59\)/ }).click();
    await page.waitForURL(/\/departements\/59$/);
    await context.close();
  });

  it('prints a fiche with its address and the day, without the page’s tools', {
    skip: missing('poppler'),
  }, async () => {
    const context = await newContext(browser, { viewport: WIDTHS.desktop });
    const page = await context.newPage();
    await page.goto(`${base}/actions/12`);
    const printed = await readPdf(await page.pdf({ format: 'A4' }));
    const text = printed.text.replace(/\s+/g, ' ');
    const day = new Date().toLocaleDateString('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
    assert.match(text, /l'atelier des retraités connectés/);
    // pdftotext joins a word cut at a hyphen at a line's end: the address is compared without them.
    const address = `${opened.seeded.config.publicUrl}${new URL(page.url()).pathname}`;
    assert.ok(text.replaceAll('-', '').includes(address.replaceAll('-', '')), text.slice(-400));
    assert.ok(text.includes(`imprimée le ${day}`), text.slice(-400));
    for (const tool of [
      'Imprimer',
      'Télécharger en PDF',
      'Se connecter pour garder',
      'Espace contributeurs',
      'Actions similaires',
    ]) {
      assert.ok(!text.includes(tool), `${tool} est imprimé`);
    }
    await context.close();
  });
});
