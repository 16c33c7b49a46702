/**
 * Connection-level commands: the hello/ismaster handshake (a standalone: no setName, so the
 * driver never attempts transactions), ping, buildInfo and endSessions. Values follow
 * notes/mongodb-wire.md; compression is never offered.
 */
import type { Handler } from './context.js';

const hello: Handler = (_cmd, ctx) => ({
  helloOk: true,
  ismaster: true,
  isWritablePrimary: true,
  maxBsonObjectSize: 16 * 1024 * 1024,
  maxMessageSizeBytes: 48_000_000,
  // mongod says 100,000; a smaller batch makes the driver split a big insertMany into commands
  // whose BSON (encoded and decoded on this same event loop) takes a few ms each, not ~1 s.
  maxWriteBatchSize: 1_000,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: 30,
  connectionId: ctx.connectionId,
  minWireVersion: 0,
  maxWireVersion: 21,
  readOnly: false,
  ok: 1,
});

const buildInfo: Handler = () => ({
  version: '7.0.0',
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  ok: 1,
});

export const handshakeCommands: Record<string, Handler> = {
  hello,
  ismaster: hello,
  isMaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  endSessions: () => ({ ok: 1 }),
};
