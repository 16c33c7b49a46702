/**
 * Mocha hooks for a conformance file: one store and one driver client for the whole file, closed after.
 * Each test uses its own collection name, so tests never see each other's documents.
 */
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';

export interface Connected {
  store: StoreUnderTest;
  client: MongoClient;
  db: Db;
}

export function connectToStoreUnderTest(clientOptions: MongoClientOptions = {}): Connected {
  const connected = {} as Connected;
  before(async () => {
    connected.store = await storeUnderTest();
    connected.client = await new MongoClient(connected.store.uri, clientOptions).connect();
    connected.db = connected.client.db();
  });
  after(async () => {
    await connected.client?.close();
    await connected.store?.close();
  });
  return connected;
}

/** A driver error: its fields are whatever the server sent, read by name in the tests. */
// biome-ignore lint/suspicious/noExplicitAny: the server decides the fields (writeErrors, keyValue…)
type DriverError = Error & Record<string, any>;

/** Runs `action`, which must fail; returns the error so the test can check its code and fields. */
export async function rejection(action: () => Promise<unknown>): Promise<DriverError> {
  try {
    await action();
  } catch (error) {
    return error as DriverError;
  }
  throw new Error('expected the operation to be refused, but it succeeded');
}
