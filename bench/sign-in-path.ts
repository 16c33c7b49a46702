/**
 * What one password sign-in and one silent SSO authorization cost, independent of machine load:
 * the store commands they send (driver command monitoring, one flow at a time, so every command in
 * the window belongs to it), CPU per flow (process.cpuUsage over a sequential loop: driver, server,
 * embedded store and argon2's thread pool, all in this process), the argon2 verification's own CPU
 * (measured alone) and the rest, the audit entries written, and how long audit appends wait in the
 * per-process queue when `CONCURRENCY` sign-ins run at once. Not a test.
 *   npx tsx bench/sign-in-path.ts [sign-ins = 40] [concurrency = 8]
 * SIGN_IN_PROF=file.cpuprofile profiles the sequential sign-ins only (summarise with profile-summary.ts).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import argon2 from 'argon2';
import type { CommandStartedEvent, CommandSucceededEvent } from 'mongodb';
import { loadConfig } from '../src/config/index.js';
import { Browser } from '../test/helpers/browser.js';
import { startMailCatcher } from '../test/helpers/mail-catcher.js';
import { finishAt, passwordStep, submitCode } from '../test/helpers/mfa.js';
import { relyingParty, signIn } from '../test/helpers/rp.js';
import { startServer } from '../test/helpers/server.js';
import { storeUnderTest } from '../test/helpers/store.js';
import { BENCH_CLIENT, BENCH_PASSWORD, BENCH_REDIRECT } from './fixtures.js';
import { issueCode } from './flows.js';
import { round } from './load.js';
import { describeCommand } from './commands.js';

const SIGN_INS = Number(process.argv[2] ?? 40);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const USERS = Math.max(CONCURRENCY, 1);
const cpuMicros = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

/** CPU of one argon2id verification at the configured parameters, alone (thread pool included). */
async function argon2VerifyMicros(count: number): Promise<number> {
  const { memoryKiB, timeCost, parallelism } = loadConfig({ env: { NODE_ENV: 'test' } }).argon2;
  const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: memoryKiB, timeCost, parallelism });
  await argon2.verify(hash, BENCH_PASSWORD);
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await argon2.verify(hash, BENCH_PASSWORD);
  return cpuMicros(before) / count;
}

