// The forms for evidence: a URL or publication, a file to attach, and a link to a record it supports.
import { api } from '../api';
import type * as B from '../api';
import { capitalise, t, word } from '../i18n/index.svelte';
import { str, vocab, type FormSpec, type Search } from './spec';

export async function evidenceForm(caseSlug: string, existing?: B.Evidence): Promise<FormSpec> {
  // Files come in through attachForm, never through this form: editing one hides its kind and URL,
  // and a new record can only be a URL or a publication.
  const fileOnly = existing?.kind === 'file';
  const kinds = vocab('evidence_kind').filter((o) => o.value !== 'file');
  return {
    title: existing ? existing.title : t('evidence.add_url'),
    fields: [
      ...(fileOnly ? [] : [{ name: 'kind', label: 'field.kind', type: 'select', options: kinds } as const]),
      { name: 'title', label: 'field.title', type: 'text', required: true },
      ...(fileOnly ? [] : [{ name: 'url', label: 'field.url', type: 'text' } as const]),
      { name: 'publisher', label: 'field.publisher', type: 'text' },
      { name: 'date', label: 'field.date', type: 'date' },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: {
      kind: existing?.kind ?? 'url',
      title: existing?.title ?? '',
      url: existing?.url ?? '',
      publisher: existing?.publisher ?? '',
      date: existing?.date ?? '',
      note: existing?.note ?? '',
    },
    submit: async (v) => {
      const input: B.EvidenceInput = {
        case: caseSlug,
        kind: str(v.kind),
        title: str(v.title),
        url: str(v.url),
        publisher: str(v.publisher),
        date: str(v.date),
        note: str(v.note),
      };
      const saved = existing
        ? await api.updateEvidence(existing.id, input, existing.updated_at)
        : await api.createEvidence(input);
      return { record: { kind: 'evidence', id: saved.id } };
    },
  };
}

/**
 * Links evidence to one of the case's records, found by typing a few letters of its title (the core
 * reads every record of the case, a page at a time); with a `quote` (a passage selected in the
 * viewer), the link cites it, and the pinpoint may be left empty.
 */
export async function linkForm(
  caseSlug: string,
  evidence: B.Evidence,
  quote: B.QuoteInput | null = null,
): Promise<FormSpec> {
  const search: Search = async (text, offset) => {
    const page = await api.linkableRecords(caseSlug, text, offset, PICK_PAGE);
    return {
      total: page.total,
      items: page.items.map((r) => ({
        value: r.id,
        label: `${capitalise(word('record_kind', r.kind))}: ${r.title}`,
        date: r.date ?? undefined,
      })),
    };
  };
  return {
    title: quote ? t('viewer.cite_title') : t('evidence.link'),
    intro: quote ? quoted(quote) : undefined,
    fields: [
      { name: 'record', label: 'field.record', type: 'pick', search, required: true },
      { name: 'pinpoint', label: 'field.pinpoint', type: 'text' },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { record: '', pinpoint: '', note: '' },
    submit: async (v) => {
      await api.linkEvidence({
        evidence: evidence.id,
        record: str(v.record),
        pinpoint: str(v.pinpoint),
        note: str(v.note),
        quote: quote ?? undefined,
      });
      return { record: { kind: 'evidence', id: evidence.id } };
    },
  };
}

/** How many records the link picker shows before "More". */
const PICK_PAGE = 50;

/** A quote as the reader sees it: “the words” (p. 2). */
export function quoted(q: { exact: string; page?: number | null }): string {
  return q.page ? `“${q.exact}” (${t('viewer.page_short', { n: String(q.page) })})` : `“${q.exact}”`;
}

/** Attaches a file: a path typed or pasted, or chosen with the system dialog (the Browse button). */
export async function attachForm(caseSlug: string, path = ''): Promise<FormSpec> {
  return {
    title: t('evidence.attach'),
    fields: [
      { name: 'path', label: 'field.file', type: 'file', required: true, errorKeys: ['file'] },
      { name: 'title', label: 'field.title', type: 'text' },
      { name: 'date', label: 'field.date', type: 'date' },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { path, title: '', date: '', note: '' },
    submit: async (v) => {
      const saved = await api.addEvidenceFile({
        case: caseSlug,
        path: str(v.path),
        title: str(v.title),
        date: str(v.date),
        note: str(v.note),
      });
      return { record: { kind: 'evidence', id: saved.id } };
    },
  };
}

/**
 * Captures a web page as evidence, in two steps: the address (with a title and note) opens the page
 * in the shell's capture window, drawn by the app's own WebKit; the second step waits while the user
 * readies the page there, then Capture has the shell take it from that window (the page as WebKit
 * received it, the whole page drawn, its text as shown) for the core to keep. Cancel closes the window.
 */
export async function captureForm(caseSlug: string): Promise<FormSpec> {
  return {
    title: t('evidence.capture_title'),
    intro: t('evidence.capture_intro'),
    saveLabel: 'evidence.capture_open',
    fields: [
      { name: 'url', label: 'field.url', type: 'text', required: true, errorKeys: ['url'] },
      { name: 'title', label: 'field.title', type: 'text' },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { url: '', title: '', note: '' },
    submit: async (v) => {
      const url = str(v.url).trim();
      await api.openPageCapture(url);
      return { next: captureWaiting(caseSlug, url, str(v.title), str(v.note)) };
    },
  };
}

/** The second step of Capture page…: the page is open in the capture window; Capture or Cancel. */
function captureWaiting(caseSlug: string, url: string, title: string, note: string): FormSpec {
  return {
    title: t('evidence.capture_open_title', { url }),
    intro: t('evidence.capture_waiting'),
    saveLabel: 'evidence.capture_take',
    fields: [],
    values: {},
    submit: async () => {
      const saved = await api.takePageCapture(caseSlug, title, note);
      return { record: { kind: 'evidence', id: saved.id } };
    },
    cancel: () => api.cancelPageCapture(),
  };
}
