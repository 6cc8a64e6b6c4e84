import { describe, expect, it } from 'vitest';
import { FairMatchBudget } from './fair-match-budget.ts';

describe('FairMatchBudget', () => {
  it('lets one registrant take only its share, and leaves the rest to the others', () => {
    const budget = new FairMatchBudget({ perSecond: 1, burst: 10 }, { perSecond: 0.25, burst: 3 });
    let flooder = 0;
    for (let n = 0; n < 1000; n++) if (budget.take('flooder', 0)) flooder++;
    expect(flooder).toBe(3);
    expect(budget.available(0)).toBe(true);
    expect(budget.availableTo('flooder', 0)).toBe(false);
    // Others still get the other seven of the burst, three each at most.
    expect(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'].map((peer) => budget.take(peer, 0))).toEqual([
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(budget.available(0)).toBe(false);
    expect(budget.take('d', 0)).toBe(false);
  });

  it('refills a share at its own rate, within the target’s', () => {
    const budget = new FairMatchBudget({ perSecond: 1, burst: 10 }, { perSecond: 0.25, burst: 3 });
    let taken = 0;
    // A flood at every millisecond for a minute: the burst, then one every four seconds.
    for (let time = 0; time <= 60_000; time++) if (budget.take('flooder', time)) taken++;
    expect(taken).toBe(3 + 15);
    // Meanwhile the target kept most of its rate for someone else.
    expect(budget.availableTo('honest', 60_000)).toBe(true);
  });

  it('takes both tokens or neither', () => {
    const budget = new FairMatchBudget({ perSecond: 1, burst: 2 }, { perSecond: 1, burst: 5 });
    expect(budget.take('a', 0)).toBe(true);
    expect(budget.take('b', 0)).toBe(true);
    // The target is spent: a's share is not charged for the refusal.
    expect(budget.take('a', 0)).toBe(false);
    expect(budget.take('a', 1000)).toBe(true);
    expect(budget.take('a', 2000)).toBe(true);
    expect(budget.take('a', 3000)).toBe(true);
  });

  it('keeps a bounded number of registrants, forgetting only those whose share is whole again', () => {
    const budget = new FairMatchBudget({ perSecond: 1, burst: 10 }, { perSecond: 0.25, burst: 3 });
    // At most 10 + 1 * 12 registrants can be admitted within one refill of a share (12 s); 23 are kept.
    let admitted = 0;
    for (let time = 0; time < 600_000; time += 100) {
      if (budget.take(`peer${time}`, time)) admitted++;
      expect(budget.tracked()).toBeLessThanOrEqual(23);
    }
    expect(admitted).toBeGreaterThan(500);
  });

  it('never forgets a spent share early, however many registrants pass meanwhile', () => {
    // A share refills in 100 s; meanwhile the target admits at most 2 + 100 registrants, and that many are kept.
    const budget = new FairMatchBudget({ perSecond: 1, burst: 2 }, { perSecond: 0.01, burst: 1 });
    expect(budget.take('flooder', 0)).toBe(true);
    for (let time = 1000; time < 100_000; time += 1000) {
      expect(budget.take(`other${time}`, time)).toBe(true);
      expect(budget.availableTo('flooder', time)).toBe(false);
    }
    expect(budget.tracked()).toBe(100);
    expect(budget.available(99_999)).toBe(true);
    expect(budget.availableTo('flooder', 99_999)).toBe(false);
    expect(budget.take('flooder', 100_000)).toBe(true);
  });
});
