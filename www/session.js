// The session: what is saved after every change and read back at boot, so a reload returns to exactly the
// state it left. The lab's own state comes from the core in one call (`lab.saveSession(false, max)`: θ, q's
// source, phase, iteration, trace, undo and redo history, options, model, preset or variant, in the core's
// compact form) and goes back in one (`Lab.restoreSession(text, lang, data)`), beside the controls (menu
// value, K, seed, bins) and your data, which storage.js keeps under its own keys. Also here: shared links
// (applied over the session at boot and on hashchange), a saved state that cannot be opened (set aside,
// offered as a file), another tab's save, Start over.
import { Lab, limits, presetNames, readLink } from './pkg/emlab.js';
import { formatNumber } from './view.js';
import * as store from './storage.js';
import { parseHash } from './url.js';
import { $, CUSTOM, TEXTAREA_MAX, cancelIdle, data, dropFile, forgetBuild, hasOption, hooks, lessonOf, msg, setInput, setReg, showMode, whenIdle } from './shared.js';
import * as load from './load.js';
import { setStatus } from './lessons.js';

/** The file name of a saved state that could not be opened, downloaded as text. */
const ASIDE_FILE = 'emlab-saved-session.txt';

/** The storage problem of each thing saved (a message id or null); one stays on show until a later write of the
 * same thing succeeds. 'probe' is the check at start-up, cleared by the next successful session save. */
const storage = { data: null, session: null, draft: null, probe: null };

/** The storage alert: the first problem still standing (data, then session, then the text box), or hidden. */
export function showStorage() {
  const st = storage;
  const el = $('storage-alert');
  let text = '';
  if (st.data) text = msg(st.data, { n: formatNumber(data.text === null && data.table ? data.table.info.rows : load.countLines(data.text), 0) });
  else if (st.session === 'storage-full' || st.probe === 'storage-full') text = msg('storage-full-session');
  else if (st.draft === 'storage-full') text = msg('storage-full-draft');
  else if (st.session || st.draft || st.probe) text = msg('storage-unavailable');
  if (el.textContent !== text) el.textContent = text;
  if (el.hidden !== (text === '')) el.hidden = text === '';
}

/** Records how the last write of `what` ('data', 'session', 'draft') went; only its own success clears it. */
function reportStorage(what, problem) {
  storage[what] = problem;
  // The start-up check stands while even a one-character write fails.
  if (what === 'session' && !problem && storage.probe) storage.probe = store.status();
  showStorage();
}

/** True when `place` ('local' or 'tab') holds the data set the session was recorded on (or it is a preset's). */
function holdsSessionData(session, place) {
  return session.dataId === null || store.savedDataId(place) === session.dataId;
}

/** The lab on the page as saved-session text: the core's compact state without your data (kept apart), within
 * the length storage.js reads back (the oldest undo steps give way first); null when there is no lab. */
function labText() {
  const lab = hooks().page.lab;
  return lab ? lab.saveSession(false, store.SESSION_MAX - 10_000) : null;
}

/**
 * Saves the session in this tab's copy and, when localStorage holds its data set, in localStorage (so a
 * session is never saved beside another data set). When localStorage has no data set at all (Start over or a
 * set-aside in another tab) this tab's data is saved there first; when another tab's data set is there, this
 * tab's is kept in its own copy so a reload of this tab finds it.
 */
function saveSession() {
  if (!data.source || data.stopped) return;
  let lab;
  try {
    lab = labText();
  } catch (error) {
    // Even the current state alone is over the limit: the previous session stays, and the warning says so.
    console.warn('EM Lab: the session is too long to save:', error);
    reportStorage('session', 'storage-full');
    return;
  }
  const session = {
    dataId: data.source === CUSTOM ? data.id : null,
    source: data.source,
    k: hooks().page.k,
    seed: hooks().page.seed,
    bins: Number($('bins').value),
    lab,
  };
  if (session.dataId !== null && data.text !== null && !storage.data) {
    if (store.read('data-meta') === null && store.read('data') === null) saveDataIn('local');
    if (!holdsSessionData(session, 'local') && !holdsSessionData(session, 'tab')) saveDataIn('tab');
  }
  store.writeSession(session, 'tab');
  const problem = holdsSessionData(session, 'local') ? store.writeSession(session, 'local') : null;
  reportStorage('session', problem);
}

