import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import TimelineStrip from '../components/TimelineStrip.svelte';
import type { Entry, MonthCount } from '../lib/api';
import { i18n } from '../lib/i18n/index.svelte';

const MARCH = 1_677_628_800; // 2023-03-01 UTC
const APRIL = 1_680_307_200; // 2023-04-01 UTC
const group = { key: '2023-03', year: 2023, month_en: 'March 2023', month_fr: 'mars 2023' };
const months: MonthCount[] = [{ group, count: 2, lo: MARCH, hi: APRIL }];

function entry(id: string, kind: Entry['kind'], title: string, day: number): Entry {
  const lo = MARCH + (day - 1) * 86_400;
  return {
    id,
    kind,
    record_id: id,
    record_kind: kind === 'deadline' ? 'letter' : (kind as Entry['record_kind']),
    date: `2023-03-0${day}`,
    date_en: `${day} March 2023`,
    date_fr: `${day} mars 2023`,
    precision: 'day',
    qualifier: 'exact',
    fuzzy: false,
    lo,
    hi: lo + 86_400,
    title,
    status: null,
    parties: [],
    attribution: [],
    evidence_count: 0,
    private: false,
    group,
    cursor: id,
  };
}

// jsdom has no ResizeObserver, which the strip's width binding uses; the strip then keeps its default width.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}

describe('timeline strip', () => {
  beforeEach(() => {
    globalThis.ResizeObserver ??= NoResize;
    mockIPC((cmd) => {
      if (cmd === 'get_axis') return [];
      if (cmd === 'get_timeline_slice')
        return {
          entries: [entry('a', 'letter', 'Demand for audit', 4), entry('b', 'deadline', 'Demand for audit', 8)],
          next: null,
        };
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  const props = {
    caseSlug: 'acme',
    filter: { kinds: [], party: null, tag: null, from: null, to: null, text: null },
    months,
    firsts: [0],
    selected: null,
    onselect: () => {},
    onjump: () => {},
  };

  it('says on each bar what it is, and in its legend what the colours mean, in English', async () => {
    i18n.lang = 'en';
    render(TimelineStrip, props);
    await waitFor(() => expect(document.querySelectorAll('svg[role=img] g.bar')).toHaveLength(2));
    const titles = [...document.querySelectorAll('svg[role=img] g.bar > title')].map((t) => t.textContent);
    expect(titles).toEqual(['4 March 2023 — Letter: Demand for audit', '8 March 2023 — Deadline: Demand for audit']);
    const legend = screen.getByTestId('strip-legend').textContent ?? '';
    expect(legend).toContain('Agreement takes effect, agreement ends, event, letter, response, evidence');
    expect(legend).toContain('Allegation, status change');
    expect(legend).toContain('Deadline');
    expect(legend).toContain('Paler: a date known only roughly');
  });

  it('words its legend in French with the core’s vocabulary', async () => {
    i18n.lang = 'fr';
    render(TimelineStrip, props);
    await waitFor(() => expect(document.querySelectorAll('svg[role=img] g.bar')).toHaveLength(2));
    const legend = screen.getByTestId('strip-legend').textContent ?? '';
    expect(legend).toContain('Allégation, changement de statut');
    expect(legend).toContain('Échéance');
    expect(legend).toContain('Début ou fin inconnus');
  });
});
