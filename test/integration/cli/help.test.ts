// Every command explains itself, and every kind of bad usage gets exit code 2 with the usage.
// In-process through runCli (the CLI's own dispatcher): no store is opened for help or usage errors.
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { openCliContext } from '../../../src/app/cli-context.js';
import { GROUPS, runCli } from '../../../src/cli/run.js';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // No store: a command that got past parsing would fail to load this configuration (exit 1).
  const env = { NODE_ENV: 'test', MONGODB_URI: 'not-a-uri' };
  const code = await runCli(argv, { out: (text) => out.push(text), err: (text) => err.push(text), stdin: Readable.from([]), env }, openCliContext);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('operator CLI help and usage errors', () => {
  for (const group of GROUPS) {
    for (const command of group.commands) {
      it(`${group.name} ${command.name} --help shows usage, every option and an example`, async () => {
        const { code, stdout, stderr } = await run([group.name, command.name, '--help']);
        expect({ code, stderr }).to.deep.equal({ code: 0, stderr: '' });
        expect(stdout).to.match(new RegExp(`^Usage: npm run cli -- ${group.name} ${command.name} `));
        for (const option of Object.keys(command.options)) expect(stdout).to.contain(`--${option}`);
        expect(stdout).to.match(/\nExample:\n {2}(\S.*)?npm run cli -- /);
      });
    }
  }

  it('lists a group\'s commands with <group> --help', async () => {
    const { code, stdout } = await run(['users', '--help']);
    expect(code).to.equal(0);
    for (const name of ['create', 'list', 'deactivate', 'activate', 'set-password']) expect(stdout).to.match(new RegExp(`\\n {2}${name} +\\S`));
  });

  const cases: Array<[string, string[], RegExp]> = [
    ['no arguments', [], /^Usage: npm run cli -- <group> <command>/],
    ['an unknown group', ['patients', 'list'], /^error: unknown command group "patients"\n\nUsage: npm run cli -- <group>/],
    ['an unknown command', ['users', 'delete'], /^error: unknown command "users delete"\n\nUsage: npm run cli -- users <command>/],
    ['a group without a command', ['keys'], /^Usage: npm run cli -- keys <command>/],
    ['an unknown option', ['practices', 'list', '--all'], /^error: Unknown option '--all'.*\n\nUsage: npm run cli -- practices list/],
    ['a missing required option', ['practices', 'create'], /^error: missing --name\n\nUsage: npm run cli -- practices create --name NAME/],
    ['a value outside the choices', ['practices', 'create', '--name', 'P', '--mfa-policy', 'sometimes'], /^error: --mfa-policy must be one of off, risk, always\n/],
    ['an empty value', ['users', 'deactivate', '--email', ' '], /^error: --email must not be empty\n/],
    ['a string option without a value', ['users', 'activate', '--email'], /^error: Option '--email <value>' argument missing\n/],
    ['a positional argument', ['keys', 'list', 'extra'], /^error: Unexpected argument 'extra'.*\n\nUsage: npm run cli -- keys list/],
    ['a password on the command line', ['users', 'set-password', '--email', 'a@example.org', '--password', 'secret123456'], /^error: Unknown option '--password'/],
  ];
  for (const [what, argv, expected] of cases) {
    it(`exits 2 with the usage on ${what}`, async () => {
      const { code, stdout, stderr } = await run(argv);
      expect({ code, stdout }).to.deep.equal({ code: 2, stdout: '' });
      expect(stderr).to.match(expected);
    });
  }

  it('reports a configuration problem on stderr with exit code 1, without a stack trace', async () => {
    const { code, stderr } = await run(['practices', 'list']);
    expect(code).to.equal(1);
    expect(stderr).to.equal('error: Invalid configuration:\n  - MONGODB_URI: must start with mongodb:// or mongodb+srv://');
  });
});
