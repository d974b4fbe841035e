import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import FindRedact from '../components/FindRedact.svelte';
import RedactTool from '../components/RedactTool.svelte';
import type { Evidence, FoundHit } from '../lib/bindings';
import { closeFinding, finding, openFinding, toApply } from '../lib/finding.svelte';
import { i18n } from '../lib/i18n/index.svelte';
import { nav } from '../lib/nav.svelte';
import { startRedacting } from '../lib/redact.svelte';
import { openViewer, viewer } from '../lib/viewer.svelte';

const hit = (evidence: string, page: number, text: string, query = 'Jane Roe'): FoundHit => ({
  evidence,
  page,
  x: 72,
  y: 100 + page,
  width: 50,
  height: 12,
  text,
  query,
});

const HITS = [hit('e1', 1, 'Jane Roe'), hit('e1', 2, 'Jane Roe'), hit('e2', 1, 'pat@example.org', 'email')];
const TITLES: Record<string, string> = { e1: 'letter.pdf', e2: 'offer.pdf' };

describe('the hits to apply', () => {
  it('makes one list of boxes per document, of its checked hits only, with the reason chosen', () => {
    const work = toApply(HITS, [true, false, true], 'other', ' witness ');
    expect(work).toEqual([
      ['e1', [{ page: 1, x: 72, y: 101, width: 50, height: 12, reason: 'other', note: 'witness' }]],
      ['e2', [{ page: 1, x: 72, y: 101, width: 50, height: 12, reason: 'other', note: 'witness' }]],
    ]);
    // A document whose hits are all unchecked gets no copy; a note goes only with "other".
    expect(toApply(HITS, [false, false, true], 'personal_data', 'x').map(([id, b]) => [id, b[0].note])).toEqual([
      ['e2', ''],
    ]);
  });
});

