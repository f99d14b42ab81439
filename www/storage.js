// Saving the session in localStorage so that a reload, or opening the page again later, loses nothing.
//
// Four keys, written separately so that a run (one save per half-step) only rewrites a small one:
//   emlab.session    {v, source, k, seed, bins, reg0, start, log}: the controls, the θ EM started from, and
//                    every call since, replayed on load to rebuild the exact state (undo history included)
//   emlab.data       your data as exact text: a number, an `x,y` pair or a coin line per line (written only
//                    when it changes)
//   emlab.data-meta  {model, columns}: the model your data is for ("gmm1d", "gmm2d", "kmeans", "coins";
//                    none saved means "gmm1d", as before) and the columns picked in the text box
//   emlab.draft      the text box, as typed (so unsent text survives a reload too)
// Every function reports problems as a message id ('storage-full', 'storage-unavailable'), never throws.

const PREFIX = 'emlab.';
/** The session format; a saved session of another version is ignored. */
export const VERSION = 1;

/** localStorage, or null when the browser refuses it (privacy settings, sandboxed frames). */
function storage() {
  try {
    const s = window.localStorage;
    const probe = `${PREFIX}probe`;
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

/** True when a write failed for lack of space. */
function isQuotaError(error) {
  return error instanceof DOMException
    && (error.name === 'QuotaExceededError' || error.name === 'NS_ERROR_DOM_QUOTA_REACHED' || error.code === 22);
}

/** Writes `value` (a string) under `key`; returns null or the id of the message explaining the failure. */
export function write(key, value) {
  const s = storage();
  if (!s) return 'storage-unavailable';
  try {
    s.setItem(PREFIX + key, value);
    return null;
  } catch (error) {
    // Do not leave a stale copy behind: an old data set with a new session would not match.
    try { s.removeItem(PREFIX + key); } catch { /* nothing more to do */ }
    return isQuotaError(error) ? 'storage-full' : 'storage-unavailable';
  }
}

/** Reads the string under `key`, or null. */
export function read(key) {
  const s = storage();
  if (!s) return null;
  try {
    return s.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

/** The models your data can be for. */
export const MODELS = ['gmm1d', 'gmm2d', 'kmeans', 'coins'];

/** Saves your data with its model and picked columns; returns null or a message id. */
export function writeData({ text, model, columns }) {
  const problem = write('data', text);
  if (problem) return problem;
  return write('data-meta', JSON.stringify({ model, columns }));
}

/** True for two whole column numbers (0-based). */
function isColumns(value) {
  return Array.isArray(value) && value.length === 2
    && value.every((c) => Number.isInteger(c) && c >= 0 && c < 100_000);
}

/**
 * Your saved data as `{text, model, columns}` (text '' when there is none); a data set saved before
 * models were recorded is 1-D, and a model or columns that cannot be trusted fall back to the defaults.
 */
export function readData() {
  const text = read('data') ?? '';
  let meta = null;
  try {
    meta = JSON.parse(read('data-meta') ?? 'null');
  } catch {
    meta = null;
  }
  const model = MODELS.includes(meta?.model) ? meta.model : 'gmm1d';
  const columns = isColumns(meta?.columns) ? meta.columns : [0, 1];
  return { text, model, columns };
}

/** The saved session object, or null when there is none or it cannot be trusted. */
export function readSession() {
  const text = read('session');
  if (!text || text.length > 1_000_000) return null;
  try {
    const session = JSON.parse(text);
    return session && typeof session === 'object' && session.v === VERSION ? session : null;
  } catch {
    return null;
  }
}

/** Saves the session object; returns null or a message id. */
export function writeSession(session) {
  return write('session', JSON.stringify({ ...session, v: VERSION }));
}

/** Deletes everything this page saved. */
export function clearAll() {
  const s = storage();
  if (!s) return;
  for (const key of ['session', 'data', 'data-meta', 'draft']) {
    try { s.removeItem(PREFIX + key); } catch { /* nothing more to do */ }
  }
}

/** True when this browser lets the page save at all. */
export function available() {
  return storage() !== null;
}
