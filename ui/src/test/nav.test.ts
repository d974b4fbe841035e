import { describe, expect, it } from 'vitest';
import { recordKindOf } from '../lib/nav.svelte';

describe('recordKindOf', () => {
  it('opens the record a timeline entry belongs to', () => {
    const cases: [string, string][] = [
      ['deadline', 'letter'],
      ['status_change', 'allegation'],
      ['agreement_effective', 'agreement'],
      ['agreement_terminated', 'agreement'],
      ['event', 'event'],
      ['response', 'response'],
    ];
    for (const [entry, record] of cases) expect(recordKindOf(entry), entry).toBe(record);
  });
});
