// The layers of src/, bottom to top, as rules that `npm run check` enforces (docs/adr/0015).
//
//   core            imports nothing of the app
//   db, config      the core only
//   domain modules  services, repositories, presenters, schemas; each may import the ground and
//                   the modules ranked below it (DOMAIN, lowest first), never a page or a view
//   web/            the site's frame (layout, forms, errors); the ground and the domain
//   pages, views    every module's *.page(s).tsx, *.views.tsx, *.routes.ts, *.http.ts, *.forms.ts; anything
//                   below, and each other
//   app, bootstrap, main, cli (and cli/)   wire it all; nothing imports them but main and cli

const DOMAIN = [
  ['authorization', 'jobs', 'mail'],
  ['vocabularies'],
  ['budgets'],
  ['actions'],
  ['search'],
  ['structures'],
  ['accounts'],
  ['legacy-dump'],
  ['exports'],
  ['attachments'],
  ['publishing'],
  ['figures', 'freshness', 'proconnect'],
  ['terms', 'alerts', 'favourites', 'stats', 'site', 'reports', 'opendata', 'ops', 'backup'],
];

// Files that present to the user or answer a request; they sit above every domain file.
const WEB_TIER =
  '(\\.forms\\.ts|\\.pages?\\.tsx|\\.views\\.tsx|\\.routes\\.tsx?|\\.http\\.ts)$|^src/exports/fiche-pdf\\.ts$';
const TESTS = '\\.test\\.tsx?$';
const any = (names) => `^src/(${names.join('|')})/`;

// The imports that run up the order, each with its reason; keep this list short (issue 18: ≤ 6).
const UPWARD = [
  // Adding a file to a fiche is a step of its work in progress: it locks the fiche, starts the
  // work and records the step with publishing's functions, while publishing, which publishes
  // and discards the files, needs their rows and storage below it.
  { from: '^src/attachments/attachments\\.service\\.ts$', to: '^src/publishing/workflow\\.ts$' },
];

const orderRules = DOMAIN.slice(0, -1).map((rank, i) => ({
  name: `domain-order-${rank.join('-')}`,
  comment: `${rank.join(', ')} may not import a module ranked above it.`,
  severity: 'error',
  from: { path: any(rank), pathNot: [WEB_TIER, TESTS, ...UPWARD.map((u) => u.from)] },
  to: { path: any(DOMAIN.slice(i + 1).flat()), pathNot: WEB_TIER },
}));

// A file allowed one import up the order takes no other: it keeps the order's rule for the rest.
const upwardRules = UPWARD.map((u, i) => {
  const rank = DOMAIN.findIndex((r) => r.some((name) => u.from.startsWith(`^src/${name}/`)));
  return {
    name: `upward-${i + 1}`,
    comment: 'Only the one import up the order given in UPWARD.',
    severity: 'error',
    from: { path: u.from },
    to: { path: any(DOMAIN.slice(rank + 1).flat()), pathNot: [u.to, WEB_TIER] },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle makes the order of loading matter and the modules one lump.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-nothing',
      comment: 'src/core/ is the ground: errors, text and typography, paths. It imports nothing of the app.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'db-imports-only-core',
      comment: 'db/ is the database access; what to do with the data lives above it.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/', pathNot: '^src/(core|db)/' },
    },
    {
      name: 'config-imports-only-core',
      comment: 'The settings are read once, before anything else exists.',
      severity: 'error',
      from: { path: '^src/config\\.ts$' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'domain-imports-no-web',
      comment: 'Services, repositories and presenters know nothing of pages, views or the web frame.',
      severity: 'error',
      from: { path: any(DOMAIN.flat()), pathNot: [WEB_TIER, TESTS] },
      to: { path: [WEB_TIER, '^src/web/'] },
    },
    {
      name: 'pages-call-services',
      comment: 'A page, a view or a route asks a service; only services talk to repositories.',
      severity: 'error',
      from: { path: WEB_TIER, pathNot: TESTS },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'web-frame-imports-no-page',
      comment: "The site's frame is shared by every page: it imports none of them.",
      severity: 'error',
      from: { path: '^src/web/', pathNot: TESTS },
      to: { path: WEB_TIER, pathNot: '^src/web/' },
    },
    {
      name: 'nothing-imports-the-wiring',
      comment:
        'app.ts, bootstrap.ts, main.ts and cli.ts (with its commands in cli/) put the modules together; only the entry points use them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(main|cli)\\.ts$', '^src/cli/', TESTS] },
      to: { path: ['^src/(app|bootstrap|main|cli)\\.ts$', '^src/cli/'] },
    },
    ...orderRules,
    ...upwardRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|src/web/client)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
