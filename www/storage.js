// Saving the session so that a reload, or opening the page again later, loses nothing.
//
// Four keys, written separately so that a run (one save per half-step) only rewrites a small one:
//   emlab.session    {v, dataId, source, k, seed, bins, lab}: the controls and the lab's whole state as the core
//                    saves it (`lab.saveSession(false, …)`: θ, q's source, trace, undo and redo history,
//                    options, model, preset or variant, compact; your data is not in it), restored in one
//                    call (`Lab.restoreSession`); `dataId` names the data set it was saved with (null for a
//                    preset); `lab` is null while there is no data (after Clear)
//   emlab.data       your data as exact text: a number, an `x,y` pair or a coin line per line (written only
//                    when it changes)
//   emlab.data-meta  {model, columns, id, length, frame?, building?}: the model your data is for (a name of the registry's
//                    models(); none saved means the first, the 1-D mixture, as before), the columns picked in the text box, a random
//                    id given to each new data set, and the text's length (which ties meta and text together);
//                    for data clicked in after Clear, the axes it is shown on (`lab.dataExtent()` of the data
//                    before) and, while fewer than K distinct points are in, `building`
//   emlab.draft      the text box, as typed (so unsent text survives a reload too)
//
// Each key exists in two places: localStorage (shared by every tab, the last save of any tab: what a new tab
// and a restarted browser open) and sessionStorage (this tab's own copy, which survives a reload of this tab
// only). A session is written to a place only when that place holds the data set it was recorded on, so a
// session is never restored on another data set. sessionStorage holds a data set only when another tab has
// replaced this tab's in localStorage (see data.js, `onOtherTab`).
//
// A saved state that cannot be opened is moved, not deleted, to `emlab.aside.<time>.<key>` in localStorage;
// the page offers it as a text file until Start over deletes it.
//
// Writing never deletes what was saved before: a write that fails leaves the old value in place. Every
// function reports problems as a message id ('storage-full', 'storage-unavailable'), never throws, except
// the readers of saved state, which throw `Unreadable` for a value that cannot be trusted.
import { models } from './pkg/emlab.js';

const PREFIX = 'emlab.';
/** The session format; a saved session of another version cannot be opened (it is set aside). 2: the lab's
 * state from the core (1 was a log of calls replayed on load). */
export const VERSION = 2;
/** The keys of one saved state. */
export const KEYS = ['session', 'data', 'data-meta', 'draft'];
/** Where a saved state that could not be opened is kept: `emlab.aside.<time>.<key>`. */
const ASIDE = `${PREFIX}aside.`;
/** The longest saved session accepted, in characters (the lab's state is saved within it). */
export const SESSION_MAX = 1_000_000;

/** The error a reader throws for a saved value that cannot be trusted. */
export class Unreadable extends Error {}

