// The dependency rules of docs/architecture.md, checked by `npm run check:deps` (inside `npm test`).
// Layers, bottom to top; a module may import its own layer and the layers below, never above:
//   domain → config → services → commands → surfaces → app (composition root) → main.ts
// Cycles between top-level folders are found by scripts/check-architecture.mjs on the same cruise.
/** Pure domain: no I/O, imports only other domain modules. */
const DOMAIN = '^src/(errors\\.ts|smart/scopes\\.ts|smart/scope-text\\.ts|net/|mfa/risk/|mfa/otp/|accounts/password-policy/|audit/canonical\\.ts|audit/events\\.ts)';
const CONFIG = '^src/config/';
const SERVICES = '^src/(store|audit|mfa|accounts|sessions|notifications|security|observability|smart|i18n)/';
const COMMANDS = '^src/commands/';
const SURFACES = '^src/(http|interactions|account|admin|cli|oidc|changes|console|password-reset|demo)/';
const APP = '^src/app/';
const MAIN = '^src/(main|cli/index)\\.ts$';

const upward = (name, from, above, comment) => ({
  name, comment, severity: 'error',
  from: { path: from, pathNot: `${DOMAIN}|${MAIN}` },
  to: { path: above.join('|') },
});

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure', severity: 'error',
      comment: 'Pure domain modules (risk, otp, password policy, net, audit names) import only each other.',
      from: { path: DOMAIN }, to: { path: '^src/', pathNot: DOMAIN },
    },
    {
      name: 'config-on-domain-only', severity: 'error',
      comment: 'The configuration schema is read by every service, so it sits right above the domain.',
      from: { path: CONFIG }, to: { path: '^src/', pathNot: `${DOMAIN}|${CONFIG}` },
    },
    upward('services-not-upward', SERVICES, [COMMANDS, SURFACES, APP, MAIN], 'Services never reach up into commands, surfaces or the root.'),
    upward('commands-not-upward', COMMANDS, [SURFACES, APP, MAIN], 'Commands are called by surfaces, never the other way round.'),
    upward('surfaces-not-upward', SURFACES, [APP, MAIN], 'Surfaces receive their dependencies from the composition root; they never import it.'),
    upward('app-not-main', APP, [MAIN], 'The root is started by main.ts.'),
    {
      name: 'unlayered-module', severity: 'error',
      comment: 'Every module belongs to a layer: a new top-level folder gets a line above.',
      from: { path: '^src/', pathNot: [DOMAIN, CONFIG, SERVICES, COMMANDS, SURFACES, APP, MAIN].join('|') }, to: {},
    },
    {
      name: 'no-orphans', severity: 'error',
      comment: 'A module nothing imports is dead code, unless it is an entry point.',
      from: { orphan: true, pathNot: '^src/(main|cli/index|store/embedded/cli|demo/cli)\\.ts$|\\.d\\.ts$' }, to: {},
    },
    {
      name: 'no-unresolvable', severity: 'error',
      comment: 'Every import resolves (a moved file left a stale import behind).',
      from: {}, to: { couldNotResolve: true },
    },
  ],
  options: {
    // TypeScript 7's package has no JavaScript API, so the default parser would silently find no
    // modules at all; swc parses TypeScript itself (scripts/check-architecture.mjs refuses a small cruise).
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
