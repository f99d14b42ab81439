// EM Lab page: wires the buttons, keys and readouts to the wasm `Lab`; all math and drawing live in Rust.
import { limits, messages, models, palette } from './pkg/emlab.js';
import { wasmReady } from './start.js';
import { formatGap, formatNumber, replaceAll, setAttr, setProp, setText, sizeCanvas } from './view.js';
import { CUSTOM, cancelIdle, labControls, lessonOf, message, short, whenIdle } from './shared.js';
import { releaseFormulas, renderFormulas, watchFormulas } from './formulas.js';
import { afterRender, fill, initData, makeLab, recover, restoreSaved, setReg, useLinkAtBoot } from './data.js';
import { halfWidth, parseWhole, shorten } from './url.js';
import { clearDataMessages } from './lessons.js';
import { sessionChanged } from './session.js';
import { drawEmptyHint } from './clicks.js';
import { initExport } from './export.js';
import { initKeys, isTextField, keepKeyboardFocus, keyboardOwns, legendOpen, toggleLegend } from './keys.js';
import { initPresent, leavePresent, presenting, relabelPresent, showFigure, togglePresent, updateScales } from './present.js';
import { applyPrefs, watchPrefs } from './prefs.js';

/** The last position of the speed control (`#speed`): as fast as the page draws, one half-step a frame. */
const SPEED_MAX = 61;
/** The iterations "Run to convergence" allows before it stops unconverged. */
const CONVERGE_MAX = 10_000;
/** Milliseconds of computing per slice of "Run to convergence" (the page stays responsive between slices). */
const CONVERGE_SLICE_MS = 30;
/** "Run to convergence" under way: its pending slice, the iterations per slice (or half-steps with their passes
 * in parts, `halves`, where one iteration is longer than a slice), iterations done per lab. */
const converging = { timer: 0, chunk: 16, halves: false, done: new Map() };
/** Where the language chosen in the menu is remembered. */
const LANG_KEY = 'emlab.lang';

const $ = (id) => document.getElementById(id);

/** The limits of K and the seed: the core's (`limits()`, from `core::params::check_k`), read once the wasm is
 * loaded. */
let K_MAX = 10;
let SEED_MAX = 4294967295;
/** The observations in a part of a pass over the data (`limits().passPart`): more, and "Run to convergence"
 * goes by half-steps whose passes are made in parts. */
let PASS_PART = 65536;
/** A number at or below this fraction of its scale is float noise, shown as 0 (`limits().noise`). */
let NOISE = 1e-12;
/** The default stopping rule's tolerance (`limits().tol`): a lesson's words at convergence hold under it. */
let DEFAULT_TOL = 1e-10;
/** The largest K, as the core allows it. */
const kMax = () => K_MAX;

/** The page's mutable state: the lab, the language, the run timer (or frame) and when its wait began, and the
 * last valid K and seed typed. */
const page = { lab: null, twin: null, twinHard: false, lang: 'en', text: {}, timer: null, drawTimer: 0, frame: 0, waitFrom: 0, k: 2, seed: 1 };

/** Puts every `data-msg` text and `data-msg-label` aria-label in the page language. */
function applyMessages() {
  page.text = messages(page.lang);
  document.documentElement.lang = page.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-msg]')) el.textContent = page.text[el.dataset.msg];
  for (const el of document.querySelectorAll('[data-msg-label]')) el.setAttribute('aria-label', page.text[el.dataset.msgLabel]);
  document.title = page.text['app-title'];
  fillPresetMenu();
  showSpeed();
  relabelPresent();
  page.lab?.setLanguage(page.lang);
  page.twin?.setLanguage(page.lang);
}

/** The data menu: the presets grouped by the registry's models (`models()`); a preset shown under another
 * model than its own (k-means on the 2-D data sets) reads "<model>:<preset>". A preset's own model is the first
 * that lists it (the registry's `preset_model`); read from `models()`, which costs nothing, not from
 * `presetCatalog()`, which builds every preset to learn its lesson's K (tens of ms at start-up). */
function fillPresetMenu() {
  const select = $('preset');
  const chosen = select.value;
  const kept = Array.from(select.querySelectorAll(':scope > option')); // "Your data" (data.js)
  const own = new Map();
  for (const model of models()) for (const name of model.presets) if (!own.has(name)) own.set(name, model.name);
  const groups = Array.from(models(), (model) => {
    const group = document.createElement('optgroup');
    group.label = page.text[`group-${model.name}`];
    for (const name of model.presets) {
      const option = document.createElement('option');
      option.value = own.get(name) === model.name ? name : `${model.name}:${name}`;
      option.textContent = page.text[`preset-${name}`] ?? name;
      group.append(option);
    }
    return group;
  });
  replaceAll(select, groups.concat(kept));
  if (chosen) select.value = chosen;
}

/** Shows an error message in the alert region (never as HTML). */
function showError(error, shown = $('alert').hidden ? null : $('alert').textContent) {
  const alert = $('alert');
  const text = error instanceof Error ? error.message : String(error);
  // The same refusal again (`shown` before the click: M-step or Run at a collapse) flashes the alert: the
  // click changed nothing on screen, and seemed not to have been taken.
  if (shown === text) {
    alert.animate([{ backgroundColor: '#f7a8b8' }, { backgroundColor: '#fde8ec' }], { duration: 700 });
  }
  alert.textContent = text;
  alert.hidden = false;
}

/** Hides the alert region. */
function clearError() {
  setProp($('alert'), 'hidden', true);
  setText($('alert'), '');
}

/** Runs `action` on the lab, shows any error, and redraws (on large data the figures' budget counts from
 * the click, whose half-step is part of the same task). */
function act(action) {
  if (!page.lab) return;
  const started = performance.now();
  apply(action);
  render(undefined, () => {}, started);
}

/** Runs `action` on the lab, showing an error it throws (and stopping a run); draws nothing. */
function apply(action) {
  const shown = $('alert').hidden ? null : $('alert').textContent;
  clearError();
  try {
    action(page.lab);
  } catch (error) {
    showError(error, shown);
    stopRunning();
  }
}

/** Writes a number into a readout: readable text, full precision in `data-value`. */
function setReadout(id, value, format = formatNumber) {
  const el = $(id);
  setAttr(el, 'data-value', String(value));
  setText(el, format(value));
}

/** Shows the controls and figures the model on show supports, as its state says (`s.can`), plus the page's
 * own: `twin` while side by side is on, `starts` when the lesson offers starts. */
function showFor(s, twin) {
  const can = { ...s.can, twin, starts: s.starts > 0 };
  for (const el of document.querySelectorAll('[data-can]')) setProp(el, 'hidden', !can[el.dataset.can]);
}

