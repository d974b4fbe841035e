// The forms for a case, a party, and a party's role in a case.
import { api } from '../api';
import type * as B from '../api';
import { t } from '../i18n/index.svelte';
import { list, partyOptions, str, vocab, type FormSpec } from './spec';

export async function caseForm(existing?: B.Case): Promise<FormSpec> {
  return {
    title: existing ? t('cases.edit') : t('cases.new'),
    fields: [
      { name: 'title', label: 'field.title', type: 'text', required: true },
      { name: 'slug', label: 'field.slug', type: 'text' },
      { name: 'status', label: 'field.status', type: 'select', options: vocab('case_status') },
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
      const input: B.CaseInput = {
        title: str(v.title),
        slug: str(v.slug),
        status: str(v.status),
        summary: str(v.summary),
        tags: list(v.tags),
      };
      const saved = existing
        ? await api.updateCase(existing.id, input, existing.updated_at)
        : await api.createCase(input);
      return { caseSlug: saved.slug };
    },
  };
}

export async function partyForm(existing?: B.Party): Promise<FormSpec> {
  return {
    title: existing ? existing.name : t('new.party'),
    fields: [
      { name: 'name', label: 'field.name', type: 'text', required: true },
      { name: 'kind', label: 'field.kind', type: 'select', options: vocab('party_kind'), required: true },
      { name: 'aliases', label: 'field.aliases', type: 'list', errorKeys: ['alias'] },
      {
        name: 'description',
        label: 'field.description',
        type: 'textarea',
        errorKeys: ['affiliation', 'affiliation role'],
      },
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
      const saved = existing
        ? await api.updateParty(existing.id, input, existing.updated_at)
        : await api.createParty(input);
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
      { name: 'role', label: 'field.role', type: 'select', options: vocab('role'), required: true },
      { name: 'on_behalf_of', label: 'field.on_behalf_of', type: 'select', options: parties },
    ],
    values: { party: '', role: 'claimant', on_behalf_of: '' },
    submit: async (v) => {
      await api.addCaseRole(caseSlug, str(v.party), str(v.role), str(v.on_behalf_of) || null);
      return {};
    },
  };
}
