// Large data stays responsive while it is opened (issue 8 item 4): a 1,000,000-point file and a file at the
// 2,000,000 limit are read in pieces (www/load.js) through the page's file input; no main-thread task is
// longer than LONG_TASK_MS (a 'longtask' PerformanceObserver), the data is used (N shown), the page answers
// within seconds, a file one row over the limit is refused with its message, and a reload comes back
// without a freeze. Also the decimal comma: `1,5` lines are not silently misread.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { ready } from './util.mjs';

/**
 * The longest main-thread task allowed while a file is opened, in ms. Reading and parsing stay under 50 ms
 * per piece; building the lab (the core's passes over every point in Em::new), the first state() (the
 * bound figures' default point) and the first drawing of the figures are one task each, 130–450 ms at
 * 1,000,000 points at the lightest load seen on this 2-core machine (load average ~10), up to 1,225 ms at 12–14
 * (before: one task of 4.5 s). So the bound is looser than the 200 ms target, and still fails the old page.
 */
const LONG_TASK_MS = 2000;
/** How long the page may take to answer a trivial question, in ms. */
const ANSWER_MS = 5000;

/** A file of `n` lines, one value each (two peaks), in a temporary directory; returns its path. */
function writeValues(n, name) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emlab-large-')), name);
  const lines = new Array(n);
  for (let i = 0; i < n; i += 1) lines[i] = ((i % 2 ? 160 : 175) + ((i * 7919) % 1000) / 100).toFixed(2);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Opens the page at 1920×1080 and starts recording long tasks in `window.longTasks` (durations, ms). */
async function open(context) {
  const opened = await openPage(context);
  await opened.page.setViewportSize({ width: 1920, height: 1080 });
  await ready(opened.page);
  await watchLongTasks(opened.page);
  return opened;
}

/** Records every main-thread task longer than 50 ms from now on in `window.longTasks` (anew at each call). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.longTasks = [];
    window.longTaskObserver?.disconnect();
    window.longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
    });
    window.longTaskObserver.observe({ type: 'longtask' });
  });
}

/** The longest task recorded since `watchLongTasks`, in ms (0 when none was over 50 ms). */
async function longestTask(page) {
  return page.evaluate(() => Math.max(0, ...window.longTasks));
}

/** Asserts that the page answers a `page.evaluate` within ANSWER_MS. */
async function assertAnswers(page) {
  const answer = await Promise.race([
    page.evaluate(() => 'here'),
    new Promise((resolve) => { setTimeout(() => resolve('no answer'), ANSWER_MS); }),
  ]);
  assert.equal(answer, 'here', `the page did not answer within ${ANSWER_MS} ms`);
}

/** The text of an element. */
async function text(page, id) {
  return page.evaluate((i) => document.getElementById(i).textContent, id);
}

/**
 * Opens `file` through the file input (the path is handed to Chromium: a buffer would be copied into the
 * page by Playwright's own script, one long task of seconds that is not the page's) and waits for `done`.
 */
async function openFile(page, file, done) {
  await page.click('#data-details summary');
  await page.setInputFiles('#data-file', file);
  await page.waitForFunction(done, null, { timeout: 120_000 });
}