/** Updates readouts, the parameter table and every figure from the lab's state. Only what changed is written
 * into the page (a click at 12,000 points was 12 ms of rebuilding a table of the same shape). The figures are
 * drawn in tasks of about `budgetMs`; by default at once, and on data of more than one pass part in tasks of
 * CLICK_DRAW_BUDGET_MS, the first of them the task that began at `taskStarted` (a click's), if given. */
function render(budgetMs = undefined, done = () => {}, taskStarted = undefined) {
  const lab = page.lab;
  const s = lab.state();
  // Side by side, the twin stands at the lab's half-step. Where the lab moved alone (a new covariance type
  // or a re-initialised component restarted it, its M-step was refused after the twin's was taken), the
  // twin is made again there (it takes the lab's half-steps). Not while "Run to convergence" is under way:
  // there each goes at its own pace, and it ends with both at the same half-step.
  if (page.twin && !converging.timer && page.twin.state().halfStep !== s.halfStep) makeTwin();
  showFor(s, Boolean(page.twin));
  setAttr($('iteration'), 'data-value', String(s.iteration));
  // Thousands grouped, as the status and the README write them ("1,038").
  setText($('iteration'), formatNumber(s.iteration, 0));
  setProp($('timeline'), 'max', String(s.halfSteps));
  setProp($('timeline'), 'value', String(s.halfStep));
  // Read out as where it stands in the run ("Half-steps 37" said nothing of the whole).
  setAttr($('timeline'), 'aria-valuetext', message(page.text, 'timeline-value', { i: formatNumber(s.halfStep, 0), n: formatNumber(s.halfSteps, 0) }));
  labControls(true);
  // Nothing to undo at the timeline's start (a new data set, a reset run): Undo did nothing and said nothing.
  // Dimmed, not disabled (`aria-disabled`), so a keyboard's focus stays on it: disabled, it handed the focus
  // to Redo, and Enter pressed on Undo again and again (or held) went back and forth along the timeline.
  for (const [id, off] of [['btn-undo', s.halfStep === 0], ['btn-redo', s.halfStep >= s.halfSteps]]) {
    setProp($(id), 'disabled', false); // disabled with the other controls while there was no lab
    setAttr($(id), 'aria-disabled', String(off));
  }
  const hard = !s.can.bound;
  // k-means' start has centres and no assignment (its q is not "uniform": there is none yet).
  // k-means names its half-steps as its status does: the E-step assigns, the M-step updates the centres.
  // At a collapse the M-step was refused: the state is its E-step's, but "E-step" read as if nothing happened.
  setText($('phase'), page.text[s.collapse ? 'phase-collapsed' : `phase-${s.phase}${hard ? '-hard' : ''}`]);
  // A collapse shown again (Redo, the timeline, a reload) says what it is, as the refused M-step did.
  if (s.collapse && $('alert').hidden) {
    const c = s.collapse;
    const args = { k: c.component + 1, point: c.point + 1, value: short(c.variance), reg: short(s.reg) };
    showError(message(page.text, c.floorHeld ? 'err-collapsed-floor' : 'err-collapsed', args));
  }
  setText($('loglik-label'), page.text[hard ? 'label-objective' : 'label-loglik']);
  setReadout('loglik', hard ? s.objective : s.logLikelihood);
  setReadout('lower-bound', s.lowerBound);
  setReadout('gap', s.gap, formatGap);
  setText($('converged'), page.text[s.converged ? 'yes' : 'no']);
  // Presentation mode shows "Converged" only once it is (its readout row has room for four numbers).
  setAttr($('converged'), 'data-converged', String(s.converged));
  // M-step first from the uniform q makes every component the same: say why, and offer the way out.
  const symmetric = s.symmetric && s.phase !== 'init';
  // The way out is the random start, unless the lesson's start is symmetric on purpose (three coins).
  setProp($('btn-break-symmetry'), 'hidden', !symmetric || s.startSymmetric);
  // What presentation mode says too (it hides the status line): why EM is stuck at a symmetry, why ℓ fell,
  // that a new floor comes with the next M-step (ℓ fell before a class with nothing on screen to say why).
  // A lesson with something to say at its convergence (the slow Poisson fit: the default rule stops long before
  // the published fit) says it there, under the default rule and the lesson's own start: the note beside the
  // parameters was below the panel's edge, and in presentation mode not shown at all.
  // At the K where the lesson starts from its own θ (the coins, the counts, the collapse).
  const own = s.preset ? lessonOf($('preset').value)?.startK : null;
  const lessonEnd = s.converged && own === s.k && s.tol === DEFAULT_TOL ? page.text[`lesson-${s.preset}-converged`] : undefined;
  const present = symmetric || (s.phase === 'm' && s.loglikFell) || (s.floorChanged && s.can.reg) || lessonEnd !== undefined;
  setAttr($('status'), 'data-present', String(present));
  setText($('status'), s.collapse
    // The refused M-step's state is its E-step's: "E-step done" beside the alert read as if nothing was refused.
    ? fill(page.text['status-collapsed'], { k: s.collapse.component + 1 })
    : symmetric
    // ℓ can fall here: the uniform q is not the posterior, so its bound did not touch ℓ at θ_old.
    ? page.text[s.startSymmetric ? 'status-symmetric-start' : s.loglikFell ? 'status-symmetric-fell' : 'status-symmetric']
    : s.emptyComponents.length > 0
    ? page.text['status-empty'].replace('{k}', s.emptyComponents.map((k) => k + 1).join(', '))
    // A floor typed since the last half-step: the last step's outcome ("ℓ rose") is not what comes next.
    : s.floorChanged && s.can.reg
    ? fill(page.text['status-floor-changed'], { reg: short(s.reg) })
    // An M-step at convergence can still lower ℓ (the floor added to every variance): say both (the status
    // said only "ℓ fell" beside a readout that said converged).
    : lessonEnd !== undefined
    ? fill(lessonEnd, { tol: shortExp(s.tol) })
    : s.converged
    ? fill(page.text[hard ? 'status-converged-rule-hard' : s.phase === 'm' && s.loglikFell ? 'status-converged-rule-fell' : 'status-converged-rule'], { tol: shortExp(s.tol) })
    : page.text[(s.phase === 'e' ? 'status-after-e' : s.phase === 'm' ? 'status-after-m' : 'status-ready')
      + (hard ? '-hard' : s.loglikFell ? '-fell' : '')]);
  if (s.covariance) setProp($('covariance'), 'value', s.covariance);
  if (s.can.fixWeights) setProp($('fix-weights'), 'checked', s.fixWeights);
  // The slice moves along the coordinates the M-step moves: a new covariance type or fixed weights change them.
  if (sliceKey(s) !== page.sliceKey) fillSliceMenu(s);
  setProp($('slice-along').closest('.fig-bar'), 'hidden', false);
  setAttr($('fig-histogram'), 'aria-label', page.text[`fig-${s.can.dataFigure}`]);
  // Named as drawn (the export menu lists these): k-means' trace is of J, not of ℓ and the bound.
  setAttr($('fig-trace'), 'aria-label', page.text[hard ? 'fig-trace-hard' : 'fig-trace']);
  // A table-like data figure (the coin sets) needs the whole width.
  $('fig-histogram').closest('figure').classList.toggle('wide', s.can.wideData);
  // At the lesson's own start the seed changes nothing: say so.
  setProp($('seed-note'), 'hidden', own !== s.k);
  if (own === s.k) setText($('seed-note'), message(page.text, 'seed-note', { k: s.k }));
  // A lesson with something to say about itself (the slow Poisson fit) says it, of its own start: at K = 3
  // "EM stops after about 1,000 iterations at π₁ ≈ 0.359" stayed beside a fit that stops at 1,480.
  const lesson = s.preset && own === s.k ? page.text[`lesson-${s.preset}`] : undefined;
  setProp($('lesson-note'), 'hidden', !lesson);
  setText($('lesson-note'), lesson ?? '');
  renderParams(s);
  // The data side's words too, before the figures read their sizes: one layout per click.
  afterRender(s);
  keepKeyboardFocus();
  drawFigures(s, budgetMs ?? (s.n > PASS_PART ? CLICK_DRAW_BUDGET_MS : Infinity), done, taskStarted);
}

