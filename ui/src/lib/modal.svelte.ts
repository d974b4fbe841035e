// The one form shown at a time, over the current view.
import type { FormSpec } from './forms';
import { asApiError, type ApiError } from './api';

export const modal = $state<{ spec: FormSpec | null; error: ApiError | null }>({ spec: null, error: null });

/** Builds a form (which may need data) and shows it; a failure to build is shown instead. */
export async function openForm(build: Promise<FormSpec>) {
  try {
    modal.error = null;
    modal.spec = await build;
  } catch (e) {
    modal.error = asApiError(e);
  }
}

export function closeForm() {
  modal.spec = null;
}
