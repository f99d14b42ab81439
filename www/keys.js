// The keyboard that never surprises: what counts as typing in a field, which control the keyboard (rather
// than the mouse) is using, whole-number fields that ignore letters, and the shortcuts legend (`?`).

/** Input types in which keys are typed as text: shortcuts never act there. */
const TEXT_TYPES = new Set(['text', 'number', 'search', 'email', 'url', 'tel', 'password', '']);

/** The element under the last mouse or touch press, and the control that press focused (null when the focus
 * came from Tab or a script). */
const modality = { pressed: null, byPointer: null, focused: null };

/** Where the focus goes when the control the keyboard was on is disabled or hidden by what it did: Undo at the
 * timeline's start to Redo, Redo at its end to Undo, any other (Start again, Re-initialise) to E-step. */
const FOCUS_NEXT = { 'btn-undo': 'btn-redo', 'btn-redo': 'btn-undo' };

/** True when `el` takes typed text (a text or number field, a text box, an editable element). */
export function isTextField(el) {
  if (!el || el.disabled) return false;
  if (el.tagName === 'TEXTAREA' || el.isContentEditable) return true;
  return el.tagName === 'INPUT' && TEXT_TYPES.has((el.getAttribute('type') ?? '').toLowerCase());
}

/** True when the keyboard is using `el` (reached with Tab): then Space, Enter and the arrows are its own
 * (pressing a button, moving a slider, choosing in a menu). On a control focused by a mouse press they are
 * shortcuts. */
export function keyboardOwns(el) {
  return el !== modality.byPointer && el !== document.body && el !== document.documentElement;
}

/**
 * After a render: where the control the keyboard was using has just been disabled or hidden (Undo and Redo
 * with the rest while there is no lab, Start again once pressed), the focus goes to a neighbour. It fell to the page's body,
 * with no outline: a keyboard user lost their place. Not after a mouse press (then the keys are shortcuts).
 */
export function keepKeyboardFocus() {
  const el = modality.focused;
  const active = document.activeElement;
  if (!el || !el.isConnected || !keyboardOwns(el) || (active !== el && active !== document.body)) return;
  if (!el.disabled && el.checkVisibility()) return;
  const next = [FOCUS_NEXT[el.id], 'btn-e'].map((id) => id && document.getElementById(id))
    .find((c) => c && !c.disabled && c.checkVisibility());
  next?.focus();
}

/**
 * Wires the keyboard helpers: the fields in `wholeFields` (ids) take digits only (a letter typed is ignored,
 * never turned into an empty field); Enter applies and leaves them and the `numberFields`, Esc leaves any field,
 * and a menu chosen with the mouse gives the focus back (so E, M, Space and the arrows act on EM, not on the menu).
 */
export function initKeys({ wholeFields, numberFields }) {
  document.addEventListener('pointerdown', (event) => {
    modality.pressed = event.target;
    // A press on the control that already has the focus (no focus event follows) makes it the mouse's too.
    const active = document.activeElement;
    if (active && active !== document.body && event.target instanceof Node && active.contains(event.target)) modality.byPointer = active;
  }, true);
  document.addEventListener('focusin', (event) => {
    const pressed = modality.pressed;
    const control = event.target;
    modality.focused = control;
    modality.pressed = null;
    modality.byPointer = pressed instanceof Node
      && (control === pressed || control.contains(pressed) || pressed.closest?.('label')?.control === control) ? control : null;
  });
  // Enter applies the number and leaves the field, so E, M and Space step EM again (they stayed dead in the
  // field, with nothing to say why; in the floor's field the E of an E-step emptied it, and leaving it then
  // said "enter a number" beside the floor just applied).
  // The step buttons come back into view: the side panel had scrolled to the field and stayed there, E-step
  // cut off at its top edge. Not a narrow screen's sticky toolbar, always on screen: scrolling it "into view"
  // took the page to its top, the field 134 px down with it (1024×768).
  for (const id of wholeFields.concat(numberFields)) {
    const field = document.getElementById(id);
    field.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      field.blur();
      const steps = document.querySelector('.steps');
      if (steps && getComputedStyle(steps).position !== 'sticky') steps.scrollIntoView({ block: 'nearest' });
    });
  }
  for (const id of wholeFields) {
    const field = document.getElementById(id);
    // A key pressed that is not a digit is ignored. Text that arrives otherwise (pasted, dropped, put in by
    // a script) is checked on change, with a message quoting it, so a wrong paste is explained, not cut.
    let key = null;
    field.addEventListener('keydown', (event) => {
      key = event.key;
    });
    field.addEventListener('beforeinput', (event) => {
      const typed = event.inputType === 'insertText' && event.data === key;
      key = null;
      if (typed && /\D/.test(event.data)) event.preventDefault();
    });
  }
  // Esc leaves a field (its change, if any, is applied as when leaving it with Tab).
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isTextField(event.target)) {
      event.preventDefault();
      event.target.blur();
    }
  });
  // A menu chosen with the mouse lets go of the focus, so its arrows and letters are shortcuts again.
  document.addEventListener('change', (event) => {
    if (event.target.tagName === 'SELECT' && event.target === modality.byPointer) event.target.blur();
  });
}

/** The shortcuts legend: [keys, message id, or a function of the messages]. */
const LEGEND = [
  ['E', 'btn-e-step'],
  ['M', 'btn-m-step'],
  ['Space', 'btn-step'],
  ['U', 'btn-undo'],
  ['Y', 'btn-redo'],
  ['R', 'btn-reset'],
  ['← →', 'key-jensen'],
  ['P', 'key-present'],
  ['1 2 3 … / 0', 'key-figures'],
  ['?', 'key-help'],
  ['Esc', 'key-escape'],
];

/** The legend dialog, made on first use. */
let legend = null;

/** True while the shortcuts legend is open. */
export function legendOpen() {
  return Boolean(legend?.open);
}

/** Shows the shortcuts legend (in the page language `text`), or hides it when it is open. */
export function toggleLegend(text) {
  if (legend?.open) {
    legend.close();
    return;
  }
  if (!legend) {
    legend = document.createElement('dialog');
    legend.id = 'keys-legend';
    legend.className = 'keys-legend';
    legend.setAttribute('aria-labelledby', 'keys-legend-title');
    document.body.append(legend);
  }
  const title = document.createElement('h2');
  title.id = 'keys-legend-title';
  title.textContent = text['keys-title'];
  const table = document.createElement('table');
  for (const [keys, id] of LEGEND) {
    const row = table.insertRow();
    const key = document.createElement('th');
    key.scope = 'row';
    for (const [i, part] of keys.split(' ').entries()) {
      if (i > 0) key.append(' ');
      if (part === '/') key.append('/');
      else key.append(Object.assign(document.createElement('kbd'), { textContent: part === 'Space' ? text['key-space'] ?? 'Space' : part }));
    }
    row.append(key);
    row.insertCell().textContent = text[id];
  }
  const note = document.createElement('p');
  note.textContent = text['keys-note'];
  const close = document.createElement('button');
  close.type = 'button';
  close.id = 'btn-keys-close';
  close.textContent = text['btn-close'];
  close.addEventListener('click', () => legend.close());
  legend.replaceChildren(title, table, note, close);
  legend.showModal();
}
