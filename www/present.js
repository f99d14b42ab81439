// Screens and presentation mode: how large the figures' text and lines are drawn, the height of the step
// toolbar on a narrow screen and of the side panel on a wide one, and the presentation mode (`P`,
// `#btn-present`; `Esc` leaves).
//
// The figures draw every size (text, lines, margins) in CSS px times devicePixelRatio (so browser zoom
// enlarges them with the page, and a DPR-2 screen gets a buffer of twice the pixels), times the canvas's
// `data-scale` (read by src/web/canvas.rs): set here, it enlarges a figure's text and lines together.

/** A figure this large (CSS px) or larger is drawn with its text and lines enlarged in proportion. */
const NORMAL_SIZE = { width: 760, height: 470, max: 2 };
/** In presentation mode the figures are drawn larger in proportion to their size from this size on: 1.46
 * times on a 1080p screen (the smallest figure text, the tick labels at 20 px, becomes 29 px), more when one
 * figure fills the screen. Four figures on a 1280×720 or 1366×768 projector (~625×300 px) are drawn as the
 * page draws them: a floor of 1.4 there put three legend lines and piled-up ticks in a 275 px figure. */
const PRESENT_SIZE = { width: 640, height: 320, min: 1, max: 2.4 };

const $ = (id) => document.getElementById(id);
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

const state = { redraw: () => {}, text: () => ({}), frame: 0, fullscreen: false, single: 0, focus: null };

/** The factor by which a figure's text and lines are enlarged, from its size and the mode. */
export function figureScale(canvas) {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (!w || !h) return 1;
  if (presenting()) {
    // A figure narrower than 2:1 (five coin figures three to a row at 1080p: 624×467 px) grows by the mean of
    // its two ratios (1.19), not the width's (0.98: drawn at the page's size); a wide one by its height's, so
    // a lesson's table keeps every row.
    const wide = w / PRESENT_SIZE.width;
    const tall = h / PRESENT_SIZE.height;
    return clamp(Math.min(Math.sqrt(wide * tall), tall), PRESENT_SIZE.min, PRESENT_SIZE.max);
  }
  return clamp(Math.min(w / NORMAL_SIZE.width, h / NORMAL_SIZE.height), 1, NORMAL_SIZE.max);
}

/** Sets every main figure's `data-scale` for its current size; true when one changed. The page calls it
 * before drawing its figures, after everything else is written, so it costs no layout of its own. */
export function updateScales() {
  let changed = false;
  for (const canvas of document.querySelectorAll('.figures canvas')) {
    const scale = figureScale(canvas).toFixed(3);
    if (canvas.dataset.scale !== scale) {
      canvas.dataset.scale = scale;
      changed = true;
    }
  }
  return changed;
}

/** Redraws on the next frame (once, however many changes came in this one); the redraw sets the scales
 * (`updateScales`, called by the page's `drawFigures`). */
function scheduleRedraw() {
  cancelAnimationFrame(state.frame);
  state.frame = requestAnimationFrame(() => state.redraw());
}

/** True while the page is in presentation mode. */
export function presenting() {
  return document.body.classList.contains('presenting');
}

/** The figures that can be shown (not hidden for the model on the page), in the order the page shows them
 * (side by side, style.css puts the traces before the bound figures). */
function shownFigures() {
  return Array.from(document.querySelectorAll('.figures > .fig')).filter((f) => !f.hidden)
    .map((f) => [f, Number(getComputedStyle(f).order) || 0])
    .sort((a, b) => a[1] - b[1])
    .map(([f]) => f);
}

/** Shows figure `n` (1-based, in the order shown) large, or all of them for 0. Only in presentation mode. */
export function showFigure(n) {
  if (!presenting()) return false;
  const figures = shownFigures();
  if (n > figures.length) return false;
  state.single = n;
  const figuresBox = document.querySelector('.figures');
  figuresBox.classList.toggle('single', n > 0);
  figuresBox.dataset.shown = String(n);
  // Five or six figures (the coin models, side by side) go three to a row: in two columns their three rows
  // left each ~210 px on a 768 px screen.
  figuresBox.dataset.count = String(figures.length);
  for (const [i, figure] of figures.entries()) figure.classList.toggle('present-off', n > 0 && i + 1 !== n);
  scheduleRedraw();
  return true;
}

/** Labels the presentation button for the mode the page is in. */
function labelButton() {
  const button = $('btn-present');
  const on = presenting();
  button.setAttribute('aria-pressed', String(on));
  button.textContent = state.text()[on ? 'btn-present-exit' : 'btn-present'] ?? '';
  button.setAttribute('aria-keyshortcuts', on ? 'Escape' : 'P');
}

/** Enters presentation mode: the figures and the step buttons only, in large type, full screen when the
 * browser allows it (else in the window: a refused request changes nothing else). */
export function enterPresent() {
  if (presenting()) return;
  // The control the focus was on, hidden with the side panel (a menu, a field): the focus comes back to it.
  state.focus = document.activeElement;
  document.body.classList.add('presenting');
  measureToolbar();
  labelButton();
  showFigure(0);
  state.fullscreen = false;
  const root = document.documentElement;
  if (document.fullscreenEnabled && !document.fullscreenElement && root.requestFullscreen) {
    root.requestFullscreen({ navigationUI: 'hide' }).then(
      () => { state.fullscreen = presenting(); },
      () => { /* Refused (no user gesture, a headless browser, a policy): the layout alone. */ },
    );
  }
}

