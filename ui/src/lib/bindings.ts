// Generated from the Rust types by core/tests/it/bindings.rs. Do not edit.

export type ErrorCode = "invalid_input" | "not_found" | "conflict" | "schema_too_new" | "io" | "database" | "tampered" | "locked" | "busy" | "cancelled" | "offline" | "rejected" | "revoked" | "rolled_back" | "internal";

export type CaseStatus = "open" | "in_litigation" | "dormant" | "settled" | "closed";

export type AllegationStatus = "alleged" | "under_review" | "disputed" | "admitted" | "withdrawn" | "upheld" | "dismissed";

export type Role = "claimant" | "respondent" | "counsel" | "third_party" | "regulator" | "court" | "reporter" | "source" | "witness" | "other";

export type PartyKind = "organisation" | "person" | "public_body" | "court" | "media";

export type Channel = "letter" | "email" | "press_statement" | "social_media" | "court_filing" | "call" | "meeting" | "other";

export type Recipient = "to" | "cc";

export type Stance = "denies" | "admits" | "partly_admits" | "will_review" | "no_comment";

export type Certainty = "confirmed" | "reported" | "alleged" | "rumoured";

export type DeadlineState = "open" | "answered" | "overdue";

export type EvidenceKind = "file" | "url" | "publication";

export type EntryKind = "agreement_effective" | "agreement_terminated" | "event" | "letter" | "allegation" | "response" | "status_change" | "deadline" | "evidence";

export type RecordKind = "case" | "party" | "agreement" | "clause" | "letter" | "allegation" | "response" | "event" | "evidence";

export type Format = "md" | "html" | "docx" | "pdf" | "csv" | "json" | "ics" | "site" | "timelinejs" | "eml" | "mbox" | "xlsx" | "ods" | "msg" | "pst" | "warc" | "mhtml" | "privilege-log" | "redaction-log";

export type TextMethod = "plain" | "pdf" | "ocr" | "pdf_ocr" | "docx" | "odt";

export type TextState = "pending" | "done" | "failed" | "unsupported" | "stopped";

export type ErasureReason = "clawback" | "source_protection" | "erasure_request" | "received_in_error" | "other";

export type PrivilegeBasis = "legal_advice" | "litigation" | "work_product" | "professional_secrecy" | "other";

export type RedactionReason = "personal_data" | "privilege" | "third_party" | "commercial" | "other";

export type CaseInput = { 
/**
 * Left empty, the slug is made from the title.
 */
slug: string, title: string, 
/**
 * Left empty, a new case is "open".
 */
status: string, summary: string, tags: Array<string>, };

export type Case = { id: string, slug: string, title: string, status: CaseStatus, summary: string, tags: Array<string>, created_at: string, updated_at: string, };

export type CaseSummary = { case: Case, 
/**
 * Claimants and respondents.
 */
main_parties: Array<CaseRole>, 
/**
 * When anything in the case last changed (RFC 3339).
 */
last_activity: string, 
/**
 * The day of the last activity in words.
 */
last_activity_en: string, last_activity_fr: string, open_deadlines: number, 
/**
 * Records in the case, the case itself not counted.
 */
records: number, };

export type Overview = { case: Case, 
/**
 * The summary rendered from Markdown and sanitized.
 */
summary_html: string, roles: Array<CaseRole>, 
/**
 * Open allegations (alleged, under review, disputed), in date order.
 */
open_allegations: Array<AllegationBrief>, 
/**
 * Every status with how many allegations are in it now.
 */
status_counts: Array<StatusCount>, deadlines: Array<Deadline>, counts: Counts, };

export type AllegationBrief = { id: string, summary: string, status: AllegationStatus, made_by: string, against: string, date: string, };

export type StatusCount = { status: AllegationStatus, count: number, };

export type Counts = { parties: number, agreements: number, letters: number, allegations: number, responses: number, events: number, evidence: number, };

export type PartyInput = { name: string, kind: string, description: string, aliases: Array<string>, affiliations: Array<AffiliationInput>, };

export type AffiliationInput = { organisation: string, role: string, };

export type Party = { id: string, name: string, kind: PartyKind, description: string, aliases: Array<string>, affiliations: Array<Affiliation>, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, created_at: string, updated_at: string, };

export type Affiliation = { organisation_id: string, organisation: string, role: string, };

