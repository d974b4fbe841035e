import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import { captureForm, type FormSpec, type Saved } from '../lib/forms';
import { i18n } from '../lib/i18n/index.svelte';

describe('capture page form', () => {
  let calls: { cmd: string; args: unknown }[] = [];

  beforeEach(() => {
    i18n.lang = 'en';
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'open_page_capture') {
        const url = (args as { url: string }).url;
        if (url.startsWith('ftp:'))
          throw { code: 'invalid_input', message: `'${url}' is not an http(s) address`, field: 'url' };
        return null;
      }
      if (cmd === 'take_page_capture') return { id: 'e1' };
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  /** Fills the first step and sends it; resolves to what it said to show next. */
  async function openPage(url: string): Promise<Saved> {
    let saved: Saved | null = null;
    render(RecordForm, { spec: await captureForm('acme'), onsaved: (s) => (saved = s), oncancel: () => {} });
    await fireEvent.input(screen.getByLabelText(/^URL/), { target: { value: url } });
    await fireEvent.input(screen.getByLabelText(/^Title/), { target: { value: 'Notice' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).not.toBeNull());
    return saved!;
  }

  it('opens the page in the capture window first, and shows a refused address beside its field', async () => {
    render(RecordForm, { spec: await captureForm('acme'), onsaved: () => {}, oncancel: () => {} });
    expect(document.body.textContent).toContain('capture window of its own');
    expect(screen.getByTestId('save').textContent).toBe('Open page');
    await fireEvent.input(screen.getByLabelText(/^URL/), { target: { value: 'ftp://example.org/x' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() =>
      expect(document.querySelector('[data-field=url] [data-testid=field-error]')?.textContent).toContain(
        'not an http(s) address',
      ),
    );
    expect(calls.some((c) => c.cmd === 'take_page_capture')).toBe(false);
  });

  it('then says the page is open there and captures it with the title and note typed first', async () => {
    const first = await openPage('https://example.org/notice');
    expect(calls.filter((c) => c.cmd === 'open_page_capture').pop()?.args).toMatchObject({
      url: 'https://example.org/notice',
    });
    cleanup();
    let saved: Saved | null = null;
    render(RecordForm, { spec: first.next as FormSpec, onsaved: (s) => (saved = s), oncancel: () => {} });
    expect(document.body.textContent).toContain('The page is open in the capture window');
    expect(document.body.textContent).toContain('https://example.org/notice');
    expect(screen.getByTestId('save').textContent).toBe('Capture');
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).toMatchObject({ record: { kind: 'evidence', id: 'e1' } }));
    expect(calls.filter((c) => c.cmd === 'take_page_capture').pop()?.args).toMatchObject({
      case: 'acme',
      title: 'Notice',
      note: '',
    });
  });

  it('closes the capture window on Cancel, and says so in French', async () => {
    const first = await openPage('https://example.org/notice');
    cleanup();
    i18n.lang = 'fr';
    let cancelled = false;
    const next = first.next as FormSpec;
    render(RecordForm, { spec: next, onsaved: () => {}, oncancel: () => (cancelled = true) });
    // The spec was worded when it was made (in English); the buttons follow the language now.
    expect(screen.getByTestId('save').textContent).toBe('Capturer');
    await fireEvent.click(screen.getByTestId('cancel'));
    expect(cancelled).toBe(true);
    await waitFor(() => expect(calls.some((c) => c.cmd === 'cancel_page_capture')).toBe(true));
    expect(calls.some((c) => c.cmd === 'take_page_capture')).toBe(false);
  });
});
