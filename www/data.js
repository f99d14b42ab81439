// Your own data and a page that never loses it, for every model: paste / type / open / drop numbers and
// pick a column (1-D) or two (2-D, k-means), or coin tosses (H/T lines or heads,tosses); click on the
// histogram or the plane to add or remove points, Clear; the variance floor `reg` and the collapse
// lesson; the session saved after every change (storage.js) and shared links read strictly (url.js).
// All text comes from the message table (src/text.rs); user text is only ever set as textContent.
import { Lab, inspectTable, limits, models, presetCatalog, presetNames, readLink } from './pkg/emlab.js';
import { formatNumber, replaceAll } from './view.js';
import * as store from './storage.js';
import * as load from './load.js';
import { parseHash, strictNumber } from './url.js';

const $ = (id) => document.getElementById(id);

/** The preset menu's value for your own data. */
export const CUSTOM = 'custom';
/** Calls kept for replay on reload; beyond this the session restarts from the current θ. */
const LOG_MAX = 2000;
/** The largest file the page opens, in MB. */
const MAX_FILE_MB = 100;
/** Text longer than this is kept out of the text box (a textarea with 40 MB of text freezes the page). */
const TEXTAREA_MAX = 1_000_000;
/** The text box follows clicked edits up to this many points. */
const SYNC_MAX_POINTS = 50_000;
/** The default variance floor (scikit-learn's reg_covar). */
const DEFAULT_REG = 1e-6;
/** The column menus list at most this many columns (a one-line file of a million numbers has a million). */
const COLUMN_MENU_MAX = 1000;
/** The file name of a saved state that could not be opened, downloaded as text. */
const ASIDE_FILE = 'emlab-saved-session.txt';

/** What app.js hands over: its page state and the functions that drive it. */
let app = null;

/** This module's state. */
const data = {
  text: null, // your data as exact text (lab.dataText()); null when you have none
  id: null, // a random id of your data set, new at each change: a saved session names the data it is for
  model: null, // the model your data is for (the registry's first until one is chosen)
  columns: [0, 1], // the columns picked in the text box for it
  shownModel: null, // the model of the lab on the page, which the panel's model menu follows
  session: null, // what storage.js saves: {source, k, seed, bins, reg0, start, log}
  pending: null, // {start, log, fromLink} to apply when the next lab is built
  prebuilt: null, // a lab already built from the text box, for loadLab to take
  building: null, // points clicked in after Clear (x, or [x, y]), until there are K distinct ones
  axis: null, // the lab shown before Clear, kept only to turn clicks into x or (x, y)
  fileText: null, // a file too big for the text box
  file: null, // a file read in pieces (load.js): {reader, info, name, file}, while the panel shows it
  table: null, // that file when it is your data and too large to keep as text (data.text is then null)
  info: null, // what the text or file in the panel holds: {columns, rows, header, commaAmbiguous}
  mode: null, // null, 'add' or 'remove': what a click on the histogram or the plane does
  reg: DEFAULT_REG, // the last valid variance floor typed in
  reinits: 0, // how many re-initialisations so far (varies the seed)
  // The storage problem of each thing saved (a message id or null); one stays on show until a later write of
  // the same thing succeeds. 'probe' is the check at start-up, cleared by the next successful session save.
  storage: { data: null, session: null, draft: null, probe: null },
  saveQueued: false,
  stopped: false, // after Start over nothing is saved again
  defaults: null, // the controls as the page starts, for a saved state that cannot be opened
};

/** Fills `{name}` placeholders of a message template. */
export function fill(template, args = {}) {
  return Object.entries(args).reduce((s, [name, value]) => s.split(`{${name}}`).join(String(value)), template);
}

/** The message `id` in the page language, filled. */
function msg(id, args) {
  return fill(app.page.text[id] ?? id, args);
}

/** A number for a sentence: up to 6 significant digits, never NaN. */
function short(value) {
  if (!Number.isFinite(value)) return '—';
  return String(Number(value.toPrecision(6))).replace('-', '−');
}

/** Shows a message in the data panel's alert region (as text, never HTML). */
function showAlert(text) {
  const el = $('data-alert');
  el.textContent = text;
  el.hidden = false;
}

/** Hides the data panel's alert region. */
function clearAlert() {
  const el = $('data-alert');
  el.hidden = true;
  el.textContent = '';
}

/** Sets the data panel's status line. */
function setStatus(text) {
  $('data-status').textContent = text;
}

/** What the registry says model `name` can do (`models()`: click editing, columns read, data words, …). */
const can = (name) => models().find((m) => m.name === name)?.can ?? {};

/** True for the models whose data is (x, y) points. */
const is2d = (model) => can(model).clickEdit === '2d';

/** The message `base` in the model's own data words when it has them (data-used + its suffix), else `base`. */
const words = (base, model) => {
  const own = base + (can(model).dataWords ?? '');
  return app.page.text[own] !== undefined ? own : base;
};

/** The number of distinct values (or [x, y] points) in an array. */
function distinct(values) {
  return new Set(values.map(String)).size;
}

/** The points clicked in after Clear, as text the lab reads: one `x` or `x,y` per line. */
function buildingText() {
  return data.building.map(String).join('\n');
}

/** Sets an element's text to the message `id` and remembers the id, so a language change keeps it. */
function setMsg(el, id) {
  el.dataset.msg = id;
  el.textContent = msg(id);
}

/** The message saying there is no data, for the model your data is for. */
function emptyMessage() {
  return msg(words('data-empty-state', data.model));
}

// ---------------------------------------------------------------------------------------------------
// Building labs (called by app.js's loadLab) and recording every call for the saved session.

/**
 * A new lab for the controls: your data when the menu says "Your data", else the preset; with the
 * variance floor, and with a pending saved session or shared link applied. Throws a message on failure.
 */