export type CaseRole = { party_id: string, name: string, kind: PartyKind, role: Role, on_behalf_of_id: string | null, on_behalf_of: string | null, };

export type AgreementInput = { case: string, title: string, 
/**
 * What sort of agreement: "API licence", "NDA", "settlement".
 */
kind: string, parties: Array<string>, effective: string, terminated: string, terms: string, };

export type ClauseInput = { reference: string, text: string, };

export type Agreement = { id: string, case_id: string, title: string, kind: string, parties: Array<PartyRef>, effective: string | null, terminated: string | null, terms: string, clauses: Array<Clause>, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, created_at: string, updated_at: string, };

export type Clause = { id: string, agreement_id: string, reference: string, text: string, 
/**
 * Orders the clauses of an agreement.
 */
position: number, };

export type LetterInput = { case: string, 
/**
 * Left empty: "letter".
 */
channel: string, 
/**
 * Party key of the sending organisation (or person writing for themselves).
 */
sender: string, 
/**
 * Party key of the person who signed or spoke, if known.
 */
sender_person: string, to: Array<string>, cc: Array<string>, subject: string, body: string, date: string, 
/**
 * When an answer is due; empty for none (or when `deadline_rule` counts it).
 */
deadline: string, 
/**
 * When the letter was received, if not on its date: a deadline rule counts from it. Empty for none.
 */
received: string, 
/**
 * A deadline counted by rule instead of typed: a period (`15d`, `10bd`, `2w`, `1m`) from receipt,
 * or from the letter's date, in `calendar`. The deadline is then computed, and recomputed whenever
 * the letter changes. Empty for none.
 */
deadline_rule: string, 
/**
 * The courts' calendar the rule counts in: `fr`, `ew` or `us`.
 */
calendar: string, 
/**
 * Id of an event of the case the rule counts from (a hearing), instead of receipt or the letter's
 * date: the deadline then follows the event's date. Empty for none.
 */
deadline_event: string, 
/**
 * The rule counts back from its event (a brief due 10 days before the hearing).
 */
deadline_before: boolean, 
/**
 * Served by mail: the US federal calendar's three more days (FRCP 6(d)).
 */
deadline_mail: boolean, 
/**
 * Id of the letter this one answers.
 */
in_reply_to: string, tags: Array<string>, position: number, 
/**
 * The e-mail's Message-ID, for letters imported from e-mail: replies find what they answer by it.
 */
message_id: string, 
/**
 * For an e-mail: its From, To and Cc addresses as written, whichever parties they were filed under.
 */
addresses: Array<Address>, };

export type Address = { 
/**
 * `from`, `to` or `cc`.
 */
field: string, 
/**
 * The display name, as written (empty when there was none).
 */
name: string, 
/**
 * The address itself (empty when the header had only a name).
 */
address: string, };

export type Letter = { id: string, case_id: string, channel: Channel, sender: PartyRef, sender_person: PartyRef | null, to: Array<PartyRef>, cc: Array<PartyRef>, subject: string, body: string, date: string, deadline: string | null, received: string | null, 
/**
 * The period the deadline is counted by (`15d`), when it is counted rather than typed.
 */
deadline_rule: string | null, 
/**
 * The calendar of `deadline_rule`: `fr`, `ew` or `us`.
 */
calendar: string | null, 
/**
 * Id of the event the rule counts from, if not from receipt.
 */
deadline_event: string | null, 
/**
 * Counted back from the event.
 */
deadline_before: boolean, 
/**
 * With the three days for service by mail (US federal courts).
 */
deadline_mail: boolean, 
/**
 * The rule in words ("15 days from receipt, France").
 */
rule_en: string | null, rule_fr: string | null, in_reply_to: string | null, 
/**
 * Ids of the letters that answer this one.
 */
replies: Array<string>, tags: Array<string>, position: number, message_id: string | null, addresses: Array<Address>, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, created_at: string, updated_at: string, };

export type Deadline = { letter_id: string, subject: string, sender: string, deadline: string, deadline_en: string, deadline_fr: string, 
/**
 * How it is counted, in words ("15 days from receipt, France"), when a rule counts it.
 */
rule_en: string | null, rule_fr: string | null, 
/**
 * Answered (a later letter replies to it), overdue (unanswered and the whole deadline window has
 * passed), or open.
 */
state: DeadlineState, };

