import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import { eventForm } from '../lib/forms';
import { i18n } from '../lib/i18n/index.svelte';

const parties = [
  {
    id: 'p1',
    name: 'Acme Corp.',
    kind: 'organisation',
    description: '',
    aliases: [],
    affiliations: [],
    created_at: '',
    updated_at: '',
  },
];

describe('record form', () => {
  let calls: { cmd: string; args: unknown }[] = [];

  beforeEach(() => {
    i18n.lang = 'en';
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'list_parties') return parties;
      if (cmd === 'describe_date') {
        const text = (args as { text: string }).text;
        if (text === '~2023-04')
          return {
            date: '~2023-04',
            en: 'about April 2023',
            fr: 'vers avril 2023',
            precision: 'month',
            qualifier: 'about',
            lo: 0,
            hi: 1,
          };
        throw { code: 'invalid_input', message: `date '${text}' does not exist`, field: 'date' };
      }
      if (cmd === 'create_event')
        throw { code: 'invalid_input', message: "date '2024-02-30' does not exist", field: 'date' };
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('shows how a date is understood as it is typed', async () => {
    render(RecordForm, { spec: await eventForm('acme'), onsaved: () => {}, oncancel: () => {} });
    const date = screen.getByLabelText(/^Date/);
    await fireEvent.input(date, { target: { value: '~2023-04' } });
    await waitFor(() =>
      expect(document.querySelector('[data-field=date] [data-testid=date-understood]')?.textContent).toContain(
        'about April 2023',
      ),
    );
  });

  it("puts the core's validation error beside the field it names and keeps the form open", async () => {
    let saved = false;
    render(RecordForm, { spec: await eventForm('acme'), onsaved: () => (saved = true), oncancel: () => {} });
    await fireEvent.input(screen.getByLabelText(/^Title/), { target: { value: 'Talks stall' } });
    await fireEvent.input(screen.getByLabelText(/^Date/), { target: { value: '2024-02-30' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() =>
      expect(document.querySelector('[data-field=date] [data-testid=field-error]')?.textContent).toContain(
        '2024-02-30',
      ),
    );
    expect(document.querySelector('[data-field=title] [data-testid=field-error]')).toBeNull();
    expect(saved).toBe(false);
    const create = calls.find((c) => c.cmd === 'create_event');
    expect(create?.args).toMatchObject({ input: { case: 'acme', title: 'Talks stall', date: '2024-02-30' } });
  });
});
