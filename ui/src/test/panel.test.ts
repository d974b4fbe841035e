import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordPanel from '../components/RecordPanel.svelte';
import { i18n } from '../lib/i18n/index.svelte';
import { nav } from '../lib/nav.svelte';

const party = { id: 'p1', name: 'Acme Corp.' };
const letter = {
  id: 'l1',
  case_id: 'c1',
  channel: 'email',
  sender: party,
  sender_person: null,
  to: [],
  cc: [],
  subject: 'Demand for audit',
  body: 'Please.',
  date: '2024-03-04',
  deadline: null,
  received: null,
  deadline_rule: null,
  calendar: null,
  rule_en: null,
  rule_fr: null,
  in_reply_to: null,
  replies: [],
  tags: [],
  position: 0,
  message_id: null,
  addresses: [{ field: 'from', name: 'Acme', address: 'legal@acme.example' }],
  created_at: '',
  updated_at: '',
};
const history = [
  {
    at: '2024-03-05T09:00:00Z',
    when: '2024-03-05 09:00 UTC',
    action: 'create letter',
    actor: 'cli (jane)',
    entry: 3,
    imported_from: null,
    change: 'created',
    differences: [],
  },
  {
    at: '2024-03-06T10:00:00Z',
    when: '2024-03-06 10:00 UTC',
    action: 'update letter',
    actor: 'app (jane)',
    entry: 7,
    imported_from: null,
    change: 'changed',
    differences: ["table letter, column subject: 'Demand' → 'Demand for audit'"],
  },
];
const evidence = {
  id: 'e1',
  case_id: 'c1',
  kind: 'url',
  title: 'Press article',
  note: '',
  sha256: null,
  size: null,
  media_type: null,
  original_name: null,
  url: 'https://example.org',
  publisher: null,
  date: null,
  redacted_from: null,
  redacted_copies: [],
  created_at: '',
  updated_at: '',
  links: [
    {
      evidence_id: 'e1',
      record_id: 'l1',
      record_kind: 'letter',
      record_title: 'Demand for audit',
      pinpoint: 'p. 2',
      note: '',
    },
  ],
};

const erasedBy = { entry: 9, at: '2024-03-07T08:00:00Z', when: '2024-03-07 08:00 UTC', reason: 'clawback', note: '' };
const erasedHistory = [
  { ...history[0], change: 'erased', erased: erasedBy },
  { ...history[1], change: 'erased', differences: [], erased: erasedBy },
];
const erasure = {
  entry: 9,
  kind: 'evidence',
  id: 'e1',
  reason: 'clawback',
  records: 1,
  entries: 2,
  files: 0,
  copies: [],
  elsewhere: [{ what: 'backup', path: '/media/usb/copy.sqlite', at: '', when: '2024-03-06 12:00 UTC' }],
  warnings: [],
};

describe('record panel', () => {
  let calls: string[] = [];
  let args: Record<string, unknown>[] = [];
  let erased = false;

  beforeEach(() => {
    i18n.lang = 'en';
    calls = [];
    args = [];
    erased = false;
    mockIPC((cmd, payload) => {
      calls.push(cmd);
      args.push((payload ?? {}) as Record<string, unknown>);
      if (cmd === 'get_letter') return letter;
      if (cmd === 'get_history') return erased ? erasedHistory : history;
      if (cmd === 'get_evidence') return evidence;
      if (cmd === 'render_markdown') return '<p>Please.</p>';
      if (cmd === 'list_record_evidence') return [[evidence, evidence.links[0]]];
      if (cmd === 'erase_record') {
        erased = true;
        return erasure;
      }
      if (cmd === 'describe_date')
        return {
          date: '2024-03-04',
          en: '4 March 2024',
          fr: '4 mars 2024',
          precision: 'day',
          qualifier: 'exact',
          lo: 0,
          hi: 1,
        };
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('opens a letter with its kind, its fields, the evidence behind it, and deletes it once confirmed', async () => {
    nav.selected = { kind: 'letter', id: 'l1' };
    render(RecordPanel, { selection: { kind: 'letter', id: 'l1' }, caseSlug: 'acme' });
    await waitFor(() => expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Demand for audit'));
    expect(document.querySelector('.panel-head .kind-label')?.textContent).toBe('Letter');
    await waitFor(() => expect(screen.getByTestId('record-evidence').textContent).toMatch(/Press article\s+\(p\. 2\)/));
    expect(screen.getByTestId('addresses').textContent).toBe('From: Acme <legal@acme.example>');
    // The history is read only when opened, and shows each change before → after.
    expect(calls).not.toContain('get_history');
    const details = screen.getByTestId('history') as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event('toggle'));
    await waitFor(() => expect(screen.getAllByTestId('history-entry')).toHaveLength(2));
    expect(screen.getAllByTestId('history-entry')[1].textContent).toContain(
      "column subject: 'Demand' → 'Demand for audit'",
    );
    await fireEvent.click(screen.getByText('Delete'));
    await fireEvent.click(screen.getByTestId('confirm-delete'));
    await waitFor(() => expect(calls).toContain('delete_letter'));
    expect(nav.selected).toBeNull();
  });

  it('opens evidence with what it supports instead of evidence of its own', async () => {
    render(RecordPanel, { selection: { kind: 'evidence', id: 'e1' }, caseSlug: 'acme' });
    await waitFor(() => expect(screen.getByTestId('backlinks').textContent).toContain('Letter: Demand for audit'));
    expect(screen.queryByTestId('record-evidence')).toBeNull();
    expect(calls).not.toContain('list_record_evidence');
  });

  it('erases evidence only with a reason and the typed word, then shows its history saying so', async () => {
    for (const [lang, typed, verdict, said] of [
      [
        'en',
        'erase',
        'The record was erased (clawback of privileged material). Its history now says so.',
        'erased on 2024-03-07 08:00 UTC',
      ],
      [
        'fr',
        'effacer',
        'L’élément a été effacé (restitution d’une pièce couverte par le secret). Son historique l’indique désormais.',
        'effacé le 2024-03-07',
      ],
    ] as const) {
      i18n.lang = lang;
      erased = false;
      nav.selected = { kind: 'evidence', id: 'e1' };
      render(RecordPanel, { selection: { kind: 'evidence', id: 'e1' }, caseSlug: 'acme' });
      await fireEvent.click(await screen.findByTestId('erase-record'));
      const confirm = screen.getByTestId('erase-confirm') as HTMLButtonElement;
      expect(confirm.disabled).toBe(true);
      await fireEvent.click(screen.getByTestId('erase-reason-clawback'));
      await fireEvent.input(screen.getByTestId('erase-word'), { target: { value: 'delete' } });
      expect(confirm.disabled).toBe(true);
      await fireEvent.input(screen.getByTestId('erase-word'), { target: { value: typed } });
      expect(confirm.disabled).toBe(false);
      await fireEvent.click(confirm);
      await waitFor(() => expect(screen.getByTestId('erase-verdict').textContent?.trim()).toBe(verdict));
      expect(args[calls.indexOf('erase_record')]).toEqual({ input: { id: 'e1', reason: 'clawback', note: '' } });
      expect(screen.getByTestId('erase-elsewhere').textContent).toContain('/media/usb/copy.sqlite');
      await waitFor(() => expect(screen.getAllByTestId('history-erased')).toHaveLength(2));
      expect(screen.getAllByTestId('history-erased')[1].textContent).toContain(said);
      await fireEvent.click(screen.getByTestId('erase-close'));
      expect(nav.selected).toBeNull();
      cleanup();
      calls = [];
      args = [];
    }
  });
});
