// One argon2id hash at the configured parameters, for `argon2` (what the provider uses) and
// `@node-rs/argon2`, side by side; each one's PHC string must verify with the other.
import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import { hash as rsHash, verify as rsVerify } from '@node-rs/argon2';
import type { Argon2Params } from '../src/accounts/password.js';
import { round } from './load.js';

/** @node-rs/argon2's `Algorithm.Argon2id` (a const enum, not importable under isolatedModules). */
const RS_ARGON2ID = 2;

export interface Argon2Result {
  params: Argon2Params;
  hashes: number;
  argon2Ms: number;
  nodeRsMs: number;
  /** argon2 time / @node-rs/argon2 time: above 1 means @node-rs/argon2 is faster. */
  ratio: number;
  crossVerifies: boolean;
  /** CPU (process counters: the thread pool included) of one `argon2.verify`, as a sign-in pays it. */
  verifyCpuMs: number;
  /** Sign-ins per second no server can beat on this machine: cores / one hash (verify costs one hash). */
  ceilingPerSecond: number;
  cores: number;
}

export async function measureArgon2(params: Argon2Params, hashes: number): Promise<Argon2Result> {
  const password = 'correct horse battery staple';
  const nodeOptions = { type: argon2.argon2id, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism };
  const rsOptions = { algorithm: RS_ARGON2ID, memoryCost: params.memoryKiB, timeCost: params.timeCost, parallelism: params.parallelism };
  const time = async (fn: () => Promise<string>) => {
    await fn(); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < hashes; i++) await fn();
    return (performance.now() - t0) / hashes;
  };
  const argon2Ms = await time(() => argon2.hash(password, nodeOptions));
  const nodeRsMs = await time(() => rsHash(password, rsOptions));
  const fromNode = await argon2.hash(password, nodeOptions);
  const fromRs = await rsHash(password, rsOptions);
  const crossVerifies = (await rsVerify(fromNode, password)) && (await argon2.verify(fromRs, password))
    && !(await rsVerify(fromNode, 'wrong')) && !(await argon2.verify(fromRs, 'wrong'));
  const verifyCpuMs = await cpuPerCall(() => argon2.verify(fromNode, password), hashes);
  const cores = availableParallelism();
  return {
    params, hashes, cores, crossVerifies,
    argon2Ms: round(argon2Ms, 1),
    verifyCpuMs: round(verifyCpuMs, 1),
    nodeRsMs: round(nodeRsMs, 1),
    ratio: round(argon2Ms / nodeRsMs, 2),
    ceilingPerSecond: round((cores * 1000) / argon2Ms, 1),
  };
}

/** Mean CPU time (user + system, every thread of this process) of `fn`, one call at a time. */
async function cpuPerCall(fn: () => Promise<unknown>, calls: number): Promise<number> {
  await fn();
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / calls;
}
