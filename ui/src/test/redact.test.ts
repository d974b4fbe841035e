import { afterEach, describe, expect, it } from 'vitest';
import { addBox, asInput, redaction, stopRedacting, toPoints } from '../lib/redact.svelte';

// A Letter page (612 × 792 points) drawn 760 pixels wide at (100, 50) on screen, or half that.
const LETTER = { width: 612, height: 792 };
const AT_760 = { left: 100, top: 50, width: 760, height: 760 * (792 / 612) };
const AT_380 = { left: 100, top: 50, width: 380, height: 380 * (792 / 612) };

describe('the redaction tool', () => {
  afterEach(() => {
    stopRedacting();
    redaction.reason = 'personal_data';
    redaction.note = '';
  });

  it('measures a drag in points from the page’s top left, whatever the size it is drawn at', () => {
    // The same words, at 72 × 100 points and 144 points wide, dragged over at either size.
    const big = toPoints(
      {
        x0: 100 + 72 * (760 / 612),
        y0: 50 + 100 * (760 / 612),
        x1: 100 + 216 * (760 / 612),
        y1: 50 + 114 * (760 / 612),
      },
      AT_760,
      LETTER,
    );
    const small = toPoints(
      {
        x0: 100 + 72 * (380 / 612),
        y0: 50 + 100 * (380 / 612),
        x1: 100 + 216 * (380 / 612),
        y1: 50 + 114 * (380 / 612),
      },
      AT_380,
      LETTER,
    );
    for (const box of [big, small]) {
      expect(box).not.toBeNull();
      expect(box!.x).toBeCloseTo(72, 1);
      expect(box!.y).toBeCloseTo(100, 1);
      expect(box!.width).toBeCloseTo(144, 1);
      expect(box!.height).toBeCloseTo(14, 1);
    }
  });

  it('takes a drag in any direction, keeps it on the page and ignores a click', () => {
    // Dragged up and to the left, from inside the page to beyond its top left corner.
    const box = toPoints({ x0: 100 + 380, y0: 50 + 380, x1: 0, y1: 0 }, AT_760, LETTER);
    expect(box).toEqual({ x: 0, y: 0, width: 306, height: 306 });
    expect(toPoints({ x0: 300, y0: 300, x1: 301, y1: 302 }, AT_760, LETTER)).toBeNull();
  });

  it('gives each new box the reason chosen, and refuses “other” without saying which', () => {
    expect(addBox(1, { x: 1, y: 2, width: 3, height: 4 })).toBe(true);
    redaction.reason = 'other';
    expect(addBox(2, { x: 1, y: 2, width: 3, height: 4 })).toBe(false);
    expect(redaction.refused).toBe(true);
    redaction.note = '  a supplier’s price ';
    expect(addBox(2, { x: 1, y: 2, width: 3, height: 4 })).toBe(true);
    expect(redaction.refused).toBe(false);
    expect(asInput(redaction.boxes)).toEqual([
      { page: 1, x: 1, y: 2, width: 3, height: 4, reason: 'personal_data', note: '' },
      { page: 2, x: 1, y: 2, width: 3, height: 4, reason: 'other', note: 'a supplier’s price' },
    ]);
  });
});
