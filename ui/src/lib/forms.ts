// The create and edit forms of every record kind, as data: which fields, in which order, with which
// choices, and how the values become the core's input type. `RecordForm.svelte` renders any of them
// and shows the core's validation errors beside the field they name.
import { api } from './api';
import type * as B from './api';
import type { MessageKey } from './i18n/index.svelte';
import { t, word } from './i18n/index.svelte';

export type FieldType = 'text' | 'textarea' | 'date' | 'select' | 'multi' | 'number' | 'list' | 'file' | 'savefile' | 'checkbox';
export interface Option {
  value: string;
  label: string;
}
export interface Field {
  name: string;
  label: MessageKey;
  type: FieldType;
  required?: boolean;
  options?: Option[];
  /** Other names the core may give this input in an error (e.g. "tag" for the tags field). */
  errorKeys?: string[];
}
export type Values = Record<string, string | string[] | number>;
export interface Saved {
  caseSlug?: string;
  record?: { kind: string; id: string };
  /** A line to tell the user what happened (an export's file, an import's count). */
  message?: string;
}
export interface FormSpec {
  title: string;
  fields: Field[];
  values: Values;
  /** Saves; resolves to what to show next: a case to open, a record to open beside the list. */
  submit: (values: Values) => Promise<Saved>;
}

const CASE_STATUSES = ['open', 'in_litigation', 'dormant', 'settled', 'closed'];
const PARTY_KINDS = ['organisation', 'person', 'public_body', 'court', 'media'];
const CHANNELS = ['letter', 'email', 'press_statement', 'social_media', 'court_filing', 'call', 'meeting', 'other'];
const STATUSES = ['alleged', 'under_review', 'disputed', 'admitted', 'withdrawn', 'upheld', 'dismissed'];
const STANCES = ['denies', 'admits', 'partly_admits', 'will_review', 'no_comment'];
const CERTAINTIES = ['confirmed', 'reported', 'alleged', 'rumoured'];
const ROLES = ['claimant', 'respondent', 'counsel', 'third_party', 'regulator', 'court', 'reporter', 'source', 'witness', 'other'];

const vocab = (group: Parameters<typeof word>[0], values: string[]): Option[] => values.map((v) => ({ value: v, label: word(group, v) }));
const str = (v: Values[string] | undefined): string => (typeof v === 'string' ? v : v === undefined ? '' : String(v));
const arr = (v: Values[string] | undefined): string[] => (Array.isArray(v) ? v : []);
const list = (v: Values[string] | undefined): string[] =>
  str(v)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const num = (v: Values[string] | undefined): number => (typeof v === 'number' ? v : Number(v) || 0);

async function partyOptions(): Promise<Option[]> {
  return (await api.listParties()).map((p) => ({ value: p.id, label: p.name }));
}

const attributionFields = (parties: Option[]): Field[] => [
  { name: 'asserted_by', label: 'field.asserted_by', type: 'select', options: parties, errorKeys: ['attribution'] },
  { name: 'reported_by', label: 'field.reported_by', type: 'select', options: parties },
  { name: 'how', label: 'field.how', type: 'text' },
  { name: 'certainty', label: 'field.certainty', type: 'select', options: vocab('certainty', CERTAINTIES) },
];

function attributionValues(list: B.Attribution[], fallback: string): Values {
  const a = list[0];
  return {
    asserted_by: a?.asserted_by_id ?? '',
    reported_by: a?.reported_by_id ?? '',
    how: a?.how ?? '',
    certainty: a?.certainty ?? fallback,
  };
}

/** The edited first attribution followed by any others the record had. */
function attributions(v: Values, existing: B.Attribution[]): B.AttributionInput[] {
  const rest = existing.slice(1).map((a) => ({
    asserted_by: a.asserted_by_id ?? '',
    reported_by: a.reported_by_id ?? '',
    how: a.how,
    certainty: a.certainty,
  }));
  if (!str(v.asserted_by) && !str(v.reported_by)) return rest;
  return [{ asserted_by: str(v.asserted_by), reported_by: str(v.reported_by), how: str(v.how), certainty: str(v.certainty) }, ...rest];
}

