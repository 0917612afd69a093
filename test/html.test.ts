import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Agent } from './helpers/agent.js';
import { tempDir } from './helpers/processes.js';
import { openSiteTour } from './helpers/site-tour.js';
import { missing } from './helpers/tools.js';

const run = promisify(execFile);
// The tour's pages and the two refused forms.
const TOUR_SIZE = 51;
// vnu-jar gives the path of the checker's jar.
const VNU_JAR = String(createRequire(import.meta.url)('vnu-jar'));

// The Nu HTML checker (vnu, the W3C's) reads every kind of page the site serves, as a browser
// receives it: the public pages, the forms with their errors, the contributors' space.
describe('every kind of page is valid HTML for the Nu HTML checker', { skip: missing('java') }, () => {
  let tour: Awaited<ReturnType<typeof openSiteTour>>;

  before(async () => {
    tour = await openSiteTour();
  });
  after(() => tour.seeded.close());

  it(`finds no error in ${TOUR_SIZE} pages, two refused forms among them`, async () => {
    const visitor = new Agent(tour.seeded.app);
    const agents = { visitor, ...tour.agents };
    const dir = await tempDir('essaim-html-');
    try {
      const files: string[] = [];
      for (const [name, role, url] of tour.pages) {
        const response = await agents[role].get(url);
        assert.match(String(response.headers['content-type']), /text\/html/, url);
        const expected = name === 'introuvable' ? 404 : name === 'proconnect-erreur' ? 403 : 200;
        assert.equal(response.statusCode, expected, url);
        files.push(path.join(dir.dir, `${name}.html`));
        await writeFile(files.at(-1) as string, response.body);
      }
      // A form refused with its errors: the summary, the fields marked invalid.
      const refused = await agents.editor.post('/espace/fiches', { title: 'x', structure: 'abc' });
      assert.equal(refused.statusCode, 400);
      files.push(path.join(dir.dir, 'fiche-refusee.html'));
      await writeFile(files.at(-1) as string, refused.body);
      const contactPage = tour.pages.find(([name]) => name === 'contacter')?.[2].split('?')[0] as string;
      const unsent = await visitor.post(contactPage, { name: '', email: 'x', message: 'court' });
      assert.equal(unsent.statusCode, 400);
      files.push(path.join(dir.dir, 'message-refuse.html'));
      await writeFile(files.at(-1) as string, unsent.body);
      assert.equal(files.length, TOUR_SIZE);
      const { stdout } = await run(
        'java',
        ['-jar', VNU_JAR, '--errors-only', '--format', 'json', '--stdout', '--exit-zero-always', ...files],
        { maxBuffer: 1 << 24 },
      );
      const messages = (JSON.parse(stdout) as { messages: Array<{ url: string; message: string; lastLine?: number }> })
        .messages;
      assert.deepEqual(
        messages.map((m) => `${path.basename(m.url)}:${m.lastLine ?? '?'} ${m.message}`),
        [],
      );
    } finally {
      await dir.remove();
    }
  });
});
