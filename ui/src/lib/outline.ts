// Positions in a long timeline, from the outline the core sends (how many entries each month holds):
// which month entry N falls in and how far into it, and which entry a date falls on. The list asks the
// core for a slice at a month's start plus an offset, so it can show any position without reading what
// lies before it.
import type { MonthCount } from './bindings';

/** The index of each month's first entry, and the total. */
export function firstIndexes(months: MonthCount[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const m of months) {
    out.push(at);
    at += m.count;
  }
  return out;
}

/** The month holding entry `index` (the last month for an index past the end). */
export function monthOf(firsts: number[], index: number): number {
  let lo = 0;
  let hi = firsts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (firsts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Where entry `index` is, as the core's slice takes it: the start of its month and the entries to skip. */
export function locate(months: MonthCount[], firsts: number[], index: number): { from: number; skip: number } {
  const m = monthOf(firsts, index);
  return { from: months[m].lo, skip: index - firsts[m] };
}

/**
 * The first entry filed at or after `at` (Unix seconds): the first entry of the first month that ends
 * after it. Past the last month, the last entry.
 */
export function indexAt(months: MonthCount[], firsts: number[], at: number): number {
  const m = months.findIndex((month) => month.hi > at);
  if (m === -1) return Math.max(0, firsts.length ? firsts[firsts.length - 1] + months[months.length - 1].count - 1 : 0);
  return firsts[m];
}