/** Makes a link to the state on show (`lab.link()`: model, data, start, options and half-steps), puts it in the
 * link box selected and copies it; data too long for a link says so. */
function copyLink() {
  if (!page.lab) return;
  let hash;
  try {
    hash = page.lab.link(page.seed); // the seed too: a new K on the opened page starts from the same one
  } catch (error) {
    showError(error);
    return;
  }
  clearError();
  // In the page's language: a teacher's link opened in English on the students' fresh browsers.
  const search = new URLSearchParams(window.location.search);
  search.set('lang', page.lang);
  const url = `${window.location.origin}${window.location.pathname}?${search}${hash}`;
  $('link-box').hidden = false;
  $('link-url').value = url;
  // Selected for copying by hand only where the clipboard refused it: the focus went into the box, often below
  // the window's edge, and E, M and Space then typed nowhere (the box is a text field).
  const byHand = () => {
    $('link-url').select();
    $('link-url').scrollIntoView({ block: 'nearest' });
    $('status').textContent = page.text['link-select'];
    $('status').dataset.present = 'true';
  };
  if (!navigator.clipboard) { byHand(); return; }
  navigator.clipboard.writeText(url).then(
    // Said in presentation mode too, where the status line is otherwise hidden (nothing seemed to happen).
    () => { $('status').textContent = page.text['link-copied']; $('status').dataset.present = 'true'; },
    byHand,
  );
}

/** A tolerance as short text, with a minus sign as the figures write it: 1e−10, 1e−6, 2.5e−8. */
const shortExp = (x) => (x > 0 ? x.toExponential().replace('e+', 'e').replace('-', '\u2212') : String(x));

/** A θ value for the table: `digits` decimals, or, where those would read 0 for a value that is not 0, three
 * significant digits with an exponent (data in thousandths read 0.00 for every mean and variance); from a
 * million to 10¹⁵ as a whole number (data at 10⁸ ± 3 read 1.0000e8 for both means). */
const tableNumber = (v, digits) => (v !== 0 && Number.isFinite(v) && Math.abs(v) < 0.5 * 10 ** -digits
  ? v.toExponential(2).replace('e+', 'e').replaceAll('-', '−')
  : formatNumber(v, Math.abs(v) >= 1e6 ? 0 : digits, Infinity));

/** The entries of a vector or matrix: with exponents only where every one would read 0.00 (data in
 * thousandths), so that one small covariance beside larger ones does not widen the table. */
const entries = (values) => {
  const tiny = values.every((v) => Math.abs(v) < 0.005);
  return values.map((v) => (tiny ? tableNumber(v, 2) : formatNumber(v, Math.abs(v) >= 1e6 ? 0 : 2, Infinity)));
};

/** A point (x, y) as a column vector, one coordinate a line (as μ is written beside Σ: on one line,
 * "(−1.23, −4.56)" made a 2-D table wider than the side panel), or a 2×2 matrix, one row a line. */
const vector = (p) => ({ kind: 'vector', lines: entries(p) });
const matrix = (m) => {
  const shown = entries(m.flat());
  return { kind: 'matrix', lines: m.map((row, i) => shown.slice(i * row.length, (i + 1) * row.length).join('  ')) };
};

/** How the table shows component k of a θ field (`s.fields`, from the core): [value, digits] for a number,
 * `{kind, lines}` for a point or a matrix. A place in the data's units (`location`: a mean, a centre)
 * within `NOISE` of the data's scale of 0 is 0:
 * k-means and the mixture at K = 1 on centred data showed "4.83e−16" beside formulas that said 0. */
function cellOf(s, field, k, scale) {
  const exact = s[field.name][k];
  const snap = (v) => (field.location && Math.abs(v) <= NOISE * scale ? 0 : v);
  if (field.shape === 'pair') return vector(exact.map(snap));
  if (field.shape === 'matrix') return matrix(exact);
  return [snap(exact), field.digits, exact];
}

/** Fills the parameter table, one row per component in its figure colour. */
function renderParams(s) {
  const columns = Array.from(s.fields);
  const head = $('params').tHead.rows[0];
  const titles = ['col-component'].concat(columns.map((f) => f.column)).map((id) => page.text[id]);
  if (head.cells.length !== titles.length) {
    replaceAll(head, titles.map(() => document.createElement('th')));
  }
  titles.forEach((title, j) => setText(head.cells[j], title));
  const body = $('params').tBodies[0];
  const colors = palette(); // the figures' component colours (src/figures/style.rs), kept in one place
  // The table is rebuilt only when its shape changes (K, the model's columns); a half-step rewrites numbers.
  const shape = `${s.k}:${columns.map((f) => f.name).join(',')}`;
  if (body.dataset.shape !== shape || body.rows.length !== s.k) {
    replaceAll(body, Array.from({ length: s.k }, (_, k) => {
      const row = document.createElement('tr');
      const name = document.createElement('td');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = colors[k % colors.length];
      name.append(swatch, String(k + 1));
      row.append(name, ...columns.map(() => document.createElement('td')));
      return row;
    }));
    body.dataset.shape = shape;
  }
  // The data's scale: its largest |value| (the extent the models keep).
  const scale = Math.max(0, ...Array.from(page.lab.dataExtent() ?? [], Math.abs));
  Array.from(body.rows).forEach((row, k) => {
    columns.forEach((field, j) => fillCell(row.cells[j + 1], cellOf(s, field, k, scale)));
  });
}

