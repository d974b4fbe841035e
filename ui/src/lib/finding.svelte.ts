// Find to redact: what the core found to redact across a case (or in one document), each hit kept or
// left by the user, then applied as one redacted copy per document. The core finds and redacts; this
// only holds the review: which hits are checked, the one shown in the viewer, the copies made.
import type { BoxInput, Evidence, FoundHit as Hit } from './bindings';
import { openViewer } from './viewer.svelte';

/** The patterns the core knows, in the order they are offered. */
export const PATTERNS = ['email', 'phone', 'iban', 'nir', 'ssn'] as const;

export const finding = $state<{
  /** The case searched, when the dialog is open. */
  caseSlug: string | null;
  /** The document searched when only one is (opened from the viewer's Redact mode). */
  only: { id: string; title: string } | null;
  hits: Hit[];
  /** Whether each hit (by its index in `hits`) is to be redacted. */
  checked: boolean[];
  /** The hit drawn over its page in the viewer. */
  shown: Hit | null;
  /** The reason the hits are redacted for (and its note, for "other"). */
  reason: string;
}>({ caseSlug: null, only: null, hits: [], checked: [], shown: null, reason: 'personal_data' });

/** Opens the dialog for the case `caseSlug`, searching all its documents or only `only`. */
export function openFinding(caseSlug: string, only: { id: string; title: string } | null = null) {
  finding.caseSlug = caseSlug;
  finding.only = only;
  finding.hits = [];
  finding.checked = [];
  finding.shown = null;
}

export function closeFinding() {
  finding.caseSlug = null;
  finding.hits = [];
  finding.checked = [];
  finding.shown = null;
}

/** A document's hits, each with its index in the list, in the order found (page after page). */
export interface DocumentHits {
  evidence: string;
  hits: { hit: Hit; index: number }[];
}

/** The hits grouped by document, the documents in the order the core found them. */
export function byDocument(hits: Hit[]): DocumentHits[] {
  const out: DocumentHits[] = [];
  hits.forEach((hit, index) => {
    let group = out.find((g) => g.evidence === hit.evidence);
    if (!group) out.push((group = { evidence: hit.evidence, hits: [] }));
    group.hits.push({ hit, index });
  });
  return out;
}

/** A hit as a box to redact for `reason` (with `note` when the reason is "other"). */
export function toBox(hit: Hit, reason: string, note: string): BoxInput {
  const { page, x, y, width, height } = hit;
  return { page, x, y, width, height, reason, note: reason === 'other' ? note.trim() : '' };
}

/** The boxes to redact in each document with a checked hit: one redacted copy each. */
export function toApply(hits: Hit[], checked: boolean[], reason: string, note: string): [string, BoxInput[]][] {
  return byDocument(hits)
    .map((g): [string, BoxInput[]] => [
      g.evidence,
      g.hits.filter(({ index }) => checked[index]).map(({ hit }) => toBox(hit, reason, note)),
    ])
    .filter(([, boxes]) => boxes.length > 0);
}

/** Opens the hit's page in the viewer with its box drawn over it. */
export function showHit(evidence: Evidence, hit: Hit) {
  openViewer(evidence, hit.page);
  finding.shown = hit;
}
