/**
 * Malformed wire messages sent over raw sockets: the store must drop only the offending connection,
 * say why in its log, and keep serving every other client.
 */
import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import type { EmbeddedStore } from '../../src/store/embedded/index.js';

const OP_MSG = 2013;
let nextRequestId = 1;

/** A 16-byte header (messageLength, requestID, responseTo, opCode) followed by `body`. */
function frame(opCode: number, body: Uint8Array, messageLength = 16 + body.length): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(messageLength, 0);
  header.writeInt32LE(nextRequestId++, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, body]);
}

/** OP_MSG body: flagBits 0, then one section of `kind` carrying `payload`. */
function opMsg(kind: number, payload: Uint8Array): Buffer {
  return frame(OP_MSG, Buffer.concat([Buffer.alloc(4), Buffer.from([kind]), payload]));
}

const malformed: { name: string; bytes: () => Buffer }[] = [
  { name: 'a messageLength smaller than the 16-byte header', bytes: () => frame(OP_MSG, Buffer.alloc(16), 8) },
  { name: 'a messageLength over 48 MB', bytes: () => frame(OP_MSG, Buffer.alloc(32), 64 * 1024 * 1024) },
  {
    name: 'an OP_MSG whose BSON document claims more bytes than the message holds',
    bytes: () => opMsg(0, serialize({ ping: 1, $db: 'admin' }).subarray(0, 10)),
  },
  { name: 'an unknown opcode', bytes: () => frame(4242, serialize({ ping: 1 })) },
  { name: 'an OP_MSG with an unknown section kind', bytes: () => opMsg(7, serialize({ ping: 1, $db: 'admin' })) },
];

describe('embedded store only: malformed wire messages close that connection, are logged, harm no one else', () => {
  const warnings: string[] = [];
  const logger = { info(): void {}, warn: (msg: string): void => void warnings.push(msg) };
  let store: EmbeddedStore;
  let client: MongoClient;

  before(async () => {
    const { startEmbeddedStore } = await import('../../src/store/embedded/index.js');
    store = await startEmbeddedStore({ logger });
    client = await new MongoClient(store.uriFor('bad_input')).connect();
    await client.db().collection('survivors').insertOne({ name: 'still here' });
  });
  after(async () => {
    await client?.close();
    await store?.close();
  });

  it('answers a well-formed OP_MSG ping on a raw socket (so the malformed cases differ only where intended)', async () => {
    const socket = await openSocket(store.port);
    try {
      socket.write(opMsg(0, serialize({ ping: 1, $db: 'admin' })));
      expect(await readOpMsgReply(socket)).to.include({ ok: 1 });
    } finally {
      socket.destroy();
    }
  });

  for (const message of malformed) {
    it(`closes the connection on ${message.name}, logs a reason, and serves other clients`, async () => {
      const warningsBefore = warnings.length;
      const socket = await openSocket(store.port);
      try {
        socket.write(message.bytes());
        expect(await closedWithin(socket, 3000), 'server closed the socket').to.equal(true);
      } finally {
        socket.destroy();
      }
      expect(warnings.length, 'a warning was logged').to.be.greaterThan(warningsBefore);
      await expectServes(client);
      const fresh = await new MongoClient(store.uriFor('bad_input')).connect();
      try {
        await expectServes(fresh);
      } finally {
        await fresh.close();
      }
    });
  }
});

async function expectServes(client: MongoClient): Promise<void> {
  expect(await client.db().command({ ping: 1 })).to.include({ ok: 1 });
  const docs = await client.db().collection('survivors').find({}, { projection: { _id: 0 } }).toArray();
  expect(docs).to.deep.equal([{ name: 'still here' }]);
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** True once the server ends or closes the socket; false if it is still open after `ms`. */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('end', done);
    socket.once('close', done);
    socket.on('error', () => {}); // a reset is also a close; 'close' follows it
    socket.resume(); // discard any error reply the server sends before closing
  });
}

/** Reads one reply frame: header, flagBits, section kind 0, one BSON document. */
function readOpMsgReply(socket: Socket): Promise<Document> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error('no reply within 3 s')), 3000);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      clearTimeout(timer);
      if (received.readInt32LE(12) !== OP_MSG || received[20] !== 0) reject(new Error('reply is not an OP_MSG kind-0'));
      else resolve(deserialize(received.subarray(21, received.readInt32LE(0))));
    });
  });
}