/** Leaves presentation mode (and full screen, if it was entered for it). */
export function leavePresent() {
  if (!presenting()) return false;
  document.body.classList.remove('presenting');
  measureToolbar();
  for (const figure of document.querySelectorAll('.figures > .fig')) figure.classList.remove('present-off');
  document.querySelector('.figures').classList.remove('single');
  delete document.querySelector('.figures').dataset.shown;
  delete document.querySelector('.figures').dataset.count;
  state.single = 0;
  labelButton();
  if (state.fullscreen && document.fullscreenElement) document.exitFullscreen().catch(() => {});
  state.fullscreen = false;
  const back = state.focus;
  state.focus = null;
  if (document.activeElement === document.body && back?.isConnected && back.checkVisibility()) back.focus();
  scheduleRedraw();
  return true;
}

/** Shows the readouts as one line (`body.readouts-line`) where the step buttons are a bar across the screen
 * (presentation mode, and a narrow screen's sticky toolbar), and sets the toolbar's heights for style.css:
 * `--steps-h` (the step buttons), `--toolbar-h` (with the readouts, when they are held under them) and
 * `--alert-h` (the alert held under the toolbar, while shown). */
function measureToolbar() {
  const steps = document.querySelector('.steps');
  const readouts = document.querySelector('.readouts');
  const root = document.documentElement;
  const sticky = (el) => getComputedStyle(el).position === 'sticky';
  document.body.classList.toggle('readouts-line', presenting() || sticky(steps));
  const stepsHeight = steps.getBoundingClientRect().height;
  const held = sticky(steps) && sticky(readouts) ? readouts.getBoundingClientRect().height : 0;
  root.style.setProperty('--steps-h', `${Math.floor(stepsHeight)}px`);
  root.style.setProperty('--toolbar-h', `${Math.ceil(stepsHeight + held)}px`);
  // The alert held under them, while shown: a section scrolled to comes to rest under it too.
  const alert = document.getElementById('alert');
  const alertHeight = !alert.hidden && sticky(alert) ? alert.getBoundingClientRect().height : 0;
  root.style.setProperty('--alert-h', `${Math.ceil(alertHeight)}px`);
}

/** `P` and `#btn-present`. */
export function togglePresent() {
  if (presenting()) leavePresent();
  else enterPresent();
}

/**
 * Wires the presentation button, the figure sizes and the toolbar height. `redraw()` redraws every figure;
 * `text()` is the page's message table in its language.
 */
export function initPresent({ redraw, text }) {
  state.redraw = redraw;
  state.text = text;
  labelButton();
  $('btn-present').addEventListener('click', togglePresent);
  // Esc in full screen is the browser's: it leaves full screen, and so the presentation with it.
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && state.fullscreen) {
      state.fullscreen = false;
      leavePresent();
    }
  });
  // A double click on a figure in presentation mode shows it alone, and another shows all again.
  for (const figure of document.querySelectorAll('.figures > .fig')) {
    figure.addEventListener('dblclick', () => {
      if (!presenting()) return;
      showFigure(state.single ? 0 : shownFigures().indexOf(figure) + 1);
    });
  }
  // A figure that changes size (a window resize, the mode, a model with other figures) is drawn again with
  // text and lines for its new size.
  const figures = new ResizeObserver(() => {
    // Only when a figure's buffer no longer matches its box, or its scale changed (the page's own redraw
    // after a change of model has usually sized them already).
    const ratio = window.devicePixelRatio || 1;
    const stale = (c) => c.clientWidth > 0 && (Math.round(c.clientWidth * ratio) !== c.width || Math.round(c.clientHeight * ratio) !== c.height);
    const canvases = Array.from(document.querySelectorAll('.figures canvas'));
    if (updateScales() || canvases.some(stale)) scheduleRedraw();
  });
  for (const canvas of document.querySelectorAll('.figures canvas')) figures.observe(canvas);
  // The sticky toolbar of a narrow screen, the step buttons and the readouts' line under them: the figures
  // take the height it leaves.
  const toolbar = new ResizeObserver(measureToolbar);
  toolbar.observe(document.querySelector('.steps'));
  toolbar.observe(document.querySelector('.readouts'));
  toolbar.observe(document.getElementById('alert'));
  window.addEventListener('resize', measureToolbar);
  measureToolbar();
  // The sticky side panel of a wide screen is as tall as the screen below the header still shown: once the
  // header has scrolled away it reaches the screen's bottom (it ended ~70 px above it, its last line cut).
  const header = document.querySelector('.top');
  let headShown = -1;
  window.addEventListener('scroll', () => {
    const shown = Math.max(0, header.offsetHeight - Math.round(window.scrollY));
    if (shown === headShown) return;
    headShown = shown;
    document.documentElement.style.setProperty('--head-shown', `${shown}px`);
  }, { passive: true });
}

/** Relabels the presentation button after a change of language. */
export function relabelPresent() {
  labelButton();
}