test('a 1,000,000-point file opens without a long task; a reload brings back the data saved before', async () => {
  const file = writeValues(1_000_000, 'million.csv');
  const context = await launch();
  try {
    const { page, problems } = await open(context);
    // A small data set saved first: the big one cannot be saved, and must not cost it.
    await page.click('#data-details summary');
    await page.fill('#data-text', '1\n2\n3\n4\n5\n');
    await page.click('#btn-data-use');
    assert.match(await text(page, 'data-summary'), /^5 /);
    await page.click('#data-details summary'); // closed again: openFile opens it
    await watchLongTasks(page);
    await openFile(page, file, () => /1,000,000/.test(document.getElementById('data-status').textContent));
    await assertAnswers(page);
    assert.match(await text(page, 'data-summary'), /1,000,000/);
    assert.equal(await page.inputValue('#preset'), 'custom');
    // Too large to save: said so, and the data saved before is kept.
    assert.match(await text(page, 'storage-alert'), /too large/);
    await page.waitForTimeout(1000); // the first frames of the figures
    const longest = await longestTask(page);
    console.log(`1,000,000 points: longest task ${longest} ms; tasks over 50 ms: ${await page.evaluate(() => window.longTasks.join(' '))}`);
    assert.ok(longest <= LONG_TASK_MS, `a task took ${longest} ms`);
    const started = Date.now();
    await page.reload();
    await ready(page);
    await assertAnswers(page);
    assert.ok(Date.now() - started < 10_000, `the reload took ${Date.now() - started} ms`);
    // The data saved before the big file comes back.
    assert.equal(await page.inputValue('#preset'), 'custom');
    assert.match(await text(page, 'data-summary'), /^5 /);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

/** The longest main-thread task while EM runs at 1,000,000 points, in ms (issue 8: none over 200 ms). */
const RUNNING_TASK_MS = 200;
/**
 * How long a Pause click may wait before its handler runs, in ms. Quiet: 2–14 ms (a half-step's pass and
 * the figures are drawn in tasks of ~8–12 ms, so a click waits at most one of them, within a frame);
 * before: the task in flight, 50–110 ms. Six frames, for a loaded CI machine.
 */
const PAUSE_DELAY_MS = 100;

/** `n` lines of x,y in three groups, as text. */
function writePlane(n) {
  const lines = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const c = i % 3;
    lines[i] = `${(c * 4 + ((i * 7919) % 1000) / 400).toFixed(3)},${(c * 2 + ((i * 104729) % 997) / 300).toFixed(3)}`;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs EM on the page's data for a few half-steps and pauses it: asserts no task over RUNNING_TASK_MS while
 * it runs, a Pause click handled within PAUSE_DELAY_MS, and no half-step after it.
 */
async function runThenPause(page, label) {
  await page.waitForTimeout(1000); // the first frames of the figures
  await page.evaluate(() => {
    window.pauseTiming = [];
    window.pauseObserver?.disconnect();
    window.pauseObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'click') window.pauseTiming.push(e.processingStart - e.startTime);
    });
    window.pauseObserver.observe({ type: 'event', durationThreshold: 16 });
  });
  const from = Number(await page.getAttribute('#iteration', 'data-value'));
  await page.click('#btn-run');
  await page.waitForTimeout(1000); // the first half-step allocates the second q buffer
  await watchLongTasks(page);
  await page.waitForFunction((n) => Number(document.getElementById('iteration').dataset.value) >= n + 2, from, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  const longest = await longestTask(page);
  await page.evaluate(() => { window.pauseTiming = []; });
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'true', `${label}: still running before Pause`);
  await page.click('#btn-run');
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'false', label);
  const stopped = await text(page, 'iteration');
  await page.waitForTimeout(1000);
  assert.equal(await text(page, 'iteration'), stopped, `${label}: no half-step after Pause`);
  const delays = await page.evaluate(() => window.pauseTiming);
  const over = await page.evaluate(() => window.longTasks.join(' ')) || 'none';
  console.log(`Running ${label} on 1,000,000 points: tasks over 50 ms: ${over}; Pause waited ${delays.map(Math.round).join(', ') || '< 16'} ms`);
  assert.ok(longest <= RUNNING_TASK_MS, `${label}: a task took ${longest} ms while running`);
  assert.ok(delays.every((d) => d <= PAUSE_DELAY_MS), `${label}: Pause waited ${delays} ms`);
}

/**
 * The longest task of an undo or a jump along the timeline at 1,000,000 2-D points, in ms. Quiet: 100–125 ms
 * for an undo, 170–185 ms for a jump (q recomputed once, for the state reached, and the figures drawn in
 * tasks of their own); before: 1,259 ms for a jump across ten half-steps (q recomputed at every one).
 */
const JUMP_TASK_MS = 400;

/**
 * A click whose figures are drawn over several tasks and frames (a million 2-D points): the formulas, below the
 * screen, are still held back when the last figure is drawn, so they are laid out the frame after the figures,
 * not in the frame that paints the last of them.
 */
async function formulasAfterFigures(page) {
  // An E-step: it recolours every point of the scatter (after an M-step the points' image is kept).
  if ((await page.textContent('#phase')).includes('E')) await page.click('#btn-m');
  await page.waitForTimeout(500);
  // A slow laptop's CPU (4×): the redraw takes several tasks with frames between them.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const seen = await page.evaluate(() => new Promise((resolve) => {
    const section = document.querySelector('section.formulas');
    let frames = 0;
    let done = false;
    const count = () => {
      if (done) return;
      frames += 1;
      requestAnimationFrame(count);
    };
    // The redraw's last step writes the split figure's numbers (the same values or not).
    new MutationObserver((records, observer) => {
      observer.disconnect();
      done = true;
      resolve({ frames, later: section.classList.contains('later') });
    }).observe(document.getElementById('fig-split'), { attributes: true, attributeFilter: ['data-loglik'] });
    document.getElementById('btn-e').click();
    requestAnimationFrame(count);
  }));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  // However the tasks and frames fall (two frames or more here, usually), the formulas are released only
  // after the last figure; released at the click, as before, they were not held by then (with two frames).
  console.log(`formulas after figures: ${seen.frames} frame(s) before the last figure, held back: ${seen.later}`);
  assert.equal(seen.later, true, 'the formulas are held back until the last figure is drawn');
}