export async function caseForm(existing?: B.Case): Promise<FormSpec> {
  return {
    title: existing ? t('cases.edit') : t('cases.new'),
    fields: [
      { name: 'title', label: 'field.title', type: 'text', required: true },
      { name: 'slug', label: 'field.slug', type: 'text' },
      { name: 'status', label: 'field.status', type: 'select', options: vocab('case_status', CASE_STATUSES) },
      { name: 'summary', label: 'field.summary', type: 'textarea' },
      { name: 'tags', label: 'field.tags', type: 'list', errorKeys: ['tag'] },
    ],
    values: {
      title: existing?.title ?? '',
      slug: existing?.slug ?? '',
      status: existing?.status ?? 'open',
      summary: existing?.summary ?? '',
      tags: existing?.tags.join(', ') ?? '',
    },
    submit: async (v) => {
      const input: B.CaseInput = { title: str(v.title), slug: str(v.slug), status: str(v.status), summary: str(v.summary), tags: list(v.tags) };
      const saved = existing ? await api.updateCase(existing.id, input) : await api.createCase(input);
      return { caseSlug: saved.slug };
    },
  };
}

export async function partyForm(existing?: B.Party): Promise<FormSpec> {
  return {
    title: existing ? existing.name : t('new.party'),
    fields: [
      { name: 'name', label: 'field.name', type: 'text', required: true },
      { name: 'kind', label: 'field.kind', type: 'select', options: vocab('party_kind', PARTY_KINDS), required: true },
      { name: 'aliases', label: 'field.aliases', type: 'list', errorKeys: ['alias'] },
      { name: 'description', label: 'field.description', type: 'textarea', errorKeys: ['affiliation', 'affiliation role'] },
    ],
    values: {
      name: existing?.name ?? '',
      kind: existing?.kind ?? 'organisation',
      aliases: existing?.aliases.join(', ') ?? '',
      description: existing?.description ?? '',
    },
    submit: async (v) => {
      const input: B.PartyInput = {
        name: str(v.name),
        kind: str(v.kind),
        description: str(v.description),
        aliases: list(v.aliases),
        affiliations: existing?.affiliations.map((a) => ({ organisation: a.organisation_id, role: a.role })) ?? [],
      };
      const saved = existing ? await api.updateParty(existing.id, input) : await api.createParty(input);
      return { record: { kind: 'party', id: saved.id } };
    },
  };
}

export async function roleForm(caseSlug: string): Promise<FormSpec> {
  const parties = await partyOptions();
  return {
    title: t('parties.add_role'),
    fields: [
      { name: 'party', label: 'field.party', type: 'select', options: parties, required: true },
      { name: 'role', label: 'field.role', type: 'select', options: vocab('role', ROLES), required: true },
      { name: 'on_behalf_of', label: 'field.on_behalf_of', type: 'select', options: parties },
    ],
    values: { party: '', role: 'claimant', on_behalf_of: '' },
    submit: async (v) => {
      await api.addCaseRole(caseSlug, str(v.party), str(v.role), str(v.on_behalf_of) || null);
      return {};
    },
  };
}

