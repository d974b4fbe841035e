// The only door from the UI to the backend: every command the shell exposes, as the functions
// generated from the commands themselves (commands.ts, typed with bindings.ts), and beside them what is
// more than a call: the error helpers and the wrappers that do more than invoke. Components call
// `api.…`, never `invoke` directly.
import { Channel } from '@tauri-apps/api/core';
import type * as B from './bindings';
import * as commands from './commands';
import type { Progress } from './commands';

export type * from './bindings';
export type { About, LockStatus, Progress } from './commands';

/** The error every command rejects with. Branch on `code`, never on `message`. */
export interface ApiError {
  code: B.ErrorCode;
  message: string;
  field: string | null;
  /** A message key the UI can say in the user's language ("required", "date.no_such_day"). */
  key?: string | null;
  /** The value that key's message quotes. */
  value?: string | null;
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

/** Turns anything thrown into an ApiError (a rejected invoke already is one). */
export function asApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  return { code: 'internal', message: String(e), field: null };
}

/**
 * What to tell the user about an error, in their language when the core gave a message key this UI
 * knows; otherwise the core's own (English) message, which always names the value at fault.
 */
export function explain(e: ApiError, say: (key: string, params: Record<string, string>) => string | null): string {
  if (e.key) {
    const said = say(`error.${e.key}`, { value: e.value ?? '' });
    if (said) return said;
  }
  return e.message;
}

/** A channel the shell tells a transfer's progress on, heard by `onProgress` if given. */
function channel(onProgress?: (p: Progress) => void): Channel<Progress> {
  const progress = new Channel<Progress>();
  if (onProgress) progress.onmessage = onProgress;
  return progress;
}

export const api = {
  ...commands,
  /** Imports a file; `onProgress` hears how far it is (bytes of a CSV; bytes of a bundle, read twice). */
  importFile: (request: B.ImportRequest, onProgress?: (p: Progress) => void) =>
    commands.importFile(request, channel(onProgress)),
  /** Exports a case; `onProgress` hears how far it is (the report's blocks and rows). */
  exportCase: (request: B.ExportRequest, onProgress?: (p: Progress) => void) =>
    commands.exportCase(request, channel(onProgress)),
  /** Makes a production's volume inside `folder` (from the folder dialog); `onProgress` hears its documents. */
  produceDocuments: (input: B.ProduceInput, folder: string, onProgress?: (p: Progress) => void) =>
    commands.produceDocuments(input, folder, channel(onProgress)),
  /** Finds what to redact in a case or one document; `onProgress` hears the documents searched. */
  findRedactions: (caseKey: string, evidence: string | null, input: B.FindInput, onProgress?: (p: Progress) => void) =>
    commands.findRedactions(caseKey, evidence, input, channel(onProgress)),
  /** Writes a hearing bundle to `path` (from the save dialog); `onProgress` hears its documents. */
  makeHearingBundle: (input: B.HearingInput, path: string, onProgress?: (p: Progress) => void) =>
    commands.makeHearingBundle(input, path, channel(onProgress)),
};

/**
 * Where the viewer reads a PDF or a picture of the evidence store: the shell's `evidence:` protocol,
 * which finds the file from the evidence id (the page never names a path).
 */
export function evidenceUrl(id: string): string {
  return `evidence://localhost/${encodeURIComponent(id)}`;
}

/** Where the viewer reads a captured page's screenshot, by the evidence id (never a path). */
export function screenshotUrl(id: string): string {
  return `${evidenceUrl(id)}/screenshot`;
}