export function makeLab(k, seed) {
  const lang = app.page.lang;
  const source = $('preset').value;
  const reg = data.reg;
  const pending = data.pending;
  data.pending = null;
  let lab;
  let note = '';
  if (data.prebuilt) {
    lab = data.prebuilt;
    data.prebuilt = null;
  } else if (source === CUSTOM && data.building) {
    if (data.building.length === 0) throw new Error(emptyMessage());
    const used = Math.min(k, distinct(data.building));
    lab = Lab.fromCsvIn(data.model, buildingText(), used, seed, 0, 1, reg, lang);
    if (used < k) note = msg(is2d(data.model) ? 'data-k-reduced-2d' : 'data-k-reduced', { distinct: used, used, k });
    else data.building = null;
  } else if (source === CUSTOM && data.text === null && data.table) {
    lab = load.labFromFile(data.table, data.model, k, seed, data.columns, reg, lang);
  } else if (source === CUSTOM) {
    if (!data.text) throw new Error(emptyMessage());
    lab = Lab.fromCsvIn(data.model, data.text, k, seed, 0, 1, reg, lang);
  } else {
    // k-means runs on the 2-D presets: their menu entries read "kmeans:<preset>".
    const [model, name] = source.includes(':') ? source.split(':', 2) : [undefined, source];
    lab = Lab.presetIn(name, k, seed, lang, model);
    lab.setOptions({ reg });
  }
  let start = null;
  if (pending?.start) {
    try {
      lab.restartFrom(pending.start);
      start = pending.start;
    } catch (error) {
      // A link's θ or a saved start that the core refuses: nothing changes (the caller keeps the old lab).
      lab.free();
      throw pending.fromLink ? new LinkRejected(msg('url-rejected', { reason: error.message })) : error;
    }
  }
  const log = Array.isArray(pending?.log) ? pending.log.slice(0, LOG_MAX) : [];
  replay(lab, log);
  data.session = { source, reg0: reg, start, log };
  data.axis?.free();
  data.axis = null;
  instrument(lab);
  if (note) setStatus(note);
  changed();
  return lab;
}

/** A shared link whose θ the core refused. */
class LinkRejected extends Error {}

/** Re-runs saved calls on a fresh lab; a call that failed then fails again the same way, harmlessly. */
function replay(lab, log) {
  for (const entry of log) {
    try {
      if (entry === 'e') lab.eStep();
      else if (entry === 'm') lab.mStep();
      else if (entry === 's') lab.step();
      else if (entry === 'u') lab.undo();
      else if (entry === 'y') lab.redo();
      else if (Array.isArray(entry) && entry[0] === 'g') lab.goTo(entry[1]);
      else if (entry === 'r') lab.reset();
      else if (Array.isArray(entry) && entry[0] === 'p') lab.setParams(entry[1]);
      else if (Array.isArray(entry) && entry[0] === 'o') lab.setOptions(entry[1]);
      else if (Array.isArray(entry) && entry[0] === 'c') lab.runToConvergence(entry[1]);
    } catch {
      // The same error the teacher saw then (a collapse, a rejected θ); the state is what it was.
    }
  }
}

/** Numbers, or arrays of them nested up to three deep (2-D means and covariances). */
function numbersDeep(value, depth = 3) {
  if (Array.isArray(value) && depth > 0) return value.map((v) => numbersDeep(v, depth - 1));
  return Number(value);
}

/** Plain numbers only: what a saved θ or option may hold. */
function numbersOnly(value) {
  if (!value || typeof value !== 'object') return null;
  const out = {};
  // Every θ field (whatever the model calls it: the core checks names and shapes when it reads them back).
  for (const [key, field] of Object.entries(value)) {
    if (/^[a-zA-Z]{1,40}$/.test(key) && Array.isArray(field)) out[key] = numbersDeep(field);
  }
  for (const key of ['reg', 'tol']) {
    if (typeof value[key] === 'number') out[key] = value[key];
  }
  if (['full', 'diag', 'spherical'].includes(value.covariance)) out.covariance = value.covariance;
  if (typeof value.fixWeights === 'boolean') out.fixWeights = value.fixWeights;
  return out;
}

/** Wraps the lab's methods so every call is recorded for the session and followed by a save. */
function instrument(lab) {
  const wrap = (name, before, after) => {
    const original = lab[name].bind(lab);
    lab[name] = (...args) => {
      before?.(...args);
      try {
        const result = original(...args);
        after?.(lab, result, ...args);
        return result;
      } finally {
        changed();
      }
    };
  };
  for (const [name, code] of [['eStep', 'e'], ['mStep', 'm'], ['step', 's'], ['undo', 'u'], ['redo', 'y'], ['reset', 'r']]) {
    wrap(name, () => record(code));
  }
  // Recorded before the call: a collapse part-way throws, yet the iterations before it happened.
  wrap('runToConvergence', (max) => record(['c', max]));
  wrap('goTo', null, (_, __, to) => record(['g', to]));
  // A rejected θ or option changes nothing, so only accepted ones are recorded.
  wrap('setParams', null, (_, __, p) => record(['p', numbersOnly(p)]));
  wrap('setOptions', null, (_, __, o) => record(['o', numbersOnly(o)]));
  wrap('addPoint', null, (l, _, x) => dataChanged(l, msg('data-added', { x: short(x) })));
  wrap('removeNearest', null, (l, removed) => dataChanged(l, msg('data-removed', { x: short(removed) })));
  wrap('addPoint2d', null, (l, _, x, y) => dataChanged(l, msg('data-added-2d', { x: short(x), y: short(y) })));
  wrap('removeNearest2d', null, (l, [x, y]) => dataChanged(l, msg('data-removed-2d', { x: short(x), y: short(y) })));
  wrap('reinitComponent', null, (l, mean, component) => {
    restarted(l);
    const at = mean.length === 1 ? short(mean[0]) : `(${Array.from(mean, short).join(', ')})`;
    setStatus(msg(mean.length === 1 ? 'reinit-done' : 'reinit-done-2d', { k: component + 1, x: at }));
  });
}

