// View settings remembered across reloads (localStorage `emlab.prefs`): side by side (#compare), hard
// colouring (#hard), the slice (#slice-along) and Run's speed (#speed). They belong to the person at the
// screen, not to a lesson, so a preset or a saved session never changes them. (The language is remembered
// by app.js as `emlab.lang`; `?lang=zh|en` forces it.)

const KEY = 'emlab.prefs';

const $ = (id) => document.getElementById(id);

/** The settings remembered, by control id: how to read one from the page and how to check a saved one. */
const FIELDS = {
  compare: { read: (el) => el.checked, valid: (v) => typeof v === 'boolean', write: (el, v) => { el.checked = v; } },
  hard: { read: (el) => el.checked, valid: (v) => typeof v === 'boolean', write: (el, v) => { el.checked = v; } },
  // Remembered by the coordinate's name ("μ2"), or -1 for the EM direction: by its number it came back as
  // another model's coordinate of that number ("μ1 (x₁)" for the heights' μ2).
  'slice-along': {
    read: (el) => (el.value === '-1' ? '-1' : el.selectedOptions[0]?.textContent ?? '-1'),
    valid: (v) => typeof v === 'string' && v.length > 0 && v.length <= 40,
    // The menu is filled for the model once the lab is built (app.js `fillSliceMenu`, which keeps the
    // coordinate chosen when the model has one of that name): until then the remembered choice is its one
    // option.
    write: (el, v) => {
      const option = document.createElement('option');
      option.value = v === '-1' ? '-1' : 'remembered';
      option.textContent = v;
      el.replaceChildren(option);
      el.value = option.value;
    },
  },
  speed: {
    read: (el) => el.value,
    valid: (v) => typeof v === 'string' && Number.isFinite(Number(v)) && Number(v) >= 0.5 && Number(v) <= 61,
    write: (el, v) => {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true })); // shows the pace
    },
  },
};

/** The saved settings, or {} when there are none, storage is refused or the text is not ours. */
function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return saved && typeof saved === 'object' && !Array.isArray(saved) ? saved : {};
  } catch {
    return {};
  }
}

/** Puts the remembered settings into their controls (before the first lab is built). */
export function applyPrefs() {
  const saved = load();
  for (const [id, field] of Object.entries(FIELDS)) {
    if (Object.hasOwn(saved, id) && field.valid(saved[id])) field.write($(id), saved[id]);
  }
}

/** Saves the settings whenever one is changed by the person at the screen. */
export function watchPrefs() {
  for (const [id, field] of Object.entries(FIELDS)) {
    $(id).addEventListener('change', () => {
      const saved = load();
      saved[id] = field.read($(id));
      try {
        localStorage.setItem(KEY, JSON.stringify(saved));
      } catch {
        // Storage refused or full: the setting holds for this visit only.
      }
    });
  }
}
