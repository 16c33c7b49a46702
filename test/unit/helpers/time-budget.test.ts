// The suite's time budget helper: a child that exits mid-runnable keeps the wait it had when last
// sampled, and the budget counts wall time less the CPU wait of the test and of its slowest child.
import { expect } from 'chai';
import { effectiveMs, latestWaits, overBudget, waitedNs } from '../../helpers/time-budget.js';

const me = `${process.pid}/${process.pid}`;

describe('test time budget', () => {
  it('keeps the last reading of a thread gone since (a child server that exited)', () => {
    const start = new Map([[me, 100]]);
    const during = new Map([[me, 200], ['999/999', 5_000_000_000]]);
    const end = new Map([[me, 300]]); // the child exited: its counters are gone
    const merged = latestWaits(during, end)!;
    expect(merged.get('999/999')).to.equal(5_000_000_000);
    expect(merged.get(me)).to.equal(300);
    expect(waitedNs(start, merged)).to.equal(200 + 5_000_000_000);
  });

  it('counts only the slowest child (their waits overlap) and never goes below zero', () => {
    const start = new Map([[me, 0]]);
    const end = new Map([[me, 1_000_000], ['1/1', 2_000_000], ['2/2', 3_000_000]]);
    expect(waitedNs(start, end)).to.equal(4_000_000);
    expect(effectiveMs(3, 4_000_000)).to.equal(0);
    expect(effectiveMs(10, undefined)).to.equal(10);
  });

  it('fails a runnable over one fifth of its timeout, and only then', () => {
    expect(overBudget(2_000, 10_000)).to.equal(undefined);
    expect(overBudget(2_001, 10_000)?.message).to.match(/over its budget of 2000 ms/);
    expect(overBudget(50_000, 0)).to.equal(undefined);
  });
});
