import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { exportForm } from '../lib/forms';
import { i18n } from '../lib/i18n/index.svelte';

// L8 of the 2026-12-06 review: the export dialog offers the bundle's history and actors, both off.
describe('the JSON bundle in the export dialog', () => {
  afterEach(clearMocks);

  it('leaves the history and the actors out unless they are ticked, and passes the choice on', async () => {
    i18n.lang = 'en';
    const sent: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === 'check_publishing') return { formats: [], names: [] };
      if (cmd === 'export_case') {
        sent.push((payload as { request: unknown }).request);
        return {
          format: 'json',
          path: '/out/acme.json',
          case_slug: 'acme',
          count: 1,
          messages: [],
          unencrypted_copy: false,
        };
      }
      return null;
    });
    const spec = await exportForm('acme', 'en');
    expect(spec.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['with_history', 'with_actors']));
    expect([spec.values.with_history, spec.values.with_actors]).toEqual(['', '']);

    await spec.submit({ ...spec.values, format: 'json', path: '/out/acme.json' }, () => {});
    await spec.submit(
      { ...spec.values, format: 'json', path: '/out/acme.json', with_history: 'true', with_actors: 'true' },
      () => {},
    );
    const options = sent.map((r) => (r as { options: { with_history: boolean; with_actors: boolean } }).options);
    expect(options.map((o) => [o.with_history, o.with_actors])).toEqual([
      [false, false],
      [true, true],
    ]);
  });
});
