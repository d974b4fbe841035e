import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import PrivilegeControl from '../components/panels/PrivilegeControl.svelte';
import { i18n } from '../lib/i18n/index.svelte';

describe('privilege control', () => {
  let calls: { cmd: string; args: unknown }[] = [];
  let stored: { basis: string; description: string } | null = null;

  beforeEach(() => {
    calls = [];
    stored = null;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'get_privilege') return stored;
      if (cmd === 'set_privilege') {
        const input = (args as { input: { basis: string; description: string } | null }).input;
        if (input?.basis === 'other' && !input.description)
          throw {
            code: 'invalid_input',
            message: 'a privilege on another basis says what it is',
            key: 'other_needs_description',
          };
        stored = input;
        return stored;
      }
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('marks a record privileged in French, shows its basis and says a refusal', async () => {
    i18n.lang = 'fr';
    render(PrivilegeControl, { id: 'l1' });
    await fireEvent.click(await screen.findByTestId('privilege-mark'));
    await fireEvent.change(screen.getByTestId('privilege-basis'), { target: { value: 'other' } });
    await fireEvent.click(screen.getByTestId('privilege-save'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('sur quoi repose le secret'));

    await fireEvent.change(screen.getByTestId('privilege-basis'), { target: { value: 'professional_secrecy' } });
    await fireEvent.input(screen.getByTestId('privilege-description'), { target: { value: 'Lettre de l’avocat' } });
    await fireEvent.click(screen.getByTestId('privilege-save'));
    await waitFor(() =>
      expect(screen.getByTestId('privilege-state').textContent).toContain('secret professionnel de l’avocat'),
    );
    expect(calls.filter((c) => c.cmd === 'set_privilege').pop()?.args).toMatchObject({
      id: 'l1',
      input: { basis: 'professional_secrecy', description: 'Lettre de l’avocat' },
    });

    await fireEvent.click(screen.getByTestId('privilege-clear'));
    await waitFor(() => expect(screen.getByTestId('privilege-mark')).toBeTruthy());
    expect(calls.filter((c) => c.cmd === 'set_privilege').pop()?.args).toMatchObject({ id: 'l1', input: null });
  });
});