export async function letterForm(caseSlug: string, existing?: B.Letter, replyTo?: B.Letter): Promise<FormSpec> {
  const [parties, threads] = await Promise.all([partyOptions(), api.listThreads(caseSlug)]);
  const letters = threads.filter((th) => th.letter.id !== existing?.id).map((th) => ({ value: th.letter.id, label: `${th.letter.date} — ${th.letter.subject}` }));
  return {
    title: existing ? existing.subject : t('new.letter'),
    fields: [
      { name: 'channel', label: 'field.channel', type: 'select', options: vocab('channel', CHANNELS) },
      { name: 'sender', label: 'field.sender', type: 'select', options: parties, required: true },
      { name: 'sender_person', label: 'field.sender_person', type: 'select', options: parties },
      { name: 'to', label: 'field.to', type: 'multi', options: parties },
      { name: 'cc', label: 'field.cc', type: 'multi', options: parties },
      { name: 'subject', label: 'field.subject', type: 'text', required: true },
      { name: 'date', label: 'field.date', type: 'date', required: true },
      { name: 'deadline', label: 'field.deadline', type: 'date' },
      { name: 'in_reply_to', label: 'field.in_reply_to', type: 'select', options: letters },
      { name: 'body', label: 'field.body', type: 'textarea' },
      { name: 'tags', label: 'field.tags', type: 'list', errorKeys: ['tag'] },
      { name: 'position', label: 'field.position', type: 'number' },
    ],
    values: {
      channel: existing?.channel ?? 'letter',
      sender: existing?.sender.id ?? replyTo?.to[0]?.id ?? '',
      sender_person: existing?.sender_person?.id ?? '',
      to: existing?.to.map((p) => p.id) ?? (replyTo ? [replyTo.sender.id] : []),
      cc: existing?.cc.map((p) => p.id) ?? [],
      subject: existing?.subject ?? (replyTo ? `Re: ${replyTo.subject}` : ''),
      date: existing?.date ?? '',
      deadline: existing?.deadline ?? '',
      in_reply_to: existing?.in_reply_to ?? replyTo?.id ?? '',
      body: existing?.body ?? '',
      tags: existing?.tags.join(', ') ?? '',
      position: existing?.position ?? 0,
    },
    submit: async (v) => {
      const input: B.LetterInput = {
        case: caseSlug,
        channel: str(v.channel),
        sender: str(v.sender),
        sender_person: str(v.sender_person),
        to: arr(v.to),
        cc: arr(v.cc),
        subject: str(v.subject),
        body: str(v.body),
        date: str(v.date),
        deadline: str(v.deadline),
        in_reply_to: str(v.in_reply_to),
        tags: list(v.tags),
        position: num(v.position),
        message_id: existing?.message_id ?? '',
      };
      const saved = existing ? await api.updateLetter(existing.id, input) : await api.createLetter(input);
      return { record: { kind: 'letter', id: saved.id } };
    },
  };
}

export async function allegationForm(caseSlug: string, existing?: B.Allegation): Promise<FormSpec> {
  const [parties, threads, events, agreements] = await Promise.all([
    partyOptions(),
    api.listThreads(caseSlug),
    api.listEvents(caseSlug),
    api.listAgreements(caseSlug),
  ]);
  const raisedIn: Option[] = [
    ...threads.map((th) => ({ value: th.letter.id, label: `${t('kind.letter')}: ${th.letter.subject}` })),
    ...events.map((e) => ({ value: e.id, label: `${t('kind.event')}: ${e.title}` })),
  ];
  const clauses: Option[] = agreements.flatMap((a) => a.clauses.map((c) => ({ value: c.id, label: `${a.title} ${c.reference}` })));
  return {
    title: existing ? existing.summary : t('new.allegation'),
    fields: [
      { name: 'made_by', label: 'field.made_by', type: 'select', options: parties, required: true },
      { name: 'against', label: 'field.against', type: 'select', options: parties, required: true },
      { name: 'summary', label: 'field.summary', type: 'text', required: true },
      { name: 'raised_in', label: 'field.raised_in', type: 'select', options: raisedIn },
      { name: 'date', label: 'field.date', type: 'date' },
      { name: 'agreement', label: 'field.agreement', type: 'select', options: agreements.map((a) => ({ value: a.id, label: a.title })) },
      { name: 'clauses', label: 'field.clauses', type: 'multi', options: clauses, errorKeys: ['clause'] },
      { name: 'detail', label: 'field.detail', type: 'textarea' },
      ...attributionFields(parties),
      { name: 'tags', label: 'field.tags', type: 'list', errorKeys: ['tag'] },
    ],
    values: {
      made_by: existing?.made_by.id ?? '',
      against: existing?.against.id ?? '',
      summary: existing?.summary ?? '',
      raised_in: existing?.raised_in?.id ?? '',
      date: existing?.date ?? '',
      agreement: existing?.agreement_id ?? '',
      clauses: existing?.clauses.map((c) => c.id) ?? [],
      detail: existing?.detail ?? '',
      ...attributionValues(existing?.attributions ?? [], 'alleged'),
      tags: existing?.tags.join(', ') ?? '',
    },
    submit: async (v) => {
      const input: B.AllegationInput = {
        case: caseSlug,
        made_by: str(v.made_by),
        against: str(v.against),
        raised_in: str(v.raised_in),
        agreement: str(v.agreement),
        clauses: arr(v.clauses),
        summary: str(v.summary),
        detail: str(v.detail),
        date: str(v.date),
        tags: list(v.tags),
        attributions: attributions(v, existing?.attributions ?? []),
        position: existing?.position ?? 0,
      };
      const saved = existing ? await api.updateAllegation(existing.id, input) : await api.createAllegation(input);
      return { record: { kind: 'allegation', id: saved.id } };
    },
  };
}

