// What the document viewer shows: a piece of file evidence, the page it opens at, and the passage to
// mark (a citation followed back), and the original shown beside a redacted copy. One viewer at a
// time, over everything.
import type { Evidence, Quote } from './bindings';
import { stopRedacting } from './redact.svelte';

/** A document shown beside the one viewed, at the same page: a redacted copy's original. */
export interface Beside {
  id: string;
  title: string;
}

export const viewer = $state<{
  evidence: Evidence | null;
  page: number;
  quote: Quote | null;
  screenshot: boolean;
  beside: Beside | null;
}>({
  evidence: null,
  page: 1,
  quote: null,
  screenshot: false,
  beside: null,
});

/** Opens `evidence` in the viewer, at `page`, with `quote` marked. */
export function openViewer(evidence: Evidence, page = 1, quote: Quote | null = null) {
  viewer.evidence = evidence;
  viewer.page = Math.max(1, page);
  viewer.quote = quote;
  viewer.screenshot = false;
  viewer.beside = null;
  stopRedacting();
}

/** Opens a redacted copy in the viewer with its original beside it, page for page. */
export function openBeside(copy: Evidence, original: Beside, page = 1) {
  openViewer(copy, page);
  viewer.beside = original;
}

/** Opens a captured page's screenshot in the viewer, with the page's text beside it. */
export function openScreenshot(evidence: Evidence) {
  openViewer(evidence);
  viewer.screenshot = true;
}

export function closeViewer() {
  viewer.evidence = null;
  viewer.quote = null;
  viewer.beside = null;
  stopRedacting();
}

/** How the viewer shows a file: drawn by pdf.js, as a picture, or by the text read from it. */
export function viewerMode(mediaType: string | null): 'pdf' | 'image' | 'text' {
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType && ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(mediaType)) return 'image';
  return 'text';
}

/** One line with single spaces, as the core keeps a quote. */
export function oneLine(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * The passage `exact` within `pageText`, with up to 32 characters on each side, as a quote to cite;
 * the context is empty when the words are not found in the page's text (a selection across pages).
 */
export function quoteIn(
  pageText: string,
  exact: string,
  page: number,
): { page: number; exact: string; prefix: string; suffix: string } {
  const text = oneLine(pageText);
  const words = oneLine(exact);
  const at = text.indexOf(words);
  if (at < 0) return { page, exact: words, prefix: '', suffix: '' };
  return {
    page,
    exact: words,
    prefix: text.slice(Math.max(0, at - 32), at),
    suffix: text.slice(at + words.length, at + words.length + 32),
  };
}

/** Part of one piece of text: characters `from` to `to` of piece `index`. */
export interface Part {
  index: number;
  from: number;
  to: number;
}

/**
 * Where a quote is among pieces of text (the spans of a PDF's text layer, in order): the part of each
 * piece it covers, found in their text joined with single spaces. Case and spacing are ignored; when
 * the words are there more than once, the one after `prefix` is taken. Offsets are within each
 * piece's text on one line (`oneLine`).
 */
export function piecesOf(pieces: string[], quote: { exact: string; prefix?: string }): Part[] {
  const starts: number[] = [];
  let joined = '';
  for (const piece of pieces) {
    if (joined && !joined.endsWith(' ')) joined += ' ';
    starts.push(joined.length);
    joined += oneLine(piece);
  }
  const hay = joined.toLowerCase();
  const needle = oneLine(quote.exact).toLowerCase();
  if (!needle) return [];
  const prefix = oneLine(quote.prefix ?? '').toLowerCase();
  let at = prefix ? hay.indexOf(`${prefix} ${needle}`) : -1;
  at = at >= 0 ? at + prefix.length + 1 : hay.indexOf(needle);
  if (at < 0) return [];
  const end = at + needle.length;
  const out: Part[] = [];
  pieces.forEach((piece, index) => {
    const from = starts[index];
    const to = from + oneLine(piece).length;
    if (to > at && from < end) out.push({ index, from: Math.max(at, from) - from, to: Math.min(end, to) - from });
  });
  return out;
}
