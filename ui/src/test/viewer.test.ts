import { describe, expect, it } from 'vitest';
import { oneLine, piecesOf, quoteIn, viewerMode } from '../lib/viewer.svelte';

describe('the viewer', () => {
  it('finds a quote across the pieces of a text layer, only the words it covers', () => {
    const pieces = ['Twitter demands an audit', 'of the data it shared.', 'Reply within ten days.'];
    expect(piecesOf(pieces, { exact: 'an audit of the data' })).toEqual([
      { index: 0, from: 16, to: 24 },
      { index: 1, from: 0, to: 11 },
    ]);
    expect(piecesOf(pieces, { exact: 'AUDIT  of' })).toEqual([
      { index: 0, from: 19, to: 24 },
      { index: 1, from: 0, to: 2 },
    ]);
    expect(piecesOf(pieces, { exact: 'not there' })).toEqual([]);
  });

  it('takes the occurrence after the prefix when the words come twice', () => {
    const pieces = ['the fee is due.', 'Twitter says the fee is due.'];
    expect(piecesOf(pieces, { exact: 'the fee', prefix: 'Twitter says' })).toEqual([{ index: 1, from: 13, to: 20 }]);
    expect(piecesOf(pieces, { exact: 'the fee' })).toEqual([{ index: 0, from: 0, to: 7 }]);
  });

  it('cites a selection with the text around it, on one line', () => {
    const page = "We write about\nMicrosoft's use of   the data and demand an audit.";
    expect(quoteIn(page, 'use of\nthe data', 3)).toEqual({
      page: 3,
      exact: 'use of the data',
      prefix: "We write about Microsoft's ",
      suffix: ' and demand an audit.',
    });
    expect(quoteIn(page, 'elsewhere', 1)).toEqual({ page: 1, exact: 'elsewhere', prefix: '', suffix: '' });
    expect(oneLine('  a \n b ')).toBe('a b');
  });

  it('shows PDFs drawn, pictures as they are, and anything else by its text', () => {
    expect(viewerMode('application/pdf')).toBe('pdf');
    expect(viewerMode('image/png')).toBe('image');
    expect(viewerMode('image/svg+xml')).toBe('text');
    expect(viewerMode('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('text');
    expect(viewerMode(null)).toBe('text');
  });
});