/** Adds a call to the session's log. */
function record(entry) {
  data.session?.log.push(entry);
}

/** The current θ of a lab, as a saved start (the shape `setParams` takes, for every model). */
function thetaOf(lab) {
  return lab.params();
}

/** After a restart from the current θ: the session starts over from it. */
function restarted(lab) {
  data.session.start = thetaOf(lab);
  data.session.reg0 = lab.state().reg;
  data.session.log = [];
}

/** After points were added or removed: the data is now yours; save it and follow it in the text box. */
function dataChanged(lab, status) {
  restarted(lab);
  const s = lab.state();
  data.text = lab.dataText();
  load.release(data.table, data.file);
  data.table = null;
  data.model = s.model;
  data.columns = [0, 1];
  data.session.source = CUSTOM;
  $('preset').value = CUSTOM;
  saveData();
  if (s.n <= SYNC_MAX_POINTS) {
    $('data-text').value = data.text;
    $('data-model').value = s.model;
    saveDraft();
    refreshPanel(true);
  }
  // Side by side, the other model runs on the same data from the same start.
  if (app.page.twin) {
    const twin = lab.twin();
    twin.setLanguage(app.page.lang);
    app.page.twin.free();
    app.page.twin = twin;
  }
  setStatus(status);
}

/** Called after every change: save and update the panel once the current action has finished. */
function changed() {
  if (data.saveQueued) return;
  data.saveQueued = true;
  queueMicrotask(() => {
    data.saveQueued = false;
    const lab = app.page.lab;
    if (lab && data.session && data.session.log.length > LOG_MAX && lab.state().phase !== 'e') {
      restarted(lab);
    }
    saveSession();
    updatePanel();
  });
}

// ---------------------------------------------------------------------------------------------------
// Saving and restoring.

/** The storage alert: the first problem still standing (data, then session, then the text box), or hidden. */
function showStorage() {
  const st = data.storage;
  const el = $('storage-alert');
  let text = '';
  if (st.data) text = msg(st.data, { n: formatNumber(data.text === null && data.table ? data.table.info.rows : load.countLines(data.text), 0) });
  else if (st.session === 'storage-full' || st.probe === 'storage-full') text = msg('storage-full-session');
  else if (st.draft === 'storage-full') text = msg('storage-full-draft');
  else if (st.session || st.draft || st.probe) text = msg('storage-unavailable');
  if (el.textContent !== text) el.textContent = text;
  el.hidden = text === '';
}

/** Records how the last write of `what` ('data', 'session', 'draft') went; only its own success clears it. */
function reportStorage(what, problem) {
  data.storage[what] = problem;
  // The start-up check stands while even a one-character write fails.
  if (what === 'session' && !problem && data.storage.probe) data.storage.probe = store.status();
  showStorage();
}

/** True when `place` ('local' or 'tab') holds the data set the session was recorded on (or it is a preset's). */
function holdsSessionData(session, place) {
  return session.dataId === null || store.savedDataId(place) === session.dataId;
}

/**
 * Saves the session in this tab's copy and, when localStorage holds its data set, in localStorage (so a
 * session is never saved beside another data set). When localStorage has no data set at all (Start over or a
 * set-aside in another tab) this tab's data is saved there first; when another tab's data set is there, this
 * tab's is kept in its own copy so a reload of this tab finds it.
 */
function saveSession() {
  if (!data.session || data.stopped) return;
  const session = {
    ...data.session,
    dataId: data.session.source === CUSTOM ? data.id : null,
    k: app.page.k,
    seed: app.page.seed,
    bins: Number($('bins').value),
  };
  if (session.dataId !== null && data.text !== null && !data.storage.data) {
    if (store.read('data-meta') === null && store.read('data') === null) saveDataIn('local');
    if (!holdsSessionData(session, 'local') && !holdsSessionData(session, 'tab')) saveDataIn('tab');
  }
  store.writeSession(session, 'tab');
  const problem = holdsSessionData(session, 'local') ? store.writeSession(session, 'local') : null;
  reportStorage('session', problem);
}

/** Writes your data in `place` under its current id; returns null or a message id. */
function saveDataIn(place) {
  return store.writeData({ text: data.text ?? '', model: data.model, columns: data.columns, id: data.id }, place);
}

/**
 * Saves your data as a new data set (a new id). A write that fails keeps the previous data set and its
 * session in storage, and the warning stays until a later data save succeeds.
 */
function saveData() {
  data.id = store.newId();
  if (data.stopped) return;
  if ((data.text === null && data.table) || (data.text?.length ?? 0) > load.SAVE_MAX_CHARS) {
    // Megabytes are never written (a write that fails would cost seconds and could not succeed): the data
    // saved before stays, and the warning says so until a later data set is saved.
    reportStorage('data', 'storage-too-large');
    return;
  }
  const problem = saveDataIn('local');
  if (!problem) {
    // This tab's own copy of an older data set is no longer needed.
    store.clearTabData();
  }
  reportStorage('data', problem);
}

let draftTimer = 0;
/** Saves the text box (in this tab's copy and for every tab) a moment after the last keystroke. */
function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    const text = $('data-text').value;
    if (text.length > TEXTAREA_MAX || data.stopped) return;
    store.write('draft', text, 'tab');
    app.afterPointer(() => reportStorage('draft', store.write('draft', text)));
  }, 200);
}

