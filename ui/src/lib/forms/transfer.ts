// The export and import forms: a case out to a report, a chronology or a bundle; a file in.
import { api, type Format, type PrivateName, type PublishCheck } from '../api';
import { capitalise, t, tn, word } from '../i18n/index.svelte';
import { str, type FormSpec, type Option, type Values } from './spec';

// The vocabulary names every format; which way each one goes is the core's transfer rule, stated
// once here for the UI. Typed as Format, so a format the core does not know is a compile error.
export const EXPORT_FORMATS: readonly Format[] = [
  'md',
  'html',
  'docx',
  'pdf',
  'csv',
  'json',
  'ics',
  'site',
  'timelinejs',
  'privilege-log',
  'redaction-log',
];
export const IMPORT_FORMATS: readonly Format[] = [
  'json',
  'csv',
  'xlsx',
  'ods',
  'eml',
  'mbox',
  'msg',
  'pst',
  'warc',
  'mhtml',
];

// Each format's word is a description ("HTML report (print-ready)"), shown as an option's label.
const formatOptions = (formats: readonly Format[]): Option[] =>
  formats.map((f) => ({ value: f, label: capitalise(word('format', f)) }));

/** The name the save dialog suggests: the site is a folder; TimelineJS is JSON; the privilege log a
 * Word document (a `.csv` name gives the spreadsheet). */
function suggestedName(caseSlug: string, format: string): string {
  if (format === 'site') return `${caseSlug}-site`;
  if (format === 'timelinejs') return `${caseSlug}-timeline.json`;
  if (format === 'privilege-log' || format === 'redaction-log') return `${caseSlug}-${format}.docx`;
  return `${caseSlug}.${format}`;
}

/** One private name found in a published text, in words: who, and where. */
export function namedLine(n: PrivateName): string {
  const party = n.found === n.party ? n.party : t('transfer.named.alias', { party: n.party, found: n.found });
  return t(`transfer.named.${n.place}`, { party, within: n.within });
}

/**
 * The warning the export dialog shows for the format chosen: the private names the core found in what
 * that format would publish, or nothing (another format, or no name found).
 */
export function publishWarnings(check: PublishCheck | null, values: Values) {
  const format = str(values.format) as Format;
  if (!check || check.names.length === 0 || !check.formats.includes(format)) return null;
  return {
    title: t('transfer.private_names'),
    lines: check.names.map(namedLine),
    hint: t('transfer.private_names_hint'),
  };
}

/** Exports the case to a file (or, for the site, a folder): the path chosen with the save dialog. */
export async function exportForm(caseSlug: string, lang: string): Promise<FormSpec> {
  // Read once as the dialog opens; shown as soon as a publish format is chosen, before the user saves.
  const check = await api.checkPublishing(caseSlug);
  return {
    title: t('transfer.export_title'),
    warnings: (values) => publishWarnings(check, values),
    fields: [
      { name: 'format', label: 'field.format', type: 'select', required: true, options: formatOptions(EXPORT_FORMATS) },
      {
        name: 'path',
        label: 'field.save_to',
        type: 'savefile',
        required: true,
        errorKeys: ['file'],
        suggest: (v) => suggestedName(caseSlug, str(v.format)),
      },
      { name: 'with_files', label: 'field.with_files', type: 'checkbox' },
      // Off by default: a bundle handed over carries the records as they are, not what edits removed.
      { name: 'with_history', label: 'field.with_history', type: 'checkbox' },
      { name: 'with_actors', label: 'field.with_actors', type: 'checkbox' },
      { name: 'exhibits', label: 'field.exhibits', type: 'checkbox' },
      { name: 'from', label: 'field.report_from', type: 'text', errorKeys: ['from'] },
      { name: 'to', label: 'field.report_to', type: 'text', errorKeys: ['to'] },
      { name: 'tag', label: 'field.report_tag', type: 'text' },
    ],
    values: {
      format: 'html',
      path: '',
      with_files: '',
      with_history: '',
      with_actors: '',
      exhibits: '',
      from: '',
      to: '',
      tag: '',
    },
    submit: async (v, progress) => {
      const checked = (name: string) => str(v[name]) === 'true';
      const options = {
        sections: [],
        kinds: [],
        tag: str(v.tag),
        from: str(v.from),
        to: str(v.to),
        exhibits: checked('exhibits'),
        with_history: checked('with_history'),
        with_actors: checked('with_actors'),
      };
      const report = await api.exportCase(
        {
          case: caseSlug,
          format: str(v.format),
          path: str(v.path),
          lang,
          with_files: checked('with_files'),
          options,
        },
        (p) => progress(p.total > 0 ? p.done / p.total : 0),
      );
      const exported = t('transfer.exported', { path: report.path });
      return { message: report.unencrypted_copy ? `${exported} ${t('transfer.unencrypted_copy')}` : exported };
    },
    stop: { ask: api.cancelExport, said: 'transfer.export_stopped' },
  };
}

/** Imports a file: a JSON bundle (its own case), a chronology (CSV, .xlsx, .ods) or an e-mail into this case. */
export async function importForm(caseSlug: string, path = '', format = ''): Promise<FormSpec> {
  return {
    title: t('transfer.import_title'),
    fields: [
      {
        name: 'path',
        label: 'field.file',
        type: 'file',
        required: true,
        errorKeys: ['file', 'bundle', 'eml', 'csv', 'mbox', 'msg', 'pst'],
      },
      { name: 'format', label: 'field.format', type: 'select', options: formatOptions(IMPORT_FORMATS) },
      { name: 'merge', label: 'field.merge', type: 'checkbox' },
      { name: 'create_parties', label: 'field.create_parties', type: 'checkbox' },
      { name: 'sheet', label: 'field.sheet', type: 'text' },
    ],
    values: { path, format, merge: '', create_parties: '', sheet: '' },
    submit: async (v, progress) => {
      const report = await api.importFile(
        {
          path: str(v.path),
          format: str(v.format),
          case: caseSlug,
          merge: str(v.merge) === 'true',
          create_parties: str(v.create_parties) === 'true',
          sheet: str(v.sheet),
        },
        (p) => progress(p.total > 0 ? p.done / p.total : 0),
      );
      return {
        caseSlug: report.case_slug,
        message: [tn('transfer.imported', report.count, { case: report.case_slug }), ...report.messages].join(' '),
      };
    },
    stop: { ask: api.cancelImport, said: 'transfer.import_stopped' },
  };
}
