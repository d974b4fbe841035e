// The event form.
import { api } from '../api';
import type * as B from '../api';
import { t } from '../i18n/index.svelte';
import { attributionFields, attributions, attributionValues } from './attribution';
import { arr, list, num, partyOptions, str, type FormSpec } from './spec';

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
      const saved = existing
        ? await api.updateEvent(existing.id, input, existing.updated_at)
        : await api.createEvent(input);
      return { record: { kind: 'event', id: saved.id } };
    },
  };
}
