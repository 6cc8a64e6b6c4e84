import { describe, expect, it } from 'vitest';
import { MatchBudget } from './match-budget.ts';

describe('MatchBudget', () => {
  it('gives its burst at once, then its rate, and says when a token is there', () => {
    const budget = new MatchBudget({ perSecond: 2, burst: 3 });
    for (let n = 0; n < 3; n++) expect(budget.take(0)).toBe(true);
    expect(budget.available(0)).toBe(false);
    expect(budget.take(0)).toBe(false);
    expect(budget.available(499)).toBe(false);
    expect(budget.available(500)).toBe(true);
    expect(budget.take(500)).toBe(true);
    expect(budget.take(500)).toBe(false);
    // Ten seconds later it is full again, not fuller.
    for (let n = 0; n < 3; n++) expect(budget.take(10_500)).toBe(true);
    expect(budget.take(10_500)).toBe(false);
  });

  it('keeps an exact rate over many small steps', () => {
    const budget = new MatchBudget({ perSecond: 10, burst: 1 });
    let taken = 0;
    for (let time = 0; time <= 10_000; time += 1) if (budget.take(time)) taken++;
    expect(taken).toBe(101);
  });

  it('says when it is whole again', () => {
    const budget = new MatchBudget({ perSecond: 1, burst: 2 });
    expect(budget.full(0)).toBe(true);
    budget.take(0);
    expect(budget.full(999)).toBe(false);
    expect(budget.full(1000)).toBe(true);
  });
});
