const { readdirSync } = require('node:fs');
const { join } = require('node:path');

// Mocha adds the files named on the command line to a configured `spec` instead of replacing it:
// configure none when some are named, so `npx mocha test/x.test.ts` runs that file alone and
// `npm test` (no file named) runs everything.
const named = process.argv.slice(2).some((arg) => /^test\/.+\.(test\.)?ts$/.test(arg) || /\.test\.ts$/.test(arg));

// The order the files are handed to the parallel workers, which take the next file as they free up:
// the folders whose files run longest first (a browser walk, the store's child processes), the
// many short unit files last, so they even out the finish instead of one long file running alone at
// the end while the other cores idle (docs/testing.md, "Three workers, longest files first").
// A folder not named here runs with the integration tests.
const FOLDER_ORDER = ['browser', 'store', 'integration', 'unit'];
const rank = (file) => {
  const at = FOLDER_ORDER.indexOf(file.split('/')[1]);
  return at === -1 ? FOLDER_ORDER.indexOf('integration') : at;
};

/** Every `*.test.ts` under `dir`, as a path relative to the project. */
function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

module.exports = {
  'node-option': ['import=tsx'],
  // Every test and hook within 1/5 of its timeout (the rule and its measure: test/helpers/time-budget.ts).
  require: ['test/helpers/time-budget.ts'],
  spec: named ? [] : testFiles('test').sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)),
  recursive: true,
  timeout: 20000,
  exit: true,
};
