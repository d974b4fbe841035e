import { describe, expect, it } from 'vitest';
import { capitalise, i18n, messages, pick, t, word } from '../lib/i18n/index.svelte';

describe('message table', () => {
  it('has a French text for every English one, and no empty text', () => {
    const en = Object.keys(messages.en).sort();
    expect(Object.keys(messages.fr).sort()).toEqual(en);
    for (const lang of ['en', 'fr'] as const) {
      for (const [key, text] of Object.entries(messages[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('');
    }
  });

  it('keeps the same placeholders in both languages', () => {
    const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
      expect(holes(messages.fr[key]), key).toBe(holes(messages.en[key]));
    }
  });

  it('fills placeholders and follows the chosen language', () => {
    i18n.lang = 'en';
    expect(t('cases.deadlines', { n: 2 })).toBe('2 open deadline(s)');
    expect(word('allegation_status', 'under_review')).toBe('under review');
    expect(pick({ en: 'about April 2023', fr: 'vers avril 2023' })).toBe('about April 2023');
    i18n.lang = 'fr';
    expect(t('attr.reported_by', { party: 'Reuters' })).toBe('rapporté par Reuters');
    expect(word('stance', 'will_review')).toBe('examinera');
    expect(pick({ en: 'about April 2023', fr: 'vers avril 2023' })).toBe('vers avril 2023');
    // An unknown vocabulary word is shown readably rather than as a key.
    expect(word('role', 'amicus_curiae')).toBe('amicus curiae');
    i18n.lang = 'en';
  });

  it('takes vocabulary words from the core, distinct per vocabulary, and capitalises them for labels', () => {
    i18n.lang = 'fr';
    // The same stored value reads differently in two vocabularies.
    expect(word('allegation_status', 'alleged')).toBe('alléguée');
    expect(word('certainty', 'alleged')).toBe('allégué');
    expect(word('allegation_status', 'upheld')).toBe('retenue');
    expect(capitalise(word('entry_kind', 'event'))).toBe('Événement');
    i18n.lang = 'en';
    expect(capitalise(word('record_kind', 'letter'))).toBe('Letter');
    expect(capitalise('')).toBe('');
  });
});