export async function statusForm(allegation: B.Allegation): Promise<FormSpec> {
  return {
    title: t('allegations.set_status'),
    fields: [
      { name: 'status', label: 'field.status', type: 'select', options: vocab('status', STATUSES), required: true },
      { name: 'date', label: 'field.date', type: 'date', required: true },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { status: allegation.status, date: '', note: '' },
    submit: async (v) => {
      const saved = await api.setAllegationStatus(allegation.id, { status: str(v.status), date: str(v.date), note: str(v.note), position: 0 });
      return { record: { kind: 'allegation', id: saved.id } };
    },
  };
}

export async function responseForm(caseSlug: string, existing?: B.Response, answering?: B.Allegation): Promise<FormSpec> {
  const [parties, allegations, threads] = await Promise.all([partyOptions(), api.listAllegations(caseSlug), api.listThreads(caseSlug)]);
  return {
    title: existing ? t('kind.response') : t('new.response'),
    fields: [
      { name: 'allegations', label: 'field.allegations', type: 'multi', required: true, options: allegations.map((a) => ({ value: a.id, label: a.summary })) },
      { name: 'by', label: 'field.by', type: 'select', options: parties, required: true },
      { name: 'stance', label: 'field.stance', type: 'select', options: vocab('stance', STANCES), required: true },
      { name: 'letter', label: 'field.letter', type: 'select', options: threads.map((th) => ({ value: th.letter.id, label: th.letter.subject })) },
      { name: 'date', label: 'field.date', type: 'date' },
      { name: 'text', label: 'field.text', type: 'textarea' },
      ...attributionFields(parties),
    ],
    values: {
      allegations: existing?.allegations ?? (answering ? [answering.id] : []),
      by: existing?.by.id ?? answering?.against.id ?? '',
      stance: existing?.stance ?? 'denies',
      letter: existing?.letter_id ?? '',
      date: existing?.date ?? '',
      text: existing?.text ?? '',
      ...attributionValues(existing?.attributions ?? [], 'reported'),
    },
    submit: async (v) => {
      const input: B.ResponseInput = {
        allegations: arr(v.allegations),
        by: str(v.by),
        letter: str(v.letter),
        stance: str(v.stance),
        text: str(v.text),
        date: str(v.date),
        tags: existing?.tags ?? [],
        attributions: attributions(v, existing?.attributions ?? []),
        position: existing?.position ?? 0,
      };
      const saved = existing ? await api.updateResponse(existing.id, input) : await api.createResponse(input);
      return { record: { kind: 'response', id: saved.id } };
    },
  };
}

export async function eventForm(caseSlug: string, existing?: B.Event): Promise<FormSpec> {
  const parties = await partyOptions();
  return {
    title: existing ? existing.title : t('new.event'),
    fields: [
      { name: 'title', label: 'field.title', type: 'text', required: true },
      { name: 'date', label: 'field.date', type: 'date', required: true },
      { name: 'parties', label: 'field.parties', type: 'multi', options: parties },
      { name: 'description', label: 'field.description', type: 'textarea' },
      ...attributionFields(parties),
      { name: 'tags', label: 'field.tags', type: 'list', errorKeys: ['tag'] },
      { name: 'position', label: 'field.position', type: 'number' },
    ],
    values: {
      title: existing?.title ?? '',
      date: existing?.date ?? '',
      parties: existing?.parties.map((p) => p.id) ?? [],
      description: existing?.description ?? '',
      ...attributionValues(existing?.attributions ?? [], 'reported'),
      tags: existing?.tags.join(', ') ?? '',
      position: existing?.position ?? 0,
    },
    submit: async (v) => {
      const input: B.EventInput = {
        case: caseSlug,
        title: str(v.title),
        date: str(v.date),
        description: str(v.description),
        parties: arr(v.parties),
        tags: list(v.tags),
        attributions: attributions(v, existing?.attributions ?? []),
        position: num(v.position),
      };
      const saved = existing ? await api.updateEvent(existing.id, input) : await api.createEvent(input);
      return { record: { kind: 'event', id: saved.id } };
    },
  };
}

export async function agreementForm(caseSlug: string, existing?: B.Agreement): Promise<FormSpec> {
  const parties = await partyOptions();
  return {
    title: existing ? existing.title : t('new.agreement'),
    fields: [
      { name: 'title', label: 'field.title', type: 'text', required: true },
      { name: 'kind', label: 'field.kind', type: 'text' },
      { name: 'parties', label: 'field.parties', type: 'multi', options: parties },
      { name: 'effective', label: 'field.effective', type: 'date' },
      { name: 'terminated', label: 'field.terminated', type: 'date' },
      { name: 'terms', label: 'field.terms', type: 'textarea' },
    ],
    values: {
      title: existing?.title ?? '',
      kind: existing?.kind ?? '',
      parties: existing?.parties.map((p) => p.id) ?? [],
      effective: existing?.effective ?? '',
      terminated: existing?.terminated ?? '',
      terms: existing?.terms ?? '',
    },
    submit: async (v) => {
      const input: B.AgreementInput = {
        case: caseSlug,
        title: str(v.title),
        kind: str(v.kind),
        parties: arr(v.parties),
        effective: str(v.effective),
        terminated: str(v.terminated),
        terms: str(v.terms),
      };
      const saved = existing ? await api.updateAgreement(existing.id, input) : await api.createAgreement(input);
      return { record: { kind: 'agreement', id: saved.id } };
    },
  };
}

export async function clauseForm(agreement: B.Agreement, existing?: B.Clause): Promise<FormSpec> {
  return {
    title: existing ? `${agreement.title} ${existing.reference}` : t('agreements.add_clause'),
    fields: [
      { name: 'reference', label: 'field.reference', type: 'text', required: true },
      { name: 'text', label: 'field.text', type: 'textarea' },
    ],
    values: { reference: existing?.reference ?? '', text: existing?.text ?? '' },
    submit: async (v) => {
      const input = { reference: str(v.reference), text: str(v.text) };
      if (existing) await api.updateClause(existing.id, input);
      else await api.addClause(agreement.id, input);
      return { record: { kind: 'agreement', id: agreement.id } };
    },
  };
}

export async function evidenceForm(caseSlug: string, existing?: B.Evidence): Promise<FormSpec> {
  const fileOnly = existing?.kind === 'file';
  return {
    title: existing ? existing.title : t('evidence.add_url'),
    fields: [
      ...(fileOnly ? [] : [{ name: 'kind', label: 'field.kind' as MessageKey, type: 'select' as FieldType, options: [
        { value: 'url', label: 'URL' },
        { value: 'publication', label: t('field.publisher') },
      ] }]),
      { name: 'title', label: 'field.title', type: 'text', required: true },
      ...(fileOnly ? [] : [{ name: 'url', label: 'field.url' as MessageKey, type: 'text' as FieldType }]),
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
      const saved = existing ? await api.updateEvidence(existing.id, input) : await api.createEvidence(input);
      return { record: { kind: 'evidence', id: saved.id } };
    },
  };
}

/** Links evidence to one of the case's records, chosen from its timeline and parties. */
export async function linkForm(caseSlug: string, evidence: B.Evidence): Promise<FormSpec> {
  const [page, roles, agreements] = await Promise.all([
    api.timelinePage(caseSlug, { kinds: [], party: null, tag: null, from: null, to: null, text: null }, null, 1000),
    api.listCaseRoles(caseSlug),
    api.listAgreements(caseSlug),
  ]);
  const seen = new Set<string>();
  const records: Option[] = [];
  for (const e of page.entries) {
    if (seen.has(e.record_id) || e.kind === 'deadline' || e.kind === 'status_change') continue;
    seen.add(e.record_id);
    records.push({ value: e.record_id, label: `${word('kind', e.kind)}: ${e.title}` });
  }
  for (const a of agreements) if (!seen.has(a.id)) records.push({ value: a.id, label: `${t('kind.agreement')}: ${a.title}` });
  for (const r of roles) if (!seen.has(r.party_id)) {
    seen.add(r.party_id);
    records.push({ value: r.party_id, label: `${t('kind.party')}: ${r.name}` });
  }
  return {
    title: t('evidence.link'),
    fields: [
      { name: 'record', label: 'field.record', type: 'select', options: records, required: true },
      { name: 'pinpoint', label: 'field.pinpoint', type: 'text' },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { record: '', pinpoint: '', note: '' },
    submit: async (v) => {
      await api.linkEvidence({ evidence: evidence.id, record: str(v.record), pinpoint: str(v.pinpoint), note: str(v.note) });
      return { record: { kind: 'evidence', id: evidence.id } };
    },
  };
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
      const saved = await api.addEvidenceFile({ case: caseSlug, path: str(v.path), title: str(v.title), date: str(v.date), note: str(v.note) });
      return { record: { kind: 'evidence', id: saved.id } };
    },
  };
}

