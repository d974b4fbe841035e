import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import { captureForm } from '../lib/forms';
import { i18n } from '../lib/i18n/index.svelte';

describe('capture page form', () => {
  let calls: { cmd: string; args: unknown }[] = [];

  beforeEach(() => {
    i18n.lang = 'en';
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'capture_web_page') {
        const url = (args as { url: string }).url;
        if (url.startsWith('ftp:'))
          throw { code: 'invalid_input', message: `'${url}' is not an http(s) address`, field: 'url' };
        return { id: 'e1' };
      }
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('says the page is fetched again, sends the address and shows a refused one beside its field', async () => {
    let saved: unknown = null;
    render(RecordForm, { spec: await captureForm('acme'), onsaved: (s) => (saved = s), oncancel: () => {} });
    expect(document.body.textContent).toContain('The page is fetched again for this');
    await fireEvent.input(screen.getByLabelText(/^URL/), { target: { value: 'ftp://example.org/x' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() =>
      expect(document.querySelector('[data-field=url] [data-testid=field-error]')?.textContent).toContain(
        'not an http(s) address',
      ),
    );
    await fireEvent.input(screen.getByLabelText(/^URL/), { target: { value: 'https://example.org/notice' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).toMatchObject({ record: { kind: 'evidence', id: 'e1' } }));
    expect(calls.filter((c) => c.cmd === 'capture_web_page').pop()?.args).toMatchObject({
      case: 'acme',
      url: 'https://example.org/notice',
      title: '',
      note: '',
    });
  });
});