/** localStorage ('local') or sessionStorage ('tab'), or null when the browser refuses it; never writes. */
function area(place = 'local') {
  try {
    const s = place === 'tab' ? window.sessionStorage : window.localStorage;
    s.getItem(`${PREFIX}probe`);
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

/** The message id for a failed write. */
function problemOf(error) {
  return isQuotaError(error) ? 'storage-full' : 'storage-unavailable';
}

/**
 * Whether this browser lets the page save: null when it does, 'storage-full' when the storage is full (the
 * probe write fails for quota), 'storage-unavailable' when saving is not allowed at all.
 */
export function status() {
  const s = area('local');
  if (!s) return 'storage-unavailable';
  try {
    s.setItem(`${PREFIX}probe`, '1');
    s.removeItem(`${PREFIX}probe`);
    return null;
  } catch (error) {
    return problemOf(error);
  }
}

/** Writes `value` (a string) under `key` in `place`; returns null or the id of the message explaining the failure. */
export function write(key, value, place = 'local') {
  const s = area(place);
  if (!s) return 'storage-unavailable';
  try {
    s.setItem(PREFIX + key, value);
    return null;
  } catch (error) {
    return problemOf(error);
  }
}

/** Reads the string under `key` in `place`, or null. */
export function read(key, place = 'local') {
  const s = area(place);
  if (!s) return null;
  try {
    return s.getItem(PREFIX + key);
  } catch {
    return null;
  }
}

/** Deletes `key` in `place`. */
function remove(key, place = 'local') {
  try { area(place)?.removeItem(PREFIX + key); } catch { /* nothing more to do */ }
}

/** The models your data can be for: the registry's (`models()` of the wasm). */
const modelNames = () => Array.from(models(), (m) => m.name);

/** A new random id for a data set. */
export function newId() {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Saves your data (text, then its meta) in `place`; returns null or a message id. When the meta cannot be
 * written the previous text is put back, so text and meta always belong together.
 */
export function writeData({ text, model, columns, id, frame = null, building = false }, place = 'local') {
  const before = read('data', place);
  const problem = write('data', text, place);
  if (problem) return problem;
  const meta = { model, columns, id, length: text.length };
  if (frame) meta.frame = Array.from(frame);
  if (building) meta.building = true;
  const metaProblem = write('data-meta', JSON.stringify(meta), place);
  if (metaProblem) {
    if (before === null) remove('data', place);
    else write('data', before, place);
  }
  return metaProblem;
}

/** True for two whole column numbers (0-based). */
function isColumns(value) {
  return Array.isArray(value) && value.length === 2
    && value.every((c) => Number.isInteger(c) && c >= 0 && c < 1_000_000);
}

/** The id of the data set saved in `place`, or null when there is none (read without the text). */
export function savedDataId(place = 'local') {
  try {
    return JSON.parse(read('data-meta', place) ?? 'null')?.id ?? null;
  } catch {
    return null;
  }
}

/**
 * Your data saved in `place` as `{text, model, columns, id}`, or null when there is none; a data set saved
 * before models were recorded is 1-D. Throws `Unreadable` when the meta is not what this page writes or
 * does not belong to the text.
 */
export function readData(place = 'local') {
  const text = read('data', place);
  const metaText = read('data-meta', place);
  if (text === null && metaText === null) return null;
  let meta = null;
  try {
    meta = JSON.parse(metaText ?? 'null');
  } catch {
    throw new Unreadable('data-meta is not JSON');
  }
  if (meta !== null && (typeof meta !== 'object' || Array.isArray(meta))) throw new Unreadable('data-meta is not an object');
  if (meta?.model !== undefined && !modelNames().includes(meta.model)) throw new Unreadable('unknown model');
  if (meta?.columns !== undefined && !isColumns(meta.columns)) throw new Unreadable('bad columns');
  if (meta?.id !== undefined && (typeof meta.id !== 'string' || meta.id.length > 40)) throw new Unreadable('bad id');
  if (meta?.length !== undefined && meta.length !== (text ?? '').length) throw new Unreadable('data and meta differ');
  const frame = meta?.frame;
  if (frame !== undefined && !(Array.isArray(frame) && [2, 4].includes(frame.length) && frame.every(Number.isFinite))) {
    throw new Unreadable('bad frame');
  }
  if (meta?.building !== undefined && meta.building !== true) throw new Unreadable('bad building');
  if (text === null) return null;
  return {
    text, model: meta?.model ?? modelNames()[0], columns: meta?.columns ?? [0, 1], id: meta?.id ?? null,
    frame: frame ?? null, building: meta?.building === true,
  };
}

/** A whole number from `min` to `max`, or absent. */
const intOrAbsent = (v, min, max) => v === undefined || (Number.isInteger(v) && v >= min && v <= max);

/**
 * The session saved in `place`, or null when there is none. Throws `Unreadable` when it is too long, not
 * JSON, of another version, or has fields of the wrong type (an unusable bins value is only dropped).
 */
export function readSession(place = 'local') {
  const text = read('session', place);
  if (text === null) return null;
  if (text.length > SESSION_MAX) throw new Unreadable('session too long');
  let session;
  try {
    session = JSON.parse(text);
  } catch {
    throw new Unreadable('session is not JSON');
  }
  const ok = session && typeof session === 'object' && !Array.isArray(session) && session.v === VERSION
    && typeof session.source === 'string' && (session.lab === null || typeof session.lab === 'string')
    && intOrAbsent(session.k, 1, 10) && intOrAbsent(session.seed, 0, 4294967295)
    && (session.dataId === undefined || session.dataId === null || typeof session.dataId === 'string');
  if (!ok) throw new Unreadable('session fields');
  // The histogram's bins are a view setting: an unusable one (a page before the Bins field was checked
  // saved an emptied field as null) is dropped, not a reason to set the session and its data aside.
  if (!intOrAbsent(session.bins, 1, 500)) delete session.bins;
  return session;
}

/** Saves the session object in `place`; returns null or a message id. */
export function writeSession(session, place = 'local') {
  return write('session', JSON.stringify({ ...session, v: VERSION }), place);
}

/** Deletes this tab's own copy of a data set (localStorage holds this tab's data set again). */
export function clearTabData() {
  remove('data', 'tab');
  remove('data-meta', 'tab');
}

/** Deletes this tab's copy of the saved state. */
export function clearTab() {
  for (const key of KEYS) remove(key, 'tab');
}

/** Deletes everything this page saved: both copies and any state set aside. */
export function clearAll() {
  clearTab();
  for (const key of KEYS) remove(key, 'local');
  for (const key of asideKeys()) remove(key.slice(PREFIX.length), 'local');
}

/** The localStorage keys of saved states set aside, oldest first. */
function asideKeys() {
  const s = area('local');
  if (!s) return [];
  const keys = [];
  try {
    for (let i = 0; i < s.length; i += 1) {
      const key = s.key(i);
      if (key?.startsWith(ASIDE)) keys.push(key);
    }
  } catch { /* nothing more to do */ }
  return keys.sort();
}

/**
 * Moves the saved state in both places to `emlab.aside.<time>.<key>` (each value is removed first, then
 * written back under its new name, so a full storage has room; if that write fails the value is put back).
 */
export function setAside() {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const place of ['tab', 'local']) {
    for (const key of KEYS) {
      const value = read(key, place);
      if (value === null) continue;
      remove(key, place);
      if (write(`aside.${stamp}.${place}.${key}`, value)) write(key, value, place);
    }
  }
}

/** True when a saved state was set aside and not yet deleted. */
export function hasAside() {
  return asideKeys().length > 0;
}

/** Every saved state set aside, as one text file: a heading line per key, then its value as it was saved. */
export function asideText() {
  return asideKeys().map((key) => `===== ${key} =====\n${read(key.slice(PREFIX.length)) ?? ''}\n`).join('\n');
}