/** Shows one value of the parameter table in `cell`: a vector or a 2×2 matrix (one line per row, so the
 * table fits the side panel), or a number with its digits (`[shown, digits, exact]`: the exact value in
 * `data-value`). */
function fillCell(cell, shown) {
  if (Array.isArray(shown)) {
    setProp(cell, 'className', '');
    setText(cell, tableNumber(shown[0], shown[1]));
    setAttr(cell, 'data-value', String(shown[2]));
    return;
  }
  setProp(cell, 'className', shown.kind);
  if (cell.children.length !== shown.lines.length) {
    replaceAll(cell, shown.lines.map(() => document.createElement('div')));
  }
  shown.lines.forEach((line, i) => setText(cell.children[i], line));
}

/** The figures: canvas id and how to draw it (a figure hidden for the model is skipped). */
const FIGURES = [
  ['fig-histogram', (lab, canvas) => lab.drawData(canvas, Number($('bins').value) || 40, $('hard').checked)],
  // The other model rings the same point as this one (its own choice was another point, and it has no Jensen
  // figure to explain it).
  ['fig-twin', (lab, canvas) => {
    if (!page.twin) return;
    try {
      page.twin.select(lab.chosenPoint());
    } catch {
      // Not a point of the other model's data: it keeps its own.
    }
    page.twin.drawData(canvas, 40);
  }],
  ['fig-path', (lab, canvas) => lab.drawPath(canvas)],
  ['fig-slice', (lab, canvas) => drawSliceInFrames(lab, canvas)],
  ['fig-jensen', (lab, canvas) => lab.drawJensen(canvas)],
  ['fig-trace', (lab, canvas) => lab.drawTrace(canvas)],
  ['fig-twin-trace', (_, canvas) => page.twin?.drawTrace(canvas)],
  ['fig-split', (lab, canvas) => lab.drawSplit(canvas)],
];

/** Milliseconds of slice computation per frame, at every N: the first frame after a click shows the whole line
 * coarsely, and the slice fills in over the next frames (each sample is a pass over the data). */
const SLICE_BUDGET_MS = 8;
/** The pending frame that continues the slice, and the pending idle callback that computes the next E-step's. */
const slice = { frame: 0, idle: 0 };

/** The longest the work for the next click waits for an idle period: headless Chromium sometimes gives a page
 * none for seconds (measured: no idle callback in 8 s in one fresh profile of six), and then the work goes on
 * a little at a time (a callback past its timeout has no time left: at least one part or sample a call). */
const PREPARE_WAIT = { timeout: 100 };

/** While the page waits for the next click, computes the next half-step's pass over the data (`prepareStep`:
 * after an E-step, the M-step's ℓ at its new θ, and the next E-step's q) and the slice the next E-step will
 * show (`lab.prepareSlice`), in idle slices of at most SLICE_BUDGET_MS, so that the click makes neither. */
function prepareNextClick(lab, along) {
  cancelIdle(slice.idle);
  const more = (deadline) => {
    if (page.lab !== lab || page.timer || converging.timer) return;
    const budget = Math.min(SLICE_BUDGET_MS, Math.max(1, deadline.timeRemaining()));
    const twin = page.twin;
    const stepReady = lab.prepareStep(budget) && (!twin || twin.prepareStep(budget));
    if (!stepReady || !lab.prepareSlice(along, budget)) slice.idle = whenIdle(more, PREPARE_WAIT);
  };
  slice.idle = whenIdle(more, PREPARE_WAIT);
}

/** Draws the slice with what one frame's budget computes, and continues on later frames until it is whole.
 * While EM runs it starts on the next frame: the task that draws a half-step's figures stays short (on a
 * million points each of its samples is a pass over the data), so a Pause click is not kept waiting. */
function drawSliceInFrames(lab, canvas) {
  cancelAnimationFrame(slice.frame);
  cancelIdle(slice.idle);
  const along = Number($('slice-along').value);
  const more = () => {
    if (page.lab !== lab || !canvas.getClientRects().length) return;
    if (!lab.drawSlice(canvas, along, SLICE_BUDGET_MS)) slice.frame = requestAnimationFrame(more);
    else if (!page.timer && !converging.timer) prepareNextClick(lab, along);
  };
  if (page.timer) slice.frame = requestAnimationFrame(more);
  else more();
}

/** The rest of a redraw spread over tasks (`drawFigures` with a budget): its pending timer, and what runs
 * when it is drawn (a redraw that replaces it runs that when it is drawn itself: the run loop waits on it). */
const spread = { timer: 0, done: null };

/** The ms each figure's last drawing took, by canvas id: what a click's task can expect to spend on it. */
const drawCost = new Map();

/** Redraws every canvas at its current size, and the formulas; `s` is the lab's state when the caller has it.
 * With `budgetMs` (while EM runs on large data) the figures are drawn in tasks of about that long, so a
 * Pause click never waits for a whole redraw (a million 2-D points: ~25 ms); `done` runs when all are. With
 * `taskStarted` the figures start in the current task, begun then, as far as the budget left allows: 100,000
 * points' figures are painted in the click's frame, not a frame later after one showing only the words. */
function drawFigures(s = page.lab.state(), budgetMs = Infinity, done = () => {}, taskStarted = undefined) {
  clearTimeout(spread.timer);
  spread.timer = 0;
  const replaced = spread.done;
  spread.done = () => {
    spread.done = null;
    replaced?.();
    done();
  };
  // Every write into the page first, then the figures, which read their sizes: one layout per redraw, not
  // one for the sizes and another for the formulas written after them.
  renderFormulas(page.lab, $('formula-e'), $('formula-m'));
  const left = FIGURES.slice();
  const lab = page.lab;
  let scaled = false;
  const more = (started = performance.now(), inClick = false) => {
    spread.timer = 0;
    if (page.lab !== lab) {
      releaseFormulas();
      spread.done();
      return;
    }
    while (left.length) {
      const [id, draw] = left[0];
      const canvas = $(id);
      // A figure not on screen (hidden for the model, or set aside in presentation mode) is not drawn.
      if (canvas.closest('[hidden]') || !canvas.getClientRects().length) {
        left.shift();
        continue;
      }
      // The click's task draws a figure only where what it took last time fits the budget left (a million
      // points' scatter does not); a task of its own draws at least one.
      if (inClick && performance.now() - started + (drawCost.get(id) ?? Infinity) > budgetMs) {
        spread.timer = setTimeout(more, 0);
        return;
      }
      left.shift();
      // The figures' scales for their sizes now (read in the one layout the page's writes need).
      if (!scaled) updateScales();
      scaled = true;
      const before = performance.now();
      sizeCanvas(canvas);
      draw(lab, canvas);
      drawCost.set(id, performance.now() - before);
      if (left.length && performance.now() - started > budgetMs) {
        spread.timer = setTimeout(more, 0);
        return;
      }
    }
    // The numbers each figure shows, for tests and assistive tools.
    Object.assign($('fig-split').dataset, { loglik: s.logLikelihood, bound: s.lowerBound, kl: s.gap });
    const jensen = lab.jensen();
    Object.assign($('fig-jensen').dataset, { index: jensen.index, gap: jensen.gap });
    // Named as its title reads, with the point (← and → change it, and a screen reader heard no change).
    setAttr($('fig-jensen'), 'aria-label', `${page.text['fig-jensen']} (${jensen.description})`);
    releaseFormulas();
    spread.done();
  };
  // Spread over tasks, the figures start in a task of their own, after the page's words and numbers, unless
  // the current task (a click's) has budget left.
  if (budgetMs === Infinity) more();
  else if (taskStarted !== undefined) more(taskStarted, true);
  else spread.timer = setTimeout(more, 0);
}