/** Another tab saved: when it replaced this tab's data set in localStorage, keep this tab's in its own copy. */
function onOtherTab(event) {
  if (event.key !== 'emlab.data-meta' || data.session?.source !== CUSTOM || data.text === null) return;
  if (store.savedDataId('local') === data.id) return;
  if (!holdsSessionData({ dataId: data.id }, 'tab')) reportStorage('data', saveDataIn('tab'));
  setStatus(msg('other-tab-data'));
}

/** Sets an integer control from a saved session or a link, if the value is one (K and seed also in app.js's page). */
function setInput(id, value, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) return;
  $(id).value = String(value);
  if (id === 'k' || id === 'seed') app.page[id] = value;
}

/** True when the menu has this value. */
function hasOption(value) {
  return Array.from($('preset').options).some((o) => o.value === value);
}

/** The controls a link sets, as they are now. */
function controlsNow() {
  return { preset: $('preset').value, k: app.page.k, seed: app.page.seed, reg: data.reg, building: data.building };
}

/** Puts the controls back as they were before a rejected link. */
function restoreControls(c) {
  $('preset').value = c.preset;
  setInput('k', c.k, 1, 10);
  setInput('seed', c.seed, 0, 4294967295);
  setReg(c.reg);
  data.building = c.building;
}

/**
 * Reads a shared link (`#preset=…`) once, removes it from the address, and applies it: a new lab on its
 * data set, K, seed, reg and θ. A link that is malformed, or whose θ the core refuses, shows its message
 * and leaves the controls, the lab and the saved session as they were.
 */
function applyLink() {
  const hash = window.location.hash;
  if (!hash) return;
  // The hash is read once and removed, so a reload restores the session rather than the link.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (hash.startsWith('#link=')) {
    applyStateLink(hash);
    return;
  }
  const link = parseHash(hash, presetNames());
  if (!link.ok) {
    showAlert(msg(link.id, link.args));
    return;
  }
  const s = link.settings;
  if (!s) return;
  const before = controlsNow();
  if (s.preset) $('preset').value = s.preset;
  else if ($('preset').value === CUSTOM && !data.text) $('preset').value = presetNames()[0];
  setInput('k', s.k, 1, limits().kMax);
  setInput('seed', s.seed, 0, 4294967295);
  if (s.reg !== undefined) setReg(s.reg);
  data.building = null;
  data.pending = s.params ? { start: s.params, fromLink: true } : null;
  try {
    app.buildLab();
  } catch (error) {
    data.pending = null;
    restoreControls(before);
    showAlert(error instanceof Error ? error.message : String(error));
    if (app.page.lab) app.render();
  }
}

/**
 * A link made by "Copy link" (`#link=…`, see lab.link()): the core reads and checks it (`readLink`), then the
 * controls take its data, K and options, and the lab is built from its start with its half-steps replayed, so
 * the page shows the same figures and readouts. A link the core refuses changes nothing and says why.
 */
function applyStateLink(hash) {
  let plan;
  try {
    plan = readLink(hash, app.page.lang);
  } catch (error) {
    showAlert(msg('url-rejected', { reason: error instanceof Error ? error.message : String(error) }));
    return;
  }
  const before = controlsNow();
  const own = presetCatalog().find((p) => p.name === plan.preset)?.model;
  if (plan.preset) {
    $('preset').value = own === plan.model ? plan.preset : `${plan.model}:${plan.preset}`;
  } else {
    data.text = plan.data;
    data.model = plan.model;
    data.columns = [0, 1];
    $('data-model').value = plan.model;
    $('preset').value = CUSTOM;
    saveData();
  }
  setInput('k', plan.k, 1, limits().kMax);
  setReg(plan.options.reg);
  data.building = null;
  data.pending = { start: plan.start, log: [['o', plan.options], ...plan.steps], fromLink: true };
  try {
    app.buildLab();
  } catch (error) {
    data.pending = null;
    restoreControls(before);
    showAlert(error instanceof Error ? error.message : String(error));
    if (app.page.lab) app.render();
  }
}

/** Applies a shared link the page was opened with, after the saved session was restored. */
export function useLinkAtBoot() {
  applyLink();
}

/** Restores a saved session into the controls; the lab is then built and the log replayed. Throws
 * `store.Unreadable` when the session names a data set the menu does not have. */
function applySession(session) {
  const source = session.source;
  if (!hasOption(source) || (source === CUSTOM && !data.text)) throw new store.Unreadable('unknown source');
  $('preset').value = source;
  setInput('k', session.k, 1, limits().kMax);
  setInput('seed', session.seed, 0, 4294967295);
  setInput('bins', session.bins, 1, 500);
  if (session.reg0 !== undefined) setReg(session.reg0);
  const start = numbersOnly(session.start);
  data.pending = { start: start?.weights ? start : null, log: session.log };
  setStatus(msg('data-restored'));
}

/**
 * Reads what was saved (this tab's copy first, then the one every tab shares) into the panel and the
 * controls, for app.js to build the lab from. A session is used only with the data set it was recorded on.
 * Throws when something saved cannot be trusted (app.js then calls `recover`).
 */