export type Upcoming = { case_slug: string, case_title: string, deadline: Deadline, 
/**
 * Whole days from today to the deadline's first day (negative once it has begun or passed).
 */
days_left: number, };

export type CountedFrom = { letter_id: string, subject: string, deadline: string | null, };

export type PrivilegeInput = { 
/**
 * `legal_advice`, `litigation`, `work_product`, `professional_secrecy` or `other`.
 */
basis: string, 
/**
 * What the privilege log says of it, without revealing its content ("Legal advice on the API
 * licence"); required for `other`.
 */
description: string, };

export type Privilege = { basis: PrivilegeBasis, description: string, };

export type ThreadItem = { depth: number, letter: Letter, };

export type AllegationInput = { case: string, made_by: string, against: string, 
/**
 * Id of the letter or event in which it was raised.
 */
raised_in: string, 
/**
 * Id of the agreement it invokes, when it cites no clause in particular.
 */
agreement: string, 
/**
 * Ids of the clauses it cites.
 */
clauses: Array<string>, summary: string, detail: string, 
/**
 * When it was raised; left empty, the date of the letter or event it was raised in.
 */
date: string, tags: Array<string>, attributions: Array<AttributionInput>, position: number, };

export type StatusInput = { status: string, date: string, note: string, 
/**
 * Orders this entry among timeline items of the same date.
 */
position: number, };

export type Allegation = { id: string, case_id: string, made_by: PartyRef, against: PartyRef, raised_in: RaisedIn | null, agreement_id: string | null, clauses: Array<Clause>, summary: string, detail: string, date: string, status: AllegationStatus, history: Array<StatusEntry>, 
/**
 * Ids of the responses that answer it.
 */
responses: Array<string>, tags: Array<string>, attributions: Array<Attribution>, position: number, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, created_at: string, updated_at: string, };

export type RaisedIn = { 
/**
 * A letter or an event.
 */
kind: RecordKind, id: string, title: string, };

export type StatusEntry = { 
/**
 * Entries are numbered in the order they were recorded.
 */
id: number, status: AllegationStatus, date: string, note: string, 
/**
 * Orders this entry among timeline items of the same date.
 */
position: number, };

export type ResponseInput = { 
/**
 * Ids of the allegations answered; all must be in one case.
 */
allegations: Array<string>, by: string, 
/**
 * Id of the letter or statement that carries the answer.
 */
letter: string, stance: string, text: string, 
/**
 * Left empty, the date of the letter.
 */
date: string, tags: Array<string>, attributions: Array<AttributionInput>, position: number, };

export type Response = { id: string, case_id: string, allegations: Array<string>, by: PartyRef, letter_id: string | null, stance: Stance, text: string, date: string, tags: Array<string>, attributions: Array<Attribution>, position: number, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, created_at: string, updated_at: string, };

export type EventInput = { 
/**
 * Case slug or id.
 */
case: string, title: string, date: string, description: string, 
/**
 * Party keys (id, name or alias).
 */
parties: Array<string>, tags: Array<string>, attributions: Array<AttributionInput>, 
/**
 * Orders events that share a date; lower first.
 */
position: number, };

export type Event = { id: string, case_id: string, title: string, date: string, description: string, parties: Array<PartyRef>, tags: Array<string>, attributions: Array<Attribution>, position: number, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, 
/**
 * The letters whose deadline counts from this event (a hearing): they move when it does.
 */
deadlines: Array<CountedFrom>, created_at: string, updated_at: string, };

export type PartyRef = { id: string, name: string, };

export type EvidenceInput = { case: string, 
/**
 * "url" or "publication".
 */
kind: string, title: string, url: string, publisher: string, 
/**
 * Publication or capture date.
 */
date: string, note: string, };

export type FileInput = { case: string, path: string, 
/**
 * Left empty, the file's name.
 */
title: string, date: string, note: string, };

export type LinkInput = { evidence: string, record: string, pinpoint: string, note: string, 
/**
 * The passage cited, when it was selected in the document.
 */
quote?: QuoteInput, };

