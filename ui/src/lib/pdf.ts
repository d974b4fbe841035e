// pdf.js, loaded only when a PDF is first opened (it is large), under the app's strict CSP: its
// worker is a file of the app, no code is evaluated from a document (`isEvalSupported: false`), and
// fonts are drawn as paths rather than loaded as web fonts (`disableFontFace`). The legacy build
// carries what an older WebKit may lack.
import type { PDFDocumentProxy } from 'pdfjs-dist';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loading: Promise<PdfJs> | null = null;

/**
 * pdf.js reads a page's text with `for await` over a ReadableStream, which this WebKit cannot iterate
 * (and the legacy build does not supply); the few lines it needs are given here.
 */
function streamsIterable() {
  const proto = ReadableStream.prototype as ReadableStream<unknown> & { [Symbol.asyncIterator]?: unknown };
  if (Symbol.asyncIterator in proto) return;
  Object.defineProperty(proto, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: async function* (this: ReadableStream<unknown>) {
      const reader = this.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  });
}

function pdfjs(): Promise<PdfJs> {
  streamsIterable();
  loading ??= Promise.all([
    import('pdfjs-dist/legacy/build/pdf.mjs'),
    import('pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'),
  ]).then(([lib, worker]) => {
    lib.GlobalWorkerOptions.workerSrc = worker.default;
    return lib;
  });
  return loading;
}

/** Opens a PDF from its bytes. */
export async function openPdf(data: ArrayBuffer): Promise<PDFDocumentProxy> {
  const lib = await pdfjs();
  return lib.getDocument({ data, isEvalSupported: false, disableFontFace: true, enableXfa: false }).promise;
}

/**
 * Draws page `n` of `doc` `width` pixels wide into `canvas`, with its text laid over it in `textLayer`
 * (transparent, selectable); returns the text pieces, one per element of the text layer, in order.
 */
export async function drawPage(
  doc: PDFDocumentProxy,
  n: number,
  canvas: HTMLCanvasElement,
  textLayer: HTMLElement,
  width: number,
): Promise<HTMLElement[]> {
  const lib = await pdfjs();
  const page = await doc.getPage(n);
  const scale = width / page.getViewport({ scale: 1 }).width;
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no canvas');
  await page.render({
    canvas,
    canvasContext: context,
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  }).promise;
  textLayer.replaceChildren();
  const parent = textLayer.parentElement;
  parent?.style.setProperty('--scale-factor', String(scale));
  parent?.style.setProperty('--total-scale-factor', String(scale));
  const layer = new lib.TextLayer({ textContentSource: await page.getTextContent(), container: textLayer, viewport });
  await layer.render();
  return layer.textDivs;
}

/** The size of page `n` of `doc` in points (as drawn, turned if the page says so). */
export async function pageSize(doc: PDFDocumentProxy, n: number): Promise<{ width: number; height: number }> {
  const { width, height } = (await doc.getPage(n)).getViewport({ scale: 1 });
  return { width, height };
}
