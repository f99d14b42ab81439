// The data side of the page, put together: your data and its panel (datapanel.js), clicks on the figures
// (clicks.js), the saved session and shared links (session.js), the collapse lesson and alerts (lessons.js),
// and what they share (shared.js). app.js calls `initData`, `makeLab` (to build every lab), `afterRender`
// after every render, and the session's boot steps re-exported here.
import { Lab, models } from './pkg/emlab.js';
import * as load from './load.js';
import { $, CUSTOM, app, data, emptyMessage, forgetBuild, hasOption, is2d, msg } from './shared.js';
import { initLessons, setStatus, updateLessons } from './lessons.js';
import { applyLink, initSession, labFromPending, recover as recoverSession, restoreSaved as restoreSession, sessionChanged, showStorage } from './session.js';
import { addDataOption, followModel, initPanel, refreshPanel } from './datapanel.js';
import { buildingText, drawEmptyHint, initClicks } from './clicks.js';

export { fill, setReg } from './shared.js';

/** The number of distinct values (or [x, y] points) in an array. */
function distinct(values) {
  return new Set(values.map(String)).size;
}

/**
 * A new lab for the controls: a saved session or a link when one is pending, else your data when the menu
 * says "Your data", else the preset; with the variance floor. Throws a message on failure.
 */
export function makeLab(k, seed) {
  const lang = app.hooks.page.lang;
  const source = $('preset').value;
  if (source !== CUSTOM) {
    forgetBuild();
  }
  let note = '';
  const build = () => {
    if (source === CUSTOM && data.building) {
      if (data.building.length === 0) throw new Error(emptyMessage());
      const used = Math.min(k, distinct(data.building));
      const built = Lab.fromCsvIn(data.model, buildingText(), used, seed, 0, 1, data.reg, lang);
      if (used < k) note = msg(is2d(data.model) ? 'data-k-reduced-2d' : 'data-k-reduced', { distinct: used, used, k });
      else data.building = null;
      return built;
    }
    if (source === CUSTOM && data.text === null && data.table) {
      return load.labFromFile(data.table, data.model, k, seed, data.columns, data.reg, lang);
    }
    if (source === CUSTOM) {
      if (!data.text) {
        // "Your data" chosen with none: the panel where it goes, opened and brought into view (it was closed,
        // 1,700 px down the side panel or two screens down a tablet's page, and the message said "above").
        $('data-details').open = true;
        $('data-details').scrollIntoView({ block: 'nearest' });
        throw new Error(emptyMessage());
      }
      return Lab.fromCsvIn(data.model, data.text, k, seed, 0, 1, data.reg, lang);
    }
    // k-means runs on the 2-D presets: their menu entries read "kmeans:<preset>".
    const [model, name] = source.includes(':') ? source.split(':', 2) : [undefined, source];
    const built = Lab.presetIn(name, k, seed, lang, model);
    if (built.state().can.reg) built.setOptions({ reg: data.reg });
    return built;
  };
  let lab;
  if (data.prebuilt) {
    lab = data.prebuilt;
    data.prebuilt = null;
  } else {
    lab = labFromPending(build);
  }
  data.source = source;
  data.axis?.free();
  data.axis = null;
  if (data.frame) {
    try {
      lab.setFrame(data.frame);
    } catch {
      data.frame = null; // another model's data (a session, a link): its own axes
    }
  }
  if (note) setStatus(note);
  return lab;
}

/** After every render (app.js): the panel follows the lab, the lessons update, the session is saved. */
export function afterRender(s) {
  followModel(s);
  updateLessons(s);
  sessionChanged();
}

/** Reads what was saved into the panel and the controls (see session.js); throws what cannot be trusted. */
export function restoreSaved() {
  restoreSession();
  refreshPanel();
}

/** After a saved state could not be opened: set aside, the controls as the page starts (see session.js). */
export function recover() {
  recoverSession();
  refreshPanel(true);
}

/** Applies a shared link the page was opened with, after the saved session was restored. */
export function useLinkAtBoot() {
  applyLink();
}

/**
 * Connects the data side (nothing saved is read here: app.js then calls `restoreSaved`). Call after app.js's
 * wire(); `hooks` = {page, act, loadLab, buildLab, render, stopRunning, afterPointer, showError}.
 */
export function initData(hooks) {
  data.model ??= models()[0].name;
  app.hooks = hooks;
  // Start over and the set-aside box first: they must work whatever happens next.
  initSession();
  initPanel();
  addDataOption();
  data.defaults = {
    preset: $('preset').value, k: hooks.page.k, seed: hooks.page.seed, bins: Number($('bins').value),
    reg: data.reg, model: $('data-model').value,
  };
  initLessons();
  initClicks();
  // app.js refills the menu in the new language; put "Your data" back and translate the panel.
  $('lang').addEventListener('change', () => {
    addDataOption();
    if (data.source && hasOption(data.source)) $('preset').value = data.source;
    refreshPanel();
    updateLessons();
    showStorage();
    // With no data (after Clear) nothing renders: the "No data…" line is said again in the new language.
    if (!hooks.page.lab) {
      $('status').textContent = emptyMessage();
      setStatus(emptyMessage());
      drawEmptyHint();
    }
  });
}
