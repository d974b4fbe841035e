import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import BundleDialog from '../components/BundleDialog.svelte';
import ProduceDialog from '../components/ProduceDialog.svelte';
import type { CaseDocument } from '../lib/bindings';
import { hearingInput, moveDocument, stepDocument, tab, type Section } from '../lib/bundle';
import { i18n } from '../lib/i18n/index.svelte';

const doc = (id: string, privileged = false): CaseDocument => ({
  id,
  title: `Doc ${id}`,
  date: null,
  privileged,
  redacted: false,
});
const ids = (sections: Section[]) => sections.map((s) => s.documents.map((d) => d.id).join(''));
const two = (): Section[] => [
  { key: 1, title: 'Pleadings', documents: [doc('a'), doc('b'), doc('c')] },
  { key: 2, title: 'Letters', documents: [doc('d')] },
];

describe('the order of a hearing bundle', () => {
  it('moves a document within its section and into another, never losing or repeating one', () => {
    expect(ids(moveDocument(two(), { section: 0, index: 2 }, { section: 0, index: 0 }))).toEqual(['cab', 'd']);
    expect(ids(moveDocument(two(), { section: 0, index: 0 }, { section: 0, index: 3 }))).toEqual(['bca', 'd']);
    expect(ids(moveDocument(two(), { section: 0, index: 1 }, { section: 1, index: 0 }))).toEqual(['ac', 'bd']);
    expect(ids(moveDocument(two(), { section: 1, index: 0 }, { section: 0, index: 9 }))).toEqual(['abcd', '']);
  });

  it('steps a document up and down, across the border of its section', () => {
    expect(ids(stepDocument(two(), { section: 0, index: 0 }, 1))).toEqual(['bac', 'd']);
    expect(ids(stepDocument(two(), { section: 0, index: 2 }, 1))).toEqual(['ab', 'cd']);
    expect(ids(stepDocument(two(), { section: 1, index: 0 }, -1))).toEqual(['abcd', '']);
    expect(ids(stepDocument(two(), { section: 0, index: 0 }, -1))).toEqual(['abc', 'd']);
  });

  it('names sections as the core does and asks for them in order', () => {
    expect([tab(0), tab(25), tab(26), tab(27)]).toEqual(['A', 'Z', 'AA', 'AB']);
    expect(hearingInput('c', two(), 'fr').sections).toEqual([
      { title: 'Pleadings', evidence: ['a', 'b', 'c'] },
      { title: 'Letters', evidence: ['d'] },
    ]);
  });
});

describe('the dialogs', () => {
  let calls: { cmd: string; args: unknown }[] = [];
  beforeEach(() => {
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === 'list_case_documents') return { total: 2, offset: 0, items: [doc('x'), doc('y', true)] };
      if (cmd === 'preview_production')
        return { volume: 'VOL002', first_bates: 'ACME000038', documents: 12, withheld: 1, redacted: 2, native: 0 };
      return null;
    });
  });
  afterEach(() => {
    cleanup();
    clearMocks();
  });

  it('previews the numbering in French', async () => {
    i18n.lang = 'fr';
    render(ProduceDialog, { caseSlug: 'acme', onclose: () => {} });
    const preview = await screen.findByTestId('produce-preview');
    await waitFor(() => expect(preview.textContent).toContain('Volume VOL002, première page ACME000038'));
    expect(preview.textContent).toContain('12 pièces, 1 couverte par le secret, retenue, 2 copies occultées utilisées');
    expect(
      (calls.find((c) => c.cmd === 'preview_production')?.args as { input: { prefix: string } }).input.prefix,
    ).toBe('ACME');
    i18n.lang = 'en';
  });

  it('stops a production when asked, and says nothing was made', async () => {
    let refuse: (e: unknown) => void = () => {};
    mockIPC((cmd) => {
      if (cmd === 'preview_production')
        return { volume: 'VOL001', first_bates: 'ACME000001', documents: 2, withheld: 0, redacted: 0, native: 0 };
      if (cmd === 'produce_documents') return new Promise((_, reject) => (refuse = reject));
      if (cmd === 'cancel_export') refuse({ code: 'cancelled', message: 'cancelled', field: null });
      return null;
    });
    render(ProduceDialog, { caseSlug: 'acme', onclose: () => {} });
    const folder = (await screen.findByLabelText(/Folder the volume is made in/)) as HTMLInputElement;
    await fireEvent.input(folder, { target: { value: '/tmp/out' } });
    await fireEvent.click(screen.getByTestId('save'));
    await fireEvent.click(await screen.findByTestId('stop'));
    const said = await screen.findByTestId('form-error');
    expect(said.textContent).toContain('Stopped: no volume was made.');
    expect(screen.queryByTestId('produce-done')).toBeNull();
  });

  it('marks a privileged document as left out once added to a section', async () => {
    render(BundleDialog, { caseSlug: 'acme', onclose: () => {} });
    const adds = await screen.findAllByTestId('bundle-add');
    await fireEvent.click(adds[1]);
    expect(screen.getByTestId('left-out').textContent).toContain('left out: privileged');
    expect((adds[1] as HTMLButtonElement).disabled).toBe(true);
  });
});