export type Evidence = { id: string, case_id: string, kind: EvidenceKind, title: string, note: string, sha256: string | null, size: number | null, media_type: string | null, original_name: string | null, url: string | null, publisher: string | null, date: string | null, 
/**
 * The records this evidence supports.
 */
links: Array<Link>, 
/**
 * Kept out of what is published ([`crate::record::privacy`]).
 */
private: boolean, 
/**
 * Where the reading of its file's text stands (`None` for a URL or a publication).
 */
text: FileText | null, 
/**
 * What a captured web page keeps beside its archive (`None` for any other evidence).
 */
capture: Capture | null, 
/**
 * The original this is a redacted copy of, and its boxes (`None` for any other evidence).
 */
redacted_from: RedactedFrom | null, 
/**
 * The redacted copies made of this evidence, oldest first.
 */
redacted_copies: Array<RedactedCopy>, created_at: string, updated_at: string, };

export type Capture = { 
/**
 * "warc" or "mhtml".
 */
format: string, 
/**
 * The address asked for.
 */
url: string, 
/**
 * The page's address after redirects.
 */
final_url: string, 
/**
 * When the page was received (UTC, RFC 3339).
 */
captured_at: string, 
/**
 * The HTTP status of the page's response (none in an MHTML file).
 */
status: number | null, 
/**
 * The software that made the archive, as the archive names it.
 */
made_by: string, 
/**
 * The page's text, a file of its own.
 */
text: CapturePart, 
/**
 * The screenshot of the whole page, when there is one.
 */
screenshot: CapturePart | null, 
/**
 * How the screenshot was taken, or why there is none (as written when it was taken, in English).
 */
screenshot_note: string, 
/**
 * The same in French ([`note_in_french`]).
 */
screenshot_note_fr: string, };

export type CapturePart = { sha256: string, size: number, };

export type RedactedFrom = { original_id: string, original_title: string, made_at: string, boxes: Array<RedactedBox>, };

export type RedactedCopy = { id: string, title: string, made_at: string, };

export type RedactedBox = { page: number, x: number, y: number, width: number, height: number, reason: RedactionReason, note: string, };

export type RedactInput = { 
/**
 * The evidence whose file is redacted (a PDF).
 */
evidence: string, boxes: Array<BoxInput>, 
/**
 * The language of the boxes' labels and the copy's title: `en` or `fr` (English when empty).
 */
lang: string, };

export type BoxInput = { 
/**
 * The page, from 1.
 */
page: number, x: number, y: number, width: number, height: number, 
/**
 * `personal_data` (when empty), `privilege`, `third_party`, `commercial` or `other`.
 */
reason: string, 
/**
 * What "other" means, or a note for the log.
 */
note: string, };

export type FindInput = { words: Array<string>, parties: Array<string>, patterns: Array<string>, };

export type FoundHit = { evidence: string, 
/**
 * The page, from 1.
 */
page: number, x: number, y: number, width: number, height: number, 
/**
 * The words found, as the page has them.
 */
text: string, 
/**
 * The query that found it: the words, the party's name or alias, or the pattern's name.
 */
query: string, };

export type Link = { evidence_id: string, record_id: string, record_kind: RecordKind, record_title: string, pinpoint: string, note: string, quote: Quote | null, };

export type QuoteInput = { page?: number, exact: string, prefix: string, suffix: string, };

export type Quote = { page: number | null, exact: string, prefix: string, suffix: string, 
/**
 * Whether the words were found in the document's text, as it stands now: a quote whose document
 * has no known text is shown as "not checked against the document".
 */
check: QuoteCheck, };

export type QuoteCheck = "found" | "not_found" | "unchecked";

export type FileText = { state: TextState, method: TextMethod | null, 
/**
 * Pages read (a text file or an e-mail is one).
 */
pages: number, 
/**
 * Whether the pages are the file's own (a PDF's, a document's), worth naming in a citation.
 */
paged: boolean, 
/**
 * Why it could not be read, or what of it could not (a scanned page OCR failed on), in English;
 * empty otherwise.
 */
error: string, };

export type PageText = { page: number, text: string, };

export type AttributionInput = { 
/**
 * Party key (id, name or alias) of who asserts it; may be empty when only the source is known.
 */
asserted_by: string, 
/**
 * Party key of the source that reports it (a newspaper, an agency).
 */
reported_by: string, 
/**
 * How it was reported: "first reported the letter", "statement to Reuters".
 */
how: string, certainty: string, };

export type Attribution = { asserted_by_id: string | null, asserted_by: string | null, reported_by_id: string | null, reported_by: string | null, how: string, certainty: Certainty, 
/**
 * The attribution worded in English and in French, so that the app says what the reports and the
 * CLI say (`describe`); the app only lays the pieces out.
 */
en: Worded, fr: Worded, };

