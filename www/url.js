// Shared links: `#preset=heights&k=2&seed=1&reg=0&params=0.5,160,40;0.5,175,50` (weight,mean,variance per
// component). The hash is parsed strictly and never evaluated or inserted as HTML: anything unexpected —
// a script tag, an unknown key, a number out of range, a 10 MB hash — rejects the whole link with a
// message id. Whether θ itself is valid (weights summing to 1, positive variances) is checked by Rust.

/** The longest hash accepted, in characters (a real link is well under 300). */
export const MAX_HASH = 2000;
/** The most components a link may describe. */
export const MAX_COMPONENTS = 10;

const KEYS = new Set(['preset', 'k', 'seed', 'reg', 'params']);
const NUMBER = /^[+-]?(\d{1,20}(\.\d{0,20})?|\.\d{1,20})([eE][+-]?\d{1,3})?$/;

/** Cuts user text so a message can quote it without flooding the page. */
export function shorten(text, max = 40) {
  const chars = Array.from(String(text));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}

/** `text` with the full-width forms a Chinese keyboard types (digits, signs, "．"; U+FF01–U+FF5E) as ASCII,
 * as the core reads data (`csv::half_width`): K = "３" was "not a whole number". */
export function halfWidth(text) {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** A strictly written, finite number, or null. */
export function strictNumber(text) {
  if (typeof text !== 'string') return null;
  text = halfWidth(text);
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** A whole number written in plain digits (no sign, point or exponent) from `min` to `max`, or null. */
export function parseWhole(text, min, max) {
  if (typeof text !== 'string') return null;
  text = halfWidth(text);
  if (!/^\d{1,10}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}

const reject = (id, args = {}) => ({ ok: false, id, args });

/**
 * Parses a location hash against the data menu's `presets` (every lesson, `kmeans:…` too), of which the
 * `oneD` ones take `params` (weight,mean,variance per component). Returns `{ok: true, settings}` with any
 * of `preset, k, seed, reg, params` (params = {weights, means, variances}), `{ok: true, settings: null}`
 * for an empty hash, or `{ok: false, id, args}` naming the message to show. `regMax` is the core's largest
 * variance floor (`limits().regMax`).
 */
export function parseHash(hash, presets, oneD = presets, regMax = Infinity) {
  if (typeof hash !== 'string') return { ok: true, settings: null };
  if (hash.length > MAX_HASH) return reject('url-too-long', { len: hash.length, max: MAX_HASH });
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body === '') return { ok: true, settings: null };
  const settings = {};
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    let key;
    let value;
    try {
      key = decodeURIComponent(rawKey);
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return reject('url-bad-value', { key: shorten(rawKey, 20), text: shorten(part) });
    }
    if (!KEYS.has(key)) return reject('url-bad-key', { key: shorten(key, 20) });
    if (Object.hasOwn(settings, key)) return reject('url-repeated-key', { key });
    const bad = () => reject('url-bad-value', { key, text: shorten(value) });
    switch (key) {
      case 'preset':
        if (!presets.includes(value)) return reject('url-bad-preset');
        settings.preset = value;
        break;
      case 'k': {
        settings.k = parseWhole(value, 1, MAX_COMPONENTS);
        if (settings.k === null) return bad();
        break;
      }
      case 'seed': {
        settings.seed = parseWhole(value, 0, 4294967295);
        if (settings.seed === null) return bad();
        break;
      }
      case 'reg': {
        const reg = strictNumber(value);
        if (reg === null || reg < 0 || reg > regMax) return bad();
        settings.reg = reg;
        break;
      }
      case 'params': {
        const params = parseParams(value);
        if (params.error === 'value') return reject('url-bad-value', { key, text: shorten(params.text) });
        if (params.error) return reject('url-bad-params');
        settings.params = params;
        break;
      }
      default:
        return reject('url-bad-key', { key: shorten(key, 20) });
    }
  }
  if (settings.params) {
    if (settings.preset !== undefined && !oneD.includes(settings.preset)) return reject('url-params-1d');
    const count = settings.params.weights.length;
    if (settings.k !== undefined && settings.k !== count) return reject('url-bad-params');
    settings.k = count;
  }
  return { ok: true, settings };
}

/** `w,m,v;w,m,v;…` → {weights, means, variances}, or {error: 'shape'|'value', text}. */
function parseParams(text) {
  if (text.length > 600 || !/^[0-9eE.+\-,;]+$/.test(text)) return { error: 'shape' };
  const components = text.split(';');
  if (components.length > MAX_COMPONENTS) return { error: 'shape' };
  const weights = [];
  const means = [];
  const variances = [];
  for (const component of components) {
    const fields = component.split(',');
    if (fields.length !== 3) return { error: 'shape' };
    const values = fields.map(strictNumber);
    const at = values.indexOf(null);
    if (at >= 0) return { error: 'value', text: fields[at] };
    weights.push(values[0]);
    means.push(values[1]);
    variances.push(values[2]);
  }
  return { weights, means, variances };
}
