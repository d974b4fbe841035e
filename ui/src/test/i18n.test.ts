import { describe, expect, it } from 'vitest';
import { capitalise, i18n, messages, percent, pick, t, tn, word } from '../lib/i18n/index.svelte';

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
    expect(t('letters.from_to', { from: 'Acme', to: 'Widget' })).toBe('Acme → Widget');
    expect(word('allegation_status', 'under_review')).toBe('under review');
    expect(pick({ en: 'about April 2023', fr: 'vers avril 2023' })).toBe('about April 2023');
    i18n.lang = 'fr';
    expect(t('allegations.by_against', { by: 'Twitter', against: 'Microsoft' })).toBe('Twitter contre Microsoft');
    expect(word('stance', 'will_review')).toBe('examinera');
    expect(pick({ en: 'about April 2023', fr: 'vers avril 2023' })).toBe('vers avril 2023');
    // An unknown vocabulary word is shown readably rather than as a key.
    expect(word('role', 'amicus_curiae')).toBe('amicus curiae');
    i18n.lang = 'en';
  });

  it('chooses plural forms by the rules of the chosen language', () => {
    // English: 1 is singular, 0 and 2 are plural.
    i18n.lang = 'en';
    expect(tn('cases.deadlines', 0)).toBe('0 open deadlines');
    expect(tn('cases.deadlines', 1)).toBe('1 open deadline');
    expect(tn('cases.deadlines', 2)).toBe('2 open deadlines');
    expect(tn('transfer.imported', 1, { case: 'acme' })).toBe('1 record imported into acme.');
    // French: 0 and 1 are singular, 2 is plural.
    i18n.lang = 'fr';
    expect(tn('cases.deadlines', 0)).toBe('0 échéance ouverte');
    expect(tn('cases.deadlines', 1)).toBe('1 échéance ouverte');
    expect(tn('cases.deadlines', 2)).toBe('2 échéances ouvertes');
    expect(tn('timeline.evidence', 2)).toBe('2 pièces');
    i18n.lang = 'en';
  });

  it('writes large counts with the separators of the chosen language', () => {
    i18n.lang = 'en';
    expect(tn('timeline.count', 120252)).toBe('120,252 entries');
    i18n.lang = 'fr';
    expect(tn('timeline.count', 120252)).toBe('120\u202f252 entrées');
    expect(percent(0.42)).toBe('42\u00a0%');
    i18n.lang = 'en';
    expect(percent(0.42)).toBe('42%');
    i18n.lang = 'en';
  });

  it('gives every counting message both its plural forms, and no message a "(s)"', () => {
    const keys = Object.keys(messages.en);
    for (const key of keys) {
      const plural = key.match(/^(.*)\.(one|other)$/);
      if (plural) expect(keys, key).toContain(`${plural[1]}.${plural[2] === 'one' ? 'other' : 'one'}`);
    }
    for (const lang of ['en', 'fr'] as const) {
      for (const [key, text] of Object.entries(messages[lang])) expect(text, `${lang} ${key}`).not.toMatch(/\(s\)/);
    }
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
