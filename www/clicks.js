// Clicks on the figures, in one dispatcher: on the data figure (histogram, plane, counts) a click chooses the
// point the Jensen figure shows, or in add / remove mode edits the data (Shift-click removes); Clear and the
// data set built by clicks after it; the page with no data.
import { Lab } from './pkg/emlab.js';
import { sizeCanvas } from './view.js';
import { $, CUSTOM, can, data, dropFile, emptyMessage, hooks, is2d, labControls, msg, showMode, short } from './shared.js';
import { clearAlert, setStatus, updateLessons } from './lessons.js';
import { saveData, saveDraft, sessionChanged } from './session.js';
import { dataChanged, refreshPanel } from './datapanel.js';

/** Toggles what a click on the histogram or the plane does: 'add' or 'remove', else null (choose a point). */
function setMode(mode) {
  showMode(data.mode === mode ? null : mode);
}

/** The status line for a point (x, or [x, y]) added or removed; `fromMeans`: EM starts again from the
 * means, not θ (`restartedFromMeans()`). */
function pointStatus(point, removed, fromMeans = false) {
  const key = `${removed ? 'data-removed' : 'data-added'}${Array.isArray(point) ? '-2d' : ''}${fromMeans ? '-means' : ''}`;
  if (Array.isArray(point)) return msg(key, { x: short(point[0]), y: short(point[1]) });
  return msg(key, { x: short(point) });
}

/** Runs a data edit on the lab (EM restarts from the current θ or its means), then follows the new data. */
function edit(action) {
  hooks().act((lab) => {
    const [point, removed, fromMeans] = action(lab);
    dataChanged(lab, pointStatus(point, removed, fromMeans));
  });
}

/** The one handler of clicks on the data figure. */
function onFigureClick(event) {
  const canvas = event.currentTarget;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth);
  const [px, py] = [event.offsetX * ratio, event.offsetY * ratio];
  const page = hooks().page;
  if (!data.mode) {
    // Choose the point under the click for the Jensen figure (after Clear there is none to choose).
    if (!page.lab) return;
    const index = page.lab.pickPoint(px, py);
    if (index >= 0) hooks().act((lab) => lab.select(index));
    return;
  }
  const lab = page.lab ?? data.axis;
  if (!lab) return;
  const model = lab.state().model;
  if (!can(model).clickEdit) return;
  const remove = data.mode === 'remove' || event.shiftKey;
  if (is2d(model)) {
    const at = lab.xyAt(px, py);
    if (!at) return;
    const [x, y] = Array.from(at, (v) => v + 0); // + 0: a click on an axis is 0, not −0 ("-0,0.55")
    clearAlert();
    if (data.building) editBuilding([x, y], remove, px, py);
    else if (remove) edit((l) => [Array.from(l.removeNearest2d(x, y)), true, l.restartedFromMeans()]);
    else edit((l) => [[x, y], false, !l.addPoint2d(x, y)]);
    return;
  }
  const at = lab.xAt(px, py);
  if (at === undefined) return;
  const x = at + 0; // 0, not −0
  clearAlert();
  if (data.building) editBuilding(x, remove);
  else if (remove) edit((l) => [l.removeNearest(x), true, l.restartedFromMeans()]);
  else edit((l) => [x, false, !l.addPoint(x)]);
}

/** The index of the clicked-in point nearest to `at` (x, or [x, y]) after Clear; on the plane, in pixels. */
function nearestBuilt(at, px, py) {
  const lab = hooks().page.lab;
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

/** The points clicked in after Clear, as text the lab reads: one `x` or `x,y` per line. */
export function buildingText() {
  return data.building.map(String).join('\n');
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
  hooks().loadLab(); // shows "using K = … until there are …" while there are too few distinct points
}

/** The data figure with no data (after Clear), where clicks add points: the axes of the data before it, on
 * which the clicks land, and "Click here to add a point" (four white boxes said nothing, and a click outside
 * the old plot area, which nobody could see, did nothing). */
export function drawEmptyHint() {
  const canvas = $('fig-histogram');
  const page = hooks().page;
  if (page.lab || !can(data.model).clickEdit) return;
  // After a reload there is no lab from before Clear: one on the frame's corners gives the same axes.
  if (!data.axis || data.axis.state().model !== data.model) {
    const [x0, x1, y0, y1] = data.frame ?? [0, 10, 0, 10];
    const corners = is2d(data.model) ? `${x0},${y0}\n${x1},${y1}\n` : `${x0}\n${x1}\n`;
    data.axis?.free();
    data.axis = Lab.fromCsvIn(data.model, corners, 1, 1, 0, 1, data.reg, page.lang);
  }
  sizeCanvas(canvas);
  data.axis.setLanguage(page.lang);
  data.axis.drawEmptyData(canvas);
}

/** Blanks the figures and readouts: there is no data to show. */
function showEmpty() {
  const page = hooks().page;
  hooks().stopRunning();
  if (page.lab) {
    data.axis?.free();
    data.axis = page.lab;
    page.lab = null;
  }
  for (const canvas of document.querySelectorAll('main canvas')) {
    canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
  }
  // No slice to choose a line for (its menu stood over the empty figure, and stayed in the old language).
  $('slice-along').closest('.fig-bar').hidden = true;
  drawEmptyHint();
  for (const id of ['iteration', 'phase', 'loglik', 'lower-bound', 'gap', 'converged']) {
    const el = $(id);
    if (!el) continue;
    el.textContent = '—';
    if ('value' in el.dataset) el.dataset.value = '';
  }
  $('params')?.tBodies[0]?.replaceChildren();
  labControls(false);
  for (const id of ['formula-e', 'formula-m']) $(id)?.replaceChildren();
  $('status').textContent = emptyMessage();
  setStatus(emptyMessage());
  data.source = CUSTOM;
  sessionChanged();
  updateLessons();
}

/** Removes every data point (after a confirmation); clicks in add mode then build a new data set. */
function clearData() {
  if (!window.confirm(msg('confirm-clear'))) return;
  clearAlert();
  // The axes stay those of the data before (lab.setFrame in data.js): on the first point's own they shrank
  // to its ±1, and no click could land far from it.
  // A Clear during a build keeps the frame it was built on too (the built points alone shrank the axes).
  const extent = hooks().page.lab?.dataExtent();
  data.frame = extent && data.frame ? Array.from(extent, (v, i) => (i % 2 ? Math.max : Math.min)(v, data.frame[i])) : extent ?? data.frame;
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

/** Connects the figure clicks, the add / remove buttons and Clear. */
export function initClicks() {
  $('fig-histogram').addEventListener('click', onFigureClick);
  $('btn-data-clear').addEventListener('click', clearData);
  $('mode-add').addEventListener('click', () => setMode('add'));
  $('mode-remove').addEventListener('click', () => setMode('remove'));
}