/** While EM runs, the session is saved at most this often (a long history is ≈0.5 MB: ≈40 ms a save). */
const RUN_SAVE_MS = 1000;
/** When the session was last saved, the timer of a save put off while running, and the idle callback of a
 * save put off until the page is idle. */
const saving = { at: 0, timer: 0, idle: 0 };

/** The longest a save waits for the page to be idle, in ms. */
const SAVE_IDLE_MS = 500;

/** Saves now (and cancels a save put off). */
function saveNow() {
  clearTimeout(saving.timer);
  cancelIdle(saving.idle);
  saving.timer = 0;
  saving.idle = 0;
  saving.at = performance.now();
  saveSession();
}

/** Called after every change (app.js's render): saves once the page is next idle, after the frame that shows
 * the change (a save was 2 ms of a click at 100,000 points, 8 ms with the CPU slowed 4×, before its paint);
 * while EM runs, at most once every RUN_SAVE_MS (the last state is saved when the timer fires, or when the page
 * is left). A save put off is made at once when the page is left. */
export function sessionChanged() {
  if (saving.idle || saving.timer) return;
  const wait = hooks().page.timer ? saving.at + RUN_SAVE_MS - performance.now() : 0;
  if (wait > 0) {
    saving.timer = setTimeout(saveNow, wait);
    return;
  }
  saving.idle = whenIdle(saveNow, { timeout: SAVE_IDLE_MS });
}

/** Writes your data in `place` under its current id; returns null or a message id. */
function saveDataIn(place) {
  return store.writeData({
    text: data.text ?? '', model: data.model, columns: data.columns, id: data.id, frame: data.frame, building: data.building !== null,
  }, place);
}

/**
 * Saves your data as a new data set (a new id). A write that fails keeps the previous data set and its
 * session in storage, and the warning stays until a later data save succeeds.
 */
export function saveData() {
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
export function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    const text = $('data-text').value;
    if (text.length > TEXTAREA_MAX || data.stopped) return;
    store.write('draft', text, 'tab');
    hooks().afterPointer(() => reportStorage('draft', store.write('draft', text)));
  }, 200);
}

/** Another tab saved: when it replaced this tab's data set in localStorage, keep this tab's in its own copy. */
function onOtherTab(event) {
  if (event.key !== 'emlab.data-meta' || data.source !== CUSTOM || data.text === null) return;
  if (store.savedDataId('local') === data.id) return;
  if (!holdsSessionData({ dataId: data.id }, 'tab')) reportStorage('data', saveDataIn('tab'));
  setStatus(msg('other-tab-data'));
}

/**
 * The lab for the controls when something is pending: a saved session (`Lab.restoreSession`, with your data
 * when it is yours; q is computed once, no half-step is replayed), else the preset or data `build()` makes,
 * started from an old link's θ. Throws the core's message (a link's as `url-rejected`).
 */
export function labFromPending(build) {
  const pending = data.pending;
  data.pending = null;
  const lang = hooks().page.lang;
  if (pending?.session) {
    const source = $('preset').value;
    return Lab.restoreSession(pending.session, lang, source === CUSTOM ? data.text ?? undefined : undefined);
  }
  const lab = build();
  if (pending?.start) {
    try {
      lab.restartFrom(pending.start);
    } catch (error) {
      // A link's θ that the core refuses: nothing changes (the caller keeps the old lab).
      lab.free();
      throw new Error(msg('url-rejected', { reason: error.message }));
    }
  }
  return lab;
}

