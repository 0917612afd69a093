import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../helpers/agent.js';
import { openSiteTour, type Role, TOUR_ACCOUNTS } from '../helpers/site-tour.js';
import { missing } from '../helpers/tools.js';
import { assertAccessible, launchChromium, newContext, saveScreenshot, WIDTHS } from './browser.js';

/**
 * Texts a line could start with punctuation in: a plain space before « : ; ? ! » » or after
 * « « », where French typography puts a non-breaking one. Code and what users wrote (the
 * fiches' texts, their titles and structures' names, given in `userTexts`) are left out.
 */
function badSpacing(page: Page, userTexts: string[]): Promise<string[]> {
  return page.evaluate((theirs) => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('code, pre, textarea, script, style, .free-text, .snippet')) continue;
      let text = node.textContent ?? '';
      for (const written of theirs) text = text.replaceAll(written, '');
      const match = / [:;?!»]|« /.exec(text);
      if (match) found.push(text.slice(Math.max(0, match.index - 30), match.index + 10).trim());
    }
    return found;
  }, userTexts);
}

/** The innermost elements wider than the screen, to say what makes a page overflow. */
function widest(page: Page): Promise<string> {
  return page.evaluate(() => {
    const wide = [...document.body.querySelectorAll<HTMLElement>('*')].filter(
      (e) => e.getBoundingClientRect().right > window.innerWidth + 1,
    );
    return wide
      .filter((e) => !wide.some((other) => other !== e && e.contains(other)))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} « ${(e.textContent ?? '').trim().slice(0, 30)} »`)
      .join(', ');
  });
}

// Every kind of page, as its reader sees it, at a desktop's and a phone's width: no error for
// axe-core, nothing wider than the screen, French spacing, and a screenshot in test-results/.
describe('a tour of every page in Chromium', { skip: missing('chromium') }, () => {
  let tour: Awaited<ReturnType<typeof openSiteTour>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    tour = await openSiteTour();
    base = await tour.seeded.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await tour?.seeded.close();
  });

  async function pageAs(role: Role): Promise<Page> {
    const context = await newContext(browser, { bypassCSP: true, viewport: WIDTHS.desktop });
    const page = await context.newPage();
    if (role === 'visitor') return page;
    await page.goto(`${base}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(TOUR_ACCOUNTS[role]);
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${base}/espace`);
    return page;
  }

  it('passes axe-core, fits the screen and spaces French right on every page, desktop and phone, with screenshots', async () => {
    const pages = { visitor: await pageAs('visitor'), admin: await pageAs('admin'), editor: await pageAs('editor') };
    const problems: string[] = [];
    const { db } = tour.seeded.handle;
    const userTexts = [
      ...(await db.selectFrom('actions').select('title as text').execute()),
      ...(await db.selectFrom('structures').select('name as text').execute()),
    ].map((r) => r.text);
    for (const [name, role, url] of tour.pages) {
      const page = pages[role];
      for (const [device, viewport] of Object.entries(WIDTHS)) {
        await page.setViewportSize(viewport);
        await page.goto(`${base}${url}`);
        await assertAccessible(page, `${name} (${device})`, { bestPractice: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) problems.push(`${name} (${device}) déborde de ${overflow} px : ${await widest(page)}`);
        for (const text of await badSpacing(page, userTexts))
          problems.push(`${name} : espace ordinaire dans « ${text} »`);
        await saveScreenshot(page, `page-${name}-${device}`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
