// EM Lab page: wires the buttons, keys and readouts to the wasm `Lab`; all math and drawing live in Rust.
import init, { Lab, messages, presetNames } from './pkg/emlab.js';
import { formatNumber, sizeCanvas } from './view.js';
import { renderFormulas } from './formulas.js';
import { initData, makeLab } from './data.js';

/** Milliseconds between half-steps while running. */
const RUN_INTERVAL_MS = 350;

const $ = (id) => document.getElementById(id);

/** The page's mutable state: the lab, the language and the run timer. */
const page = { lab: null, lang: 'en', text: {}, timer: null, nextHalf: 'e' };

/** Puts every `data-msg` text and `data-msg-label` aria-label in the page language. */
function applyMessages() {
  page.text = messages(page.lang);
  document.documentElement.lang = page.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-msg]')) el.textContent = page.text[el.dataset.msg];
  for (const el of document.querySelectorAll('[data-msg-label]')) el.setAttribute('aria-label', page.text[el.dataset.msgLabel]);
  document.title = page.text['app-title'];
  const select = $('preset');
  const chosen = select.value;
  select.replaceChildren(...presetNames().map((name) => {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = page.text[`preset-${name}`] ?? name;
    return option;
  }));
  if (chosen) select.value = chosen;
  page.lab?.setLanguage(page.lang);
}

/** Shows an error message in the alert region (never as HTML). */
function showError(error) {
  const alert = $('alert');
  alert.textContent = error instanceof Error ? error.message : String(error);
  alert.hidden = false;
}

/** Hides the alert region. */
function clearError() {
  $('alert').hidden = true;
  $('alert').textContent = '';
}

/** Runs `action` on the lab, shows any error, and redraws. */
function act(action) {
  if (!page.lab) return;
  clearError();
  try {
    action(page.lab);
  } catch (error) {
    showError(error);
    stopRunning();
  }
  render();
}

/** Writes a number into a readout: readable text, full precision in `data-value`. */
function setReadout(id, value, digits = 3) {
  const el = $(id);
  el.dataset.value = String(value);
  el.textContent = formatNumber(value, digits);
}

/** Updates readouts, the parameter table and every figure from the lab's state. */
function render() {
  const lab = page.lab;
  const s = lab.state();
  $('iteration').dataset.value = String(s.iteration);
  $('iteration').textContent = String(s.iteration);
  $('phase').textContent = page.text[`phase-${s.phase}`];
  setReadout('loglik', s.logLikelihood);
  setReadout('lower-bound', s.lowerBound);
  setReadout('gap', s.gap);
  $('converged').textContent = page.text[s.converged ? 'yes' : 'no'];
  $('status').textContent = page.text[s.converged ? 'status-converged'
    : s.phase === 'e' ? 'status-after-e' : s.phase === 'm' ? 'status-after-m' : 'status-ready'];
  renderParams(s);
  drawFigures();
}

/** Fills the parameter table, one row per component in its figure colour. */
function renderParams(s) {
  const body = $('params').tBodies[0];
  body.replaceChildren(...s.weights.map((w, k) => {
    const row = document.createElement('tr');
    const name = document.createElement('td');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = COLORS[k % COLORS.length];
    name.append(swatch, String(k + 1));
    row.append(name);
    for (const [v, digits] of [[w, 3], [s.means[k], 2], [s.variances[k], 2]]) {
      const cell = document.createElement('td');
      cell.textContent = formatNumber(v, digits);
      cell.dataset.value = String(v);
      row.append(cell);
    }
    return row;
  }));
}

/** The component colours, the same as the figures' palette (src/figures/style.rs). */
const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#785EF0', '#8C564B', '#505050', '#BCBD22'];

/** The figures: canvas id and how to draw it. */
const FIGURES = [
  ['fig-histogram', (lab, canvas) => lab.drawHistogram(canvas, Number($('bins').value) || 40)],
  ['fig-slice', (lab, canvas) => lab.drawSlice(canvas, Number($('slice-along').value))],
  ['fig-jensen', (lab, canvas) => lab.drawJensen(canvas)],
  ['fig-trace', (lab, canvas) => lab.drawTrace(canvas)],
  ['fig-split', (lab, canvas) => lab.drawSplit(canvas)],
];