/** What the slice menu's coordinates depend on, in the lab's state `s`: the model, K and its variant. */
function sliceKey(s) {
  return [s.model, s.k, s.covariance, s.fixWeights].join();
}

/** Fills the slice menu for the lab's state `s`: the EM direction, then every coordinate of θ the M-step moves. */
function fillSliceMenu(s = page.lab.state()) {
  page.sliceKey = sliceKey(s);
  const select = $('slice-along');
  // The coordinate chosen, or remembered from the last visit (prefs.js), stays chosen by its name (a new
  // covariance type renumbers them).
  const chosen = select.value;
  const chosenName = chosen === '-1' ? '' : select.selectedOptions[0]?.textContent ?? '';
  const options = [['-1', page.text['slice-em']]].concat(Array.from(page.lab.freeNames(), (name, i) => [String(i), name]));
  replaceAll(select, options.map(([value, label]) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    return option;
  }));
  const kept = chosenName && options.find(([, label]) => label === chosenName);
  select.value = kept ? kept[0] : '-1';
}

/** A preset chosen in the menu brings its lesson's K, variance floor and seed (the core's `presetCatalog()`),
 * so nothing carries over from the lesson before (K = 3 of three-gaussians, reg = 0 of the collapse lesson,
 * seed 2 of the two long clouds, whose seed 1 converges to a local optimum). */
function useLesson() {
  const lesson = lessonOf($('preset').value);
  if (!lesson) return;
  page.k = lesson.k;
  $('k').value = String(lesson.k);
  page.seed = lesson.seed;
  $('seed').value = String(lesson.seed);
  setReg(lesson.reg);
}

/** Builds a new lab from the data controls and shows it; throws (keeping the old lab) if the input is rejected. */
function buildLab() {
  stopRunning();
  clearError();
  const lab = makeLab(page.k, page.seed);
  lab.setLanguage(page.lang);
  page.lab?.free();
  page.lab = lab;
  fillStartMenu();
  makeTwin();
  render();
}

/** A new K or seed within a lesson keeps the covariance type and fixed weights chosen in it (`before`, the old
 * lab's state): the new lab came with the lesson's own, full covariances after spherical ones. */
function keepVariant(before) {
  const s = page.lab?.state();
  if (!before || !s || s.model !== before.model) return;
  const options = {};
  if (before.covariance && s.covariance !== before.covariance) options.covariance = before.covariance;
  if (before.can.fixWeights && s.fixWeights !== before.fixWeights) options.fixWeights = before.fixWeights;
  if (Object.keys(options).length > 0) act((lab) => lab.setOptions(options));
}

/** Builds a new lab from the data controls; keeps the old one, and says why, if the input is rejected. */
function loadLab() {
  try {
    buildLab();
  } catch (error) {
    showError(error);
    if (!page.lab) return;
    // The lab in use stays, and so does its K: a refused K (7 components for 5 distinct values) stayed in the
    // field and was used, silently, by the next "Use this data".
    page.k = page.lab.state().k;
    $('k').value = String(page.k);
    render();
  }
}

/** A press on a button that is under way: changes waiting for it to end, so nothing moves under the pointer. */
const press = { down: false, queued: [] };

/**
 * Runs `action` now, or, while a mouse button or finger is down, when it is released: a field committed by
 * the click that takes focus from it then re-renders only after the browser has chosen the click's target,
 * so the button pressed never moves away before the click lands (the first click is never lost).
 */
function afterPointer(action) {
  if (press.down) press.queued.push(action);
  else action();
}

/** Runs the changes that waited for the pointer to be released. */
function releasePointer() {
  press.down = false;
  const queued = press.queued.splice(0);
  for (const action of queued) action();
}

/** Reads the K or seed field: a whole number in range becomes the page's value; anything else is refused with
 * a message quoting it, and the field shows the value in use again. Returns true when the value is new. */
function takeWhole(id) {
  const text = $(id).value.trim();
  const [min, max] = id === 'k' ? [1, kMax()] : [0, SEED_MAX];
  const value = parseWhole(text, min, max);
  if (value === null) {
    const quoted = shorten(text, 20);
    if (id === 'k') {
      // Any run of digits is a whole number, out of range however long ("99999999999999999999999" was "not
      // a whole number").
      const integer = /^[+-]?\d+$/.test(halfWidth(text));
      showError(fill(page.text[integer ? 'err-k-range' : 'err-k-input'], { k: quoted, text: quoted, max: kMax() }));
    } else {
      showError(fill(page.text['err-seed-input'], { text: quoted, max: SEED_MAX }));
    }
    $(id).value = String(page[id]);
    return false;
  }
  clearError();
  $(id).value = String(value);
  const changed = value !== page[id];
  page[id] = value;
  return changed;
}

/** Reads the Bins field: a whole number within the field's own min and max is kept (and the session saved
 * with it); anything else (empty, 2.5, 0, 1000) is refused with a message quoting it and the field shows the
 * value in use again. A NaN saved as the bins made the next visit refuse the whole session, and the data with
 * it. Returns true when the value is new. */
function takeBins() {
  const field = $('bins');
  const text = field.value.trim();
  const [min, max] = [Number(field.min), Number(field.max)];
  const value = parseWhole(text, min, max);
  if (value === null) {
    showError(fill(page.text['err-bins-input'], { text: shorten(text, 20), min, max }));
    field.value = field.dataset.inUse ?? field.defaultValue;
    return false;
  }
  clearError();
  field.value = String(value);
  const changed = String(value) !== (field.dataset.inUse ?? field.defaultValue);
  field.dataset.inUse = String(value);
  return changed;
}

