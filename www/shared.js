// What the data-side modules share: the page hooks app.js hands over, the state of your data, and the small
// helpers every one of them uses (messages, what a model can do, the preset menu). No behaviour of its own.
import { limits, models, presetCatalog } from './pkg/emlab.js';
import * as load from './load.js';

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** `requestIdleCallback`, or where a browser lacks it (Safari) a short timer with an 8 ms budget. */
export const whenIdle = window.requestIdleCallback?.bind(window)
  ?? ((callback) => setTimeout(() => callback({ timeRemaining: () => 8 }), 20));
/** Cancels a `whenIdle` callback. */
export const cancelIdle = window.cancelIdleCallback?.bind(window) ?? clearTimeout;

/** The preset menu's value for your own data. */
export const CUSTOM = 'custom';
/** The default variance floor (scikit-learn's reg_covar). */
const DEFAULT_REG = 1e-6;
/** Text longer than this is kept out of the text box (a textarea with 40 MB of text freezes the page). */
export const TEXTAREA_MAX = 1_000_000;

/** What app.js hands over (`initData`): {page, act, loadLab, buildLab, render, stopRunning, afterPointer}. */
export const app = { hooks: null };

/** Your data and what the panel, the clicks and the session know of it. */
export const data = {
  text: null, // your data as exact text (lab.dataText()); null when you have none
  id: null, // a random id of your data set, new at each change: a saved session names the data it is for
  model: null, // the model your data is for (the registry's first until one is chosen)
  columns: [0, 1], // the columns picked in the text box for it
  shownModel: null, // the model of the lab on the page, which the panel's model menu follows
  source: null, // the menu value the lab on the page was built from (a preset or CUSTOM); null before one
  pending: null, // {session} (a saved lab) or {start, fromLink} (an old link's θ) for the next lab built
  prebuilt: null, // a lab already built (from the text box or a link), for the next build to take
  building: null, // points clicked in after Clear (x, or [x, y]), until there are K distinct ones
  axis: null, // the lab shown before Clear, kept only to turn clicks into x or (x, y)
  frame: null, // the extent of the data before Clear (lab.dataExtent()): the axes data built by clicks is shown on
  fileText: null, // a file too big for the text box
  file: null, // a file read in pieces (load.js): {reader, info, name, file}, while the panel shows it
  table: null, // that file when it is your data and too large to keep as text (data.text is then null)
  info: null, // what the text or file in the panel holds: {columns, rows, header, commaAmbiguous}
  mode: null, // null, 'add' or 'remove': what a click on the histogram or the plane does
  reg: DEFAULT_REG, // the last valid variance floor typed in
  reinits: 0, // how many re-initialisations so far (varies the seed)
  stopped: false, // after Start over nothing is saved again
  defaults: null, // the controls as the page starts, for a saved state that cannot be opened
};

/** Forgets data being built by clicks after Clear, and the frame its axes kept: another data set is shown. */
export function forgetBuild() {
  data.building = null;
  data.frame = null;
}

/** The page hooks of app.js. */
export const hooks = () => app.hooks;

/** Fills `{name}` placeholders of a message template. */
export function fill(template, args = {}) {
  return Object.entries(args).reduce((s, [name, value]) => s.split(`{${name}}`).join(String(value)), template);
}

/** The message `id` of the message table `text`, filled; where `n` is 1 and the table has `id-one` (English
 * "1 point", "1 half-step/s"), that one. */
export function message(text, id, args) {
  const one = String(args?.n) === '1' ? text[`${id}-one`] : undefined;
  return fill(one ?? text[id] ?? id, args);
}

/** The message `id` in the page language, filled (see `message`). */
export function msg(id, args) {
  return message(app.hooks.page.text, id, args);
}

/** A number for a sentence: up to 6 significant digits, never NaN. */
export function short(value) {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  // As the core's `format::short` writes numbers in messages: 6 significant digits from 1e-4 to 1e6, else an
  // exponent with up to 4 (1e151, not JS's 1e+151; 1e−6 beside the alert's 1e-6, not 0.000001).
  const a = Math.abs(value);
  const text = a >= 1e-4 && a < 1e6
    ? String(Number(value.toPrecision(6)))
    : value.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return text.replaceAll('-', '−');
}

