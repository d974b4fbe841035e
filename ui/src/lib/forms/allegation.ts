// The forms for an allegation, a change of its status, and a response to one or more allegations.
import { api } from '../api';
import type * as B from '../api';
import { capitalise, t, word } from '../i18n/index.svelte';
import { attributionFields, attributions, attributionValues } from './attribution';
import { arr, list, partyOptions, str, vocab, type FormSpec, type Option } from './spec';

export async function allegationForm(caseSlug: string, existing?: B.Allegation): Promise<FormSpec> {
  const [parties, threads, events, agreements] = await Promise.all([
    partyOptions(),
    api.listThreads(caseSlug),
    api.listEvents(caseSlug),
    api.listAgreements(caseSlug),
  ]);
  const raisedIn: Option[] = [
    ...threads.map((th) => ({
      value: th.letter.id,
      label: `${capitalise(word('record_kind', 'letter'))}: ${th.letter.subject}`,
    })),
    ...events.map((e) => ({ value: e.id, label: `${capitalise(word('record_kind', 'event'))}: ${e.title}` })),
  ];
  const clauses: Option[] = agreements.flatMap((a) =>
    a.clauses.map((c) => ({ value: c.id, label: `${a.title} ${c.reference}` })),
  );
  return {
    title: existing ? existing.summary : t('new.allegation'),
    fields: [
      { name: 'made_by', label: 'field.made_by', type: 'select', options: parties, required: true },
      { name: 'against', label: 'field.against', type: 'select', options: parties, required: true },
      { name: 'summary', label: 'field.summary', type: 'text', required: true },
      { name: 'raised_in', label: 'field.raised_in', type: 'select', options: raisedIn },
      { name: 'date', label: 'field.date', type: 'date' },
      {
        name: 'agreement',
        label: 'field.agreement',
        type: 'select',
        options: agreements.map((a) => ({ value: a.id, label: a.title })),
      },
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
      const saved = existing
        ? await api.updateAllegation(existing.id, input, existing.updated_at)
        : await api.createAllegation(input);
      return { record: { kind: 'allegation', id: saved.id } };
    },
  };
}

export async function statusForm(allegation: B.Allegation): Promise<FormSpec> {
  return {
    title: t('allegations.set_status'),
    fields: [
      { name: 'status', label: 'field.status', type: 'select', options: vocab('allegation_status'), required: true },
      { name: 'date', label: 'field.date', type: 'date', required: true },
      { name: 'note', label: 'field.note', type: 'textarea' },
    ],
    values: { status: allegation.status, date: '', note: '' },
    submit: async (v) => {
      const saved = await api.setAllegationStatus(allegation.id, {
        status: str(v.status),
        date: str(v.date),
        note: str(v.note),
        position: 0,
      });
      return { record: { kind: 'allegation', id: saved.id } };
    },
  };
}

export async function responseForm(
  caseSlug: string,
  existing?: B.Response,
  answering?: B.Allegation,
): Promise<FormSpec> {
  const [parties, allegations, threads] = await Promise.all([
    partyOptions(),
    api.listAllegations(caseSlug),
    api.listThreads(caseSlug),
  ]);
  return {
    title: existing ? capitalise(word('record_kind', 'response')) : t('new.response'),
    fields: [
      {
        name: 'allegations',
        label: 'field.allegations',
        type: 'multi',
        required: true,
        options: allegations.map((a) => ({ value: a.id, label: a.summary })),
      },
      { name: 'by', label: 'field.by', type: 'select', options: parties, required: true },
      { name: 'stance', label: 'field.stance', type: 'select', options: vocab('stance'), required: true },
      {
        name: 'letter',
        label: 'field.letter',
        type: 'select',
        options: threads.map((th) => ({ value: th.letter.id, label: th.letter.subject })),
      },
      { name: 'date', label: 'field.date', type: 'date' },
      { name: 'text', label: 'field.text', type: 'textarea' },
      ...attributionFields(parties),
    ],
    // A UI default: a response started from an allegation answers it, by the party it is made against.
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
      const saved = existing
        ? await api.updateResponse(existing.id, input, existing.updated_at)
        : await api.createResponse(input);
      return { record: { kind: 'response', id: saved.id } };
    },
  };
}