/** The side-by-side model (k-means ↔ soft EM from the same start), when the box is ticked. */
function makeTwin() {
  page.twin?.free();
  page.twin = null;
  if (!$('compare').checked || !page.lab?.state().can.compare) return;
  try {
    // At the lab's half-step: the twin takes the steps the lab took (a reload, the box ticked mid-lesson).
    page.twin = page.lab.twin();
  } catch (error) {
    // Too many half-steps on too many points to catch up at once: said, and the box unticked.
    $('compare').checked = false;
    showError(error);
    return;
  }
  page.twin.setLanguage(page.lang);
  page.twinHard = !page.twin.state().can.bound;
}

/** The lesson's starting points (three coins: (0.5, 0.5, 0.5) and (0.4, 0.6, 0.7)). */
function fillStartMenu() {
  const starts = page.lab.starts();
  $('start-row').classList.toggle('none', starts.length === 0);
  replaceAll($('start'), Array.from(starts, (p, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    // Every free number of the start: the weights but the last (they sum to 1), then the other fields
    // (three coins: (π, p, q) as in the book).
    const [weights, ...rest] = Array.from(page.lab.state().fields, (f) => Array.from(p[f.name]).flat(2));
    const values = weights.slice(0, -1).concat(...rest).map((v) => formatNumber(v, 2)).join(', ');
    option.textContent = page.text['start-n'].replace('{n}', String(i + 1)).replace('{values}', `(${values})`);
    return option;
  }));
}

/** Runs one EM action on the lab and, side by side, on its twin. Hard EM goes first: k-means refuses an
 * M-step before its first E-step, which the mixture would take, and a refusal must leave both where they were. */
function both(action) {
  // A click of its own pauses Run and cancels Run to convergence: they went on stepping beside it (the
  // status counting one run, the readouts another).
  stopRunning();
  act((lab) => {
    const labs = !page.twin ? [lab] : page.twinHard ? [page.twin, lab] : [lab, page.twin];
    for (const each of labs) action(each);
  });
}

/** The pace chosen with `#speed` in half-steps per second, or null for as fast as the page draws. */
function runRate() {
  const rate = Number($('speed').value);
  return rate >= SPEED_MAX || !(rate > 0) ? null : rate;
}

/** Shows the pace next to the speed control. */
function showSpeed() {
  const rate = runRate();
  $('speed-value').textContent = rate === null ? page.text['speed-max'] : message(page.text, 'speed-rate', { n: rate });
  $('speed').setAttribute('aria-valuetext', $('speed-value').textContent);
}

/** Schedules the next half-step at the pace chosen now: a timer, or the next frame at full speed. `from` is
 * when the wait began (a new pace while running counts from the last half-step, not from the change). */
function scheduleTick(from = performance.now()) {
  clearTimeout(page.timer);
  cancelAnimationFrame(page.frame);
  page.waitFrom = from;
  const rate = runRate();
  if (rate === null) {
    page.timer = -1;
    page.frame = requestAnimationFrame(runTick);
  } else {
    page.timer = setTimeout(runTick, Math.max(0, from + 1000 / rate - performance.now()));
  }
}

/** Milliseconds of drawing per task while running, after which the figures left are drawn in the next task. */
const DRAW_BUDGET_MS = 8;
/** The same after a click on data of more than one pass part: 100,000 points' figures (~15 ms) in one task,
 * not a frame later, and a million points' still in several. */
const CLICK_DRAW_BUDGET_MS = 24;

/** Milliseconds per task of a half-step's pass over the data while running: on a million points the pass
 * (tens of ms) is spread over tasks, so a Pause click waits at most about this long. */
const PASS_BUDGET_MS = 8;

/** One half-step while running: alternates E and M until convergence, then schedules the next one. */
function runTick() {
  if (!page.timer) return;
  const s = page.lab.state();
  if (s.converged && s.phase === 'm') {
    stopRunning();
    return;
  }
  // The half-step's pass over the data first, a budget per task (the same numbers as without it).
  if (!preparedSteps()) {
    page.timer = setTimeout(runTick, 0);
    return;
  }
  const half = (lab) => (s.phase === 'e' ? lab.mStep() : lab.eStep());
  apply((lab) => {
    half(lab);
    if (page.twin) half(page.twin);
  });
  // The figures are drawn in a task of their own, so a Pause click waits for one half-step or one
  // drawing, not both (at a million points each is tens of ms). The next tick is timed from the end of
  // the drawing, so a slow half-step never queues a backlog of ticks in front of the Pause click.
  page.drawTimer = setTimeout(() => {
    page.drawTimer = 0;
    if (!page.lab) return;
    render(DRAW_BUDGET_MS, () => {
      if (page.timer) scheduleTick();
    });
  }, 0);
}

/** Works for one task's budget on the next half-step's pass of the lab and its twin; true when both are ready. */
function preparedSteps() {
  let ready = page.lab.prepareStep(PASS_BUDGET_MS);
  if (page.twin && ready) ready = page.twin.prepareStep(PASS_BUDGET_MS);
  return ready;
}

/** Starts or pauses the run loop. */
function toggleRun() {
  if (page.timer) {
    stopRunning();
  } else {
    // Run cancels Run to convergence: both loops stepped at once.
    stopRunning();
    // After a collapse EM refuses every step: say so now (Run showed "Pause" for a half-step's wait, then
    // went back without a word).
    if (page.lab?.state().collapse) {
      apply((lab) => lab.eStep());
      return;
    }
    // At convergence Run stops at once: say so (the button flipped to Pause and back without a word).
    const s = page.lab?.state();
    if (s?.converged && s.phase === 'm') {
      showError(page.text['run-converged']);
      return;
    }
    scheduleTick();
    $('btn-run').setAttribute('aria-pressed', 'true');
    $('btn-run').textContent = page.text['btn-pause'];
  }
}

/** A new pace: shown at once and, while running, used from the next half-step on. */
function onSpeed() {
  showSpeed();
  if (page.timer) scheduleTick(page.waitFrom);
}

/** Runs whole iterations until convergence (both labs side by side) and shows the end state with its trace;
 * says so when the cap came first. */
function runToConvergence() {
  if (converging.timer) {
    finishConverging(true);
    return;
  }
  stopRunning();
  if (!page.lab) return;
  clearError();
  const labs = [page.lab, page.twin].filter(Boolean);
  converging.done = new Map(labs.map((lab) => [lab, 0]));
  converging.chunk = 16;
  // Large data goes by half-steps from the start: a first slice of even one iteration would be one task of
  // two whole passes (150 ms at a million 2-D points).
  converging.halves = labs.some((lab) => lab.state().n > PASS_PART);
  $('btn-converge').textContent = page.text['btn-cancel'];
  $('btn-converge').setAttribute('aria-pressed', 'true');
  convergeSlice();
}