const store = await storeUnderTest();
const mail = await startMailCatcher();
const server = await startServer({ store: { ...store, uri: `${store.uri}${store.uri.includes('?') ? '&' : '?'}monitorCommands=true` }, env: mail.env() });
try {
  const practice = await server.createPractice({ name: 'Sign-in path', mfaPolicy: 'off' });
  const emails: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const user = await server.createUser({ email: `sign-in-path${i}@bench.test`, password: BENCH_PASSWORD, practiceId: practice._id });
    emails.push(user.email);
  }
  await server.createClient({ clientId: BENCH_CLIENT, authMethod: 'none', firstParty: true, redirectUris: [BENCH_REDIRECT] });
  const rp = await relyingParty(server, BENCH_CLIENT, undefined, BENCH_REDIRECT);
  const passwordSignIn = (i: number) => signIn(new Browser(), rp, emails[i % USERS]!, BENCH_PASSWORD);
  const ssoBrowser = new Browser();
  await signIn(ssoBrowser, rp, emails[0]!, BENCH_PASSWORD);
  const silentAuthorize = () => issueCode(ssoBrowser, rp);
  // A session that holds two-step sign-in (a practice in mode `always`, the code by email).
  const always = await server.createPractice({ name: 'Sign-in path, two-step', mfaPolicy: 'always' });
  const twoStep = await server.createUser({ email: 'sign-in-path-mfa@bench.test', password: BENCH_PASSWORD, practiceId: always._id });
  const mfaBrowser = new Browser();
  const attempt = await passwordStep(mfaBrowser, rp, twoStep.email, BENCH_PASSWORD);
  const { code } = await mail.nextTo(twoStep.email, 10_000);
  await finishAt(mfaBrowser, attempt, rp, await mfaBrowser.follow(await submitCode(mfaBrowser, attempt.page, code!), rp.redirectUri));
  const mfaSilentAuthorize = () => issueCode(mfaBrowser, rp);

  const client = server.connection.getClient();
  let log: string[] | undefined;
  const started = new Map<number, number>();
  let auditInsertMs = 0;
  client.on('commandStarted', (event: CommandStartedEvent) => {
    log?.push(describeCommand(event));
    if (event.commandName === 'insert' && (event.command as { insert?: string }).insert === 'audit_entries') started.set(event.requestId, performance.now());
  });
  client.on('commandSucceeded', (event: CommandSucceededEvent) => {
    const t0 = started.get(event.requestId);
    if (t0 !== undefined) {
      auditInsertMs += performance.now() - t0;
      started.delete(event.requestId);
    }
  });
  // Each HTTP request of the flow (the browser's and the app's) marks where its commands start.
  const REQUEST = '→ ';
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    log?.push(`${REQUEST}${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`);
    return realFetch(input, init);
  }) as typeof fetch;
  let perRequest: string[] = [];
  const commandsOf = async (run: () => Promise<unknown>) => {
    await run(); // warm-up
    log = [];
    await run();
    perRequest = log;
    log = undefined;
    return perRequest.filter((line) => !line.startsWith(REQUEST));
  };
  const grouped = (list: string[]) => {
    const counts = new Map<string, number>();
    for (const line of list) counts.set(line, (counts.get(line) ?? 0) + 1);
    return [...counts].map(([command, n]) => (n > 1 ? `${n}× ${command}` : command));
  };
  const signInCommands = await commandsOf(() => passwordSignIn(0));
  const signInByRequest = perRequest;
  const ssoCommands = await commandsOf(silentAuthorize);
  const mfaSsoCommands = await commandsOf(mfaSilentAuthorize);

  // CPU per flow, one at a time.
  const argonMicros = await argon2VerifyMicros(Math.max(10, Math.round(SIGN_INS / 2)));
  const profiler = process.env.SIGN_IN_PROF ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  let before = process.cpuUsage();
  for (let i = 0; i < SIGN_INS; i++) await passwordSignIn(i);
  const signInMicros = cpuMicros(before) / SIGN_INS;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.SIGN_IN_PROF!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const ssoCount = SIGN_INS * 5;
  before = process.cpuUsage();
  for (let i = 0; i < ssoCount; i++) await silentAuthorize();
  const ssoMicros = cpuMicros(before) / ssoCount;
  before = process.cpuUsage();
  for (let i = 0; i < ssoCount; i++) await mfaSilentAuthorize();
  const mfaSsoMicros = cpuMicros(before) / ssoCount;

  // The audit queue under CONCURRENCY sign-ins at once: time in record() beyond the insert itself.
  const audit = server.idp.audit;
  const record = audit.record.bind(audit);
  let recordMs = 0;
  let records = 0;
  audit.record = async (input) => {
    const t0 = performance.now();
    try {
      return await record(input);
    } finally {
      recordMs += performance.now() - t0;
      records++;
    }
  };
  auditInsertMs = 0;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < SIGN_INS) await passwordSignIn(next++);
  }));
  const wallMs = performance.now() - t0;
  audit.record = record;

  const auditWrites = signInCommands.filter((line) => line.startsWith('insert audit_entries')).length;
  const result = {
    signIns: SIGN_INS,
    passwordSignIn: {
      storeCommands: signInCommands.length,
      auditWrites,
      cpuMs: round(signInMicros / 1000, 2),
      argon2VerifyCpuMs: round(argonMicros / 1000, 2),
      restCpuMs: round((signInMicros - argonMicros) / 1000, 2),
    },
    silentAuthorize: { storeCommands: ssoCommands.length, cpuMs: round(ssoMicros / 1000, 2) },
    silentAuthorizeTwoStep: { storeCommands: mfaSsoCommands.length, cpuMs: round(mfaSsoMicros / 1000, 2) },
    auditQueue: {
      concurrency: CONCURRENCY,
      signInsPerSecondInProcess: round(SIGN_INS / (wallMs / 1000), 1),
      records,
      meanRecordMs: round(recordMs / records, 2),
      meanInsertMs: round(auditInsertMs / records, 2),
      meanQueueWaitMs: round((recordMs - auditInsertMs) / records, 2),
      queueBusyShare: round(auditInsertMs / wallMs, 2),
    },
  };
  console.log(`node ${process.version}; driver, server, store and argon2 in this process; ${SIGN_INS} sign-ins, ${ssoCount} silent authorizations`);
  console.table({
    'password sign-in (authorize → password → code → token)': { 'store commands': result.passwordSignIn.storeCommands, 'CPU ms': result.passwordSignIn.cpuMs },
    '  of which argon2id verify (measured alone)': { 'store commands': 0, 'CPU ms': result.passwordSignIn.argon2VerifyCpuMs },
    '  the rest (driver + server + store)': { 'store commands': result.passwordSignIn.storeCommands, 'CPU ms': result.passwordSignIn.restCpuMs },
    'silent SSO authorize (code issued)': { 'store commands': result.silentAuthorize.storeCommands, 'CPU ms': result.silentAuthorize.cpuMs },
    '  the same, two-step session': { 'store commands': result.silentAuthorizeTwoStep.storeCommands, 'CPU ms': result.silentAuthorizeTwoStep.cpuMs },
  });
  console.log(`audit entries per sign-in: ${auditWrites}; with ${CONCURRENCY} at once:`, result.auditQueue);
  console.log(`\npassword sign-in: ${signInCommands.length} store commands, per request\n  ${signInByRequest.join('\n  ')}`);
  console.log(`\nsilent authorize: ${ssoCommands.length} store commands\n  ${grouped(ssoCommands).join('\n  ')}`);
  console.log(`\nsilent authorize, two-step session: ${mfaSsoCommands.length} store commands\n  ${grouped(mfaSsoCommands).join('\n  ')}`);
  console.log(`\nJSON ${JSON.stringify({ ...result, signInCommands, ssoCommands, mfaSsoCommands })}`);
} finally {
  await server.close();
  await store.close();
  await mail.stop();
}
