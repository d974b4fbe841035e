// The letter form, also used to reply: a reply starts addressed back to the sender, under "Re:".
import { api } from '../api';
import type * as B from '../api';
import { t } from '../i18n/index.svelte';
import { arr, list, num, partyOptions, str, vocab, type FormSpec } from './spec';

/** The courts' calendars a deadline rule counts in (the core's `date::deadline::Calendar`). */
const CALENDARS = ['fr', 'ew', 'us'] as const;

function calendar(code: (typeof CALENDARS)[number]) {
  return { value: code, label: t(`calendar.${code}`) };
}

export async function letterForm(caseSlug: string, existing?: B.Letter, replyTo?: B.Letter): Promise<FormSpec> {
  const [parties, threads, events] = await Promise.all([
    partyOptions(),
    api.listThreads(caseSlug),
    api.listEvents(caseSlug),
  ]);
  const letters = threads
    .filter((th) => th.letter.id !== existing?.id)
    .map((th) => ({ value: th.letter.id, label: `${th.letter.date} — ${th.letter.subject}` }));
  return {
    title: existing ? existing.subject : t('new.letter'),
    fields: [
      { name: 'channel', label: 'field.channel', type: 'select', options: vocab('channel') },
      { name: 'sender', label: 'field.sender', type: 'select', options: parties, required: true },
      { name: 'sender_person', label: 'field.sender_person', type: 'select', options: parties },
      { name: 'to', label: 'field.to', type: 'multi', options: parties },
      { name: 'cc', label: 'field.cc', type: 'multi', options: parties },
      { name: 'subject', label: 'field.subject', type: 'text', required: true },
      { name: 'date', label: 'field.date', type: 'date', required: true },
      { name: 'received', label: 'field.received', type: 'date' },
      { name: 'deadline', label: 'field.deadline', type: 'date' },
      { name: 'deadline_rule', label: 'field.deadline_rule', type: 'text' },
      { name: 'calendar', label: 'field.calendar', type: 'select', options: CALENDARS.map(calendar) },
      {
        name: 'deadline_event',
        label: 'field.deadline_event',
        type: 'select',
        options: events.map((e) => ({ value: e.id, label: `${e.date} — ${e.title}` })),
      },
      { name: 'deadline_before', label: 'field.deadline_before', type: 'checkbox' },
      { name: 'deadline_mail', label: 'field.deadline_mail', type: 'checkbox' },
      { name: 'in_reply_to', label: 'field.in_reply_to', type: 'select', options: letters },
      { name: 'body', label: 'field.body', type: 'textarea' },
      { name: 'tags', label: 'field.tags', type: 'list', errorKeys: ['tag'] },
      { name: 'position', label: 'field.position', type: 'number' },
    ],
    // A reply's sender, addressee, subject and thread are UI defaults the user can change; the core
    // decides nothing here.
    values: {
      channel: existing?.channel ?? 'letter',
      sender: existing?.sender.id ?? replyTo?.to[0]?.id ?? '',
      sender_person: existing?.sender_person?.id ?? '',
      to: existing?.to.map((p) => p.id) ?? (replyTo ? [replyTo.sender.id] : []),
      cc: existing?.cc.map((p) => p.id) ?? [],
      subject: existing?.subject ?? (replyTo ? `Re: ${replyTo.subject}` : ''),
      date: existing?.date ?? '',
      // A deadline counted by rule is the rule's to give again.
      deadline: existing?.deadline_rule ? '' : (existing?.deadline ?? ''),
      received: existing?.received ?? '',
      deadline_rule: existing?.deadline_rule ?? '',
      calendar: existing?.calendar ?? '',
      deadline_event: existing?.deadline_event ?? '',
      deadline_before: existing?.deadline_before ? 'true' : '',
      deadline_mail: existing?.deadline_mail ? 'true' : '',
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
        received: str(v.received),
        deadline_rule: str(v.deadline_rule),
        calendar: str(v.calendar),
        deadline_event: str(v.deadline_event),
        deadline_before: str(v.deadline_before) === 'true',
        deadline_mail: str(v.deadline_mail) === 'true',
        in_reply_to: str(v.in_reply_to),
        tags: list(v.tags),
        position: num(v.position),
        message_id: existing?.message_id ?? '',
        addresses: existing?.addresses ?? [],
      };
      const saved = existing
        ? await api.updateLetter(existing.id, input, existing.updated_at)
        : await api.createLetter(input);
      return { record: { kind: 'letter', id: saved.id } };
    },
  };
}
