// The current language and the functions that word the UI in it. The language follows the system
// (navigator.language) and can be switched; components read `t(key)`. Dates are never formatted
// here: the core sends them already written in both languages and `pick` chooses one.
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

/** A vocabulary word (status, role, channel…) by its stored value, e.g. `word('status', 'under_review')`. */
export function word(
  group: 'status' | 'case_status' | 'role' | 'party_kind' | 'channel' | 'stance' | 'certainty' | 'kind' | 'evidence_kind',
  value: string,
): string {
  const key = `${group}.${value}` as MessageKey;
  return key in en ? t(key) : value.replace(/_/g, ' ');
}

/** Chooses, from text the core already wrote in both languages, the one to show. */
export function pick(texts: { en: string; fr: string }): string {
  return i18n.lang === 'fr' ? texts.fr : texts.en;
}

/** The message `key` with `params`, or null when the table has no such key. */
export function tryT(key: string, params: Record<string, string>): string | null {
  return key in en ? t(key as MessageKey, params) : null;
}