export type Worded = { before: string, certainty: string, after: string, };

export type Filter = { 
/**
 * Entry kinds (comma-separated lists accepted); "agreement" stands for both agreement dates.
 */
kinds: Array<string>, party: string | null, tag: string | null, from: string | null, to: string | null, 
/**
 * Words the entry's title must contain (case-insensitive).
 */
text: string | null, };

export type Entry = { 
/**
 * Unique per entry (a letter and its deadline are two entries of one record).
 */
id: string, kind: EntryKind, 
/**
 * The record the entry opens.
 */
record_id: string, 
/**
 * The kind of that record (a deadline opens its letter).
 */
record_kind: RecordKind, 
/**
 * The date as recorded, e.g. "2023-03" or "~2023-04".
 */
date: string, date_en: string, date_fr: string, precision: string, qualifier: string, 
/**
 * Whether the date is anything but an exact day or instant, so a front end can show it as a range.
 */
fuzzy: boolean, 
/**
 * Bounds in Unix seconds (UTC); `None` is unbounded. `hi` is exclusive.
 */
lo: number | null, hi: number | null, title: string, 
/**
 * For status changes: the new status.
 */
status: AllegationStatus | null, parties: Array<string>, attribution: Array<Attribution>, 
/**
 * How many pieces of evidence support the record (each counted once, whatever its pinpoints).
 */
evidence_count: number, 
/**
 * Whether the entry's record is private (kept out of what is published).
 */
private: boolean, 
/**
 * The month the entry is filed under (the month of its sort key).
 */
group: Group, 
/**
 * Pass as `after` to get the entries that follow this one.
 */
cursor: string, };

export type Page = { entries: Array<Entry>, 
/**
 * The cursor of the last entry when more may follow.
 */
next: string | null, };

export type Outline = { total: number, 
/**
 * The months that hold at least one entry, in timeline order.
 */
months: Array<MonthCount>, };

export type Listed<T> = { total: number, offset: number, items: Array<T>, };

export type Upgrade = { from: number, to: number, 
/**
 * The whole database as it was before the upgrade (`<db>.before-v<N>-<time>`).
 */
backup: string, };

export type Linkable = { id: string, kind: RecordKind, title: string, 
/**
 * The date the record stands at on the timeline (stored form), if it stands there.
 */
date: string | null, };

export type AllegationItem = { allegation: Allegation, 
/**
 * The responses to it, in date order.
 */
responses: Array<Response>, };

export type MonthCount = { group: Group, count: number, 
/**
 * The month's first second and the first second of the next month (Unix seconds, UTC): every
 * entry filed under the month has its sort key in `[lo, hi)`.
 */
lo: number, hi: number, };

export type DateInfo = { 
/**
 * Canonical text, as it will be stored.
 */
date: string, en: string, fr: string, precision: string, qualifier: string, lo: number | null, hi: number | null, 
/**
 * Read so only in the language it was typed in (`05/06/2023` in French is 5 June, and refused
 * without a language): a form stores `date` rather than the text as typed.
 */
by_language: boolean, };

export type Group = { 
/**
 * "2023-02": sortable, and the key the list groups by.
 */
key: string, year: number, month_en: string, month_fr: string, };

export type Tick = { at: number, en: string, fr: string, 
/**
 * "year", "month" or "day": the unit the axis chose for this span.
 */
unit: string, };

export type Hit = { record_id: string, kind: RecordKind, 
/**
 * `None` for parties, which belong to no case.
 */
case_id: string | null, case_slug: string | null, case_title: string | null, title: string, 
/**
 * An extract around the match, as pieces of plain text, the matched words marked: each front end
 * renders them its own way (the app in `<mark>`, the CLI between brackets).
 */
snippet: Array<Piece>, 
/**
 * The page of the evidence file the words were found on, when the file has pages of its own.
 */
page: number | null, };

export type Piece = { text: string, matched: boolean, };

export type ImportReport = { 
/**
 * Ids of every record created (parties, letters, events, evidence), in the order they were made.
 */
created: Array<string>, letters: number, events: number, evidence: number, 
/**
 * Notes for the user: parties added, columns ignored, rows skipped, threading.
 */
messages: Array<string>, };