/** "Run to convergence" in slices of about CONVERGE_SLICE_MS, so the page never freezes (a million points, the
 * 10,000-iteration cap): the number of iterations per slice adapts to the time a slice took; between slices the
 * status shows the progress and the button cancels. */
function convergeSlice() {
  const started = performance.now();
  let stop = true;
  try {
    // Side by side, once both converged the one done first takes whole iterations (which change nothing of
    // note) until it stands at the other's half-step: a reload, which makes the twin again at the lab's half-
    // step, then shows the same.
    const states = new Map([...converging.done.keys()].map((lab) => [lab, lab.state()]));
    const furthest = Math.max(...[...states.values()].map((s) => s.halfStep));
    const allConverged = [...states.values()].every((s) => s.converged);
    for (const [lab, done] of converging.done) {
      const s = states.get(lab);
      if (allConverged) {
        const behind = Math.min(converging.chunk, (furthest - s.halfStep) / 2);
        for (let i = 0; i < behind; i += 1) lab.step();
        continue;
      }
      if (s.converged || done >= CONVERGE_MAX) continue;
      const ran = converging.halves
        ? halfStepsWithin(lab, CONVERGE_SLICE_MS / 2, CONVERGE_MAX - done)
        : lab.runToConvergence(Math.min(converging.chunk, CONVERGE_MAX - done));
      converging.done.set(lab, done + ran);
      if (!lab.state().converged && done + ran < CONVERGE_MAX) stop = false;
    }
    // Both converged but not yet at one half-step (in this slice or before it): the next slices bring them there.
    const now = [...converging.done.keys()].map((lab) => lab.state());
    if (now.every((s) => s.converged) && new Set(now.map((s) => s.halfStep)).size > 1) stop = false;
  } catch (error) {
    showError(error);
    stop = true;
  }
  const took = performance.now() - started;
  if (took < CONVERGE_SLICE_MS / 2) converging.chunk *= 2;
  else if (took > CONVERGE_SLICE_MS * 1.5) {
    // One iteration is already too long for a slice (a million points): half-steps from now on.
    converging.halves ||= converging.chunk === 1;
    converging.chunk = Math.max(1, Math.floor(converging.chunk / 2));
  }
  if (stop) {
    finishConverging(false);
    return;
  }
  const n = Math.max(...converging.done.values());
  $('status').textContent = fill(page.text['status-converging'], { n: n.toLocaleString('en-US') });
  converging.timer = setTimeout(convergeSlice, 0);
}

/** Half-steps of "Run to convergence" on `lab` for about `ms`, each one's pass over the data made in parts
 * (`prepareStep`), so that no task holds the page much longer than `ms` even when one iteration takes longer
 * (a million 2-D points: ~75 ms); at most `max` iterations; returns the iterations completed. */
function halfStepsWithin(lab, ms, max) {
  const started = performance.now();
  let iterations = 0;
  while (iterations < max && performance.now() - started < ms) {
    if (!lab.prepareStep(Math.max(0, ms - (performance.now() - started)))) break;
    if (lab.state().phase !== 'e') {
      lab.eStep();
      continue;
    }
    lab.mStep();
    iterations += 1;
    if (lab.state().converged) break;
  }
  return iterations;
}

/** Ends "Run to convergence" (cancelled, or done) and shows the state reached with the whole trace. */
function finishConverging(cancelled) {
  clearTimeout(converging.timer);
  converging.timer = 0;
  $('btn-converge').textContent = page.text['btn-converge'];
  $('btn-converge').setAttribute('aria-pressed', 'false');
  const capped = !cancelled && [...converging.done.keys()].some((lab) => !lab.state().converged);
  // A Cancel click draws the figures in short tasks (at a million points a whole redraw is ~25 ms).
  render(cancelled ? DRAW_BUDGET_MS : undefined);
  if (cancelled) $('status').textContent = page.text['status-cancelled'];
  else if (capped && $('alert').hidden) {
    $('status').textContent = fill(page.text['status-cap'], { n: CONVERGE_MAX.toLocaleString('en-US') });
  }
}

/** Stops the run loop (and a "Run to convergence" under way). */
function stopRunning() {
  if (converging.timer) finishConverging(true);
  clearTimeout(page.timer);
  cancelAnimationFrame(page.frame);
  page.timer = null;
  // A half-step whose figures were still to be drawn (Pause came between the two tasks) is shown now: the
  // page never pauses on a state older than the lab's.
  if (page.drawTimer) {
    clearTimeout(page.drawTimer);
    page.drawTimer = 0;
    if (page.lab) render(DRAW_BUDGET_MS);
  }
  // Written only where they change: every step click stops Run, and a text written anew is laid out anew.
  setAttr($('btn-run'), 'aria-pressed', 'false');
  setText($('btn-run'), page.text['btn-run']);
}

/**
 * Keyboard shortcuts. They act whenever the focus is not in a text field: E, M, Space (step), R, U, Y, the
 * arrows (the Jensen point), P (presentation), 1, 2, … and 0 (one figure large or all, in presentation), ? (the
 * legend), Esc (leaves presentation). On a control reached with Tab, Space and Enter press it and the arrows
 * move it; after a mouse press they are shortcuts (so Space after clicking E-step takes a full step).
 */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const el = event.target;
  if (isTextField(el)) return; // typing; Esc leaves the field (keys.js)
  const key = event.key.toLowerCase();
  if (legendOpen()) {
    // The legend is a modal dialog: Esc closes it (the browser's), `?` too; nothing acts behind it.
    if (key === '?') {
      event.preventDefault();
      toggleLegend(page.text);
    }
    return;
  }
  const tag = el.tagName;
  if (keyboardOwns(el)) {
    // Space and Enter on a focused button, check box or disclosure press it, as keyboard users expect;
    // the arrows move a slider or a menu, and Space opens a menu.
    const control = tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'SELECT' || tag === 'INPUT';
    if (control && (key === ' ' || key === 'enter')) return;
    if ((tag === 'SELECT' || tag === 'INPUT') && key.startsWith('arrow')) return;
    // A menu's letters find its options ("P" for the Poisson mixture; it turned presentation mode on).
    if (tag === 'SELECT' && event.key.length === 1 && key !== '?') return;
  }
  const actions = {
    e: () => both((lab) => lab.eStep()),
    m: () => both((lab) => lab.mStep()),
    ' ': () => both((lab) => lab.step()),
    r: () => both((lab) => lab.reset()),
    u: () => both((lab) => lab.undo()),
    y: () => both((lab) => lab.redo()),
    arrowleft: () => act((lab) => lab.selectNeighbour(-1)),
    arrowright: () => act((lab) => lab.selectNeighbour(1)),
    p: () => togglePresent(),
    escape: () => leavePresent(),
    '?': () => toggleLegend(page.text),
  };
  let run = actions[key];
  if (!run && /^[0-9]$/.test(key) && presenting()) run = () => showFigure(Number(key));
  if (run) {
    event.preventDefault();
    run();
  }
}

