import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import QuoteLink from '../components/QuoteLink.svelte';
import type { Evidence, PublishCheck, Quote } from '../lib/api';
import { exportForm } from '../lib/forms';
import { namedLine, publishWarnings } from '../lib/forms/transfer';
import { i18n } from '../lib/i18n/index.svelte';

const check: PublishCheck = {
  formats: ['site', 'timelinejs'],
  names: [
    { party: 'Jane Whistle', found: 'J. Whistle', place: 'summary', within: '', record_id: 'c1' },
    { party: 'Jane Whistle', found: 'Jane Whistle', place: 'publisher', within: 'Interview', record_id: 'e1' },
  ],
};

describe('private names before publishing', () => {
  beforeEach(() => {
    i18n.lang = 'en';
    mockIPC((cmd) => (cmd === 'check_publishing' ? check : null));
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('words each name the core found, with where, in either language', () => {
    expect(namedLine(check.names[0])).toBe('Jane Whistle (as “J. Whistle”) in the case summary');
    expect(namedLine(check.names[1])).toBe('Jane Whistle as publisher of the source “Interview”');
    i18n.lang = 'fr';
    expect(namedLine(check.names[1])).toBe('Jane Whistle comme éditeur de la source « Interview »');
  });

  it('warns only for the formats the core says publish', () => {
    expect(publishWarnings(check, { format: 'html' })).toBeNull();
    expect(publishWarnings({ ...check, names: [] }, { format: 'site' })).toBeNull();
    expect(publishWarnings(check, { format: 'timelinejs' })?.lines).toHaveLength(2);
  });

  it('shows the names in the export dialog once a publish format is chosen, before saving', async () => {
    render(RecordForm, { spec: await exportForm('acme', 'en'), onsaved: () => {}, oncancel: () => {} });
    expect(screen.queryByTestId('form-warnings')).toBeNull();
    await fireEvent.change(screen.getByLabelText(/^Format/), { target: { value: 'site' } });
    await waitFor(() => expect(screen.getByTestId('form-warnings').textContent).toContain('Jane Whistle as publisher'));
  });
});

describe('a quote in the record panel', () => {
  afterEach(cleanup);
  const evidence = { id: 'e1', title: 'Memo' } as Evidence;
  const quote = (check: Quote['check']): Quote => ({ page: 2, exact: 'we refuse', prefix: '', suffix: '', check });

  it('says when its words were not checked against the document', () => {
    i18n.lang = 'en';
    render(QuoteLink, { evidence, quote: quote('unchecked'), testid: 'q' });
    expect(screen.getByTestId('quote-caveat').textContent).toContain('Not checked against the document');
  });

  it('says nothing more when they were found', () => {
    render(QuoteLink, { evidence, quote: quote('found'), testid: 'q' });
    expect(screen.queryByTestId('quote-caveat')).toBeNull();
  });
});
