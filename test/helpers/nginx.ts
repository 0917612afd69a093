import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ROOT, tempDir } from './processes.js';
import { TOOLS } from './tools.js';

/** The deployment guide's nginx site, as shipped. */
export const NGINX_SITE = path.join(ROOT, 'deploy', 'nginx.conf');

/** A running nginx serving deploy/nginx.conf on a port of 127.0.0.1, in front of the given ports. */
export interface TestNginx {
  base: string;
  /** The upstream ports that served a request, by its X-Request-Id, read from the access log. */
  servedBy(requestId: string): Promise<number[]>;
  /** Resolves once nginx logs, after this call, an answer from the upstream on `port`. */
  takesBack(port: number): Promise<void>;
  /** The first lines of nginx's error log so far, for a failure's message. */
  errors(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts Debian's nginx with the deployment guide's site, its two upstream ports and its
 * listening port changed, inside a minimal main configuration of the test's own (paths in a
 * temporary folder, an access log naming the upstream of each request id).
 */
export async function startNginx(port: number, upstreams: [number, number]): Promise<TestNginx> {
  const work = await tempDir('nginx');
  const site = (await readFile(NGINX_SITE, 'utf8'))
    .replace('server 127.0.0.1:3001 ', `server 127.0.0.1:${upstreams[0]} `)
    .replace('server 127.0.0.1:3002 ', `server 127.0.0.1:${upstreams[1]} `)
    .replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${port};`);
  if (!site.includes(`:${upstreams[1]} `) || !site.includes(`:${port};`))
    throw new Error('deploy/nginx.conf changed shape');
  await mkdir(path.join(work.dir, 'logs'));
  const accessLog = path.join(work.dir, 'logs', 'access.log');
  const errorLog = path.join(work.dir, 'logs', 'error.log');
  const main = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${work.dir}/nginx.pid;
error_log ${errorLog} warn;
events { worker_connections 512; }
http {
  client_body_temp_path ${work.dir}/body;
  proxy_temp_path ${work.dir}/proxy;
  fastcgi_temp_path ${work.dir}/fastcgi;
  uwsgi_temp_path ${work.dir}/uwsgi;
  scgi_temp_path ${work.dir}/scgi;
  log_format upstreams '$request_id $upstream_addr $status';
  access_log ${accessLog} upstreams;
  include ${work.dir}/essaim.conf;
}
`;
  await writeFile(path.join(work.dir, 'essaim.conf'), site);
  await writeFile(path.join(work.dir, 'nginx.conf'), main);
  const args = ['-p', work.dir, '-c', path.join(work.dir, 'nginx.conf'), '-e', errorLog];
  await promisify(execFile)(TOOLS.nginx.path, [...args, '-t']);
  const child: ChildProcess = spawn(TOOLS.nginx.path, [...args, '-g', 'daemon off;'], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      await fetch(`${base}/healthz`);
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await sleep(100);
    }
  }
  return {
    base,
    async servedBy(requestId) {
      // nginx writes the line once the answer is sent: wait for it a little.
      for (let tries = 0; tries < 50; tries++) {
        const line = (await readFile(accessLog, 'utf8')).split('\n').find((l) => l.startsWith(`${requestId} `));
        if (line) return [...line.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
        await sleep(100);
      }
      throw new Error(`request ${requestId} is not in nginx's access log`);
    },
    async takesBack(port) {
      const start = (await readFile(accessLog, 'utf8')).length;
      const answered = new RegExp(`:${port} 200$`);
      for (let tries = 0; tries < 300; tries++) {
        const lines = (await readFile(accessLog, 'utf8')).slice(start).split('\n');
        if (lines.some((line) => answered.test(line))) return;
        await sleep(100);
      }
      throw new Error(`nginx sent nothing to port ${port} in 30 s`);
    },
    errors: async () => (await readFile(errorLog, 'utf8')).split('\n').slice(0, 30).join('\n'),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
      await work.remove();
    },
  };
}
