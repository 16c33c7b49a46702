/**
 * Durability of the embedded store's data directory (journal, snapshot, lock). A real MongoDB's
 * durability is mongod's business, so this always runs the embedded store, even when MONGODB_URI is set.
 */
import { expect } from 'chai';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { ChildStore } from './child-store.js';

interface Keyed { _id: string; [field: string]: unknown }

describe('embedded store durability (embedded only: a real MongoDB\'s durability is mongod\'s business)', function () {
  // Each test starts the store as a child process two or three times (about 0.35 s of CPU each) and
  // kills it: up to 6 s on an idle 2-core machine, so 60 s keeps it five times under (README "Tests").
  this.timeout(60_000);
  let dataDir: string;
  const running: ChildStore[] = [];
  const clients: MongoClient[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-store-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close(true)));
    await Promise.all(running.splice(0).map((child) => child.kill()));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<{ child: ChildStore; client: MongoClient; accounts: Collection }> {
    const child = await ChildStore.start(dataDir);
    running.push(child);
    const client = await new MongoClient(child.uri, { serverSelectionTimeoutMS: 5000 }).connect();
    clients.push(client);
    return { child, client, accounts: client.db('durable').collection('accounts') };
  }

  async function crash(child: ChildStore): Promise<void> {
    await child.kill();
    running.splice(running.indexOf(child), 1);
  }

  async function sorted(accounts: Collection): Promise<Document[]> {
    return accounts.find({}, { projection: { _id: 0 }, sort: { i: 1 } }).toArray();
  }

  it('keeps every acknowledged write after SIGKILL right after the last ack', async () => {
    const first = await start();
    await first.accounts.createIndex({ email: 1 }, { unique: true });
    const N = 120;
    // Half sequential, half in parallel: concurrent acks must be as durable as lone ones.
    for (let i = 0; i < N / 2; i++) await first.accounts.insertOne({ i, email: `u${i}@x.test`, n: 0 });
    await Promise.all(Array.from({ length: N / 2 }, (_, k) =>
      first.accounts.insertOne({ i: N / 2 + k, email: `u${N / 2 + k}@x.test`, n: 0 })));
    await Promise.all(Array.from({ length: N }, (_, i) => first.accounts.updateOne({ i }, { $inc: { n: i } })));
    for (let i = 0; i < N; i += 10) await first.accounts.deleteOne({ i });
    await first.accounts.updateOne({ i: 1 }, { $inc: { n: 1000 } });
    await crash(first.child);

    const second = await start();
    const expected = Array.from({ length: N }, (_, i) => ({ i, email: `u${i}@x.test`, n: i === 1 ? 1001 : i }))
      .filter(({ i }) => i % 10 !== 0);
    expect(await sorted(second.accounts)).to.deep.equal(expected);
    const duplicate = await second.accounts.insertOne({ i: -1, email: 'u1@x.test' }).catch((error: unknown) => error);
    expect(duplicate).to.have.property('code', 11000);
    // A deleted document's key is free again, and stays deleted.
    await second.accounts.insertOne({ i: -2, email: 'u0@x.test' });
    expect(await second.accounts.countDocuments({ i: 0 })).to.equal(0);
  });

  it('keeps every kind of acknowledged change (types, upserts, index options, drops) after SIGKILL', async () => {
    const first = await start();
    const db = first.accounts.db;
    const kinds = db.collection<Keyed>('kinds');
    const typed = {
      _id: 'typed', at: new Date('2024-02-29T12:34:56.789Z'), ref: new ObjectId(), bytes: new Binary(Buffer.from([0, 10, 255])),
      text: 'line1\nline2 \u2028 \u00e9 \u2713', nested: { list: [1, { a: 2 }], empty: {} }, float: 1.5, big: 2 ** 40, nil: null,
    };
    await kinds.insertOne(typed);
    await kinds.replaceOne({ _id: 'r' }, { v: 2 }, { upsert: true });
    await kinds.replaceOne({ _id: 'r' }, { v: 3 });
    await kinds.findOneAndUpdate({ _id: 'f' }, { $set: { t: [1] } }, { upsert: true });
    await kinds.updateMany({}, { $set: { batch: true } });
    await kinds.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await kinds.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 3600 });
    await kinds.createIndex({ tmp: 1 });
    await kinds.dropIndex('tmp_1');
    await db.collection('doomed').insertOne({ x: 1 });
    await db.collection('doomed').drop();
    await crash(first.child);

    const second = await start();
    const again = second.accounts.db.collection<Keyed>('kinds');
    expect(await again.find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal([
      { _id: 'f', t: [1], batch: true }, { _id: 'r', v: 3, batch: true }, { ...typed, batch: true },
    ]);
    const indexes = (await again.listIndexes().toArray()).map(({ v, ...index }) => index);
    expect(indexes).to.deep.equal([
      { key: { _id: 1 }, name: '_id_' },
      { key: { phone: 1 }, name: 'phone_1', unique: true, sparse: true },
      { key: { expiresAt: 1 }, name: 'expiresAt_1', expireAfterSeconds: 3600 },
    ]);
    const names = (await second.accounts.db.listCollections().toArray()).map((c) => c.name);
    expect(names).to.not.include('doomed');
  });

  it('loses no acknowledged write when SIGKILLed with writes still in flight, and restarts cleanly', async () => {
    const first = await start();
    const acked: number[] = [];
    const writes = Array.from({ length: 600 }, (_, i) =>
      first.accounts.insertOne({ i }).then(() => void acked.push(i), () => undefined));
    while (acked.length < 150) await new Promise((resolve) => setTimeout(resolve, 1));
    await crash(first.child);
    const ackedAtKill = [...acked];
    await first.client.close(true); // fail the writes still waiting instead of waiting for server selection
    await Promise.all(writes);

    const second = await start();
    const stored = new Set((await second.accounts.find({}).toArray()).map((doc) => doc.i as number));
    expect(ackedAtKill.filter((i) => !stored.has(i)), 'acknowledged but lost').to.deep.equal([]);
    await second.accounts.insertOne({ i: 'after-restart' });
    expect(await second.accounts.countDocuments({ i: 'after-restart' })).to.equal(1);
  });

  it('keeps a damaged last journal record aside in a file, logs an error naming its byte offset and says what was lost', async () => {
    const first = await start();
    await first.accounts.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    await first.accounts.updateOne({ i: 3 }, { $set: { touched: true } });
    expect(await first.child.stop()).to.equal(0);
    running.splice(0);

    const journal = join(dataDir, 'journal.ejson');
    const offset = (await stat(journal)).size;
    const torn = Buffer.concat([Buffer.from('{"op":"put","ns":"durable.accounts","doc":{"i":'), Buffer.from([0xff, 0x00, 0x13, 0x37, 0xfe])]);
    await appendFile(journal, torn);

    const second = await start();
    const expected = Array.from({ length: 20 }, (_, i) => (i === 3 ? { i, touched: true } : { i }));
    expect(await sorted(second.accounts)).to.deep.equal(expected);
    expect(second.child.output).to.match(/ERROR: .*journal\.ejson: the last record \(\d+ bytes at byte offset (\d+)\) is torn or corrupt and was NOT applied; it looks like a 'put' on durable\.accounts\. If that write was acknowledged before the crash, it is lost\./);
    expect(/at byte offset (\d+)/.exec(second.child.output)?.[1]).to.equal(String(offset));
    const aside = (await readdir(dataDir)).filter((name) => name.startsWith(`journal.ejson.damaged-at-${offset}-`));
    expect(aside, 'the kept-aside file').to.have.length(1);
    expect(await readFile(join(dataDir, aside[0]!))).to.deep.equal(torn);
    expect(second.child.output).to.contain(aside[0]);

    // Writes after the recovery must not be glued onto the discarded garbage.
    await second.accounts.insertOne({ i: 20 });
    await crash(second.child);
    const third = await start();
    expect(await sorted(third.accounts)).to.deep.equal([...expected, { i: 20 }]);
    expect(third.child.output).to.not.match(/torn or corrupt/);
  });

  it('refuses to start when a record before the last is damaged, with instructions that work when followed', async () => {
    const first = await start();
    for (let i = 0; i < 5; i++) await first.accounts.insertOne({ i });
    expect(await first.child.stop()).to.equal(0);
    running.splice(0);

    const journal = join(dataDir, 'journal.ejson');
    const lines = (await readFile(journal, 'utf8')).split('\n');
    const damaged = lines.findIndex((line) => line.includes('"i":{"$numberInt":"2"}'));
    expect(damaged).to.be.greaterThan(0);
    const offset = Buffer.byteLength(lines.slice(0, damaged).map((line) => `${line}\n`).join(''));
    lines[damaged] = `${lines[damaged]!.slice(0, 25)}\u0000garbage`;
    await writeFile(journal, lines.join('\n'));

    const refused = await ChildStore.start(dataDir).then(() => null, (error: Error) => error);
    expect(refused, 'start refused').to.be.instanceOf(Error);
    expect(refused!.message).to.contain(`journal.ejson is damaged at byte offset ${offset} (record ${damaged + 1}), before its last record: refusing to start`);
    expect(refused!.message).to.contain('restore the data directory from a backup');
    const sed = /`sed -i '(\d+)d' ([^`]+)`/.exec(refused!.message);
    expect(sed?.[2]).to.equal(journal);

    // Following the second instruction: drop that line, start, and everything else is there.
    const kept = lines.filter((_, index) => index !== Number(sed![1]) - 1);
    await writeFile(journal, kept.join('\n'));
    const second = await start();
    expect((await sorted(second.accounts)).map((doc) => doc.i)).to.deep.equal([0, 1, 3, 4]);
  });

  it('refuses a second store on a data directory that is in use, naming the directory', async () => {
    const first = await start();
    const { startEmbeddedStore } = await import('../../src/store/embedded/index.js');
    const quiet = { info(): void {}, warn(): void {} };
    const error = await startEmbeddedStore({ dataDir, logger: quiet }).then(
      async (store): Promise<Error | null> => { await store.close(); return null; },
      (failure: unknown) => failure as Error,
    );
    expect(error, 'second store refused').to.be.instanceOf(Error);
    expect(error!.message).to.include(dataDir);
    // The owner is unharmed, and once it stops the directory can be opened again.
    expect(await first.accounts.countDocuments()).to.equal(0);
    await first.child.stop();
    running.splice(0);
    const again = await startEmbeddedStore({ dataDir, logger: quiet });
    await again.close();
  });

  it('compacts a large journal into a snapshot and restarts with everything intact', async () => {
    const first = await start();
    const total = 12_000;
    const batch = 1_000;
    for (let from = 0; from < total; from += batch) {
      await first.accounts.insertMany(Array.from({ length: batch }, (_, k) => ({ i: from + k, pad: 'x'.repeat(100) })));
    }
    await first.accounts.updateMany({ i: { $lt: 100 } }, { $set: { early: true } });
    await first.accounts.deleteMany({ i: { $gte: total - 100 } });
    await crash(first.child);
    const files = await readdir(dataDir);
    expect(files.some((name) => name.includes('snapshot')), `snapshot among ${String(files)}`).to.equal(true);

    const second = await start();
    expect(await second.accounts.countDocuments()).to.equal(total - 100);
    expect(await second.accounts.countDocuments({ early: true })).to.equal(100);
    const last = await second.accounts.find({}, { projection: { _id: 0, pad: 0 } }).sort({ i: -1 }).limit(1).toArray();
    expect(last).to.deep.equal([{ i: total - 101 }]);
  });
});
