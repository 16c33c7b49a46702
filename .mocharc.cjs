// Mocha adds the files named on the command line to a configured `spec` instead of replacing it:
// configure none when some are named, so `npx mocha test/x.test.ts` runs that file alone and
// `npm test` (no file named) runs everything.
const named = process.argv.slice(2).some((arg) => /^test\/.+\.(test\.)?ts$/.test(arg) || /\.test\.ts$/.test(arg));

module.exports = {
  'node-option': ['import=tsx'],
  // Every test and hook within 1/5 of its timeout (the rule and its measure: test/helpers/time-budget.ts).
  require: ['test/helpers/time-budget.ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  recursive: true,
  timeout: 20000,
  exit: true,
};
