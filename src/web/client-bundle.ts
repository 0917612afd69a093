import { createHash } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';
import type { FastifyPluginAsync } from 'fastify';
import { NoQuery } from './route-schemas.js';

const ENTRY = path.join(import.meta.dirname, 'client', 'main.ts');

let bundle: { path: string; code: string } | undefined;

/**
 * Bundles the progressive-enhancement script with esbuild, once per process, in memory: no
 * build step to forget, and a content hash in the address so browsers may cache it for long.
 */
export async function buildClientBundle(): Promise<{ path: string; code: string }> {
  if (bundle) return bundle;
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  bundle = { path: `/scripts/essaim.${hash}.js`, code };
  return bundle;
}

/** The script's address, for the layout; the bundle is built when the app starts. */
export function clientScriptPath(): string {
  if (!bundle) throw new Error('The client script is bundled by buildApp before any page is rendered.');
  return bundle.path;
}

/**
 * Serves the bundled script under its hashed address. The bundle is built before, outside the
 * plugin: on a loaded machine a first build took more than Fastify's 10 s for a plugin to start.
 */
export function clientScriptRoute({ path: address, code }: { path: string; code: string }): FastifyPluginAsync {
  return async (app) => {
    app.get(address, { schema: { querystring: NoQuery } }, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(code),
    );
  };
}
