// The data panel: the text box, its model menu and column pickers, files opened or dropped, "Use this data",
// the variance floor field, and the panel following the model on the page and data edited by clicks.
// User text is only ever set as textContent.
import { Lab, inspectTable, limits, models } from './pkg/emlab.js';
import { formatNumber, replaceAll } from './view.js';
import { strictNumber } from './url.js';
import { $, CUSTOM, TEXTAREA_MAX, can, data, dropFile, forgetBuild, hooks, is2d, lessonOf, msg, setMsg, setReg, short, showMode, words } from './shared.js';
import * as load from './load.js';
import { clearAlert, setStatus, showAlert, showRegAlert } from './lessons.js';
import { saveData, saveDraft } from './session.js';

/** The largest file the page opens, in MB. */
const MAX_FILE_MB = 100;
/** The text box follows clicked edits up to this many points. */
const SYNC_MAX_POINTS = 50_000;
/** The column menus list at most this many columns (a one-line file of a million numbers has a million). */
const COLUMN_MENU_MAX = 1000;

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
      info = data.file ? data.file.info : inspectTable(currentText(), hooks().page.lang, decimalComma());
    } catch {
      info = null;
    }
  }
  data.info = info;
  const note = $('data-columns-note');
  // One line of numbers is a list for a 1-D model: no column to pick.
  if (!info || info.columns < 2 || (info.oneLine && !two)) {
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
export function refreshPanel(reset = false) {
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

/** The panel follows the model on the page: its menu, the column pickers and what a click does. */
export function followModel(s = hooks().page.lab?.state()) {
  if (!s) return;
  const model = s.model;
  if (model === data.shownModel) return;
  data.shownModel = model;
  $('data-model').value = model;
  refreshPanel();
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
function labFromPanelFile(reg = data.reg) {
  const model = $('data-model').value;
  if (!data.file || !(can(model).columns > 0)) return null;
  const page = hooks().page;
  return load.labFromFile(data.file, model, page.k, page.seed, pickedColumns(), reg, page.lang);
}

/** The variance floor for your data: the field's, but not the floor of the lesson left (reg = 0 of the
 * collapse lesson, unless typed since), under which pasted data collapsed. Set once the data is taken. */
function ownReg() {
  const left = lessonOf($('preset').value);
  return left && data.reg === left.reg ? data.defaults.reg : data.reg;
}

/**
 * Builds a lab of the menu's model from the text box or the file it shows (or takes `built`, made from it a
 * task earlier); on any problem shows the message, keeps the current data and returns the error (else null).
 */
function useText(built = null) {
  clearAlert();
  if (!built) refreshColumns(); // the pickers may not have caught up with the last keystroke yet
  const text = currentText();
  const model = $('data-model').value;
  const columns = pickedColumns();
  const page = hooks().page;
  let lab = built;
  const fromFile = data.file && can(model).columns > 0 ? data.file : null;
  const reg = ownReg();
  try {
    lab ??= fromFile
      ? labFromPanelFile(reg)
      : Lab.fromCsvIn(model, text, page.k, page.seed, columns[0], columns[1], reg, page.lang, decimalComma());
  } catch (error) {
    showAlert(error instanceof Error ? error.message : String(error));
    return error;
  }
  setReg(reg);
  // A file too large to save is kept as its table, not as megabytes of text (load.js).
  const big = fromFile && load.tooLargeToSave(fromFile.info.rows, is2d(model) ? 2 : 1);
  const before = data.table;
  data.table = big ? fromFile : null;
  load.release(before, data.table, data.file);
  data.text = big ? null : lab.dataText();
  data.model = model;
  data.columns = columns;
  forgetBuild();
  data.fileText = null;
  // The lab's own count: a one-line file of numbers is one row but many points.
  const n = lab.state().n;
  data.prebuilt = lab;
  $('preset').value = CUSTOM;
  saveData();
  saveDraft(); // the box as used, so a warning that it could not be saved goes once it is
  hooks().loadLab();
  if (data.prebuilt) {
    // loadLab did not take it (it failed before makeLab): do not leak it.
    data.prebuilt.free();
    data.prebuilt = null;
  }
  const ambiguous = data.info?.commaAmbiguous && !decimalComma() ? ` ${msg('data-comma-ambiguous')}`
    : data.info?.thousandsAmbiguous ? ` ${msg('data-thousands-ambiguous')}`
      : data.info?.thousandsSpaced ? ` ${msg('data-thousands-spaced')}` : '';
  setStatus(msg(words('data-used', model), { n: formatNumber(n, 0) }) + ambiguous);
  return null;
}

/** True when the data panel reads `1,5` as 1.5. */
function decimalComma() {
  return $('data-decimal-comma').checked;
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
      loaded = await load.readFile(file, { table: can($('data-model').value).columns > 0, decimalComma: decimalComma(), lang: hooks().page.lang, msg });
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
      built = labFromPanelFile(ownReg());
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
  const before = $('data-text').value;
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
  // A binary file's bytes are no text to mend: the box gets back what it held (it showed "�PNG…").
  if (useText()?.id === 'err-not-text-file') {
    $('data-text').value = before;
    saveDraft();
    refreshPanel();
  }
}

/** After points were added or removed by clicks: the data is now yours; save it and follow it in the text box. */
export function dataChanged(lab, status) {
  const s = lab.state();
  data.text = lab.dataText();
  load.release(data.table, data.file);
  data.table = null;
  data.model = s.model;
  data.columns = [0, 1];
  data.source = CUSTOM;
  $('preset').value = CUSTOM;
  saveData();
  if (s.n <= SYNC_MAX_POINTS) {
    $('data-text').value = data.text;
    $('data-model').value = s.model;
    saveDraft();
    refreshPanel(true);
  }
  // Side by side, the other model runs on the same data from the same start.
  const page = hooks().page;
  if (page.twin) {
    const twin = lab.twin();
    twin.setLanguage(page.lang);
    page.twin.free();
    page.twin = twin;
  }
  setStatus(status);
}

/** A typed variance floor: a number ≥ 0, applied to the lab (Rust checks it again). Anything else is refused
 * under the field (the data panel's alert was far below it; the step buttons' alert was wiped by a step
 * clicked to leave the field), and the field shows the floor in use again: "5e" stayed in it while reg = 0
 * was used. */
function onRegChange() {
  const value = strictNumber($('reg').value.trim());
  const max = limits().regMax;
  if (value === null || value < 0 || value > max) {
    showRegAlert(msg('err-reg-input', { max: short(max) }));
    setReg(hooks().page.lab?.state().reg ?? data.reg);
    return;
  }
  showRegAlert('');
  clearAlert();
  data.reg = value;
  if (hooks().page.lab) hooks().act((lab) => lab.setOptions({ reg: value }));
}

/** Adds "Your data" to the data menu (app.js refills the menu when the language changes and keeps this
 * option; its `data-msg` puts it in the new language: it stayed "Your data" in Chinese). */
export function addDataOption() {
  const select = $('preset');
  if (Array.from(select.options).some((o) => o.value === CUSTOM)) return;
  const option = document.createElement('option');
  option.value = CUSTOM;
  option.dataset.msg = 'preset-custom';
  option.textContent = hooks().page.text['preset-custom'];
  select.append(option);
}

/** Connects the panel: the model menu (the registry's models, named in the page language), the text box,
 * the column pickers, Use this data, files chosen or dropped anywhere on the page, the variance floor. */
export function initPanel() {
  replaceAll($('data-model'), Array.from(models(), (m) => {
    const option = document.createElement('option');
    option.value = m.name;
    option.dataset.msg = `model-${m.name}`;
    option.textContent = msg(`model-${m.name}`);
    return option;
  }));
  $('btn-data-use').addEventListener('click', () => useText());
  $('reg').addEventListener('change', () => hooks().afterPointer(onRegChange));
  $('data-column').addEventListener('change', () => useText());
  $('data-column2').addEventListener('change', () => useText());
  $('data-model').addEventListener('change', () => {
    clearAlert();
    const model = $('data-model').value;
    // Points clicked in after Clear are for a model of the figure's kind: another of the same kind (k-means ↔
    // 2-D mixture) takes them; one of the other kind cannot be clicked on this figure, and says so (clicks
    // went on building the first model's points under a menu that named another).
    if (data.building !== null && model !== data.model) {
      if (is2d(model) !== is2d(data.model) || !can(model).clickEdit) {
        $('data-model').value = data.model;
        showAlert(msg('data-build-other-kind'));
        return;
      }
      data.model = model;
      saveData();
      if (data.building.length > 0) hooks().loadLab();
    }
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
  // A paste too long for the text box is read as a file of that text (in pieces, with progress and Cancel),
  // not put in the box: 3.5 MB pasted there was one 7.5 s task of the box's own layout, and every click after
  // it slow while the text stayed.
  $('data-text').addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (text.length <= load.SMALL_FILE_BYTES) return;
    event.preventDefault();
    openFile(new File([text], 'pasted.csv', { type: 'text/csv' }));
  });
  $('data-text').addEventListener('input', () => {
    data.fileText = null;
    dropFile();
    saveDraft();
    clearTimeout(inspectTimer);
    inspectTimer = setTimeout(() => hooks().afterPointer(() => refreshColumns()), 250);
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
}
