// The only door from the UI to the backend: every command the shell exposes, typed with the
// bindings generated from Rust. Components call these functions, never `invoke` directly.
import { Channel, invoke } from '@tauri-apps/api/core';
import type * as B from './bindings';

export type * from './bindings';

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

/** How far an import is: `done` of `total`. */
export interface ImportProgress {
  done: number;
  total: number;
}

/** Whether the database is encrypted, and whether it is locked (the shell then refuses every read). */
export interface LockStatus {
  encrypted: boolean;
  locked: boolean;
}

const call = <T>(cmd: string, args?: Record<string, unknown>) => invoke<T>(cmd, args);

export const api = {
  listCases: () => call<B.CaseSummary[]>('list_cases'),
  getCaseOverview: (caseKey: string) => call<B.Overview>('get_case_overview', { case: caseKey }),
  createCase: (input: B.CaseInput) => call<B.Case>('create_case', { input }),
  updateCase: (caseKey: string, input: B.CaseInput, base?: string) =>
    call<B.Case>('update_case', { case: caseKey, input, base }),

  listParties: () => call<B.Party[]>('list_parties'),
  getParty: (party: string) => call<B.Party>('get_party', { party }),
  createParty: (input: B.PartyInput) => call<B.Party>('create_party', { input }),
  updateParty: (party: string, input: B.PartyInput, base?: string) =>
    call<B.Party>('update_party', { party, input, base }),
  deleteParty: (party: string) => call<void>('delete_party', { party }),
  listCaseRoles: (caseKey: string) => call<B.CaseRole[]>('list_case_roles', { case: caseKey }),
  addCaseRole: (caseKey: string, party: string, role: string, onBehalfOf: string | null) =>
    call<void>('add_case_role', { case: caseKey, party, role, onBehalfOf }),
  removeCaseRole: (caseKey: string, party: string, role: string) =>
    call<void>('remove_case_role', { case: caseKey, party, role }),

  listAgreements: (caseKey: string) => call<B.Agreement[]>('list_agreements', { case: caseKey }),
  getAgreement: (id: string) => call<B.Agreement>('get_agreement', { id }),
  createAgreement: (input: B.AgreementInput) => call<B.Agreement>('create_agreement', { input }),
  updateAgreement: (id: string, input: B.AgreementInput, base?: string) =>
    call<B.Agreement>('update_agreement', { id, input, base }),
  deleteAgreement: (id: string) => call<void>('delete_agreement', { id }),
  addClause: (agreement: string, input: B.ClauseInput) => call<B.Clause>('add_clause', { agreement, input }),
  updateClause: (id: string, input: B.ClauseInput) => call<B.Clause>('update_clause', { id, input }),
  deleteClause: (id: string) => call<void>('delete_clause', { id }),

  listThreadsPage: (caseKey: string, offset: number, limit: number) =>
    call<B.Listed<B.ThreadItem>>('list_threads_page', { case: caseKey, offset, limit }),
  listAllegationsPage: (caseKey: string, offset: number, limit: number) =>
    call<B.Listed<B.AllegationItem>>('list_allegations_page', { case: caseKey, offset, limit }),
  listEvidencePage: (caseKey: string, offset: number, limit: number) =>
    call<B.Listed<B.Evidence>>('list_evidence_page', { case: caseKey, offset, limit }),
  listAgreementsPage: (caseKey: string, offset: number, limit: number) =>
    call<B.Listed<B.Agreement>>('list_agreements_page', { case: caseKey, offset, limit }),
  listThreads: (caseKey: string) => call<B.ThreadItem[]>('list_threads', { case: caseKey }),
  getLetter: (id: string) => call<B.Letter>('get_letter', { id }),
  createLetter: (input: B.LetterInput) => call<B.Letter>('create_letter', { input }),
  updateLetter: (id: string, input: B.LetterInput, base?: string) =>
    call<B.Letter>('update_letter', { id, input, base }),
  deleteLetter: (id: string) => call<void>('delete_letter', { id }),

  listAllegations: (caseKey: string) => call<B.Allegation[]>('list_allegations', { case: caseKey }),
  getAllegation: (id: string) => call<B.Allegation>('get_allegation', { id }),
  createAllegation: (input: B.AllegationInput) => call<B.Allegation>('create_allegation', { input }),
  updateAllegation: (id: string, input: B.AllegationInput, base?: string) =>
    call<B.Allegation>('update_allegation', { id, input, base }),
  deleteAllegation: (id: string) => call<void>('delete_allegation', { id }),
  setAllegationStatus: (id: string, input: B.StatusInput) => call<B.Allegation>('set_allegation_status', { id, input }),

  getResponse: (id: string) => call<B.Response>('get_response', { id }),
  createResponse: (input: B.ResponseInput) => call<B.Response>('create_response', { input }),
  updateResponse: (id: string, input: B.ResponseInput, base?: string) =>
    call<B.Response>('update_response', { id, input, base }),
  deleteResponse: (id: string) => call<void>('delete_response', { id }),

  listEvents: (caseKey: string) => call<B.Event[]>('list_events', { case: caseKey }),
  getEvent: (id: string) => call<B.Event>('get_event', { id }),
  createEvent: (input: B.EventInput) => call<B.Event>('create_event', { input }),
  updateEvent: (id: string, input: B.EventInput, base?: string) => call<B.Event>('update_event', { id, input, base }),
  deleteEvent: (id: string) => call<void>('delete_event', { id }),

  getEvidence: (id: string) => call<B.Evidence>('get_evidence', { id }),
  addEvidenceFile: (input: B.FileInput) => call<B.Evidence>('add_evidence_file', { input }),
  createEvidence: (input: B.EvidenceInput) => call<B.Evidence>('create_evidence', { input }),
  updateEvidence: (id: string, input: B.EvidenceInput, base?: string) =>
    call<B.Evidence>('update_evidence', { id, input, base }),
  deleteEvidence: (id: string) => call<void>('delete_evidence', { id }),
  linkEvidence: (input: B.LinkInput) => call<B.Link>('link_evidence', { input }),
  unlinkEvidence: (evidence: string, record: string, pinpoint: string) =>
    call<void>('unlink_evidence', { evidence, record, pinpoint }),
  listRecordEvidence: (record: string) => call<[B.Evidence, B.Link][]>('list_record_evidence', { record }),
  openEvidence: (id: string) => call<void>('open_evidence', { id }),
  evidenceText: (id: string, page: number | null = null) => call<B.PageText[]>('get_evidence_text', { id, page }),
  readEvidenceText: (id: string) => call<void>('read_evidence_text', { id }),
  stopEvidenceReading: (id: string) => call<B.Evidence>('stop_evidence_reading', { id }),

  timelinePage: (caseKey: string, filter: B.Filter, after: string | null, limit: number) =>
    call<B.Page>('get_timeline_page', { case: caseKey, filter, after, limit }),
  timelineSlice: (caseKey: string, filter: B.Filter, from: number, skip: number, limit: number) =>
    call<B.Page>('get_timeline_slice', { case: caseKey, filter, from, skip, limit }),
  timelineOutline: (caseKey: string, filter: B.Filter) =>
    call<B.Outline>('get_timeline_outline', { case: caseKey, filter }),
  axis: (lo: number, hi: number, maxTicks: number) => call<B.Tick[]>('get_axis', { lo, hi, maxTicks }),
  describeDate: (text: string) => call<B.DateInfo>('describe_date', { text }),
  describeDates: (texts: string[]) => call<(B.DateInfo | null)[]>('describe_dates', { texts }),
  renderMarkdown: (text: string) => call<string>('render_markdown', { text }),

  search: (query: string, caseKey: string | null, limit = 100) =>
    call<B.Hit[]>('search_records', { query, case: caseKey, limit }),
  exportCase: (request: B.ExportRequest) => call<B.TransferReport>('export_case', { request }),
  /** The private parties a publish export of the case would still name in its free text. */
  checkPublishing: (caseKey: string) => call<B.PublishCheck>('check_publishing', { case: caseKey }),
  /** Imports a file; `onProgress` hears how far it is (bytes of a CSV, records of a bundle). */
  importFile: (request: B.ImportRequest, onProgress?: (p: ImportProgress) => void) => {
    const progress = new Channel<ImportProgress>();
    if (onProgress) progress.onmessage = onProgress;
    return call<B.TransferReport>('import_file', { request, progress });
  },
  /** Stops the running import; it then fails with `cancelled`, having written nothing. */
  cancelImport: () => call<void>('cancel_import'),

  // A passphrase goes to the shell and never comes back.
  getLockStatus: () => call<LockStatus>('get_lock_status'),
  unlock: (passphrase: string) => call<void>('unlock', { passphrase }),
  lock: () => call<void>('lock'),
  encryptDatabase: (passphrase: string) => call<B.EncryptReport>('encrypt_database', { passphrase }),
  listPlaintextCopies: () => call<B.Companion[]>('list_plaintext_copies'),
  changePassphrase: (old: string, next: string) => call<void>('change_passphrase', { old, new: next }),
  backupDatabase: (path: string) => call<B.BackupReport>('backup_database', { path }),
  getLastBackup: () => call<B.BackupReport | null>('get_last_backup'),
  checkRecord: () => call<B.CheckReport>('check_record'),
  getHistory: (id: string) => call<B.Change[]>('get_history', { id }),
  setPrivate: (id: string, isPrivate: boolean) => call<B.RecordKind>('set_private', { id, private: isPrivate }),
  chooseFile: () => call<string | null>('choose_file'),
  chooseSavePath: (suggested: string) => call<string | null>('choose_save_path', { suggested }),
};

/**
 * Where the viewer reads a PDF or a picture of the evidence store: the shell's `evidence:` protocol,
 * which finds the file from the evidence id (the page never names a path).
 */
export function evidenceUrl(id: string): string {
  return `evidence://localhost/${encodeURIComponent(id)}`;
}
