// Runes run in this file (its name has .svelte), so load() can be driven as a view would drive it.
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { load, type Loaded } from '../lib/load.svelte';
import { bump } from '../lib/nav.svelte';

describe('load', () => {
  it('fetches again when its input changes and after a write, keeping only the latest answer', async () => {
    let slug = $state('a');
    const calls: { slug: string; resolve: (answer: string) => void; reject: (e: unknown) => void }[] = [];
    let loaded: Loaded<string> | undefined;
    const stop = $effect.root(() => {
      loaded = load(() => {
        const asked = slug;
        return new Promise<string>((resolve, reject) => calls.push({ slug: asked, resolve, reject }));
      }, '');
    });
    flushSync();
    expect(calls.map((c) => c.slug)).toEqual(['a']);

    slug = 'b';
    flushSync();
    expect(calls.map((c) => c.slug)).toEqual(['a', 'b']);
    // The answer for the case left behind arrives last and is ignored.
    calls[1].resolve('for b');
    calls[0].resolve('for a');
    await Promise.resolve();
    expect(loaded?.data).toBe('for b');

    bump();
    flushSync();
    expect(calls).toHaveLength(3);
    calls[2].reject({ code: 'not_found', message: "no case 'b'", field: null });
    await Promise.resolve();
    expect(loaded?.error?.code).toBe('not_found');
    expect(loaded?.data).toBe('');
    stop();
  });
});