export function restoreSaved() {
  const draft = store.read('draft', 'tab') ?? store.read('draft');
  if (draft !== null && draft.length > TEXTAREA_MAX) throw new store.Unreadable('draft too long');
  if (draft !== null) $('data-text').value = draft;
  const shared = store.readData('local');
  const own = store.readData('tab');
  const sessions = [store.readSession('tab'), store.readSession('local')];
  const dataFor = (id) => [own, shared].find((d) => d && d.id === (id ?? null)) ?? null;
  let session = null;
  let saved = own ?? shared; // this tab's own data set, kept when another tab replaced it, comes first
  for (const candidate of sessions) {
    if (!candidate) continue;
    if (candidate.source !== CUSTOM) {
      session = candidate;
      break;
    }
    const found = dataFor(candidate.dataId);
    if (found) {
      session = candidate;
      saved = found;
      break;
    }
  }
  if (saved) {
    data.text = saved.text || null;
    data.model = saved.model;
    data.columns = saved.columns;
    data.id = saved.id;
    $('data-model').value = data.model;
    if (data.id === null && data.text !== null) {
      // Saved before data sets had ids: give it one, and the session recorded on it too.
      saveData();
      if (session) session.dataId = data.id;
    }
  }
  if (data.text !== null && session?.source !== CUSTOM) {
    // Data no session uses is read now too, so a data set that cannot be opened is found at start-up.
    Lab.fromCsvIn(data.model, data.text, 1, 1, 0, 1, data.reg, app.page.lang).free();
  }
  refreshPanel();
  if (session) applySession(session);
}

/**
 * After a saved state could not be opened: it is set aside (kept, see storage.js), the controls go back to
 * how the page starts, and the panel offers the saved state as a text file and Start over.
 */
export function recover() {
  store.setAside();
  const d = data.defaults;
  data.text = null;
  data.id = null;
  data.model = d.model;
  data.columns = [0, 1];
  data.pending = null;
  data.prebuilt = null;
  data.building = null;
  data.fileText = null;
  dropFile();
  $('data-text').value = '';
  $('data-model').value = d.model;
  $('preset').value = d.preset;
  setInput('k', d.k, 1, 10);
  setInput('seed', d.seed, 0, 4294967295);
  setInput('bins', d.bins, 1, 500);
  setReg(d.reg);
  setStatus('');
  refreshPanel(true);
  showAside();
}

/** Shows the box offering a saved state that was set aside, while there is one. */
function showAside() {
  $('restore-box').hidden = !store.hasAside();
}