/** Redraws every canvas at its current size, and the formulas. */
function drawFigures() {
  for (const [id, draw] of FIGURES) {
    const canvas = $(id);
    sizeCanvas(canvas);
    draw(page.lab, canvas);
  }
  renderFormulas(page.lab, $('formula-e'), $('formula-m'), '');
  // The numbers each figure shows, for tests and assistive tools.
  const s = page.lab.state();
  Object.assign($('fig-split').dataset, { loglik: s.logLikelihood, bound: s.lowerBound, kl: s.gap });
  const jensen = page.lab.jensen();
  Object.assign($('fig-jensen').dataset, { index: jensen.index, gap: jensen.gap });
}

/** Fills the slice menu: the EM direction, then every free coordinate of θ. */
function fillSliceMenu() {
  const select = $('slice-along');
  const chosen = select.value;
  const options = [['-1', page.text['slice-em']], ...page.lab.freeNames().map((name, i) => [String(i), name])];
  select.replaceChildren(...options.map(([value, label]) => {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    return option;
  }));
  select.value = options.some(([v]) => v === chosen) ? chosen : '-1';
}

/** Chooses the point under a click on the histogram for the Jensen figure. */
function pickFromHistogram(event) {
  const canvas = event.currentTarget;
  const ratio = canvas.width / canvas.clientWidth;
  const index = page.lab.pickPoint(event.offsetX * ratio, event.offsetY * ratio);
  if (index >= 0) act((lab) => lab.select(index));
}

/** Builds a new lab from the data controls; keeps the old one if the input is rejected. */
function loadLab() {
  stopRunning();
  clearError();
  try {
    const lab = makeLab(Number($('k').value), Number($('seed').value));
    lab.setLanguage(page.lang);
    page.lab?.free();
    page.lab = lab;
    fillSliceMenu();
  } catch (error) {
    showError(error);
  }
  if (page.lab) render();
}

/** One half-step while running: alternates E and M until convergence. */
function runTick() {
  const s = page.lab.state();
  if (s.converged && s.phase === 'm') {
    stopRunning();
    return;
  }
  act((lab) => (s.phase === 'e' ? lab.mStep() : lab.eStep()));
}

/** Starts or pauses the run loop. */
function toggleRun() {
  if (page.timer) {
    stopRunning();
  } else {
    page.timer = setInterval(runTick, RUN_INTERVAL_MS);
    $('btn-run').setAttribute('aria-pressed', 'true');
    $('btn-run').textContent = page.text['btn-pause'];
  }
}

/** Stops the run loop. */
function stopRunning() {
  clearInterval(page.timer);
  page.timer = null;
  $('btn-run').setAttribute('aria-pressed', 'false');
  $('btn-run').textContent = page.text['btn-run'];
}

/** Keyboard shortcuts: E, M, Space, R, U — ignored while typing in a field. */
function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = event.target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
  const actions = {
    e: () => act((lab) => lab.eStep()),
    m: () => act((lab) => lab.mStep()),
    ' ': () => act((lab) => lab.step()),
    r: () => { stopRunning(); act((lab) => lab.reset()); },
    u: () => act((lab) => lab.undo()),
    arrowleft: () => act((lab) => lab.selectNeighbour(-1)),
    arrowright: () => act((lab) => lab.selectNeighbour(1)),
  };
  const run = actions[event.key.toLowerCase()];
  if (run) {
    event.preventDefault();
    run();
  }
}

/** Connects every control. */
function wire() {
  $('btn-e').addEventListener('click', () => act((lab) => lab.eStep()));
  $('btn-m').addEventListener('click', () => act((lab) => lab.mStep()));
  $('btn-step').addEventListener('click', () => act((lab) => lab.step()));
  $('btn-run').addEventListener('click', toggleRun);
  $('btn-undo').addEventListener('click', () => act((lab) => lab.undo()));
  $('btn-reset').addEventListener('click', () => { stopRunning(); act((lab) => lab.reset()); });
  for (const id of ['preset', 'k', 'seed']) $(id).addEventListener('change', loadLab);
  $('bins').addEventListener('change', () => page.lab && drawFigures());
  $('slice-along').addEventListener('change', () => page.lab && drawFigures());
  $('fig-histogram').addEventListener('click', pickFromHistogram);
  $('lang').addEventListener('change', () => {
    page.lang = $('lang').value;
    applyMessages();
    stopRunning();
    if (page.lab) {
      fillSliceMenu();
      render();
    }
  });
  document.addEventListener('keydown', onKey);
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => page.lab && drawFigures());
  });
}

await init();
page.lang = navigator.language?.startsWith('zh') ? 'zh' : 'en';
$('lang').value = page.lang;
applyMessages();
wire();
initData({ page, act, loadLab, stopRunning });
loadLab();
document.body.dataset.ready = 'true';