/** The controls a link sets, as they are now. */
function controlsNow() {
  return { preset: $('preset').value, k: hooks().page.k, seed: hooks().page.seed, reg: data.reg, building: data.building };
}

/** Puts the controls back as they were before a rejected link. */
function restoreControls(c) {
  $('preset').value = c.preset;
  setInput('k', c.k);
  setInput('seed', c.seed);
  setReg(c.reg);
  data.building = c.building;
}

/** Says why a link was refused where the class looks, beside the step buttons (`#alert`): under the data
 * panel the message was below the fold, and the page looked as if the link had worked. */
function linkRefused(text) {
  hooks().showError(text);
}

/** Builds the lab for a link; a refused one puts the controls back and says why. */
function buildForLink(before) {
  try {
    hooks().buildLab();
  } catch (error) {
    data.pending = null;
    data.prebuilt?.free();
    data.prebuilt = null;
    restoreControls(before);
    linkRefused(error instanceof Error ? error.message : String(error));
    if (hooks().page.lab) hooks().render();
  }
}

/**
 * Reads a shared link (`#preset=…` or `#link=…`) once, removes it from the address, and applies it. A link
 * that is malformed, or that the core refuses, shows its message and leaves the controls, the lab and the
 * saved session as they were.
 */
export function applyLink() {
  const hash = window.location.hash;
  if (!hash) return;
  // The hash is read once and removed, so a reload restores the session rather than the link.
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  if (hash.startsWith('#link=')) {
    applyStateLink(hash);
    return;
  }
  const menu = Array.from($('preset').options, (o) => o.value).filter((v) => v !== CUSTOM);
  const link = parseHash(hash, menu, presetNames(), limits().regMax);
  if (!link.ok) {
    linkRefused(msg(link.id, link.args));
    return;
  }
  const s = link.settings;
  if (!s) return;
  const before = controlsNow();
  if (s.preset) $('preset').value = s.preset;
  else if ($('preset').value === CUSTOM && !data.text) $('preset').value = presetNames()[0];
  // A preset brings its lesson's K, seed and floor, as the menu does, where the link does not give them.
  const lesson = s.preset ? lessonOf(s.preset) : undefined;
  setInput('k', s.k ?? lesson?.k);
  setInput('seed', s.seed ?? lesson?.seed);
  const reg = s.reg ?? lesson?.reg;
  if (reg !== undefined) setReg(reg);
  forgetBuild();
  data.pending = s.params ? { start: s.params } : null;
  buildForLink(before);
}

/**
 * A link made by "Copy link" (`#link=…`, see lab.link()): the core reads and checks it (`readLink`), the
 * controls take its data, K and reg, and the core opens it (`Lab.fromLink`: its start, options and
 * half-steps), so the page shows the same figures and readouts. A link the core refuses changes nothing.
 */
function applyStateLink(hash) {
  const lang = hooks().page.lang;
  let plan;
  let lab;
  try {
    plan = readLink(hash, lang);
    lab = Lab.fromLink(hash, lang);
  } catch (error) {
    linkRefused(msg('url-rejected', { reason: error instanceof Error ? error.message : String(error) }));
    return;
  }
  const before = controlsNow();
  const own = lessonOf(plan.preset)?.model;
  if (plan.preset) {
    $('preset').value = own === plan.model ? plan.preset : `${plan.model}:${plan.preset}`;
  } else {
    data.text = plan.data;
    data.model = plan.model;
    data.columns = [0, 1];
    $('data-model').value = plan.model;
    $('preset').value = CUSTOM;
    // In the box too: it was empty under "edit the text above", and one typed value replaced the data.
    if (plan.data.length <= TEXTAREA_MAX) {
      $('data-text').value = plan.data;
      saveDraft();
    }
    saveData();
  }
  setInput('k', plan.k);
  // The seed of the page that made it (a new K then starts as it did there), else the lesson's.
  setInput('seed', plan.seed ?? lessonOf(plan.preset)?.seed ?? 1);
  setReg(plan.options.reg);
  forgetBuild();
  data.prebuilt = lab;
  buildForLink(before);
}