/** Downloads every saved state set aside as one text file. */
function downloadAside() {
  const url = URL.createObjectURL(new Blob([store.asideText()], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = ASIDE_FILE;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Sets the variance floor used for new labs, and its field (app.js: a preset brings its lesson's floor). */
export function setReg(value) {
  data.reg = value;
  $('reg').value = String(value);
}

// ---------------------------------------------------------------------------------------------------
// The panel: collapse lesson, floor note, summary.

/** Updates the collapse box, the floor note, the summary and the controls that follow the lab. */
export function updatePanel() {
  const lab = app.page.lab;
  const box = $('collapse-box');
  const floor = $('floor-note');
  if (!lab) {
    box.hidden = true;
    floor.hidden = true;
    $('data-summary').textContent = msg(words('data-summary', data.model), { n: data.building?.length ?? 0 });
    document.body.dataset.collapse = 'false';
    return;
  }
  const s = lab.state();
  const c = s.collapse;
  document.body.dataset.collapse = c ? 'true' : 'false';
  if (s.model !== data.shownModel) {
    // The panel follows the model on the page: its menu, the column pickers and what a click does.
    data.shownModel = s.model;
    $('data-model').value = s.model;
    refreshPanel();
  }
  // The explanation and the re-initialisation, for the 1-D and the 2-D mixture (the alert names any collapse).
  if (c && s.can.collapse) {
    const variance = Number.isFinite(c.variance) && c.variance !== 0 ? c.variance.toExponential(2) : '0';
    const point = Array.from(lab.point(c.point), short);
    $('collapse-text').textContent = msg(is2d(s.model) ? 'collapse-explain-2d' : 'collapse-explain', {
      k: c.component + 1,
      x: point.length === 1 ? point[0] : `(${point.join(', ')})`,
      value: variance,
    });
    $('btn-reinit').textContent = msg('btn-reinit', { k: c.component + 1 });
    $('btn-reinit').dataset.component = String(c.component);
    box.hidden = false;
  } else {
    box.hidden = true;
  }
  const held = c || !(s.reg > 0) || !s.variances ? -1 : Array.from(s.variances).findIndex((v) => v < 2 * s.reg);
  if (held >= 0) {
    floor.textContent = msg('floor-at-work', {
      k: held + 1,
      value: s.variances[held].toExponential(2),
      reg: short(s.reg),
    });
    floor.hidden = false;
  } else {
    floor.hidden = true;
  }
  $('data-summary').textContent = msg(words('data-summary', s.model), { n: formatNumber(s.n, 0) });
  if (document.activeElement !== $('reg')) setReg(s.reg);
  if (data.session && $('preset').value !== data.session.source && hasOption(data.session.source)) {
    $('preset').value = data.session.source;
  }
}

/** Adds "Your data" to the data menu (app.js refills the menu when the language changes). */
function addDataOption() {
  const select = $('preset');
  if (hasOption(CUSTOM)) return;
  const option = document.createElement('option');
  option.value = CUSTOM;
  option.textContent = app.page.text['preset-custom'];
  select.append(option);
}

// ---------------------------------------------------------------------------------------------------
// Data in: the text box, the column picker, files.

/** The text to use: a file too big for the box, else the box. */
function currentText() {
  return data.fileText ?? $('data-text').value;
}

/**
 * Shows the column pickers when the text has several columns (header names when it has a header): one
 * for a 1-D mixture, x₁ and x₂ for the 2-D models (default the first two), none for coins. `reset`
 * goes back to the saved columns (after clicks rewrote the text box).
 */
function refreshColumns(reset = false) {
  const model = $('data-model').value;
  const two = is2d(model);
  const labels = [$('data-column-label'), $('data-column2-label')];
  const selects = [$('data-column'), $('data-column2')];
  setMsg($('data-column-name'), two ? 'data-column-x' : 'data-column');
  let info = null;
  if (can(model).columns > 0) {
    try {
      info = data.file ? data.file.info : inspectTable(currentText(), app.page.lang, decimalComma());
    } catch {
      info = null;
    }
  }
  data.info = info;
  const note = $('data-columns-note');
  if (!info || info.columns < 2) {
    for (const label of labels) label.hidden = true;
    for (const select of selects) select.replaceChildren();
    note.hidden = true;
    return;
  }
  // A table with very many columns: the menus list the first COLUMN_MENU_MAX, and a note says how many there are.
  const shown = Math.min(info.columns, COLUMN_MENU_MAX);
  const header = info.header ?? null;
  selects.forEach((select, i) => {
    const chosen = reset ? '' : select.value;
    replaceAll(select, Array.from({ length: shown }, (_, c) => {
      const option = document.createElement('option');
      option.value = String(c);
      option.textContent = header?.[c] ? header[c] : msg('data-column-n', { n: c + 1 });
      return option;
    }));
    const saved = data.columns[i] < shown ? data.columns[i] : Math.min(i, shown - 1);
    select.value = chosen !== '' && Number(chosen) < shown ? chosen : String(saved);
  });
  labels[0].hidden = false;
  labels[1].hidden = !two;
  note.hidden = info.columns <= shown;
  note.textContent = note.hidden ? '' : msg('data-columns-capped', { n: formatNumber(info.columns, 0), max: formatNumber(shown, 0) });
}

/**
 * Puts the panel in the terms of its model menu (the label of the text box, the column pickers) and of
 * the model on the page (what a click on the figure does; coins are edited as text only).
 */
function refreshPanel(reset = false) {
  const model = $('data-model').value;
  setMsg($('data-paste-label'), words('data-paste-label', model));
  refreshColumns(reset);
  const shown = data.shownModel ?? data.model;
  const clickable = Boolean(can(shown).clickEdit);
  setMsg($('click-mode-label'), is2d(shown) ? 'click-mode-2d' : 'click-mode');
  $('click-mode-label').hidden = !clickable;
  $('mode-add').hidden = !clickable;
  $('mode-remove').hidden = !clickable;
  setMsg($('click-hint'), clickable ? 'click-hint' : words('click-hint-none', shown));
  if (!clickable) showMode(null);
}

/** The columns picked in the panel (0 and 1 where no menu is shown). */
function pickedColumns() {
  const picked = (i, fallback) => {
    if ([$('data-column-label'), $('data-column2-label')][i].hidden) return fallback;
    return Number([$('data-column'), $('data-column2')][i].value) || 0;
  };
  return [picked(0, 0), picked(1, 1)];
}

/** A lab of the menu's model on the file the panel shows (load.js), or null when it reads no table. */
function labFromPanelFile() {
  const model = $('data-model').value;
  if (!data.file || !(can(model).columns > 0)) return null;
  return load.labFromFile(data.file, model, app.page.k, app.page.seed, pickedColumns(), data.reg, app.page.lang);
}

/**
 * Builds a lab of the menu's model from the text box or the file it shows (or takes `built`, made from it a
 * task earlier); on any problem shows the message and keeps the current data.
 */
function useText(built = null) {
  clearAlert();
  if (!built) refreshColumns(); // the pickers may not have caught up with the last keystroke yet
  const text = currentText();
  const model = $('data-model').value;
  const columns = pickedColumns();
  let lab = built;
  const fromFile = data.file && can(model).columns > 0 ? data.file : null;
  try {
    lab ??= fromFile
      ? labFromPanelFile()
      : Lab.fromCsvIn(model, text, app.page.k, app.page.seed, columns[0], columns[1], data.reg, app.page.lang, decimalComma());
  } catch (error) {
    showAlert(error instanceof Error ? error.message : String(error));
    return false;
  }
  // A file too large to save is kept as its table, not as megabytes of text (load.js).
  const big = fromFile && load.tooLargeToSave(fromFile.info.rows, is2d(model) ? 2 : 1);
  const before = data.table;
  data.table = big ? fromFile : null;
  load.release(before, data.table, data.file);
  data.text = big ? null : lab.dataText();
  data.model = model;
  data.columns = columns;
  data.building = null;
  data.fileText = null;
  const n = fromFile ? fromFile.info.rows : lab.state().n;
  data.prebuilt = lab;
  $('preset').value = CUSTOM;
  saveData();
  saveDraft(); // the box as used, so a warning that it could not be saved goes once it is
  app.loadLab();
  if (data.prebuilt) {
    // loadLab did not take it (it failed before makeLab): do not leak it.
    data.prebuilt.free();
    data.prebuilt = null;
  }
  const ambiguous = data.info?.commaAmbiguous && !decimalComma() ? ` ${msg('data-comma-ambiguous')}` : '';
  setStatus(msg(words('data-used', model), { n: formatNumber(n, 0) }) + ambiguous);
  return true;
}

/** True when the data panel reads `1,5` as 1.5. */
function decimalComma() {
  return $('data-decimal-comma').checked;
}

/** Forgets the file the panel shows (typing, Clear, a saved state set aside), freeing its table unless in use. */
function dropFile() {
  load.release(data.file, data.table);
  data.file = null;
}

/** Reads a chosen or dropped file into the text box and uses it. */
async function openFile(file) {
  if (!file) return;
  clearAlert();
  if (file.size > MAX_FILE_MB * 1e6) {
    showAlert(msg('err-file-too-large', { size: (file.size / 1e6).toFixed(1), max: MAX_FILE_MB }));
    return;
  }
  if (file.size > load.SMALL_FILE_BYTES) {
    // Read in pieces with a progress readout and Cancel; the text box stays out of it.
    $('data-details').open = true;
    let loaded;
    try {
      loaded = await load.readFile(file, { table: can($('data-model').value).columns > 0, decimalComma: decimalComma(), lang: app.page.lang, msg });
    } catch (error) {
      showAlert(error instanceof Error ? error.message : String(error));
      return;
    }
    if (!loaded) {
      setStatus(msg('load-cancelled', { name: file.name }));
      return;
    }
    $('data-text').value = '';
    dropFile();
    data.file = loaded.reader ? loaded : null;
    data.fileText = loaded.reader ? null : loaded.text;
    refreshPanel();
    // Building the lab and showing it are two tasks (each is a pass over every point).
    let built = null;
    try {
      built = labFromPanelFile();
    } catch (error) {
      showAlert(error instanceof Error ? error.message : String(error));
      return;
    }
    await load.nextTask();
    // The first state() finds the default chosen point of the bound figures (a pass over every point);
    // done here, it is a task of its own rather than part of the first drawing.
    built?.state();
    await load.nextTask();
    useText(built);
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch {
    showAlert(msg('err-file-read'));
    return;
  }
  dropFile();
  if (text.length <= TEXTAREA_MAX) {
    $('data-text').value = text;
    data.fileText = null;
    saveDraft();
  } else {
    $('data-text').value = '';
    data.fileText = text;
  }
  $('data-details').open = true;
  refreshPanel();
  useText();
}

// ---------------------------------------------------------------------------------------------------
// Clicks on the histogram or the plane, Clear, Start over.

/** Toggles what a click on the histogram or the plane does: 'add' or 'remove', else null (choose a point). */
function setMode(mode) {
  showMode(data.mode === mode ? null : mode);
}

/** Shows the click mode (null, 'add' or 'remove') on its buttons and the figure's cursor. */
function showMode(mode) {
  data.mode = mode;
  $('mode-add').setAttribute('aria-pressed', String(data.mode === 'add'));
  $('mode-remove').setAttribute('aria-pressed', String(data.mode === 'remove'));
  $('fig-histogram').classList.toggle('editing', data.mode !== null);
}

/** In add or remove mode, a click on the data figure edits the data (before app.js sees the click). */
function onHistogramClick(event) {
  const canvas = event.target;
  if (!(canvas instanceof HTMLCanvasElement) || canvas.id !== 'fig-histogram') return;
  const lab = app.page.lab ?? data.axis;
  if (!data.mode && app.page.lab) return; // app.js chooses the point under the click
  event.stopImmediatePropagation();
  event.preventDefault();
  if (!data.mode || !lab) return; // after Clear there is no point to choose
  const model = lab.state().model;
  if (!can(model).clickEdit) return;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth);
  const [px, py] = [event.offsetX * ratio, event.offsetY * ratio];
  const remove = data.mode === 'remove' || event.shiftKey;
  if (is2d(model)) {
    const at = lab.xyAt(px, py);
    if (!at) return;
    const [x, y] = at;
    clearAlert();
    if (data.building) editBuilding([x, y], remove, px, py);
    else if (remove) app.act((l) => l.removeNearest2d(x, y));
    else app.act((l) => l.addPoint2d(x, y));
    return;
  }
  const x = lab.xAt(px, py);
  if (x === undefined) return;
  clearAlert();
  if (data.building) {
    editBuilding(x, remove);
  } else if (remove) {
    app.act((l) => l.removeNearest(x));
  } else {
    app.act((l) => l.addPoint(x));
  }
}

/** The index of the clicked-in point nearest to `at` (x, or [x, y]) after Clear; on the plane, in pixels. */
function nearestBuilt(at, px, py) {
  const lab = app.page.lab;
  if (Array.isArray(at) && lab && lab.state().n === data.building.length) {
    // The lab on the points clicked in so far holds them in the same order.
    const i = lab.pickPoint(px, py);
    if (i >= 0) return i;
  }
  const distance = (v) => (Array.isArray(v) ? Math.hypot(v[0] - at[0], v[1] - at[1]) : Math.abs(v - at));
  let best = 0;
  data.building.forEach((v, i) => { if (distance(v) < distance(data.building[best])) best = i; });
  return best;
}

/** The status line for a point (x, or [x, y]) added or removed. */
function pointStatus(point, removed) {
  if (Array.isArray(point)) {
    return msg(removed ? 'data-removed-2d' : 'data-added-2d', { x: short(point[0]), y: short(point[1]) });
  }
  return msg(removed ? 'data-removed' : 'data-added', { x: short(point) });
}

/** After Clear: collects clicked points, with K reduced until there are K distinct ones. */
function editBuilding(point, remove, px, py) {
  if (remove) {
    if (data.building.length === 0) return;
    const [gone] = data.building.splice(nearestBuilt(point, px, py), 1);
    setStatus(pointStatus(gone, true));
  } else {
    data.building.push(point);
  }
  data.text = buildingText();
  $('data-text').value = data.text;
  saveData();
  saveDraft();
  if (data.building.length === 0) {
    showEmpty();
    return;
  }
  $('preset').value = CUSTOM;
  if (!remove) setStatus(pointStatus(point, false));
  app.loadLab(); // shows "using K = … until there are …" while there are too few distinct points
}

/** Blanks the figures and readouts: there is no data to show. */
function showEmpty() {
  app.stopRunning();
  if (app.page.lab) {
    data.axis?.free();
    data.axis = app.page.lab;
    app.page.lab = null;
  }
  for (const canvas of document.querySelectorAll('main canvas')) {
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }
  for (const id of ['iteration', 'phase', 'loglik', 'lower-bound', 'gap', 'converged']) {
    const el = $(id);
    if (!el) continue;
    el.textContent = '—';
    if ('value' in el.dataset) el.dataset.value = '';
  }
  $('params')?.tBodies[0]?.replaceChildren();
  for (const id of ['formula-e', 'formula-m']) $(id)?.replaceChildren();
  $('status').textContent = emptyMessage();
  setStatus(emptyMessage());
  data.session = { source: CUSTOM, reg0: data.reg, start: null, log: [] };
  saveSession();
  updatePanel();
}

/** Removes every data point (after a confirmation); clicks in add mode then build a new data set. */
function clearData() {
  if (!window.confirm(msg('confirm-clear'))) return;
  clearAlert();
  // The new data set is for the model on the page (clicks build it on the same axes).
  data.model = data.shownModel ?? data.model;
  data.columns = [0, 1];
  data.building = [];
  data.text = '';
  data.fileText = null;
  dropFile();
  $('data-text').value = '';
  $('data-model').value = data.model;
  $('preset').value = CUSTOM;
  saveData();
  saveDraft();
  refreshPanel(true);
  showEmpty();
  if (can(data.model).clickEdit && data.mode !== 'add') setMode('add');
}

/** Deletes everything saved (after a confirmation) and reloads the page as new. */
function startOver() {
  if (!window.confirm(msg('confirm-start-over'))) return;
  // Nothing is saved any more: a queued save must not write back what is deleted here.
  data.stopped = true;
  clearTimeout(draftTimer);
  try { app.stopRunning(); } catch { /* the page is about to reload anyway */ }
  store.clearAll();
  window.location.replace(window.location.pathname + window.location.search);
}

/** A typed variance floor: a number ≥ 0, applied to the lab (Rust checks it again). */
function onRegChange() {
  const value = strictNumber($('reg').value.trim());
  if (value === null || value < 0) {
    showAlert(msg('err-reg-input'));
    return;
  }
  clearAlert();
  data.reg = value;
  if (app.page.lab) app.act((lab) => lab.setOptions({ reg: value }));
  else if (data.session) data.session.reg0 = value;
}

/** Re-initialises the collapsed component with a fresh seed each time. */
function onReinit() {
  const component = Number($('btn-reinit').dataset.component);
  data.reinits += 1;
  const seed = (app.page.seed + 7919 * data.reinits) >>> 0;
  app.act((lab) => lab.reinitComponent(component, seed));
}

// ---------------------------------------------------------------------------------------------------

/**
 * Connects the data panel (nothing saved is read here: app.js then calls `restoreSaved`). Call after app.js's
 * wire(); `hooks` = {page, act, loadLab, buildLab, render, stopRunning, afterPointer}.
 */
export function initData(hooks) {
  data.model ??= models()[0].name;
  app = hooks;
  // The model menu of the data panel: the registry's models, named in the page language (data-msg).
  replaceAll($('data-model'), Array.from(models(), (m) => {
    const option = document.createElement('option');
    option.value = m.name;
    option.dataset.msg = `model-${m.name}`;
    option.textContent = msg(`model-${m.name}`);
    return option;
  }));
  // Start over and the set-aside box first: they must work whatever happens next.
  $('btn-start-over').addEventListener('click', startOver);
  $('btn-restore-start-over').addEventListener('click', startOver);
  $('btn-restore-download').addEventListener('click', downloadAside);
  addDataOption();
  data.defaults = {
    preset: $('preset').value, k: app.page.k, seed: app.page.seed, bins: Number($('bins').value),
    reg: data.reg, model: $('data-model').value,
  };
  data.storage.probe = store.status();
  showStorage();
  showAside();
  $('btn-data-use').addEventListener('click', () => useText());
  $('btn-data-clear').addEventListener('click', clearData);
  $('btn-reinit').addEventListener('click', onReinit);
  $('mode-add').addEventListener('click', () => setMode('add'));
  $('mode-remove').addEventListener('click', () => setMode('remove'));
  $('reg').addEventListener('change', () => app.afterPointer(onRegChange));
  $('data-column').addEventListener('change', () => useText());
  $('data-column2').addEventListener('change', () => useText());
  $('data-model').addEventListener('change', () => {
    clearAlert();
    refreshPanel();
  });
  $('data-file').addEventListener('change', (event) => {
    openFile(event.target.files?.[0]);
    event.target.value = '';
  });
  let inspectTimer = 0;
  $('btn-load-cancel').addEventListener('click', load.cancelLoad);
  $('data-decimal-comma').addEventListener('change', () => {
    clearAlert();
    if (data.file) openFile(data.file.file); // read again with the comma's new meaning
    else refreshPanel();
  });
  $('data-text').addEventListener('input', () => {
    data.fileText = null;
    dropFile();
    saveDraft();
    clearTimeout(inspectTimer);
    inspectTimer = setTimeout(() => app.afterPointer(() => refreshColumns()), 250);
  });
  // A file dropped anywhere on the page is opened (and the browser does not navigate away to it).
  document.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types?.includes('Files')) event.preventDefault();
  });
  document.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files?.length) return;
    event.preventDefault();
    openFile(event.dataTransfer.files[0]);
  });
  document.addEventListener('click', onHistogramClick, true);
  // app.js refills the menu in the new language; put "Your data" back and translate the panel.
  $('lang').addEventListener('change', () => {
    addDataOption();
    if (data.session && hasOption(data.session.source)) $('preset').value = data.session.source;
    refreshPanel();
    updatePanel();
    showStorage();
  });
  $('preset').addEventListener('change', () => {
    if ($('preset').value !== CUSTOM) data.building = null;
  }, true);
  window.addEventListener('hashchange', applyLink);
  window.addEventListener('storage', onOtherTab);
}

/** True when the page has no data to show (after Clear). */
export function isEmpty() {
  return !app?.page.lab && Array.isArray(data.building) && data.building.length === 0;
}
