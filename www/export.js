// Exports for slides and spreadsheets: the figure chosen in `#export-figure` as SVG (`lab.exportSvg`, the same
// drawing code as the canvas) or as PNG at 2× its size on screen (the canvas's own draw call, on a canvas twice
// as large), and the trace as CSV (`lab.traceCsv()`). All numbers and drawing come from the wasm `Lab`.

const $ = (id) => document.getElementById(id);

/** Each figure that can be exported: its canvas, whose lab draws it (`lab` or the side-by-side `twin`), the
 * name `exportSvg` takes, and how the page draws it on a canvas (the same calls as app.js `FIGURES`). */
const FIGURES = [
  ['fig-histogram', 'lab', 'histogram', (lab, c) => lab.drawData(c, Number($('bins').value) || 40, $('hard').checked)],
  ['fig-twin', 'twin', 'histogram', (lab, c) => lab.drawData(c, 40)],
  ['fig-path', 'lab', 'path', (lab, c) => lab.drawPath(c)],
  ['fig-slice', 'lab', 'slice', (lab, c) => lab.drawSlice(c, Number($('slice-along').value))],
  ['fig-jensen', 'lab', 'jensen', (lab, c) => lab.drawJensen(c)],
  ['fig-split', 'lab', 'split', (lab, c) => lab.drawSplit(c)],
  ['fig-trace', 'lab', 'trace', (lab, c) => lab.drawTrace(c)],
  ['fig-twin-trace', 'twin', 'trace', (lab, c) => lab.drawTrace(c)],
];

/** How much larger than on screen a PNG export is drawn. */
export const PNG_SCALE = 2;
/** The size range `exportSvg` accepts, in pixels. */
const SVG_MIN = 100;
const SVG_MAX = 8000;

/** The page's state (app.js `page`): the lab and its twin. */
let page = null;

/** The figures on show now, in page order. */
function shownFigures() {
  return FIGURES.filter(([id, owner]) => page?.[owner] && $(id) && !$(id).closest('[hidden]') && $(id).clientWidth > 0);
}

/** Fills the figure menu with the figures on show, named as their canvases are; keeps the choice if it is still there. */
function fillMenu() {
  const select = $('export-figure');
  const chosen = select.value;
  const options = shownFigures().map(([id]) => {
    const option = document.createElement('option');
    option.value = id;
    option.textContent = $(id).getAttribute('aria-label') || id;
    return option;
  });
  select.replaceChildren(...options);
  if (options.some((o) => o.value === chosen)) select.value = chosen;
  for (const button of ['btn-export-svg', 'btn-export-png']) $(button).disabled = options.length === 0;
}

/** The figure chosen in the menu: `[canvasId, owner, figureId, draw]`, or null. */
function chosenFigure() {
  return shownFigures().find(([id]) => id === $('export-figure').value) ?? null;
}

/** A file name for an export of the lab in its current state: emlab-<data>-<what>-h<half-step>.<ext>. */
function fileName(lab, what, ext) {
  const s = lab.state();
  const data = (s.preset ?? s.model).replace(/[^\w-]+/g, '_');
  return `emlab-${data}-${what}-h${s.halfStep}.${ext}`;
}

/** Offers `blob` as a download called `name`. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Shows an export failure in the page's alert region (as text). */
function showError(error) {
  const alert = $('alert');
  alert.textContent = error instanceof Error ? error.message : String(error);
  alert.hidden = false;
}

/** The chosen figure as SVG, at its size on screen (CSS pixels, within what `exportSvg` accepts). */
export function exportSvg() {
  const figure = chosenFigure();
  if (!figure) return;
  const [id, owner, name] = figure;
  const lab = page[owner];
  const size = (v) => Math.min(SVG_MAX, Math.max(SVG_MIN, Math.round(v)));
  try {
    const svg = lab.exportSvg(name, size($(id).clientWidth), size($(id).clientHeight));
    download(new Blob([svg], { type: 'image/svg+xml' }), fileName(lab, name, 'svg'));
  } catch (error) {
    showError(error);
  }
}

/**
 * Draws figure `figure` on a new canvas laid out at the on-screen canvas's CSS size with PNG_SCALE × its pixels
 * (so the figure looks the same, twice as sharp) and returns that canvas; the caller removes it. The data
 * figure is drawn again on screen afterwards, so clicks on it keep mapping to the right points.
 */
export function drawLarge(figure) {
  const [id, owner, , draw] = figure;
  const shown = $(id);
  const lab = page[owner];
  const canvas = document.createElement('canvas');
  // In the document (so it has a CSS size the drawing code reads) but out of sight and out of the layout.
  Object.assign(canvas.style, {
    position: 'fixed', left: '-100000px', top: '0', visibility: 'hidden', pointerEvents: 'none',
    width: `${shown.clientWidth}px`, height: `${shown.clientHeight}px`,
  });
  canvas.width = PNG_SCALE * shown.width;
  canvas.height = PNG_SCALE * shown.height;
  canvas.setAttribute('aria-hidden', 'true');
  document.body.append(canvas);
  try {
    draw(lab, canvas);
  } finally {
    if (id === 'fig-histogram' || id === 'fig-twin') draw(lab, shown);
  }
  return canvas;
}

/** The chosen figure as PNG at PNG_SCALE × its size on screen. */
export function exportPng() {
  const figure = chosenFigure();
  if (!figure) return;
  const [, owner, name] = figure;
  const lab = page[owner];
  let canvas = null;
  try {
    canvas = drawLarge(figure);
    const file = fileName(lab, name, 'png');
    canvas.toBlob((blob) => {
      canvas.remove();
      if (blob) download(blob, file);
      else showError(page.text['err-png-failed']);
    }, 'image/png');
  } catch (error) {
    canvas?.remove();
    showError(error);
  }
}

/** The trace (every half-step: iteration, ℓ, L, KL and θ) as CSV. */
export function exportCsv() {
  if (!page?.lab) return;
  try {
    download(new Blob([page.lab.traceCsv()], { type: 'text/csv' }), fileName(page.lab, 'trace', 'csv'));
  } catch (error) {
    showError(error);
  }
}

/** Wires the export controls to the page's state `state` (app.js `page`); the figure menu follows the figures
 * on show and their names (model, side by side, language). */
export function initExport(state) {
  page = state;
  $('btn-export-svg').addEventListener('click', exportSvg);
  $('btn-export-png').addEventListener('click', exportPng);
  $('btn-export-csv').addEventListener('click', exportCsv);
  let queued = false;
  const refill = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fillMenu();
    });
  };
  const main = document.querySelector('main') ?? document.body;
  new MutationObserver(refill).observe(main, { subtree: true, attributes: true, attributeFilter: ['hidden', 'aria-label'] });
  $('export-figure').addEventListener('focus', fillMenu);
  window.addEventListener('resize', refill);
  refill();
}
