import { existsSync } from 'node:fs';

/** The programs nobody on the team wrote that the suite asks to judge the product's outputs. */
export const TOOLS = {
  chromium: { path: '/usr/bin/chromium', package: 'chromium', what: 'browser tests' },
  libreoffice: { path: '/usr/bin/soffice', package: 'libreoffice-calc-nogui', what: 'spreadsheet tests' },
  java: { path: '/usr/bin/java', package: 'default-jre-headless', what: 'HTML checker tests' },
  xmllint: { path: '/usr/bin/xmllint', package: 'libxml2-utils', what: 'sitemap schema tests' },
  poppler: { path: '/usr/bin/pdftotext', package: 'poppler-utils', what: 'PDF tests' },
  feedparser: {
    path: '/usr/lib/python3/dist-packages/feedparser/__init__.py',
    package: 'python3-feedparser',
    what: 'Atom feed tests',
  },
  pgdump: { path: '/usr/bin/pg_dump', package: 'postgresql-client-15', what: 'PostgreSQL backup tests' },
  systemdAnalyze: { path: '/usr/bin/systemd-analyze', package: 'systemd', what: 'systemd unit tests' },
  nginx: { path: '/usr/sbin/nginx', package: 'nginx', what: 'reverse proxy tests' },
  promtool: { path: '/usr/bin/promtool', package: 'prometheus', what: 'metrics format tests' },
} as const;

export type Tool = keyof typeof TOOLS;

/**
 * Why the tests that need `tool` cannot run here (for node:test's `skip` option), or false when
 * the tool is installed. Tests that need it are reported as skipped, never as failures; CI
 * installs every tool, so there nothing is skipped.
 */
export function missing(tool: Tool): string | false {
  const { path, package: pkg, what } = TOOLS[tool];
  return existsSync(path) ? false : `${path} is missing, ${what} skipped (apt-get install ${pkg})`;
}