/** Undoes once, jumps to the start of the timeline and back to its end: no task over JUMP_TASK_MS. */
async function jumpAlong(page) {
  const end = await page.getAttribute('#timeline', 'max');
  await watchLongTasks(page);
  await page.click('#btn-undo');
  await page.waitForTimeout(500);
  for (const to of ['0', end]) {
    await page.evaluate((v) => {
      const timeline = document.getElementById('timeline');
      timeline.value = v;
      timeline.dispatchEvent(new Event('input'));
    }, to);
    await page.waitForTimeout(500);
  }
  assert.equal(await page.getAttribute('#iteration', 'data-value'), String(Math.floor(Number(end) / 2)));
  const longest = await longestTask(page);
  console.log(`Undo and jumps on 1,000,000 2-D points: tasks over 50 ms: ${await page.evaluate(() => window.longTasks.join(' ')) || 'none'}`);
  assert.ok(longest <= JUMP_TASK_MS, `an undo or a jump took ${longest} ms`);
}

test('Run on 1,000,000 points (1-D, 2-D, k-means): each half-step in short tasks, Pause handled within frames, EM stops', async () => {
  const file = writeValues(1_000_000, 'running.csv');
  const planeFile = `${file}.plane.csv`;
  const context = await launch();
  try {
    const { page, problems } = await open(context);
    // The call the run loop makes between frames: with no budget, one part of 65,536 points a call, and
    // then the half-step gives what it gives at once, bit for bit, in this (SIMD) build.
    const api = await page.evaluate(async () => {
      const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
      const values = Array.from({ length: 200_000 }, (_, i) => (i % 3 ? 160 : 175) + ((i * 7919) % 1000) / 100);
      const [plain, parted] = [0, 1].map(() => Lab.fromCsv('gmm1d', values.join('\n'), 2, 1));
      const calls = [];
      const seen = (lab) => JSON.stringify([lab.state().logLikelihood, lab.state().lowerBound, lab.params(), lab.jensen()]);
      const same = [];
      for (const half of ['eStep', 'mStep', 'eStep', 'mStep']) {
        let n = 1;
        while (!parted.prepareStep(0)) n += 1;
        calls.push(n);
        plain[half]();
        parted[half]();
        same.push(seen(plain) === seen(parted));
      }
      plain.free();
      parted.free();
      return { calls, same };
    });
    assert.deepEqual(api.calls, [4, 4, 1, 4], 'calls of prepareStep(0) before each half-step (the E-step after an M-step is ready)');
    assert.deepEqual(api.same, [true, true, true, true], 'prepared half-steps equal the plain ones');

    await openFile(page, file, () => /1,000,000/.test(document.getElementById('data-status').textContent));
    await runThenPause(page, '1-D');
    // The 2-D models (the most work per point, and hard EM) on a million points of the plane.
    fs.writeFileSync(planeFile, writePlane(1_000_000));
    for (const model of ['gmm2d', 'kmeans']) {
      // A file of its own name each time: the file input does not report the same file chosen again.
      const named = `${planeFile}.${model}.csv`;
      fs.copyFileSync(planeFile, named);
      await page.evaluate(() => { document.getElementById('data-details').open = true; });
      await page.selectOption('#data-model', model);
      // K = 5 for k-means on three groups: centres share groups and settle slowly, so EM is still running
      // when Pause is clicked (and the Pause click does not start it again).
      await page.fill('#k', model === 'kmeans' ? '5' : '3');
      await page.setInputFiles('#data-file', named);
      // The data figure names the model: hard assignments for k-means, responsibilities for the mixture.
      const figure = model === 'kmeans' ? 'k-means: hard' : 'responsibilities';
      await page.waitForFunction((f) => /1,000,000/.test(document.getElementById('data-status').textContent)
        && document.getElementById('fig-histogram').getAttribute('aria-label').includes(f), figure, { timeout: 120_000 });
      await runThenPause(page, model);
      if (model === 'gmm2d') {
        await jumpAlong(page);
        await formulasAfterFigures(page);
      }
    }
    await assertAnswers(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('the 2,000,000 limit is reached without a freeze; one row more is refused; Cancel stops a load', async () => {
  const file = writeValues(2_000_000, 'limit.csv');
  const over = `${file}.over.csv`;
  fs.copyFileSync(file, over);
  fs.appendFileSync(over, '170\n');
  const context = await launch();
  try {
    const { page, problems } = await open(context);
    await openFile(page, file, () => /2,000,000/.test(document.getElementById('data-status').textContent));
    await assertAnswers(page);
    assert.match(await text(page, 'data-summary'), /2,000,000/);
    await page.waitForTimeout(1000);
    const longest = await longestTask(page);
    console.log(`2,000,000 points: longest task ${longest} ms`);
    // Building and first drawing at twice the points: 650–1,750 ms here (2,450 ms with a compile running
    // beside it); before, one task of 7.7 s (and 18 s measured in an earlier session).
    assert.ok(longest <= 2 * LONG_TASK_MS, `a task took ${longest} ms`);

    await watchLongTasks(page);
    await openFile(page, over, () => !document.getElementById('data-alert').hidden);
    assert.equal(await text(page, 'data-alert'), 'Too many points: the page holds at most 2,000,000.');
    assert.match(await text(page, 'data-summary'), /2,000,000/); // the data on the page stays
    assert.ok(await longestTask(page) <= LONG_TASK_MS, 'reading up to the refusal has no long task');

    // Cancel while the readout shows: the load stops and the data on the page is unchanged.
    await page.setInputFiles('#data-file', over);
    // Clicked in the page as soon as the readout shows (between two pieces), so the load cannot end first.
    const readout = await page.evaluate(() => new Promise((resolve) => {
      const look = () => {
        if (document.getElementById('load-progress').hidden) return setTimeout(look, 5);
        const shown = document.getElementById('load-text').textContent;
        document.getElementById('btn-load-cancel').click();
        return resolve(shown);
      };
      look();
    }));
    assert.match(readout, /Reading limit\.csv\.over\.csv: [\d.]+ of [\d.]+ MB/);
    await page.waitForFunction(() => /cancelled/.test(document.getElementById('data-status').textContent));
    assert.equal(await page.isHidden('#load-progress'), true);
    assert.match(await text(page, 'data-summary'), /2,000,000/);
    await assertAnswers(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('lines like 1,5 are not silently read as two columns: the message says so; the decimal comma reads 1.5', async () => {
  const context = await launch();
  try {
    const { page, problems } = await open(context);
    await page.click('#data-details summary');
    await page.fill('#data-text', '1,5\n2,25\n3,75\n1,5\n');
    await page.click('#btn-data-use');
    const status = await text(page, 'data-status');
    assert.match(status, /4 points/);
    assert.match(status, /read as two columns \(1 and 5\)/);
    assert.equal(await page.isHidden('#data-column-label'), false, 'two columns to pick from');
    await page.check('#data-decimal-comma');
    await page.click('#btn-data-use');
    assert.doesNotMatch(await text(page, 'data-status'), /two columns/);
    assert.match(await text(page, 'data-status'), /4 points/);
    assert.equal(await page.isHidden('#data-column-label'), true, 'one column: 1.5, 2.25, 3.75, 1.5');
    // The JS API: the same choice as an option of fromCsv.
    const read = await page.evaluate(async () => {
      const { Lab } = await import('./pkg/emlab.js');
      const lab = Lab.fromCsv('gmm1d', '1,5\n2,5\n3,5\n', 2, 1, 0, undefined, true);
      const values = [0, 1, 2].map((i) => lab.pointValue(i));
      lab.free();
      return values;
    });
    assert.deepEqual(read, [1.5, 2.5, 3.5]);
    // A thousands separator on every line ("1,000.5") was read as two columns (1 and 0.5) without a word.
    await page.uncheck('#data-decimal-comma');
    await page.fill('#data-text', '1,000.5\n2,000.25\n3,100.75\n1,200\n');
    await page.click('#btn-data-use');
    assert.match(await text(page, 'data-status'), /4 points\. Every line looks like “1,000\.5”: read as two columns \(1 and 0\.5\)\. If the comma separates thousands \(1000\.5\), remove the commas\./);
    // Thousands set apart by spaces too ("1 000" was 1, with "Using your data: 4 points." alone).
    await page.fill('#data-text', '1 000\n2 000\n3 500\n12 250\n');
    await page.click('#btn-data-use');
    assert.equal(await text(page, 'data-status'), 'Using your data: 4 points. Every line looks like “12 345.6”: read as columns (12 and 345.6). If the spaces set thousands apart (12345.6), remove them.');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
