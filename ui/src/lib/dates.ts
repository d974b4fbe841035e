// Stored dates in words, for lists that show many: the dates a page asks for in the same turn go to
// the core in one call (not one per date), and what the core said is kept, so a date already seen is
// not asked again. The words come from the core: the UI never computes a date.
import { api } from './api';

export interface DateWords {
  en: string;
  fr: string;
}

/** Most words kept; past it the oldest are dropped. */
const KEEP = 5_000;
/** Most dates in one call (the core refuses more than 2,000). */
const BATCH = 500;

const known = new Map<string, DateWords | null>();
let waiting = new Map<string, ((w: DateWords | null) => void)[]>();
let scheduled = false;

/** The words of a stored date, or null when the core does not read it as a date. */
export function wordsOf(text: string): Promise<DateWords | null> {
  if (known.has(text)) return Promise.resolve(known.get(text) ?? null);
  return new Promise((resolve) => {
    const list = waiting.get(text);
    if (list) list.push(resolve);
    else waiting.set(text, [resolve]);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  });
}

async function flush() {
  scheduled = false;
  const batch = waiting;
  waiting = new Map();
  const texts = [...batch.keys()];
  for (let i = 0; i < texts.length; i += BATCH) {
    const part = texts.slice(i, i + BATCH);
    let answers: (DateWords | null)[];
    try {
      answers = (await api.describeDates(part)).map((info) => (info ? { en: info.en, fr: info.fr } : null));
    } catch {
      answers = part.map(() => null);
    }
    part.forEach((text, k) => {
      remember(text, answers[k]);
      for (const resolve of batch.get(text) ?? []) resolve(answers[k]);
    });
  }
}

function remember(text: string, words: DateWords | null) {
  known.set(text, words);
  if (known.size > KEEP) known.delete(known.keys().next().value as string);
}

/** The words kept, for tests. */
export const forTests = { known, reset: () => known.clear() };
