// Every form the UI shows, one module per record kind; components import them from here.
export type { Field, FieldType, FormSpec, Option, Saved, Search, Values } from './spec';
export { inLanguage } from './spec';
export { agreementForm, clauseForm } from './agreement';
export { allegationForm, responseForm, statusForm } from './allegation';
export { caseForm, partyForm, roleForm } from './case';
export { eventForm } from './event';
export { attachForm, captureForm, evidenceForm, linkForm, quoted } from './evidence';
export { letterForm } from './letter';
export { backupForm, encryptForm, lockAfterForm, passphraseForm } from './security';
export { exportForm, importForm } from './transfer';
