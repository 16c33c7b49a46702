import { expect } from 'chai';
import { withDatabase } from '../helpers/store.js';

describe('storeUnderTest: pointing MONGODB_URI at a fresh database', () => {
  const cases: [given: string, expected: string][] = [
    ['mongodb://localhost:27017', 'mongodb://localhost:27017/fresh'],
    ['mongodb://localhost:27017/', 'mongodb://localhost:27017/fresh'],
    ['mongodb://h1:1,h2:2/app?replicaSet=rs', 'mongodb://h1:1,h2:2/fresh?replicaSet=rs'],
    // With credentials the old path was the authSource: keep authenticating there.
    ['mongodb://u:p@h/app', 'mongodb://u:p@h/fresh?authSource=app'],
    ['mongodb://u:p@h', 'mongodb://u:p@h/fresh?authSource=admin'],
    ['mongodb://u:p@h/app?authSource=other', 'mongodb://u:p@h/fresh?authSource=other'],
    ['mongodb+srv://u:p@db.example/app?retryWrites=true', 'mongodb+srv://u:p@db.example/fresh?retryWrites=true&authSource=app'],
  ];
  for (const [given, expected] of cases) {
    it(`${given} -> ${expected}`, () => expect(withDatabase(given, 'fresh')).to.equal(expected));
  }

  it('refuses a URI that is not mongodb:// or mongodb+srv://', () => {
    expect(() => withDatabase('http://localhost:27017/app', 'fresh')).to.throw(/MONGODB_URI/);
  });
});
