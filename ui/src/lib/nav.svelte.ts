// Where the user is: which case, which view, which record is open beside the list, which form is
// shown. Components read and change this one object; `bump()` asks views to reload after a write.
import type { RecordKind } from './bindings';
import type { MessageKey } from './i18n/index.svelte';

export type View = 'overview' | 'timeline' | 'correspondence' | 'allegations' | 'parties' | 'agreements' | 'evidence';
export const VIEWS: { id: View; label: MessageKey }[] = [
  { id: 'overview', label: 'tab.overview' },
  { id: 'timeline', label: 'tab.timeline' },
  { id: 'correspondence', label: 'tab.correspondence' },
  { id: 'allegations', label: 'tab.allegations' },
  { id: 'parties', label: 'tab.parties' },
  { id: 'agreements', label: 'tab.agreements' },
  { id: 'evidence', label: 'tab.evidence' },
];

/** A record opened beside the list: its kind and id. */
export interface Selection {
  kind: RecordKind;
  id: string;
}

export const nav = $state<{
  caseSlug: string | null;
  view: View;
  selected: Selection | null;
  /** Incremented after every write so views reload. */
  version: number;
}>({ caseSlug: null, view: 'timeline', selected: null, version: 0 });

export function bump() {
  nav.version += 1;
}

export function openCase(slug: string) {
  nav.caseSlug = slug;
  nav.view = 'timeline';
  nav.selected = null;
}
