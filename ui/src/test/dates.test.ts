// The dates of a page are described in one call to the core, and a date seen once is not asked again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { forTests, wordsOf } from '../lib/dates';

describe('date words', () => {
  let calls: string[][] = [];
  beforeEach(() => {
    calls = [];
    forTests.reset();
    mockIPC((cmd, args) => {
      if (cmd !== 'describe_dates') throw new Error(`unexpected ${cmd}`);
      const texts = (args as { texts: string[] }).texts;
      calls.push(texts);
      return texts.map((t) =>
        t === 'garbage'
          ? null
          : { date: t, en: `en ${t}`, fr: `fr ${t}`, precision: 'day', qualifier: 'exact', lo: 0, hi: 1 },
      );
    });
  });
  afterEach(() => clearMocks());

  it('asks once for all the dates of a page, each date once', async () => {
    const texts = ['2023-04', '~2023-04', '2023-04', '<2023-06-07', 'garbage'];
    const words = await Promise.all(texts.map(wordsOf));
    expect(calls).toEqual([['2023-04', '~2023-04', '<2023-06-07', 'garbage']]);
    expect(words[1]).toEqual({ en: 'en ~2023-04', fr: 'fr ~2023-04' });
    expect(words[2]).toEqual(words[0]);
    expect(words[4]).toBeNull();
  });

  it('does not ask again for a date it has seen', async () => {
    await wordsOf('2011');
    await wordsOf('2011');
    await Promise.all([wordsOf('2011'), wordsOf('2012')]);
    expect(calls).toEqual([['2011'], ['2012']]);
  });
});
