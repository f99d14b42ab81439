// Lessons and alerts of the data side: the data panel's alert and status lines, the collapse lesson (its
// explanation and "Re-initialise"), the note when the variance floor holds a component, the data summary.
import { formatNumber, setAttr, setProp, setText } from './view.js';
import { $, data, hasOption, hooks, is2d, msg, setReg, short, words } from './shared.js';

/** Shows a message in the data panel's alert region (as text, never HTML). */
export function showAlert(text) {
  const el = $('data-alert');
  el.textContent = text;
  el.hidden = false;
}

/** Hides the data panel's alert region. */
export function clearAlert() {
  const el = $('data-alert');
  el.hidden = true;
  el.textContent = '';
}

/** Sets the data panel's status line. */
export function setStatus(text) {
  $('data-status').textContent = text;
}

/** Shows `text` under the variance floor's field, or hides it when empty. */
export function showRegAlert(text) {
  const el = $('reg-alert');
  el.textContent = text;
  el.hidden = text === '';
}

/** Hides the data panel's alerts and empties its status line (their words were for an earlier action). */
export function clearDataMessages() {
  clearAlert();
  showRegAlert('');
  setStatus('');
}

/** Updates the collapse box, the floor note, the summary and the controls that follow the lab. */
export function updateLessons(s = hooks().page.lab?.state()) {
  const lab = hooks().page.lab;
  const box = $('collapse-box');
  const floor = $('floor-note');
  if (!lab) {
    setProp(box, 'hidden', true);
    setProp(floor, 'hidden', true);
    setText($('data-summary'), msg(words('data-summary', data.model), { n: data.building?.length ?? 0 }));
    setAttr(document.body, 'data-collapse', 'false');
    return;
  }
  const c = s.collapse;
  setAttr(document.body, 'data-collapse', c ? 'true' : 'false');
  // The explanation and the re-initialisation, for the 1-D and the 2-D mixture (the alert names any collapse).
  if (c && s.can.collapse) {
    const variance = Number.isFinite(c.variance) && c.variance !== 0 ? c.variance.toExponential(2) : '0';
    const point = Array.from(lab.point(c.point), short);
    // With a floor above 0, ℓ does not grow without bound: the floor is too small for the data's scale.
    const id = `${is2d(s.model) ? 'collapse-explain-2d' : 'collapse-explain'}${c.floorHeld ? '-floor' : ''}`;
    $('collapse-text').textContent = msg(id, {
      k: c.component + 1,
      x: point.length === 1 ? point[0] : `(${point.join(', ')})`,
      value: variance,
      reg: short(s.reg),
    });
    $('btn-reinit').textContent = msg('btn-reinit', { k: c.component + 1 });
    $('btn-reinit').dataset.component = String(c.component);
    setProp(box, 'hidden', false);
  } else {
    setProp(box, 'hidden', true);
  }
  // The button sits under the alert, where a teacher looks at a collapse (the box, with the floor, is lower).
  setProp($('btn-reinit'), 'hidden', !(c && s.can.collapse));
  // Held up: the M-step from this q would put the component on one point with reg = 0 (the core's
  // `floorHolds`; a variance near reg alone said so of the heights at reg = 1000, which never collapse).
  // Not while a floor typed since the last half-step waits for the next M-step: "held up by reg = 0.01"
  // stood beside the variance 9.08e−9 it had not yet touched (the status says the floor comes next).
  const held = s.variances && s.floorHolds !== null && !s.floorChanged ? s.floorHolds : -1;
  if (held >= 0) {
    floor.textContent = msg('floor-at-work', {
      k: held + 1,
      value: s.variances[held].toExponential(2).replace('-', '\u2212'), // the minus the table writes
      reg: short(s.reg),
    });
    setProp(floor, 'hidden', false);
  } else {
    setProp(floor, 'hidden', true);
  }
  setText($('data-summary'), msg(words('data-summary', s.model), { n: formatNumber(s.n, 0) }));
  if (document.activeElement !== $('reg')) setReg(s.reg);
  if (data.source && $('preset').value !== data.source && hasOption(data.source)) {
    $('preset').value = data.source;
  }
}

/** Re-initialises the collapsed component with a fresh seed each time, and says where it went. */
function onReinit() {
  const component = Number($('btn-reinit').dataset.component);
  data.reinits += 1;
  const seed = (hooks().page.seed + 7919 * data.reinits) >>> 0;
  hooks().act((lab) => {
    const mean = lab.reinitComponent(component, seed);
    const at = mean.length === 1 ? short(mean[0]) : `(${Array.from(mean, short).join(', ')})`;
    setStatus(msg(mean.length === 1 ? 'reinit-done' : 'reinit-done-2d', { k: component + 1, x: at }));
  });
}

/** Connects the lesson's button. */
export function initLessons() {
  $('btn-reinit').addEventListener('click', onReinit);
}
