// The viewer's redaction tool: the boxes drawn on a PDF's pages, each in PDF points from its page's
// top left and with its reason, waiting to be applied. Applying hands them to the core, which makes a
// redacted copy as new evidence; nothing here decides what a redaction removes.
import type { BoxInput } from './bindings';

/** A box drawn on a page, in points from the page's top left, with why it is redacted. */
export interface DrawnBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  reason: string;
  note: string;
}

export const redaction = $state<{
  /** Whether the viewer is in Redact mode (drawing boxes). */
  on: boolean;
  boxes: DrawnBox[];
  /** The reason (and, for "other", the note) new boxes get. */
  reason: string;
  note: string;
  /** Whether the last box drawn was refused for want of a note. */
  refused: boolean;
  /** Whether the copy is being made (the mode cannot be left meanwhile). */
  busy: boolean;
}>({ on: false, boxes: [], reason: 'personal_data', note: '', refused: false, busy: false });

export function startRedacting() {
  redaction.on = true;
}

/** Leaves Redact mode, dropping the boxes not applied; not while the copy is being made. */
export function stopRedacting() {
  if (redaction.busy) return;
  redaction.on = false;
  redaction.boxes = [];
  redaction.refused = false;
}

/** A rectangle on screen, in CSS pixels: where a drag began and where it is now. */
export interface Drag {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The fewest pixels a drag must cover each way to be a box, not a click. */
export const MIN_DRAG = 3;

/**
 * A drag over a page drawn in `shown` (its box on screen, CSS pixels, whatever the zoom) as a box in
 * points on a page `size` points wide and high, from its top left, kept within the page; `null` for a
 * drag too small to be a box.
 */
export function toPoints(
  drag: Drag,
  shown: { left: number; top: number; width: number; height: number },
  size: { width: number; height: number },
): { x: number; y: number; width: number; height: number } | null {
  if (shown.width <= 0 || shown.height <= 0) return null;
  const clamp = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const left = clamp(Math.min(drag.x0, drag.x1) - shown.left, shown.width);
  const right = clamp(Math.max(drag.x0, drag.x1) - shown.left, shown.width);
  const top = clamp(Math.min(drag.y0, drag.y1) - shown.top, shown.height);
  const bottom = clamp(Math.max(drag.y0, drag.y1) - shown.top, shown.height);
  if (right - left < MIN_DRAG || bottom - top < MIN_DRAG) return null;
  const sx = size.width / shown.width;
  const sy = size.height / shown.height;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    x: round(left * sx),
    y: round(top * sy),
    width: round((right - left) * sx),
    height: round((bottom - top) * sy),
  };
}

/** The boxes as the core takes them. */
export function asInput(boxes: DrawnBox[]): BoxInput[] {
  return boxes.map((b) => ({
    page: b.page,
    x: b.x,
    y: b.y,
    width: b.width,
    height: b.height,
    reason: b.reason,
    note: b.note,
  }));
}

/**
 * Adds a box on `page` with the reason chosen for new boxes; refused (false, and said in the tool)
 * when that reason is "other" and does not say which.
 */
export function addBox(page: number, rect: { x: number; y: number; width: number; height: number }): boolean {
  const note = redaction.note.trim();
  redaction.refused = redaction.reason === 'other' && !note;
  if (redaction.refused) return false;
  redaction.boxes.push({ page, ...rect, reason: redaction.reason, note: redaction.reason === 'other' ? note : '' });
  return true;
}