export type ExportRequest = { case: string, 
/**
 * md, html, docx, pdf, csv, json, ics, site (a folder) or timelinejs.
 */
format: string, path: string, 
/**
 * "en" or "fr", for the Markdown and HTML reports.
 */
lang: string, 
/**
 * For json: also copy the evidence files into a `files/` folder beside the bundle.
 */
with_files: boolean, 
/**
 * For the reports (md, html, docx): sections, a chronology filter, exhibit numbering; for json:
 * whether the bundle carries the records' history and its actors.
 */
options: ReportOptions, };

export type ReportOptions = { 
/**
 * Sections to include (`summary`, `parties`, `chronology`, `agreements`, `allegations`,
 * `correspondence`, `evidence`); empty: all.
 */
sections: Array<string>, 
/**
 * Entry kinds the chronology keeps (as the timeline filter reads them); empty: all.
 */
kinds: Array<string>, 
/**
 * Only chronology entries tagged so.
 */
tag: string, 
/**
 * Only chronology entries that may fall on or after this date, and on or before `to`.
 */
from: string, to: string, 
/**
 * Exhibit-list mode: evidence numbered Exhibit 1…n in chronological order, and cited so.
 */
exhibits: boolean, 
/**
 * For json: also every record's history, its earlier versions included (off by default, since
 * an edit's removed text stays in them).
 */
with_history: boolean, 
/**
 * For json with history: who wrote each entry, the system user's name included; without it,
 * the front end only (`cli`, `app`).
 */
with_actors: boolean, };

export type ImportRequest = { path: string, 
/**
 * json, csv, xlsx, ods, eml, mbox, msg or pst; empty: from the file's extension.
 */
format: string, 
/**
 * The case a CSV or e-mail goes into (a bundle names its own case).
 */
case: string, 
/**
 * For a bundle whose case exists: add what is missing instead of refusing.
 */
merge: boolean, 
/**
 * For a CSV chronology: create the parties it names that do not exist yet (as organisations).
 */
create_parties: boolean, 
/**
 * For a workbook (.xlsx, .ods): the sheet the chronology is on; empty: the first.
 */
sheet: string, };

export type TransferReport = { format: Format, path: string, 
/**
 * The case the records went into or came from.
 */
case_slug: string, 
/**
 * Records created by an import; bytes written by an export.
 */
count: number, messages: Array<string>, 
/**
 * An export of an encrypted database: the file written is not encrypted, and the user is told so.
 */
unencrypted_copy: boolean, };

export type PublishCheck = { 
/**
 * The formats the check is about (the others are not published).
 */
formats: Array<Format>, 
/**
 * Each private party named in a published text, with where.
 */
names: Array<PrivateName>, };

export type PrivateName = { 
/**
 * The party's name.
 */
party: string, 
/**
 * The words found: its name or one of its aliases.
 */
found: string, place: PublishedText, 
/**
 * The entry or source the text belongs to, by its title; empty for the case's own texts.
 */
within: string, 
/**
 * The record whose text it is (the case's own id for its title and summary).
 */
record_id: string, };

export type PublishedText = "case_title" | "summary" | "entry_title" | "description" | "how" | "source_title" | "publisher";

export type Anchor = { 
/**
 * The number of the last entry (0 for an empty log).
 */
seq: number, 
/**
 * Its hash.
 */
hash: string, };

export type CheckReport = { 
/**
 * Entries in the change log.
 */
entries: number, 
/**
 * Records in the tables.
 */
records: number, 
/**
 * Evidence files read back.
 */
files: number, 
/**
 * The head of the log now: keep it elsewhere to check against later.
 */
head: Anchor, 
/**
 * The anchor the head was compared with, if there was one.
 */
anchor: Anchor | null, problems: Array<Problem>, 
/**
 * Problems found beyond those listed.
 */
unlisted: number, 
/**
 * What `check` put right (an anchor brought to the head), in sentences.
 */
repaired: Array<string>, 
/**
 * Whose seals the entries carry, and the key they were verified with.
 */
seals: Seals, 
/**
 * The records erased (not a problem: an erasure is a logged act), oldest first.
 */
erasures: Array<ErasureNote>, 
/**
 * In a team space: evidence files another member sent that this device has not fetched (not
 * missing: `dossier evidence fetch` brings them).
 */
unfetched: number, };