/** Restores a saved session into the controls; the lab is then built from its saved state. Throws
 * `store.Unreadable` when the session names a data set the menu does not have. */
function applySession(session) {
  const source = session.source;
  // Saved after Clear (your data, no point in it): nothing to bring back, not a session that cannot be
  // opened; the page starts on its default lesson.
  if (source === CUSTOM && !data.text && !session.lab) return;
  if (!hasOption(source) || (source === CUSTOM && !data.text)) throw new store.Unreadable('unknown source');
  $('preset').value = source;
  setInput('k', session.k);
  setInput('seed', session.seed);
  setInput('bins', session.bins);
  data.pending = session.lab ? { session: session.lab } : null;
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
    // A data set being built by clicks after Clear goes on as it was: its axes (the frame), the K it is
    // held below until there are K distinct points, and "adds a point" (a reload lost all three).
    data.frame = saved.frame;
    if (saved.building && data.text) {
      data.building = data.text.trim().split('\n').map((line) => (line.includes(',') ? line.split(',').map(Number) : Number(line)));
      showMode('add');
    }
    $('data-model').value = data.model;
    if (data.id === null && data.text !== null) {
      // Saved before data sets had ids: give it one, and the session recorded on it too.
      saveData();
      if (session) session.dataId = data.id;
    }
  }
  if (data.text !== null && session?.source !== CUSTOM) {
    // Data no session uses is read now too, so a data set that cannot be opened is found at start-up.
    Lab.fromCsvIn(data.model, data.text, 1, 1, 0, 1, data.reg, hooks().page.lang).free();
  }
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
  data.prebuilt?.free();
  data.prebuilt = null;
  forgetBuild();
  data.fileText = null;
  dropFile();
  $('data-text').value = '';
  $('data-model').value = d.model;
  $('preset').value = d.preset;
  setInput('k', d.k);
  setInput('seed', d.seed);
  setInput('bins', d.bins);
  setReg(d.reg);
  setStatus('');
  showAside(true);
}

/** Shows the box offering a saved state that was set aside, while there is one: `justNow` on the load that set
 * it aside ("… so the page started afresh"), else as kept from before (a later session restored beside a box
 * that still said the page had started afresh). */
function showAside(justNow = false) {
  $('restore-box').hidden = !store.hasAside();
  const words = $('restore-box').querySelector('p');
  words.dataset.msg = justNow ? 'restore-failed' : 'restore-kept';
  words.textContent = msg(words.dataset.msg);
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

/** Deletes everything saved (after a confirmation) and reloads the page as new. */
function startOver() {
  if (!window.confirm(msg('confirm-start-over'))) return;
  // Nothing is saved any more: a queued save must not write back what is deleted here.
  data.stopped = true;
  clearTimeout(draftTimer);
  try { hooks().stopRunning(); } catch { /* the page is about to reload anyway */ }
  store.clearAll();
  window.location.replace(window.location.pathname + window.location.search);
}

/** Connects Start over, the set-aside box, the start-up storage check, links and other tabs' saves. Called
 * first of the data side, so Start over works whatever happens next. */
export function initSession() {
  $('btn-start-over').addEventListener('click', startOver);
  $('btn-restore-start-over').addEventListener('click', startOver);
  $('btn-restore-download').addEventListener('click', downloadAside);
  storage.probe = store.status();
  showStorage();
  showAside();
  window.addEventListener('hashchange', applyLink);
  window.addEventListener('storage', onOtherTab);
  // A save put off is made before the page goes (a reload, a closed tab).
  window.addEventListener('pagehide', () => { if (saving.timer || saving.idle) saveNow(); });
}
