// What every view does to show the core's data: fetch it, fetch it again after each write, and keep
// the error if it fails. Views state only what they fetch: `load(() => api.listThreads(caseSlug), [])`.
import { asApiError, type ApiError } from './api';
import { nav } from './nav.svelte';

export interface Loaded<T> {
  /** The answer to the latest fetch, or the initial value before it arrives and after it fails. */
  readonly data: T;
  readonly error: ApiError | null;
}

/**
 * Calls `fetch` now, again after every write (`nav.version`), and again whenever anything it reads
 * before its first `await` changes (a case slug, a record id). Only the latest call's answer is kept,
 * so a slow answer for the previous case never replaces the current one. A failure resets the data,
 * so nothing from before is shown as if it were current. Call it while a component initialises.
 */
export function load<T, I = T>(fetch: () => Promise<T>, initial: I): Loaded<T | I> {
  // Raw state: answers are replaced whole, never mutated, so there is nothing to proxy deeply.
  let data = $state.raw<T | I>(initial);
  let error = $state.raw<ApiError | null>(null);
  let latest = 0;

  $effect(() => {
    void nav.version;
    const call = ++latest;
    fetch().then(
      (answer) => {
        if (call !== latest) return;
        data = answer;
        error = null;
      },
      (e: unknown) => {
        if (call !== latest) return;
        data = initial;
        error = asApiError(e);
      },
    );
  });

  return {
    get data() {
      return data;
    },
    get error() {
      return error;
    },
  };
}
