import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { inviteUser } from '../../src/accounts/roles.service.js';
import { createMailer } from '../../src/mail/mailer.js';
import { acceptInvitation } from '../helpers/agent.js';
import { openSeededApp } from '../helpers/databases.js';
import { missing } from '../helpers/tools.js';
import { assertAccessible, launchChromium, newContext, saveScreenshot, WIDTHS } from './browser.js';

const STATS = '/statistiques?keyword=vieillissement';

describe('statistics, map and favourites in Chromium', { skip: missing('chromium') }, () => {
  let seeded: Awaited<ReturnType<typeof openSeededApp>>;
  let browser: Browser;
  let base: string;
  let session: string;

  before(async () => {
    seeded = await openSeededApp('pglite');
    const { handle, app, config } = seeded;
    await inviteUser(handle.db, createMailer(config, { info: () => {} }), config.publicUrl, null, {
      email: 'conseillere@caf.test',
      departementCodes: ['49'],
    });
    const agent = await acceptInvitation(app, config.dataDir, 'conseillere@caf.test', 'Conseillère');
    session = agent.cookies.get('essaim_session') ?? '';
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await seeded?.close();
  });

  /** A browser context signed in as the adviser; axe needs the CSP bypassed. */
  async function signedIn(viewport: { width: number; height: number }): Promise<BrowserContext> {
    const context = await newContext(browser, { viewport, bypassCSP: true });
    await context.addCookies([{ name: 'essaim_session', value: session, url: base }]);
    return context;
  }

  it('follows a département of the map to its search, which finds the count the map gives', async () => {
    const page = await browser.newPage({ viewport: WIDTHS.desktop });
    await page.goto(`${base}${STATS}`);
    const link = page.locator('.map-drawing a[aria-label^="Maine-et-Loire (49)"]');
    const label = (await link.getAttribute('aria-label')) ?? '';
    const count = Number(/: (\d+) fiches?$/.exec(label)?.[1]);
    assert.ok(count > 0, label);
    await link.click();
    await page.waitForURL(/\/actions\?keyword=vieillissement&department=49$/);
    assert.equal(await page.locator('.result-list .result').count(), count);
    // The table beside a chart leads to the same search as its bar.
    await page.goto(`${base}${STATS}`);
    await page.locator('#table-dimension a', { hasText: 'Services' }).click();
    await page.waitForURL(/\/actions\?dimension=services&keyword=vieillissement$/);
    await page.close();
  });

  it('passes axe and is screenshot on a desktop and a phone: statistics (map included) and favourites', async () => {
    for (const [device, viewport] of Object.entries(WIDTHS)) {
      const context = await signedIn(viewport);
      const page = await context.newPage();
      await page.goto(`${base}/api/v1/actions?q=rando+mollo`);
      const fiche = JSON.parse((await page.locator('body').textContent()) ?? '{}').items[0];
      await page.goto(`${base}${fiche.url}`);
      const add = page.getByRole('button', { name: /Ajouter à mes favoris/ });
      if (await add.count()) await add.click();
      await page.goto(`${base}/favoris`);
      assert.equal(await page.locator('.result-list .result').count(), 1);

      for (const [name, url] of Object.entries({
        statistiques: STATS,
        favoris: '/favoris',
        'statistiques-tout': '/statistiques',
      })) {
        await page.goto(`${base}${url}`);
        await assertAccessible(page, `${url} (${device})`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} déborde de ${overflow} px en ${device}`);
        // Every bar's label reads whole: drawn inside its chart, at a size a reader can read.
        const labels = await page.evaluate(() =>
          [...document.querySelectorAll<SVGTextElement>('.chart-drawing .chart-label')].map((label) => {
            const svg = label.ownerSVGElement as SVGSVGElement;
            const box = label.getBBox();
            const shown = label.getBoundingClientRect();
            return {
              text: label.textContent ?? '',
              // A glyph's side bearing may reach a pixel past the drawing's edge.
              inside: box.x >= -2 && box.x + box.width <= svg.viewBox.baseVal.width + 2,
              pixels: shown.height / Math.max(1, label.querySelectorAll('tspan').length),
            };
          }),
        );
        if (name !== 'favoris') assert.ok(labels.length > 0, `${name}: charts drawn`);
        for (const label of labels) {
          assert.ok(label.inside, `« ${label.text} » dépasse de son graphique (${device})`);
          assert.ok(label.pixels >= 10, `« ${label.text} » fait ${label.pixels.toFixed(1)} px (${device})`);
        }
        if (name !== 'statistiques-tout') {
          await saveScreenshot(page, `${name}-${device}`);
        }
      }
      await context.close();
    }
  });
});
