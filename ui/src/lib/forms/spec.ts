// What a form is, as data: its fields, their order and choices, the values it starts with, and how
// it saves. `RecordForm.svelte` renders any FormSpec; the modules beside this one build them.
import { api, type RecordKind } from '../api';
import { word, type MessageKey } from '../i18n/index.svelte';
import { VOCABULARY, type VocabularyName } from '../vocabulary';

export type FieldType =
  | 'text'
  | 'textarea'
  | 'date'
  | 'select'
  | 'pick'
  | 'multi'
  | 'number'
  | 'list'
  | 'file'
  | 'savefile'
  | 'checkbox'
  | 'password';
export interface Option {
  value: string;
  label: string;
  /** A stored date shown beside the label, in words (a record's place on the timeline). */
  date?: string;
}
/** A page of the options whose label holds `text`, from `offset`, and how many match in all. */
export type Search = (text: string, offset: number) => Promise<{ total: number; items: Option[] }>;
export interface Field {
  name: string;
  label: MessageKey;
  type: FieldType;
  required?: boolean;
  options?: Option[];
  /** For a 'pick' field: where its options come from, as the user types. */
  search?: Search;
  /** Other names the core may give this input in an error (e.g. "tag" for the tags field). */
  errorKeys?: string[];
  /** For a file to write: the name the save dialog proposes, from the form's values. */
  suggest?: (values: Values) => string;
}
export type Values = Record<string, string | string[] | number>;
export interface Saved {
  caseSlug?: string;
  record?: { kind: RecordKind; id: string };
  /** A line to tell the user what happened (an export's file, an import's count). */
  message?: string;
  /** The form to show next, for a form of two steps (Capture page…: the address, then Capture). */
  next?: FormSpec;
}
export interface FormSpec {
  title: string;
  /** A paragraph under the title, for a form whose consequences need saying before it is sent. */
  intro?: string;
  /**
   * What the user should know before sending the form as it is now filled in (the private names a
   * publish export would carry), one line each; shown above the buttons.
   */
  warnings?: (values: Values) => { title: string; lines: string[]; hint: string } | null;
  fields: Field[];
  values: Values;
  /** What the save button says, when not Save. */
  saveLabel?: MessageKey;
  /** What Cancel does besides closing the form (closing the capture window). */
  cancel?: () => Promise<void>;
  /**
   * Saves; resolves to what to show next: a case to open, a record to open beside the list. A long
   * save (an import) tells `progress` how far it is, as a fraction from 0 to 1.
   */
  submit: (values: Values, progress: (fraction: number) => void) => Promise<Saved>;
  /**
   * For a long save the user may stop: asks it to stop (it then rejects, having written nothing), and
   * the message key that says so.
   */
  stop?: { ask: () => Promise<void>; said: MessageKey };
}

/** Every value of a closed vocabulary, in the core's order, as choices worded in the current language. */
export function vocab(group: VocabularyName): Option[] {
  const words: readonly { value: string }[] = VOCABULARY[group];
  return words.map((w) => ({ value: w.value, label: word(group, w.value) }));
}

// Readers of a field's value, whatever the input gave: forms hand the core plain strings, lists and numbers.
export const str = (v: Values[string] | undefined): string =>
  typeof v === 'string' ? v : v === undefined ? '' : String(v);
export const arr = (v: Values[string] | undefined): string[] => (Array.isArray(v) ? v : []);
export const list = (v: Values[string] | undefined): string[] =>
  str(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
export const num = (v: Values[string] | undefined): number => (typeof v === 'number' ? v : Number(v) || 0);

/** Every party Dossier knows, as choices (parties are shared by all cases). */
export async function partyOptions(): Promise<Option[]> {
  return (await api.listParties()).map((p) => ({ value: p.id, label: p.name }));
}

/**
 * The form's values with each date the core reads only in `lang` (05/06/2023 typed in French) replaced
 * by what it understood, so what is stored is what the date field showed. Other dates go as typed:
 * the core says on save why one is refused.
 */
export async function inLanguage(fields: Field[], values: Values, lang: string): Promise<Values> {
  const out = { ...values };
  for (const field of fields) {
    const text = typeof out[field.name] === 'string' ? (out[field.name] as string).trim() : '';
    if (field.type !== 'date' || !text) continue;
    try {
      const info = await api.describeDate(text, lang);
      if (info.by_language) out[field.name] = info.date;
    } catch {
      // Refused in every reading: left as typed for the core to explain.
    }
  }
  return out;
}
