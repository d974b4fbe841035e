// The security forms: encrypting the database, changing its passphrase, and how long the app may sit
// idle before it locks itself. The passphrase is typed twice where a typo would lock the user out.
import { api, type ApiError, type Done, type EncryptReport } from '../api';
import { t, tn } from '../i18n/index.svelte';
import { lockAfter } from '../idle.svelte';
import { str, type FormSpec } from './spec';

/** A mistake the form shows beside the confirmation field, in the user's language. */
function mismatch(): ApiError {
  return { code: 'invalid_input', message: 'the two passphrases differ', field: 'confirm', key: 'passphrases_differ' };
}

/** What encrypting did with the database and the copies of the record beside it, in a sentence or two. */
export function encryptedMessage(report: EncryptReport): string {
  const done = (d: Done) => report.companions.filter((c) => c.done === d).length;
  const said = [t('security.encrypted')];
  if (done('encrypted') > 0) said.push(tn('security.copies_encrypted', done('encrypted')));
  if (done('removed') > 0) said.push(tn('security.copies_removed', done('removed')));
  for (const c of report.companions.filter((c) => c.error !== null)) {
    said.push(t('security.copy_left_plain', { path: c.path, error: c.error ?? '' }));
  }
  return said.join(' ');
}

/** Encrypts the open database and its evidence files under a new passphrase, and the copies of the
 *  record kept beside it, which the form lists first. */
export async function encryptForm(): Promise<FormSpec> {
  const copies = await api.listPlaintextCopies();
  const listed = copies.map((c) => c.path.split('/').pop() ?? c.path).join(', ');
  const intro =
    copies.length === 0
      ? t('security.encrypt_intro')
      : `${t('security.encrypt_intro')} ${tn('security.encrypt_copies', copies.length, { names: listed })}`;
  return {
    title: t('security.encrypt_title'),
    intro,
    fields: [
      { name: 'passphrase', label: 'field.passphrase', type: 'password', required: true },
      { name: 'confirm', label: 'field.confirm_passphrase', type: 'password', required: true },
    ],
    values: { passphrase: '', confirm: '' },
    submit: async (v) => {
      if (str(v.passphrase) !== str(v.confirm)) throw mismatch();
      const report = await api.encryptDatabase(str(v.passphrase));
      return { message: encryptedMessage(report) };
    },
  };
}

/** Changes the passphrase of an encrypted database. */
export async function passphraseForm(): Promise<FormSpec> {
  return {
    title: t('security.passphrase_title'),
    fields: [
      { name: 'old', label: 'field.current_passphrase', type: 'password', required: true, errorKeys: ['passphrase'] },
      { name: 'new', label: 'field.new_passphrase', type: 'password', required: true },
      { name: 'confirm', label: 'field.confirm_passphrase', type: 'password', required: true },
    ],
    values: { old: '', new: '', confirm: '' },
    submit: async (v) => {
      if (str(v.new) !== str(v.confirm)) throw mismatch();
      await api.changePassphrase(str(v.old), str(v.new));
      return { message: t('security.passphrase_changed') };
    },
  };
}

/** Copies the whole database to a new file chosen with the save dialog; encrypted when it is. */
export async function backupForm(): Promise<FormSpec> {
  return {
    title: t('security.backup_title'),
    intro: t('security.backup_intro'),
    fields: [
      {
        name: 'path',
        label: 'field.save_to',
        type: 'savefile',
        required: true,
        errorKeys: ['file', 'files'],
        suggest: () => 'dossier-backup.sqlite',
      },
    ],
    values: { path: '' },
    submit: async (v) => {
      const report = await api.backupDatabase(str(v.path));
      const key = report.encrypted ? 'security.backed_up_encrypted' : 'security.backed_up_plain';
      return { message: tn(key, report.files, { path: report.path }) };
    },
  };
}

/** How many idle minutes before the app locks an encrypted database (0: never). */
export async function lockAfterForm(): Promise<FormSpec> {
  return {
    title: t('security.lock_after_title'),
    fields: [{ name: 'minutes', label: 'field.lock_after', type: 'number', required: true }],
    values: { minutes: lockAfter.minutes },
    submit: async (v) => {
      const minutes = Math.max(0, Math.round(Number(v.minutes) || 0));
      lockAfter.set(minutes);
      return { message: t('security.lock_after_set', { minutes }) };
    },
  };
}