const EXPORTS = ['html', 'md', 'csv', 'json', 'ics'];
const IMPORTS = ['json', 'csv', 'eml'];

/** Exports the case to a file: the path typed or chosen with the save dialog. */
export async function exportForm(caseSlug: string, lang: string): Promise<FormSpec> {
  return {
    title: t('transfer.export_title'),
    fields: [
      { name: 'format', label: 'field.format', type: 'select', required: true, options: EXPORTS.map((f) => ({ value: f, label: t(`format.${f}` as MessageKey) })) },
      { name: 'path', label: 'field.save_to', type: 'savefile', required: true, errorKeys: ['file'] },
      { name: 'with_files', label: 'field.with_files', type: 'checkbox' },
    ],
    values: { format: 'html', path: '', with_files: '' },
    submit: async (v) => {
      const report = await api.exportCase({ case: caseSlug, format: str(v.format), path: str(v.path), lang, with_files: str(v.with_files) === 'true' });
      return { message: t('transfer.exported', { path: report.path }) };
    },
  };
}

/** Imports a file: a JSON bundle (its own case), a CSV chronology or an e-mail into this case. */
export async function importForm(caseSlug: string, path = '', format = ''): Promise<FormSpec> {
  return {
    title: t('transfer.import_title'),
    fields: [
      { name: 'path', label: 'field.file', type: 'file', required: true, errorKeys: ['file', 'bundle', 'eml', 'csv'] },
      { name: 'format', label: 'field.format', type: 'select', options: IMPORTS.map((f) => ({ value: f, label: t(`format.${f}` as MessageKey) })) },
      { name: 'merge', label: 'field.merge', type: 'checkbox' },
    ],
    values: { path, format, merge: '' },
    submit: async (v) => {
      const report = await api.importFile({ path: str(v.path), format: str(v.format), case: caseSlug, merge: str(v.merge) === 'true' });
      return { caseSlug: report.case_slug, message: [t('transfer.imported', { n: report.count, case: report.case_slug }), ...report.messages].join(' ') };
    },
  };
}
