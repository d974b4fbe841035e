// Positions in a long timeline: the index an entry has, the month and offset the core's slice takes,
// and where a typed date lands, from an outline of month counts.
import { describe, expect, it } from 'vitest';
import type { MonthCount } from '../lib/bindings';
import { firstIndexes, indexAt, locate, monthOf } from '../lib/outline';

const month = (key: string, lo: number, hi: number, count: number): MonthCount => ({
  group: { key, year: Number(key.slice(0, 4)), month_en: key, month_fr: key },
  count,
  lo,
  hi,
});

// Three months with 3, 1 and 5 entries: entries 0-2, 3, 4-8.
const months = [month('2011-01', 100, 200, 3), month('2011-03', 300, 400, 1), month('2012-07', 900, 1000, 5)];
const firsts = firstIndexes(months);

describe('outline positions', () => {
  it('numbers each month from the entries before it', () => {
    expect(firsts).toEqual([0, 3, 4]);
  });

  it('finds the month of every entry, and the offset the slice skips', () => {
    const seen = Array.from({ length: 9 }, (_, i) => monthOf(firsts, i));
    expect(seen).toEqual([0, 0, 0, 1, 2, 2, 2, 2, 2]);
    expect(locate(months, firsts, 0)).toEqual({ from: 100, skip: 0 });
    expect(locate(months, firsts, 2)).toEqual({ from: 100, skip: 2 });
    expect(locate(months, firsts, 3)).toEqual({ from: 300, skip: 0 });
    expect(locate(months, firsts, 7)).toEqual({ from: 900, skip: 3 });
  });

  it('lands a date on the first entry of its month, or of the next month that has one', () => {
    expect(indexAt(months, firsts, 0)).toBe(0);
    expect(indexAt(months, firsts, 150)).toBe(0);
    expect(indexAt(months, firsts, 250)).toBe(3);
    expect(indexAt(months, firsts, 400)).toBe(4);
    expect(indexAt(months, firsts, 5000)).toBe(8);
    expect(indexAt([], [], 5000)).toBe(0);
  });
});
