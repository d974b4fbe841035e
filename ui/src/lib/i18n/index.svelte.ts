// The current language and the functions that word the UI in it. The language follows the system
// (navigator.language) and can be switched; components read `t(key)` for UI text and `word(group,
// value)` for a vocabulary word, which comes from the core's own bilingual table so that the app and
// the reports say the same thing. Dates are never formatted here: the core sends them already written
// in both languages and `pick` chooses one.
import { VOCABULARY, type VocabularyName } from '../vocabulary';
import { en, type MessageKey } from './en';
import { fr } from './fr';

export type { MessageKey };
export type Lang = 'en' | 'fr';

export const messages: Record<Lang, Record<MessageKey, string>> = { en, fr };

function systemLang(): Lang {
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return nav.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export const i18n = $state<{ lang: Lang }>({ lang: systemLang() });

/** The message `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = messages[i18n.lang][key] ?? messages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** A message that counts: the name shared by its plural forms, `name.one` and `name.other`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Name}.other` ? Name : never }[MessageKey];

// One rule set per language, made once: Intl.PluralRules knows that French says "0 pièce" and
// English "0 pieces".
// A cache, not state: nothing renders from it.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** The plural form of `key` that the current language uses for `n`, with `{n}` and `params` filled. */
export function tn(key: PluralKey, n: number, params: Record<string, string | number> = {}): string {
  let rules = pluralRules.get(i18n.lang);
  if (!rules) pluralRules.set(i18n.lang, (rules = new Intl.PluralRules(i18n.lang)));
  const form = `${key}.${rules.select(n)}`;
  // The tables hold "one" and "other" only; any other category a language has (French "many" for
  // millions) reads as "other".
  return t(form in en ? (form as MessageKey) : `${key}.other`, { ...params, n: num(n) });
}

/** A vocabulary word by its stored value, e.g. `word('allegation_status', 'under_review')`. */
export function word(group: VocabularyName, value: string): string {
  const words: readonly { value: string; en: string; fr: string }[] = VOCABULARY[group];
  const found = words.find((w) => w.value === value);
  // A value this UI does not know (from a newer core) is shown readably rather than as a code.
  return found ? found[i18n.lang] : value.replace(/_/g, ' ');
}

/**
 * `text` with its first letter in upper case, for a vocabulary word (all lower case) shown as a label
 * or heading. Done here rather than in CSS so that what the user sees is also what a screen reader
 * reads and a test finds.
 */
export function capitalise(text: string): string {
  const [first = ''] = text;
  return first.toLocaleUpperCase(i18n.lang) + text.slice(first.length);
}

/** Chooses, from text the core already wrote in both languages, the one to show. */
export function pick<T = string>(texts: { en: T; fr: T }): T {
  return i18n.lang === 'fr' ? texts.fr : texts.en;
}

/** The message `key` with `params`, or null when the table has no such key. */
export function tryT(key: string, params: Record<string, string>): string | null {
  return key in en ? t(key as MessageKey, params) : null;
}

/** A fraction from 0 to 1 as a whole percentage, written the current language's way ("42%", "42 %"). */
export function percent(fraction: number): string {
  return new Intl.NumberFormat(i18n.lang, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** A count written the current language's way ("24,917", "24 917"). */
export function num(n: number): string {
  return n.toLocaleString(i18n.lang);
}
