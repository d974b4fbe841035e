// The attribution fields that allegations, responses and events share: who asserts it, who reports
// it, how, and how certain it is. A form edits the first attribution and keeps any others.
import type * as B from '../api';
import { str, vocab, type Field, type Option, type Values } from './spec';

export const attributionFields = (parties: Option[]): Field[] => [
  { name: 'asserted_by', label: 'field.asserted_by', type: 'select', options: parties, errorKeys: ['attribution'] },
  { name: 'reported_by', label: 'field.reported_by', type: 'select', options: parties },
  { name: 'how', label: 'field.how', type: 'text' },
  { name: 'certainty', label: 'field.certainty', type: 'select', options: vocab('certainty') },
];

export function attributionValues(list: B.Attribution[], fallback: string): Values {
  const a = list[0];
  return {
    asserted_by: a?.asserted_by_id ?? '',
    reported_by: a?.reported_by_id ?? '',
    how: a?.how ?? '',
    certainty: a?.certainty ?? fallback,
  };
}

/** The edited first attribution followed by any others the record had. */
export function attributions(v: Values, existing: B.Attribution[]): B.AttributionInput[] {
  const rest = existing.slice(1).map((a) => ({
    asserted_by: a.asserted_by_id ?? '',
    reported_by: a.reported_by_id ?? '',
    how: a.how,
    certainty: a.certainty,
  }));
  if (!str(v.asserted_by) && !str(v.reported_by)) return rest;
  return [
    { asserted_by: str(v.asserted_by), reported_by: str(v.reported_by), how: str(v.how), certainty: str(v.certainty) },
    ...rest,
  ];
}
