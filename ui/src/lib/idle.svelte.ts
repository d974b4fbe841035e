// Locking an encrypted database after the user has left the app alone for a while. How long is a
// setting kept in this webview's storage (it says nothing of the record); any key, click or pointer
// movement starts the count again.
const KEY = 'dossier.lock-after-minutes';
const DEFAULT_MINUTES = 15;

function stored(): number {
  const found = Number(globalThis.localStorage?.getItem(KEY));
  return Number.isFinite(found) && found >= 0 && globalThis.localStorage?.getItem(KEY) !== null
    ? found
    : DEFAULT_MINUTES;
}

export const lockAfter = $state({
  minutes: stored(),
  set(minutes: number) {
    lockAfter.minutes = minutes;
    globalThis.localStorage?.setItem(KEY, String(minutes));
  },
});

/**
 * Calls `onidle` once the window has seen no key, click or pointer movement for `lockAfter.minutes`
 * (never when 0). Returns the function that stops watching.
 */
export function watchIdle(onidle: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    if (lockAfter.minutes > 0) timer = setTimeout(onidle, lockAfter.minutes * 60_000);
  };
  const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
  for (const e of events) window.addEventListener(e, restart, { passive: true });
  restart();
  return () => {
    clearTimeout(timer);
    for (const e of events) window.removeEventListener(e, restart);
  };
}