describe('Find to redact', () => {
  let sent: { cmd: string; args: Record<string, unknown> }[] = [];
  let release: (() => void) | null = null;

  beforeEach(() => {
    i18n.lang = 'en';
    sent = [];
    mockIPC(async (cmd, args) => {
      sent.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === 'list_case_roles') return [{ party_id: 'p1', name: 'Jane Roe' }];
      if (cmd === 'list_parties')
        return [
          { id: 'p1', name: 'Jane Roe', aliases: ['J. Roe'] },
          { id: 'p2', name: 'Other case party', aliases: [] },
        ];
      if (cmd === 'find_redactions') {
        const word = (args as { input: { words: string[] } }).input.words[0];
        if (word === 'nobody')
          throw { code: 'invalid_input', key: 'nothing_found', value: 'nobody', message: 'nothing', field: 'find' };
        if (word === 'slow') {
          // A long search: it ends as the shell ends it once Stop is pressed.
          await new Promise<void>((r) => (release = r));
          throw { code: 'cancelled', message: 'cancelled' };
        }
        return HITS;
      }
      if (cmd === 'get_evidence') {
        const id = (args as { id: string }).id;
        return { id, title: TITLES[id] };
      }
      if (cmd === 'redact_evidence') {
        const { evidence } = (args as { input: { evidence: string } }).input;
        // The first copy waits until the test lets it finish, so Stop can be pressed meanwhile.
        if (evidence === 'e1') await new Promise<void>((r) => (release = r));
        return { id: `${evidence}-copy`, title: `${TITLES[evidence]} (redacted)` };
      }
      return null;
    });
    openFinding('demo');
  });
  afterEach(() => {
    cleanup();
    clearMocks();
    closeFinding();
    release = null;
  });

  it('stops a long search when asked, and says nothing was redacted', async () => {
    render(FindRedact, { caseSlug: 'demo' });
    await fireEvent.input(screen.getByTestId('find-words'), { target: { value: 'slow' } });
    await fireEvent.click(screen.getByTestId('find-search'));
    await waitFor(() => expect(screen.getByTestId('find-search-stop')).toBeTruthy());
    await fireEvent.click(screen.getByTestId('find-search-stop'));
    expect(sent.some((s) => s.cmd === 'cancel_export')).toBe(true);
    release?.();
    await waitFor(() =>
      expect(screen.getByTestId('find-search-stopped').textContent).toBe(
        'Search stopped: nothing was found or redacted.',
      ),
    );
    expect(screen.queryByTestId('find-error')).toBeNull();
    expect(screen.queryByTestId('find-count')).toBeNull();
  });

  it('asks for something to find before searching', async () => {
    render(FindRedact, { caseSlug: 'demo' });
    await fireEvent.click(screen.getByTestId('find-search'));
    expect(screen.getByTestId('find-error').textContent).toContain('Give a word, a party or a kind of personal data');
    expect(sent.some((s) => s.cmd === 'find_redactions')).toBe(false);
  });

  it('offers the case’s parties with their aliases, and says in French what found nothing', async () => {
    i18n.lang = 'fr';
    render(FindRedact, { caseSlug: 'demo' });
    await waitFor(() =>
      expect([...screen.getByTestId('find-party').querySelectorAll('option')].map((o) => o.textContent)).toEqual([
        '— aucune —',
        'Jane Roe (J. Roe)',
      ]),
    );
    await fireEvent.input(screen.getByTestId('find-words'), { target: { value: 'nobody' } });
    await fireEvent.click(screen.getByTestId('find-search'));
    await waitFor(() =>
      expect(screen.getByTestId('find-error').textContent).toBe("Rien n'a été trouvé pour « nobody »."),
    );
  });

  it('lists the hits by document, counted, all checked, and sends the words and patterns asked', async () => {
    render(FindRedact, { caseSlug: 'demo' });
    await fireEvent.input(screen.getByTestId('find-words'), { target: { value: ' Jane Roe ' } });
    await fireEvent.click(screen.getByTestId('find-pattern-email'));
    await fireEvent.click(screen.getByTestId('find-search'));
    await waitFor(() => expect(screen.getByTestId('find-count').textContent).toContain('3 hits in 2 documents'));
    const asked = sent.find((s) => s.cmd === 'find_redactions')!.args;
    expect(asked).toEqual({
      case: 'demo',
      evidence: null,
      input: { words: ['Jane Roe'], parties: [], patterns: ['email'] },
      progress: expect.anything(),
    });
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['letter.pdf', 'offer.pdf']);
    expect(finding.checked).toEqual([true, true, true]);
    // "Uncheck all on this document" leaves the other document's hits checked.
    await fireEvent.click(screen.getAllByTestId('find-toggle-document')[0]);
    expect(finding.checked).toEqual([false, false, true]);
  });

  it('makes the copies one document after the other, and Stop leaves the documents after the current one', async () => {
    render(FindRedact, { caseSlug: 'demo' });
    await fireEvent.input(screen.getByTestId('find-words'), { target: { value: 'Jane Roe' } });
    await fireEvent.click(screen.getByTestId('find-search'));
    await waitFor(() => screen.getByTestId('find-apply'));
    await fireEvent.click(screen.getByTestId('find-apply'));
    await waitFor(() =>
      expect(screen.getByTestId('find-progress').textContent).toBe('Making the copy of document 1 of 2…'),
    );
    await fireEvent.click(screen.getByTestId('find-stop'));
    release!();
    await waitFor(() =>
      expect(screen.getAllByTestId('find-copy').map((c) => c.textContent)).toEqual(['letter.pdf (redacted)']),
    );
    const redacted = sent.filter((s) => s.cmd === 'redact_evidence').map((s) => s.args.input);
    expect(redacted).toEqual([
      {
        evidence: 'e1',
        boxes: [
          { page: 1, x: 72, y: 101, width: 50, height: 12, reason: 'personal_data', note: '' },
          { page: 2, x: 72, y: 102, width: 50, height: 12, reason: 'personal_data', note: '' },
        ],
        lang: 'en',
      },
    ]);
    expect(screen.getByText(/Stopped/)).toBeTruthy();
  });

  it('is reached from Redact mode for the open document, which it then searches alone', async () => {
    cleanup();
    closeFinding();
    nav.caseSlug = 'demo';
    const open = { id: 'e1', title: 'letter.pdf' } as Evidence;
    openViewer(open);
    startRedacting();
    render(RedactTool, { evidence: open, go: () => {} });
    await fireEvent.click(screen.getByTestId('redact-find'));
    expect(viewer.evidence).toBeNull();
    expect([finding.caseSlug, finding.only]).toEqual(['demo', { id: 'e1', title: 'letter.pdf' }]);
    cleanup();
    render(FindRedact, { caseSlug: 'demo' });
    expect((screen.getByTestId('find-only') as HTMLInputElement).checked).toBe(true);
    await fireEvent.input(screen.getByTestId('find-words'), { target: { value: 'Jane Roe' } });
    await fireEvent.click(screen.getByTestId('find-search'));
    await waitFor(() => expect(sent.find((s) => s.cmd === 'find_redactions')?.args.evidence).toBe('e1'));
  });
});
