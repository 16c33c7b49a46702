/**
 * The TTL monitor's ordered expiry queue against a plain sorted model, over a long random sequence
 * of sets (incl. changed expiries, which leave stale entries and trigger rebuilds), deletes and
 * due-takes with a limit: same documents, earliest first, each taken once.
 */
import { expect } from 'chai';
import { ExpiryQueue } from '../../src/store/embedded/expiry.js';

describe('embedded store: the expiry queue', () => {
  it('takes exactly the due documents, earliest first, through 20 000 random operations', () => {
    const queue = new ExpiryQueue();
    const model = new Map<string, number>();
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let taken = 0;
    for (let step = 0; step < 20_000; step++) {
      const id = `d${Math.floor(random() * 1000)}`;
      const roll = random();
      if (roll < 0.7) {
        const at = Math.floor(random() * 1e6);
        queue.set(id, at);
        model.set(id, at);
      } else if (roll < 0.9) {
        queue.delete(id);
        model.delete(id);
      } else {
        const now = Math.floor(random() * 1e6);
        const due = queue.takeDue(now, 50);
        const expected = [...model].filter(([, at]) => at < now).sort((a, b) => a[1] - b[1]).slice(0, 50);
        expect(due.map((key) => model.get(key)), `step ${step}`).to.deep.equal(expected.map(([, at]) => at));
        for (const key of due) model.delete(key);
        taken += due.length;
      }
    }
    expect(taken).to.be.greaterThan(1_000);
    expect(queue.size).to.equal(model.size);
  });
});
