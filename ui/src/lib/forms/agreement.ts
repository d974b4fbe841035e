// The forms for an agreement and for one of its clauses.
import { api } from '../api';
import type * as B from '../api';
import { t } from '../i18n/index.svelte';
import { arr, partyOptions, str, type FormSpec } from './spec';

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
      const saved = existing
        ? await api.updateAgreement(existing.id, input, existing.updated_at)
        : await api.createAgreement(input);
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