/** Connects every control. */
function wire() {
  $('btn-e').addEventListener('click', () => both((lab) => lab.eStep()));
  $('btn-m').addEventListener('click', () => both((lab) => lab.mStep()));
  $('btn-step').addEventListener('click', () => both((lab) => lab.step()));
  $('btn-run').addEventListener('click', toggleRun);
  $('btn-converge').addEventListener('click', runToConvergence);
  $('btn-link').addEventListener('click', copyLink);
  $('speed').addEventListener('input', onSpeed);
  // A dimmed Undo or Redo does nothing (it does not stop Run either).
  const unlessDimmed = (action) => (event) => {
    if (event.currentTarget.getAttribute('aria-disabled') !== 'true') both(action);
  };
  $('btn-undo').addEventListener('click', unlessDimmed((lab) => lab.undo()));
  $('btn-redo').addEventListener('click', unlessDimmed((lab) => lab.redo()));
  // The timeline: every half-step taken; a jump redraws every figure exactly as it was there.
  $('timeline').addEventListener('input', () => {
    const to = Number($('timeline').value);
    both((lab) => lab.goTo(Math.min(to, lab.halfSteps())));
  });
  $('btn-reset').addEventListener('click', () => both((lab) => lab.reset()));
  $('btn-break-symmetry').addEventListener('click', () => both((lab) => { lab.reset(); lab.eStep(); }));
  $('covariance').addEventListener('change', () => act((lab) => lab.setOptions({ covariance: $('covariance').value })));
  $('fix-weights').addEventListener('change', () => act((lab) => lab.setOptions({ fixWeights: $('fix-weights').checked })));
  $('start').addEventListener('change', () => act((lab) => lab.useStart(Number($('start').value))));
  $('hard').addEventListener('change', () => page.lab && drawFigures());
  $('compare').addEventListener('change', () => {
    stopRunning();
    makeTwin();
    if (page.lab) render();
  });
  $('preset').addEventListener('change', () => {
    const chosen = $('preset').value;
    afterPointer(() => {
      // Run stopped first: a half-step still to be drawn is drawn now, and its render puts the menu back to the
      // lesson on show (the old lesson was rebuilt, with the new one's K, seed and floor).
      stopRunning();
      $('preset').value = chosen;
      // "Using your data: 7 points." stayed under the next lesson.
      if (chosen !== CUSTOM) clearDataMessages();
      useLesson();
      loadLab();
    });
  });
  for (const id of ['k', 'seed']) {
    $(id).addEventListener('change', () => afterPointer(() => {
      const before = page.lab?.state();
      if (takeWhole(id)) loadLab();
      keepVariant(before);
    }));
  }
  document.addEventListener('pointerdown', () => { press.down = true; }, true);
  document.addEventListener('pointerup', releasePointer, true);
  document.addEventListener('pointercancel', releasePointer, true);
  window.addEventListener('blur', releasePointer);
  $('bins').addEventListener('change', () => {
    if (takeBins() && page.lab) {
      drawFigures();
      sessionChanged();
    }
  });
  $('slice-along').addEventListener('change', () => page.lab && drawFigures());
  $('lang').addEventListener('change', () => {
    page.lang = $('lang').value;
    // An address that names a language (a link's ?lang=) names the one chosen now, or a reload undid it.
    const search = new URLSearchParams(window.location.search);
    if (search.has('lang')) {
      search.set('lang', page.lang);
      window.history.replaceState(null, '', `${window.location.pathname}?${search}${window.location.hash}`);
    }
    try {
      localStorage.setItem(LANG_KEY, page.lang);
    } catch {
      // Saving not allowed: the choice holds for this visit only.
    }
    applyMessages();
    stopRunning();
    // What was said in the old language (a refused click, "Restored your last session") is not said again in
    // the new one: it was about an earlier action, and it stayed on screen in English beside Chinese words.
    clearError();
    clearDataMessages();
    if (page.lab) {
      fillSliceMenu();
      fillStartMenu();
      render();
    }
  });
  document.addEventListener('keydown', onKey);
  initKeys({ wholeFields: ['k', 'seed'], numberFields: ['bins', 'reg'] });
  // With no data (after Clear) the data figure's empty axes are drawn again at the new size.
  const redraw = () => (page.lab ? drawFigures() : drawEmptyHint());
  initPresent({ redraw, text: () => page.text });
  watchFormulas(document.querySelector('section.formulas'));
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(redraw);
  });
}

/** The language at start-up: `?lang=zh` or `?lang=en` in the address, else the one last chosen in the menu,
 * else the browser's. */
function startLanguage() {
  const asked = new URLSearchParams(window.location.search).get('lang');
  if (asked === 'zh' || asked === 'en') return asked;
  let remembered = null;
  try {
    remembered = localStorage.getItem(LANG_KEY);
  } catch {
    // Storage not readable: fall back to the browser's language.
  }
  if (remembered === 'zh' || remembered === 'en') return remembered;
  return navigator.language?.startsWith('zh') ? 'zh' : 'en';
}

/**
 * Starts the page: every control is wired before anything saved is read, a saved state that cannot be
 * restored or drawn is set aside (data.js `recover`) and the page starts on its default data set, and a
 * shared link is applied last (a rejected one leaves the session as it was).
 */
async function boot() {
  await wasmReady;
  const bounds = limits();
  ({ kMax: K_MAX, seedMax: SEED_MAX, passPart: PASS_PART, noise: NOISE, tol: DEFAULT_TOL } = bounds);
  // The Bins field takes what drawData takes.
  [$('bins').min, $('bins').max] = [bounds.binsMin, bounds.binsMax];
  page.lang = startLanguage();
  $('lang').value = page.lang;
  applyMessages();
  wire();
  initData({ page, act, loadLab, buildLab, render, stopRunning, afterPointer, showError });
  initExport(page);
  applyPrefs();
  watchPrefs();
  try {
    try {
      restoreSaved();
      buildLab();
    } catch (error) {
      console.warn('EM Lab: the saved session could not be opened and was set aside:', error);
      recover();
      loadLab();
    }
    useLinkAtBoot();
  } finally {
    document.body.dataset.ready = 'true';
  }
}

await boot();