export type Problem = { 
/**
 * `database`, `log`, `anchor`, `record` or `file`.
 */
area: string, 
/**
 * What it concerns: a record id, an entry number, a file's SHA-256.
 */
subject: string, 
/**
 * What was found, in one line.
 */
message: string, };

export type Seals = { 
/**
 * The id of the key at hand (the database's own, or this installation's), if there is one.
 */
key: string | null, 
/**
 * Where that key is kept.
 */
kept: Kept | null, 
/**
 * Entries sealed with it, their seals verified.
 */
verified: number, 
/**
 * Entries sealed by another installation's key, which this one cannot verify.
 */
elsewhere: number, 
/**
 * Entries sealed with this installation's key when it could not be read (a locked keyring).
 */
unread: number, 
/**
 * Entries with no seal (written before Dossier sealed them, or outside Dossier).
 */
unsealed: number, };

export type EraseInput = { id: string, reason: string, note: string, };

export type EraseReport = { 
/**
 * The erasure's change-log entry.
 */
entry: number, kind: RecordKind, id: string, reason: ErasureReason, 
/**
 * Records removed (a case's records with it).
 */
records: number, 
/**
 * Earlier change-log entries whose content of them was removed.
 */
entries: number, 
/**
 * Evidence files removed from the store.
 */
files: number, 
/**
 * Copies of the record beside the database that were removed.
 */
copies: Array<string>, 
/**
 * Copies Dossier made elsewhere before the erasure, which may still hold what was erased: the
 * person must destroy them.
 */
elsewhere: Array<Elsewhere>, 
/**
 * What could not be done (a copy or file that could not be removed), in sentences.
 */
warnings: Array<string>, };

export type Elsewhere = { 
/**
 * `backup` or `export`.
 */
what: string, 
/**
 * An export's format (`docx`, `json`…).
 */
format: string | null, path: string, 
/**
 * When it was made (RFC 3339, UTC), and as people read it.
 */
at: string, when: string, };

export type ErasureNote = { 
/**
 * Its change-log entry.
 */
entry: number, 
/**
 * When (RFC 3339, UTC), and as people read it.
 */
at: string, when: string, actor: string | null, kind: RecordKind, id: string, reason: ErasureReason, note: string, 
/**
 * Records removed with it (a case's records).
 */
records: number, };

export type Kept = "database" | "file" | "keyring";

export type BackupReport = { 
/**
 * The backup's database file.
 */
path: string, 
/**
 * When it was taken (RFC 3339, UTC).
 */
at: string, 
/**
 * The same, as people read it.
 */
when: string, 
/**
 * The evidence files copied with it.
 */
files: number, encrypted: boolean, 
/**
 * The head of its change log.
 */
head: Anchor, };

export type RestoreReport = { 
/**
 * The backup restored.
 */
from: string, 
/**
 * The head of the restored database.
 */
head: Anchor, 
/**
 * Where the database it replaced was kept.
 */
previous: string | null, 
/**
 * The backup was plaintext and the database it replaced encrypted: the restored database was
 * encrypted under the same passphrase, so restoring never turns the record plaintext.
 */
encrypted_again: boolean, 
/**
 * Whether the restored database is encrypted.
 */
encrypted: boolean, };

export type Kind = "upgrade" | "restore" | "unfinished";

export type Companion = { path: string, kind: Kind, };

export type Done = "encrypted" | "removed";

export type Outcome = { path: string, kind: Kind, done: Done | null, error: string | null, };

export type EncryptReport = { 
/**
 * Evidence files encrypted.
 */
files: number, 
/**
 * What became of each copy of the record kept beside the database (see [`super::companions`]).
 */
companions: Array<Outcome>, };

export type Change = { 
/**
 * When (RFC 3339, UTC).
 */
at: string, 
/**
 * The same, as people read it (`2026-11-29 04:22 UTC`).
 */
when: string, 
/**
 * What the write was ("update letter", "import bundle"…).
 */
action: string, 
/**
 * Who wrote (the front end and the system user), when known.
 */
actor: string | null, 
/**
 * The change-log entry, or `None` for history brought by a bundle.
 */
entry: number | null, 
/**
 * For history brought by a bundle: the database it was written in (the hash of its first
 * change-log entry).
 */
imported_from: string | null, 
/**
 * `created`, `changed` or `deleted`.
 */
change: string, 
/**
 * What changed, one line each ("table letter, column subject: 'A' → 'B'"); empty on creation.
 */
differences: Array<string>, 
/**
 * When what this write held of the record was erased, and why (`change` is then `erased`).
 */
erased: ErasedBy | null, };

