import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { MARK_START } from '../src/search/snippet.js';
import { openSeededApp, testEngines } from './helpers/databases.js';
import { ROOT, tempDir } from './helpers/processes.js';

const run = promisify(execFile);

type Spec = {
  info: { license?: unknown };
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};

function responseSchema(spec: Spec, path: string, status: number): object {
  const schema = spec.paths[path].get.responses[String(status)]?.content?.['application/json']?.schema;
  assert.ok(schema, `réponse ${status} non documentée pour ${path}`);
  return schema;
}

for (const engine of testEngines()) {
  describe(`read API (${engine})`, () => {
    let seeded: Awaited<ReturnType<typeof openSeededApp>>;
    let spec: Spec;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);

    const get = async (url: string) => {
      const response = await seeded.app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json(), type: response.headers['content-type'] };
    };

    before(async () => {
      seeded = await openSeededApp(engine);
      spec = (await get('/api/v1/openapi.json')).body;
    });
    after(() => seeded.close());

    it('searches with filters and returns results, facets and a suggestion', async () => {
      const { status, body } = await get('/api/v1/actions?q=seniors&keyword=vieillissement&department=49&perPage=5');
      assert.equal(status, 200);
      assert.ok(body.total > 0 && body.total <= 5);
      assert.equal(body.page, 1);
      assert.equal(body.perPage, 5);
      assert.equal(body.suggestion, null);
      for (const item of body.items) {
        assert.equal(item.structure.department.code, '49');
        assert.equal(item.structure.department.name, 'Maine-et-Loire');
        assert.ok(item.keywords.some((k: { code: string }) => k.code === 'vieillissement'));
        assert.match(item.url, new RegExp(`^/actions/${item.id}-[a-z0-9-]+$`));
        assert.match(item.snippetHtml, /<mark>/);
        assert.doesNotMatch(item.snippet, /<mark>/);
        assert.ok(!item.snippet.includes(MARK_START));
      }
      assert.deepEqual(
        Object.keys(body.facets).sort(),
        [
          'budget',
          'department',
          'dimension',
          'initiative',
          'keyword',
          'partner',
          'public',
          'region',
          'status',
          'territory',
          'year',
          'freshness',
        ].sort(),
      );
      const typo = await get('/api/v1/actions?q=vieillisement');
      assert.equal(typo.body.suggestion, 'vieillissement');
    });

    it('answers 400 with the parameter named, never 500, for invalid parameters', async () => {
      const cases: Array<[string, string]> = [
        ['/api/v1/actions?keyword=inconnu', 'keyword'],
        ['/api/v1/actions?department=99', 'department'],
        ['/api/v1/actions?department=%3Cscript%3E', 'department'],
        ['/api/v1/actions?page=0', 'page'],
        ['/api/v1/actions?page=deux', 'page'],
        ['/api/v1/actions?perPage=1000', 'perPage'],
        [`/api/v1/actions?q=${'a'.repeat(5000)}`, 'q'],
        ['/api/v1/actions?sort=hasard', 'sort'],
        ['/api/v1/actions?keywords=culture', 'keywords'],
        ['/api/v1/actions/0', 'id'],
        ['/api/v1/actions/abc', 'id'],
        ['/api/v1/structures?perPage=500', 'perPage'],
        ['/api/v1/structures/abc', 'id'],
      ];
      for (const [url, field] of cases) {
        const { status, body, type } = await get(url);
        assert.equal(status, 400, url);
        assert.match(String(type), /^application\/json/);
        assert.equal(body.field, field, url);
        assert.equal(body.code, 'invalid_parameter');
        assert.match(body.message, new RegExp(`^Paramètre «\u00a0${field}\u00a0» invalide\u00a0: `));
      }
    });

    it('publishes a valid OpenAPI 3.1 document', async () => {
      const result = await new Validator().validate(spec as unknown as Record<string, unknown>);
      assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
      assert.deepEqual(Object.keys(spec.paths).sort(), [
        '/api/v1/actions',
        '/api/v1/actions/export',
        '/api/v1/actions/{id}',
        '/api/v1/statistics',
        '/api/v1/structures',
        '/api/v1/structures/{id}',
        '/api/v1/vocabularies',
      ]);
    });

    it('passes the Redocly linter most API users run, with no error and no warning', async () => {
      const work = await tempDir('openapi');
      try {
        const file = path.join(work.dir, 'openapi.json');
        await writeFile(file, JSON.stringify(spec));
        const { stdout, stderr } = await run(
          process.execPath,
          [path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', file, '--format=json'],
          { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
        ).catch((error: { stdout: string; stderr: string }) => error);
        const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
        assert.deepEqual(
          report.problems.map((p: { ruleId: string; message: string }) => `${p.ruleId}: ${p.message}`),
          [],
          stderr,
        );
        assert.deepEqual([report.totals.errors, report.totals.warnings], [0, 0]);
      } finally {
        await work.remove();
      }
      // The licence of the settings (by default Etalab's), with its address.
      assert.deepEqual(spec.info.license, {
        name: 'Licence Ouverte 2.0 (Etalab)',
        url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
      });
    });

    it('answers every documented route as documented', async () => {
      const examples: Record<string, Array<[string, number]>> = {
        '/api/v1/actions': [
          ['/api/v1/actions', 200],
          ['/api/v1/actions?q=num%C3%A9rique&status=en-cours&sort=title&page=1&perPage=3', 200],
          ['/api/v1/actions?perPage=1000', 400],
        ],
        // The files themselves are checked by test/exports.test.ts.
        '/api/v1/actions/export': [
          ['/api/v1/actions/export?format=pdf', 400],
          ['/api/v1/actions/export?format=csv&keyword=inconnu', 400],
        ],
        '/api/v1/statistics': [
          ['/api/v1/statistics', 200],
          ['/api/v1/statistics?q=num%C3%A9rique&department=49&budget=non-chiffre', 200],
          ['/api/v1/statistics?page=2', 400],
        ],
        '/api/v1/actions/{id}': [
          ['/api/v1/actions/3', 200],
          ['/api/v1/actions/9999', 404],
          ['/api/v1/actions/x', 400],
        ],
        '/api/v1/structures': [
          ['/api/v1/structures', 200],
          ['/api/v1/structures?department=49&q=centre&perPage=2', 200],
          ['/api/v1/structures?department=abc', 400],
        ],
        '/api/v1/structures/{id}': [
          ['/api/v1/structures/2', 200],
          ['/api/v1/structures/9999', 404],
        ],
        '/api/v1/vocabularies': [['/api/v1/vocabularies', 200]],
      };
      for (const path of Object.keys(spec.paths)) {
        assert.ok(examples[path], `pas d’exemple pour ${path}`);
        for (const [url, expected] of examples[path]) {
          const { status, body } = await get(url);
          assert.equal(status, expected, url);
          const validate = ajv.compile(responseSchema(spec, path, status));
          assert.ok(validate(body), `${url} : ${JSON.stringify(validate.errors)}`);
        }
      }
    });

    it('documents the API on a page that starts with the search and shows a real example of each operation', async () => {
      const page = (await seeded.app.inject({ method: 'GET', url: '/api/v1/docs' })).body;
      const headings = [...page.matchAll(/<h2 id="GET-[^"]+"><span class="api-summary">([^<]+)<\/span>/g)].map(
        (m) => m[1],
      );
      assert.deepEqual(headings.slice(0, 2), ['Rechercher des fiches actions', 'Lire une fiche action']);
      assert.equal(headings.length, Object.keys(spec.paths).length);
      // The descriptions' Markdown: `format` is code, not backquotes.
      assert.ok(page.includes('<code>/api/v1/actions</code>'), 'Markdown rendered');
      assert.ok(!/`[a-z/]+`/.test(page), 'no backquote left in the page');
      const decode = (html: string) =>
        html
          .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
          .replace(/&quot;/g, '"')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&');
      const requests = [...page.matchAll(/<code>curl &#39;([^<]*?)&#39;<\/code>/g)].map((m) => decode(m[1]));
      assert.equal(requests.length, headings.length, 'an example request per operation');
      const answers = [...page.matchAll(/<pre class="code-block" tabindex="0"><code>(\{[\s\S]*?)<\/code><\/pre>/g)].map(
        (m) => JSON.parse(decode(m[1])),
      );
      assert.equal(answers.length, headings.length, 'an example answer per operation, each valid JSON');
      const search = answers[0] as { total: number; items: unknown[] };
      assert.ok(search.total > 0 && search.items.length >= 1, 'the search example finds fiches');
    });

    it('lists structures with their département and fiches', async () => {
      const list = await get('/api/v1/structures?department=49');
      assert.ok(list.body.total >= 2);
      for (const s of list.body.items) assert.equal(s.department.code, '49');
      const names = list.body.items.map((s: { name: string }) => s.name);
      assert.deepEqual(
        names,
        [...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })),
      );
      const detail = await get(`/api/v1/structures/${list.body.items[0].id}`);
      assert.equal(detail.body.actions.length, detail.body.actionCount);
      assert.ok(detail.body.actionCount >= 1);
    });

    it('gives every vocabulary under the name of its filter', async () => {
      const { body } = await get('/api/v1/vocabularies');
      assert.ok(body.keyword.some((k: { code: string; label: string }) => k.code === 'vieillissement'));
      assert.equal(body.department.length, 101);
      assert.deepEqual(
        body.department.find((d: { code: string }) => d.code === '2B'),
        { code: '2B', label: 'Haute-Corse' },
      );
      assert.equal(body.region.length, 18);
      // Every code it gives is accepted by the search.
      for (const code of body.keyword.map((k: { code: string }) => k.code)) {
        assert.equal((await get(`/api/v1/actions?keyword=${code}&perPage=1`)).status, 200);
      }
    });
  });
}
