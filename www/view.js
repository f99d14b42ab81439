// Small view helpers shared by the page's modules: number formatting, filling elements, canvas sizing.

/** From this size on a number with decimals (or a whole number from 10¹⁵ on) is shown as d.dddde±n, so a
 * huge value never prints hundreds of digits. */
const EXPONENT_FROM = 1e6;
const EXPONENT_FROM_WHOLE = 1e15;

/** Formats a number for people: fixed digits, thousands separators, no "-0.000", and 5 significant digits
 * in exponent form (1.2346e300) from `exponentFrom` on (a million; counts, with 0 digits, and at most
 * 10¹⁵ for any). */
export function formatNumber(value, digits = 3, exponentFrom = digits > 0 ? EXPONENT_FROM : EXPONENT_FROM_WHOLE) {
  if (!Number.isFinite(value)) return value > 0 ? '+∞' : value < 0 ? '−∞' : '—';
  if (Math.abs(value) >= Math.min(exponentFrom, EXPONENT_FROM_WHOLE)) return value.toExponential(4).replace('e+', 'e').replaceAll('-', '−');
  const shown = Math.abs(value) < 0.5 * 10 ** -digits ? 0 : value;
  const fixed = roundedDigits(Math.abs(shown), digits);
  return (shown < 0 && /[1-9]/.test(fixed) ? '−' : '') + fixed;
}

/** The gap KL readout: 0.000 for 0 (the state's gap is 0 where ℓ − L is rounding noise), and a gap too small
 * for three decimals in e-notation with four digits (3.381e−4, as the figures write it), not 0.000 beside a
 * figure that shows it. */
export function formatGap(value) {
  return value > 0 && value < 1e-3 ? value.toExponential(3).replace('-', '−') : formatNumber(value, 3);
}

/**
 * `x` (≥ 0, below 10¹⁵) with `digits` decimals and a comma between each three digits of its whole part, as
 * en-US `Intl.NumberFormat` writes it: the shortest decimal that reads back as `x` (what `String(x)` shows),
 * rounded half away from zero. Not `Intl.NumberFormat` itself: its first use on a page loads the locale's
 * number data, 16–27 ms of a first visit.
 */
function roundedDigits(x, digits) {
  const [mantissa, exponent = '0'] = String(x).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  // The decimal digits of x, and where its decimal point falls among them.
  let all = whole + fraction;
  let point = whole.length + Number(exponent);
  if (point < 1) {
    all = '0'.repeat(1 - point) + all;
    point = 1;
  }
  const keep = point + digits;
  all = all.padEnd(keep + 1, '0');
  const kept = BigInt(all.slice(0, keep)) + (all[keep] >= '5' ? 1n : 0n);
  const text = kept.toString().padStart(digits + 1, '0');
  const wholePart = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+$)/g, ',');
  return digits > 0 ? `${wholePart}.${text.slice(text.length - digits)}` : wholePart;
}

/** Sets `el`'s text only when it changes: an unchanged text is not laid out again, and a page redrawn after
 * every half-step changes few of its words. An element holding one text node keeps it (its text is changed,
 * not a new node styled and laid out in its place). */
export function setText(el, text) {
  const only = el.firstChild;
  if (only !== null && only === el.lastChild && only.nodeType === Node.TEXT_NODE) {
    if (only.data !== text) only.data = text;
  } else if (el.textContent !== text) {
    el.textContent = text;
  }
}

/** Sets property `name` of `el` (hidden, disabled, value, max) only when it changes: a boolean attribute set
 * again is a DOM mutation (the export menu refills on hidden and aria-label changes) and a layout. */
export function setProp(el, name, value) {
  if (el[name] !== value) el[name] = value;
}

/** Sets attribute `name` of `el` only when it changes (see `setProp`). */
export function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

/** Replaces the children of `parent` with `items`, one append at a time (spreading a long list into a call
 * overflows the stack). */
export function replaceAll(parent, items) {
  const fragment = document.createDocumentFragment();
  for (const item of items) fragment.append(item);
  parent.replaceChildren(fragment);
}

/** Sizes a canvas's pixel buffer to its CSS box times devicePixelRatio, so it is sharp on any screen. */
export function sizeCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
}
