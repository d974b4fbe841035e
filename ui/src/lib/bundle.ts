// The hearing bundle as the dialog edits it: ordered sections of ordered documents. Moving a section
// or a document (by dragging, or with the buttons that do the same from the keyboard) goes through
// these functions, which return new lists and never lose or repeat a document.
import type { CaseDocument, HearingInput } from './bindings';

export interface Section {
  /** Stable while the section is edited (its title can change). */
  key: number;
  title: string;
  documents: CaseDocument[];
}

/** Where a document is: its section's index and its own. */
export interface Place {
  section: number;
  index: number;
}

/** The section's letter in the bundle: A…Z, then AA…ZZ, as the core writes it. */
export function tab(i: number): string {
  const letter = (n: number) => String.fromCharCode(65 + (n % 26));
  return i < 26 ? letter(i) : letter(Math.floor(i / 26) - 1) + letter(i);
}

/** `list` with its item at `from` moved to `to` (an index of the list as it is before the move). */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to > from ? to - 1 : to, out.length)), 0, item);
  return out;
}

/**
 * The sections with the document at `from` moved to `to`: before the document at `to.index` of
 * section `to.section` (its end when the index is past the last), counted as the sections stand before
 * the move.
 */
export function moveDocument(sections: readonly Section[], from: Place, to: Place): Section[] {
  const source = sections[from.section];
  const doc = source?.documents[from.index];
  if (!doc || !sections[to.section]) return [...sections];
  if (from.section === to.section) {
    return sections.map((s, i) =>
      i === from.section ? { ...s, documents: moved(s.documents, from.index, to.index) } : s,
    );
  }
  return sections.map((s, i) => {
    if (i === from.section) return { ...s, documents: s.documents.filter((_, j) => j !== from.index) };
    if (i === to.section) {
      const documents = [...s.documents];
      documents.splice(Math.min(to.index, documents.length), 0, doc);
      return { ...s, documents };
    }
    return s;
  });
}

/** One step up (-1) or down (+1) for the document at `at`, into the next section past either end. */
export function stepDocument(sections: readonly Section[], at: Place, step: -1 | 1): Section[] {
  const length = sections[at.section]?.documents.length ?? 0;
  const index = at.index + step;
  if (index >= 0 && index < length) {
    return moveDocument(sections, at, { section: at.section, index: step > 0 ? index + 1 : index });
  }
  const section = at.section + step;
  if (section < 0 || section >= sections.length) return [...sections];
  // Past the first document: to the end of the section above; past the last: to the start of the next.
  return moveDocument(sections, at, { section, index: step < 0 ? sections[section].documents.length : 0 });
}

/** Whether the document `id` is in any section. */
export function holds(sections: readonly Section[], id: string): boolean {
  return sections.some((s) => s.documents.some((d) => d.id === id));
}

/** What the core is asked to make. */
export function hearingInput(caseSlug: string, sections: readonly Section[], lang: string): HearingInput {
  return {
    case: caseSlug,
    sections: sections.map((s) => ({ title: s.title, evidence: s.documents.map((d) => d.id) })),
    lang,
  };
}
