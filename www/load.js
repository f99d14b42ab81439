// Opening a file of any size without freezing the page: the file is read in pieces (File.slice), each piece
// decoded (TextDecoder, streaming) and handed to the wasm's DataReader, which parses it and keeps the table,
// one piece per task, with a progress readout and Cancel. The text never goes into the text box or into a JS
// string of the whole file (for the models that read tables), and labs are built from the table
// (`Lab.fromReader`) without parsing it again. Saving: a data set this large is not written to storage (see
// `tooLargeToSave`; data.js then says so and keeps the data saved before).
import { DataReader, Lab } from './pkg/emlab.js';

const $ = (id) => document.getElementById(id);

/** Bytes read and parsed per task (≈ 25 ms of parsing here; a slow machine stays well under 200 ms). */
const PIECE_BYTES = 256 * 1024;
/** Files up to this size are read at once into the text box (the whole page's work on them is one short task). */
export const SMALL_FILE_BYTES = 256 * 1024;
/** The progress readout appears when a load has taken this long (ms): a short load shows nothing. */
const PROGRESS_AFTER_MS = 250;
/** Data sets with more numbers than this are not written to storage (browsers keep 5–10 MB per page). */
const SAVE_MAX_VALUES = 200_000;
/** Saved text longer than this (characters) is not written to storage either. */
export const SAVE_MAX_CHARS = 2_500_000;

/** The load under way: `{cancelled}`, or null. */
let current = null;

/** Waits for the next task, so the browser can paint and handle input between pieces. */
export function nextTask() {
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/** Shows the progress readout (`text`, a fraction done) or hides it (`text` null). */
function showProgress(text, fraction) {
  const box = $('load-progress');
  if (!box) return;
  box.hidden = text === null;
  if (text === null) return;
  $('load-text').textContent = text;
  $('load-bar').value = fraction;
}

/** Cancels the load under way, if any (the Cancel button). */
export function cancelLoad() {
  if (current) current.cancelled = true;
}

/**
 * Reads `file` piece by piece. For a model that reads tables (`table` true) returns
 * `{reader, info, name, file}`: a finished DataReader holding the table and its `{columns, rows, header,
 * commaAmbiguous}`; for a model with its own text format, `{text, name, file}`. Returns null when cancelled
 * (or replaced by a newer load). Throws an Error with the message of the first bad line. `msg(id, args)`
 * gives the page's messages.
 */
export async function readFile(file, { table, decimalComma, lang, msg }) {
  cancelLoad();
  const load = { cancelled: false };
  current = load;
  const started = performance.now();
  const reader = table ? new DataReader(decimalComma, lang) : null;
  const parts = [];
  const decoder = new TextDecoder('utf-8');
  const total = (file.size / 1e6).toFixed(1);
  let rows = 0;
  const progress = (done) => {
    if (performance.now() - started < PROGRESS_AFTER_MS) return;
    const text = msg('load-progress', { name: file.name, done: (done / 1e6).toFixed(1), total, rows: rows.toLocaleString('en-US') });
    showProgress(text, file.size > 0 ? done / file.size : 1);
  };
  try {
    for (let start = 0; start < file.size; start += PIECE_BYTES) {
      // eslint-disable-next-line no-await-in-loop
      const bytes = await file.slice(start, start + PIECE_BYTES).arrayBuffer().catch(() => {
        throw new Error(msg('err-file-read'));
      });
      if (load.cancelled) return stop(reader);
      const text = decoder.decode(bytes, { stream: true });
      if (reader) rows = reader.push(text);
      else parts.push(text);
      progress(start + bytes.byteLength);
      // eslint-disable-next-line no-await-in-loop
      await nextTask();
      if (load.cancelled) return stop(reader);
    }
    const last = decoder.decode();
    if (!reader) {
      parts.push(last);
      return { text: parts.join(''), name: file.name, file };
    }
    reader.push(last);
    const info = reader.finish();
    if (performance.now() - started >= PROGRESS_AFTER_MS) {
      showProgress(msg('load-building', { rows: info.rows.toLocaleString('en-US') }), 1);
      await nextTask(); // the readout is painted before the lab is built
    }
    return { reader, info, name: file.name, file };
  } catch (error) {
    reader?.free();
    throw error;
  } finally {
    if (current === load) {
      current = null;
      showProgress(null);
    }
  }
}

/** After a cancelled load: frees its reader and returns null (the readout is hidden by `readFile`). */
function stop(reader) {
  reader?.free();
  return null;
}

/** A lab of `model` on a file read by `readFile` (`loaded.reader`): the table is not parsed again. */
export function labFromFile(loaded, model, k, seed, columns, reg, lang) {
  return Lab.fromReader(model, loaded.reader, k, seed, columns[0], columns[1], reg, lang);
}

/** True when a data set of `rows` rows of `columns` numbers is too large to write to storage. */
export function tooLargeToSave(rows, columns) {
  return rows * Math.max(1, columns) > SAVE_MAX_VALUES;
}

/** Frees a file read by `readFile` unless it is still `kept` (one of the files the page holds). */
export function release(loaded, ...kept) {
  if (loaded?.reader && !kept.includes(loaded)) loaded.reader.free();
}

/** The number of lines of a text, counted without splitting it into a million strings. */
export function countLines(text) {
  const trimmed = text?.trim() ?? '';
  if (!trimmed) return 0;
  let lines = 1;
  for (let i = trimmed.indexOf('\n'); i !== -1; i = trimmed.indexOf('\n', i + 1)) lines += 1;
  return lines;
}
