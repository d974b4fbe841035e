import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import RecordForm from '../components/RecordForm.svelte';
import { letterForm } from '../lib/forms';
import { i18n } from '../lib/i18n/index.svelte';

describe('letter form, deadline counted from an event', () => {
  let calls: { cmd: string; args: unknown }[] = [];

  beforeEach(() => {
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'list_parties') return [{ id: 'p1', name: 'Acme' }];
      if (cmd === 'list_events') return [{ id: 'ev1', date: '2024-06-14', title: 'Audience de plaidoirie' }];
      if (cmd === 'create_letter') return { id: 'l1' };
      if (cmd === 'describe_date') return null;
      return [];
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('offers the case’s events in French and sends the event, the direction and the rule', async () => {
    i18n.lang = 'fr';
    let saved: unknown = null;
    render(RecordForm, { spec: await letterForm('acme'), onsaved: (s) => (saved = s), oncancel: () => {} });
    const event = screen.getByLabelText(/compter d’un événement/) as HTMLSelectElement;
    expect([...event.options].map((o) => o.textContent)).toContain('2024-06-14 — Audience de plaidoirie');
    const field = (name: string) => document.querySelector(`#f-${name}`) as HTMLElement;
    await fireEvent.change(field('sender'), { target: { value: 'p1' } });
    await fireEvent.input(field('subject'), { target: { value: 'Conclusions' } });
    await fireEvent.input(field('date'), { target: { value: '2024-04-16' } });
    await fireEvent.change(event, { target: { value: 'ev1' } });
    await fireEvent.click(screen.getByLabelText(/Compté à rebours/));
    await fireEvent.input(screen.getByLabelText(/délai calculé/), { target: { value: '10bd' } });
    await fireEvent.change(screen.getByLabelText(/^Calendrier judiciaire/), { target: { value: 'fr' } });
    await fireEvent.click(screen.getByTestId('save'));
    await waitFor(() => expect(saved).toMatchObject({ record: { kind: 'letter', id: 'l1' } }));
    expect(calls.filter((c) => c.cmd === 'create_letter').pop()?.args).toMatchObject({
      input: {
        case: 'acme',
        subject: 'Conclusions',
        deadline_rule: '10bd',
        calendar: 'fr',
        deadline_event: 'ev1',
        deadline_before: true,
        deadline_mail: false,
      },
    });
  });
});