export type ErasedBy = { 
/**
 * The erasure's change-log entry.
 */
entry: number, 
/**
 * When (RFC 3339, UTC), and as people read it.
 */
at: string, when: string, reason: ErasureReason, note: string, };

export type ProductionDisposition = "produced" | "redacted" | "withheld" | "native";

export type Selection = { 
/**
 * Evidence ids, in the order wanted (a redacted copy stands for its original).
 */
evidence: Array<string>, 
/**
 * The documents that support a record with this tag.
 */
tag: string, 
/**
 * A search of the case, as the search box takes it.
 */
search: string, 
/**
 * A date range, each end a date as the record takes it; a document must be dated within it.
 */
from: string, to: string, };

export type ProduceInput = { case: string, prefix: string, 
/**
 * Digits the number is padded to (6 when absent).
 */
digits: number | null, 
/**
 * The first number, when not the one after the case's last production of this prefix.
 */
start: number | null, 
/**
 * Printed at the foot of every page, left ("CONFIDENTIAL").
 */
endorsement: string, selection: Selection, 
/**
 * `en` or `fr`: the slip sheets', index's and privilege log's language.
 */
lang: string, };

export type Produced = { production: Production, folder: string, 
/**
 * How many pages it has.
 */
pages: number, 
/**
 * Its first and last Bates numbers as stamped (`ACME000001`).
 */
first_bates: string, last_bates: string, };

export type ProducePreview = { 
/**
 * `VOL002`.
 */
volume: string, 
/**
 * The Bates number of its first page (`ACME000038`).
 */
first_bates: string, 
/**
 * How many documents the selection takes (0 when it takes none).
 */
documents: number, 
/**
 * Of those, how many are privileged: each withheld behind a slip sheet.
 */
withheld: number, 
/**
 * How many go as their redacted copy.
 */
redacted: number, 
/**
 * How many are not PDFs: a slip sheet, the file kept beside it.
 */
native: number, };

export type CaseDocument = { id: string, title: string, 
/**
 * Its date as recorded, if any.
 */
date: string | null, 
/**
 * Withheld from a production, left out of a hearing bundle.
 */
privileged: boolean, 
/**
 * A redacted copy of it exists, and goes in its place.
 */
redacted: boolean, };

export type Production = { id: string, case_id: string, 
/**
 * `VOL001`, `VOL002`…: the volume's name, its folder's and its load files'.
 */
volume: string, prefix: string, digits: number, first_number: number, last_number: number, endorsement: string, made_at: string, 
/**
 * What each document became, in Bates order.
 */
documents: Array<ProducedDocument>, };

export type ProducedDocument = { evidence_id: string, 
/**
 * The redacted copy produced in its place, if any.
 */
copy_id: string | null, disposition: ProductionDisposition, first_number: number, last_number: number, pages: number, };

export type ProductionEntry = { production_id: string, volume: string, 
/**
 * Its first and last Bates numbers as stamped (`ACME000012`).
 */
first_bates: string, last_bates: string, disposition: ProductionDisposition, made_at: string, 
/**
 * The same, as people read it (`2026-11-29 04:22 UTC`).
 */
when: string, };

export type HearingInput = { case: string, 
/**
 * The sections in order, each with its documents in order; none: every document of the case in
 * one section, in date order.
 */
sections: Array<SectionInput>, 
/**
 * `en` or `fr`: the index's language.
 */
lang: string, };

export type SectionInput = { title: string, 
/**
 * Evidence ids, in order (a redacted copy stands for its original).
 */
evidence: Array<string>, };

export type HearingBundle = { pages: number, sections: Array<BundledSection>, 
/**
 * The titles of the privileged documents left out.
 */
withheld: Array<string>, };

export type BundledSection = { 
/**
 * `A`, `B`…
 */
tab: string, title: string, documents: Array<BundledDocument>, };

export type BundledDocument = { 
/**
 * `A1`, `A2`…
 */
tab: string, evidence_id: string, title: string, 
/**
 * Its first page in the bundle, from 1.
 */
first_page: number, pages: number, };
