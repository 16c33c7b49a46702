// The dependency check of `npm test` (docs/architecture.md): one dependency-cruiser pass over src/
// with the rules of .dependency-cruiser.cjs (layers one way, no orphans, every import resolves),
// then no cycle between top-level folders. Each pure-domain module the rules name (risk, otp,
// password policy, audit names…) counts as a node of its own: it may live inside a service folder
// because it imports nothing above it; so does the CLI's entry point (it sits above the root, like main.ts). Fails, too, when the cruise finds suspiciously few modules:
// a parser that cannot read TypeScript finds none and would pass every rule.
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';

const MIN_MODULES = 150;
const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');
const OWN_NODES = [/^src\/(cli\/index)\.ts$/, /^src\/(net)\//, /^src\/(mfa\/risk)\//, /^src\/(mfa\/otp)\//, /^src\/(accounts\/password-policy)\//, /^src\/(audit\/canonical)\.ts$/, /^src\/(audit\/events)\.ts$/, /^src\/(errors)\.ts$/];

const { output } = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
const problems = [];
const cruised = output.summary.totalCruised;
if (cruised < MIN_MODULES) problems.push(`only ${cruised} modules cruised (expected at least ${MIN_MODULES}): is the swc parser (@swc/core) installed?`);
for (const v of output.summary.violations) problems.push(`${v.rule.name}: ${v.from}${v.to && v.to !== v.from ? ` → ${v.to}` : ''}`);

/** The node a module belongs to: its pure-domain unit or entry point, else its top-level folder (or root file). */
function node(path) {
  for (const pattern of OWN_NODES) {
    const match = pattern.exec(path);
    if (match) return match[1];
  }
  return /^src\/([^/]+)\//.exec(path)?.[1] ?? path.replace(/^src\//, '');
}

const graph = new Map();
const example = new Map();
for (const module of output.modules) {
  const from = node(module.source);
  if (!graph.has(from)) graph.set(from, new Set());
  for (const dependency of module.dependencies) {
    if (!dependency.resolved.startsWith('src/')) continue;
    const to = node(dependency.resolved);
    if (to === from) continue;
    graph.get(from).add(to);
    if (!example.has(`${from}→${to}`)) example.set(`${from}→${to}`, `${module.source} → ${dependency.resolved}`);
  }
}
for (const cycle of stronglyConnected(graph).filter((component) => component.length > 1)) {
  const members = new Set(cycle);
  const edges = [...example].filter(([key]) => key.split('→').every((name) => members.has(name))).map(([, edge]) => `\n    ${edge}`);
  const more = edges.length > 12 ? `\n    … and ${edges.length - 12} more folder-to-folder imports` : '';
  problems.push(`folders in one import cycle: ${cycle.sort().join(', ')}${edges.slice(0, 12).join('')}${more}`);
}

if (problems.length > 0) {
  console.error(`dependency check failed:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  process.exit(1);
}
console.log(`dependency check: ${cruised} modules, ${graph.size} folders, layers one way, no folder cycle`);

/** Tarjan's strongly connected components. */
function stronglyConnected(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (vertex) => {
    index.set(vertex, counter);
    low.set(vertex, counter++);
    stack.push(vertex);
    onStack.add(vertex);
    for (const next of edges.get(vertex) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(vertex, Math.min(low.get(vertex), low.get(next)));
      } else if (onStack.has(next)) low.set(vertex, Math.min(low.get(vertex), index.get(next)));
    }
    if (low.get(vertex) === index.get(vertex)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== vertex);
      components.push(component);
    }
  };
  for (const vertex of edges.keys()) if (!index.has(vertex)) visit(vertex);
  return components;
}