/** The registry's models (`models()`), read once: they do not change while the page is open, and a click
 * asks what its model can do several times. */
let registry = null;

/** What the registry says model `name` can do (`models()`: click editing, columns read, data words, …). */
export const can = (name) => (registry ??= models()).find((m) => m.name === name)?.can ?? {};

/** True for the models whose data is (x, y) points. */
export const is2d = (model) => can(model).clickEdit === '2d';

/** The message `base` in the model's own data words when it has them (data-used + its suffix), else `base`. */
export const words = (base, model) => {
  const own = base + (can(model).dataWords ?? '');
  return app.hooks.page.text[own] !== undefined ? own : base;
};

/** Sets an element's text to the message `id` and remembers the id, so a language change keeps it. */
export function setMsg(el, id) {
  el.dataset.msg = id;
  el.textContent = msg(id);
}

/** The message saying there is no data, for the model your data is for. */
export function emptyMessage() {
  return msg(words('data-empty-state', data.model));
}

/** True when the preset menu has this value. */
export function hasOption(value) {
  return Array.from($('preset').options).some((o) => o.value === value);
}

/** Sets an integer control (k, seed or bins) from a saved session or a link, if the value is one within the
 * core's limits (`limits()`); K and seed also in app.js's page. */
export function setInput(id, value) {
  const { [`${id}Min`]: min, [`${id}Max`]: max } = limits();
  if (!Number.isInteger(value) || value < min || value > max) return;
  $(id).value = String(value);
  if (id === 'k' || id === 'seed') app.hooks.page[id] = value;
  if (id === 'bins') $(id).dataset.inUse = String(value);
}

/** The core's `presetCatalog()`, read once when first needed: it builds every preset (tens of ms), and
 * the page asks for a lesson on every render. */
let catalog = null;

/** The lesson of a preset menu value ("heights", or "kmeans:three-blobs" for another model on its data):
 * `{name, model, k, reg, seed, startK}` from the core's `presetCatalog()`, or undefined (also for no value). */
export function lessonOf(value) {
  // A link of your own data names no preset (null): it has no lesson.
  if (typeof value !== 'string') return undefined;
  const name = value.includes(':') ? value.split(':', 2)[1] : value;
  catalog ??= presetCatalog();
  return catalog.find((p) => p.name === name);
}

/** Sets the variance floor used for new labs, and its field (app.js: a preset brings its lesson's floor). */
export function setReg(value) {
  data.reg = value;
  $('reg').value = String(value);
}

/** Shows the click mode (null, 'add' or 'remove') on its buttons and the figure's cursor. */
export function showMode(mode) {
  data.mode = mode;
  $('mode-add').setAttribute('aria-pressed', String(data.mode === 'add'));
  $('mode-remove').setAttribute('aria-pressed', String(data.mode === 'remove'));
  $('fig-histogram').classList.toggle('editing', data.mode !== null);
}

/** Forgets the file the panel shows (typing, Clear, a saved state set aside), freeing its table unless in use. */
export function dropFile() {
  load.release(data.file, data.table);
  data.file = null;
}

/** The controls that act on a lab: disabled while there is none (every point of a clicked data set removed),
 * where they did nothing, or threw ("Cannot read properties of null"). Undo and Redo follow the timeline
 * (app.js's render), and are disabled with them. */
const LAB_CONTROLS = ['btn-e', 'btn-m', 'btn-step', 'btn-run', 'btn-converge', 'btn-reset', 'btn-link', 'timeline', 'btn-export-csv'];

/** Enables the lab's controls (`on`: there is a lab), or disables them with Undo and Redo (there is none). */
export function labControls(on) {
  const ids = on ? LAB_CONTROLS : [...LAB_CONTROLS, 'btn-undo', 'btn-redo'];
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el && el.disabled === on) el.disabled = !on;
  }
}
