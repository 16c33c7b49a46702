// Which failures are a store outage (503 "try again") and which are not, and the driver timeouts
// a MONGODB_URI may override. (Tables of cases; the outage itself is store-outage.test.ts.)
import { expect } from 'chai';
import { appError, StoreUnavailableError, storeOutage, toAppError } from '../../../src/errors.js';
import { STORE_TIMEOUTS, timeoutsNotIn } from '../../../src/store/connection.js';

const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error('detail'), { name }, extra);

describe('faults: store errors and timeouts', () => {
  const outages: [string, unknown][] = [
    ['server selection', named('MongoServerSelectionError')],
    ['network', named('MongoNetworkError')],
    ['network timeout', named('MongoNetworkTimeoutError')],
    ['not connected', named('MongoNotConnectedError')],
    ['topology closed', named('MongoTopologyClosedError')],
    ['pool cleared', named('MongoPoolClearedError')],
    ['initial connection', named('MongooseServerSelectionError')],
    ['socket the store closed', Object.assign(new Error('This socket has been ended by the other party'), { code: 'EPIPE' })],
    ['wrapped as a cause', appError('interaction_expired', { detail: 'interaction not found or expired', cause: named('MongoNetworkError') })],
  ];
  for (const [label, err] of outages) {
    it(`maps ${label} to 503 temporarily_unavailable`, () => {
      const mapped = toAppError(err);
      expect(mapped).to.be.instanceOf(StoreUnavailableError);
      expect(mapped).to.include({ status: 503, code: 'temporarily_unavailable', expose: true });
      expect(mapped.userMessage).to.equal('This service is temporarily unavailable. Please wait a moment and try again.');
    });
  }

  const others: [string, unknown, number][] = [
    ['a duplicate key', named('MongoServerError', { code: 11000 }), 500],
    ['a plain bug', new TypeError('x is undefined'), 500],
    ['an expired interaction', appError('interaction_expired', { detail: 'expired' }), 400],
    ['a string', 'nope', 500],
  ];
  for (const [label, err, status] of others) {
    it(`does not take ${label} for an outage`, () => {
      expect(storeOutage(err)).to.equal(undefined);
      expect(toAppError(err).status).to.equal(status);
    });
  }

  const uris: [string, Partial<typeof STORE_TIMEOUTS>][] = [
    ['mongodb://db:27017/idp', STORE_TIMEOUTS],
    ['mongodb://db:27017/idp?replicaSet=rs0&serverSelectionTimeoutMS=20000', { connectTimeoutMS: 5_000, socketTimeoutMS: 15_000 }],
    ['mongodb://db/idp?SOCKETTIMEOUTMS=0&connecttimeoutms=1000', { serverSelectionTimeoutMS: 5_000 }],
  ];
  for (const [uri, expected] of uris) {
    it(`timeouts for ${uri}`, () => expect(timeoutsNotIn(uri)).to.deep.equal(expected));
  }
});
