import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import { linkForm } from '../lib/forms';
import type { Evidence } from '../lib/api';
import { i18n } from '../lib/i18n/index.svelte';

// 120 records: more than one page of the picker, as on a large case.
const records = Array.from({ length: 120 }, (_, i) => ({
  id: `r${i}`,
  kind: i % 2 ? 'event' : 'letter',
  title: `Record number ${i}`,
  date: null,
}));

describe('link picker', () => {
  let calls: { text: string; offset: number; limit: number }[] = [];
  let linked: unknown = null;

  beforeEach(() => {
    i18n.lang = 'en';
    calls = [];
    linked = null;
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === 'linkable_records') {
        const { text, offset, limit } = a as { text: string; offset: number; limit: number };
        calls.push({ text, offset, limit });
        const hits = records.filter((r) => r.title.toLowerCase().includes(text.toLowerCase()));
        return { total: hits.length, offset, items: hits.slice(offset, offset + limit) };
      }
      if (cmd === 'link_evidence') {
        linked = a.input;
        return {};
      }
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('finds a record past the first page by what the user types, and links it', async () => {
    const spec = await linkForm('case', { id: 'e1' } as Evidence);
    let saved = false;
    render(RecordForm, { spec, onsaved: () => (saved = true), oncancel: () => {} });
    await waitFor(() => expect(screen.getAllByTestId('picker-choice')).toHaveLength(50));
    expect(calls[0]).toEqual({ text: '', offset: 0, limit: 50 });

    await fireEvent.click(screen.getByTestId('picker-more'));
    await waitFor(() => expect(screen.getAllByTestId('picker-choice')).toHaveLength(100));

    await fireEvent.input(screen.getByPlaceholderText('Type a few letters of its title'), {
      target: { value: 'number 119' },
    });
    await waitFor(() => expect(screen.getAllByTestId('picker-choice')).toHaveLength(1));
    await fireEvent.click(screen.getByTitle('Event: Record number 119'));
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).toBe(true));
    expect(linked).toMatchObject({ evidence: 'e1', record: 'r119' });
  });
});
