import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RedactTool from '../components/RedactTool.svelte';
import type { Evidence } from '../lib/bindings';
import { i18n } from '../lib/i18n/index.svelte';
import { addBox, redaction, startRedacting, stopRedacting } from '../lib/redact.svelte';

const original = { id: 'e1', title: 'offer.pdf' } as Evidence;

describe('the redaction tool', () => {
  let answer: (input: unknown) => Promise<unknown>;
  let sent: unknown[] = [];

  beforeEach(() => {
    sent = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'redact_evidence') return null;
      const input = (args as { input: unknown }).input;
      sent.push(input);
      return answer(input);
    });
    startRedacting();
    redaction.reason = 'third_party';
    addBox(1, { x: 72, y: 100, width: 144, height: 14 });
    addBox(2, { x: 10, y: 10, width: 20, height: 20 });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
    redaction.busy = false;
    stopRedacting();
    redaction.reason = 'personal_data';
    redaction.note = '';
  });

  it('lists the boxes, removes one, and says in one sentence why the copy was not made', async () => {
    i18n.lang = 'fr';
    let refuse: (e: unknown) => void = () => {};
    answer = () => new Promise((_, reject) => (refuse = reject));
    redaction.reason = 'other';
    redaction.note = 'un prix';
    addBox(3, { x: 5, y: 6, width: 7, height: 8 });
    render(RedactTool, { evidence: original, go: () => {} });
    const listed = () => screen.getAllByTestId('redact-box').map((b) => b.textContent?.replace(/\s+/g, ' ').trim());
    expect(listed()).toEqual(['p. 1 · tiers ✕', 'p. 2 · tiers ✕', 'p. 3 · autre motif : un prix ✕']);
    await fireEvent.click(screen.getByRole('button', { name: 'Retirer le cadre 2' }));
    expect(listed()).toEqual(['p. 1 · tiers ✕', 'p. 3 · autre motif : un prix ✕']);

    await fireEvent.click(screen.getByTestId('redact-apply'));
    // While the copy is made: said on the button, nothing can be changed or cancelled.
    await waitFor(() => expect(screen.getByTestId('redact-apply').textContent).toBe('Création de la copie…'));
    expect((screen.getByTestId('redact-cancel') as HTMLButtonElement).disabled).toBe(true);
    expect(sent).toEqual([
      {
        evidence: 'e1',
        boxes: [
          { page: 1, x: 72, y: 100, width: 144, height: 14, reason: 'third_party', note: '' },
          { page: 3, x: 5, y: 6, width: 7, height: 8, reason: 'other', note: 'un prix' },
        ],
        lang: 'fr',
      },
    ]);
    refuse({
      code: 'invalid_input',
      message: "'offer.xlsx' cannot be redacted",
      key: 'not_redactable',
      value: 'offer.xlsx',
    });
    await waitFor(() =>
      expect(screen.getByTestId('redact-error').textContent?.trim()).toBe(
        'La copie occultée n’a pas été créée : Seuls un PDF, une image, un fichier Word ou OpenDocument et un e-mail peuvent être occultés, et « offer.xlsx » n’en est pas un.',
      ),
    );
    // The boxes are kept, to try again.
    expect(redaction.boxes).toHaveLength(2);
    expect(screen.getByTestId('redact-apply').textContent).toBe('Créer la copie occultée');
    i18n.lang = 'en';
  });
});
