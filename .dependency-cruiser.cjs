/**
 * The layer rules, in one place (ARCHITECTURE.md, "Layer order"). `npm test` runs them (npm run check:deps):
 * a lower layer never imports a higher one, nothing forms a cycle, server/ knows nothing of Electron or React,
 * the dashboard takes only types from server/, and Electron reaches the gateway through its public entry points.
 *
 * Each server layer lists what it may import besides itself. Tests (`*.test.ts`, `test-support/`, `test-*.ts`)
 * are integration code and may reach across layers; they still may not form cycles.
 */
/** Everything below the services level. */
const FOUNDATION = ['core', 'observe', 'secrets', 'config', 'prices', 'store', 'providers', 'proxy', 'router'];
/** The services level: what the request pipeline and the admin API are built from. */
const SERVICES = ['keys', 'spend', 'metering', 'cache', 'health', 'admin', 'responses', 'pipeline'];

const LAYERS = [
  // What every layer shares: the error type, wire types, the call and config vocabulary, events.
  { name: 'core', may: [] },
  { name: 'prices', may: ['core'] },
  { name: 'store', may: ['core'] },
  // observe receives events and plain values from the pipeline; it imports no layer above core.
  { name: 'observe', may: ['core'] },
  { name: 'secrets', may: ['core', 'observe'] },
  { name: 'config', may: ['core', 'observe', 'secrets', 'prices'] },
  { name: 'providers', may: ['core', 'observe', 'config', 'prices'] },
  { name: 'proxy', may: ['core', 'observe', 'config', 'prices', 'providers'] },
  { name: 'router', may: ['core', 'observe', 'config', 'prices', 'providers', 'proxy'] },
  // One level: keys, spend, metering, cache, health, admin, responses (stored Responses API answers), pipeline may use
  // each other (no cycles) and all below.
  ...SERVICES.map((name) => ({ name, may: [...FOUNDATION, ...SERVICES] })),
  { name: 'http', may: [...FOUNDATION, ...SERVICES] },
];

const TESTS = '(\\.test\\.tsx?$|/test-support/|/test-[^/]*\\.ts$)';
const folder = (name) => `^server/${name}/`;
const folders = (names) => `^server/(${names.join('|')})/`;
const ALL = LAYERS.map((l) => l.name);

const layerRules = LAYERS.map((layer) => {
  const allowed = [layer.name, ...layer.may];
  const notAllowed = ALL.filter((name) => !allowed.includes(name));
  return {
    name: `layer-${layer.name}`,
    comment: `server/${layer.name}/ may import only ${allowed.join(', ')} (and node_modules)`,
    severity: 'error',
    from: { path: folder(layer.name), pathNot: TESTS },
    // The top files (gateway.ts, serve.ts, main.ts, cli/) are above every layer.
    to: { path: notAllowed.length ? `(${folders(notAllowed)}|^server/(cli/|[^/]+\\.ts$))` : '^server/(cli/|[^/]+\\.ts$)' },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'gateway-below-cli',
      comment: 'gateway.ts (createGateway) is the public API under the startup: serve.ts, main.ts and cli/ sit above it.',
      severity: 'error',
      from: { path: '^server/gateway\\.ts$' },
      to: { path: '^server/(main\\.ts|serve\\.ts|cli/)' },
    },
    {
      name: 'server-knows-no-shell-or-dashboard',
      comment: 'server/ knows nothing of Electron or React.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(electron|renderer)/|node_modules/(electron|react|react-dom)/' },
    },
    {
      name: 'renderer-takes-only-types-from-server',
      comment: 'The dashboard talks HTTP to the admin API; it imports server/core types only (import type).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-types-from-core-only',
      comment: 'The wire types the dashboard shares with the server live in server/core/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^server/', pathNot: '^server/core/' },
    },
    {
      name: 'renderer-not-electron',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'electron-uses-public-server-api',
      comment: 'electron/ reaches the gateway through serve.ts / gateway.ts, the CLI flags type and core/ only.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^server/', pathNot: '^server/(serve\\.ts|gateway\\.ts|cli/args\\.ts|core/)' },
    },
    {
      name: 'electron-not-renderer',
      comment: 'The window loads the dashboard over HTTP; electron/ imports no renderer code.',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'electron-modules-stay-plain',
      comment: 'Only the glue (main.ts, preload.ts) imports electron; every other module is unit-tested under Node.',
      severity: 'error',
      from: { path: '^electron/', pathNot: '^electron/(main|preload)\\.ts$|^electron/scripts/' },
      to: { path: '^electron$|node_modules/electron/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|renderer/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
  },
};
