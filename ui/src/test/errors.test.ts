import { describe, expect, it } from 'vitest';
import { explain, type ApiError } from '../lib/api';
import { i18n, tryT } from '../lib/i18n/index.svelte';

describe('explain', () => {
  const impossible: ApiError = {
    code: 'invalid_input',
    message: "date '2023-02-30' does not exist",
    field: 'date',
    key: 'date.no_such_day',
    value: '2023-02-30',
  };

  it("says a known mistake in the user's language, quoting the value", () => {
    i18n.lang = 'fr';
    expect(explain(impossible, tryT)).toBe('La date « 2023-02-30 » n’existe pas.');
    i18n.lang = 'en';
    expect(explain(impossible, tryT)).toBe("Date '2023-02-30' does not exist.");
  });

  it("falls back to the core's message for anything it has no words for", () => {
    const conflict: ApiError = {
      code: 'conflict',
      message: "cannot delete party 'X': still referred to by 1 letter",
      field: null,
    };
    expect(explain(conflict, tryT)).toBe(conflict.message);
    expect(explain({ ...impossible, key: 'date.something_new' }, tryT)).toBe(impossible.message);
  });
});
