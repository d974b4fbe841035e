import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import Attribution from '../components/Attribution.svelte';
import type { Attribution as A } from '../lib/api';
import { i18n } from '../lib/i18n/index.svelte';

// As the core sends them: the wording in both languages, cut around the certainty.
const reported: A = {
  asserted_by_id: 'p1',
  asserted_by: 'Twitter',
  reported_by_id: 'p2',
  reported_by: 'New York Times',
  how: 'announcement',
  certainty: 'reported',
  en: { before: 'Twitter (', certainty: 'reported', after: '), reported by New York Times — announcement' },
  fr: { before: 'Twitter (', certainty: 'rapporté', after: '), rapporté par New York Times — announcement' },
};
const rumour: A = {
  asserted_by_id: null,
  asserted_by: null,
  reported_by_id: 'p2',
  reported_by: 'New York Times',
  how: '',
  certainty: 'rumoured',
  en: { before: 'reported by New York Times (', certainty: 'rumoured', after: ')' },
  fr: { before: 'rapporté par New York Times (', certainty: 'rumeur', after: ')' },
};

describe('Attribution', () => {
  afterEach(cleanup);

  it('says what the reports say, in the chosen language, with the certainty set apart', () => {
    i18n.lang = 'fr';
    const { container } = render(Attribution, { items: [reported, rumour] });
    expect(container.textContent?.trim()).toBe(
      'Twitter (rapporté), rapporté par New York Times — announcement; rapporté par New York Times (rumeur)',
    );
    expect(screen.getAllByTestId('attribution')).toHaveLength(2);
    expect(container.querySelector('.certainty-rumoured')?.textContent).toBe('rumeur');
    i18n.lang = 'en';
  });
});
