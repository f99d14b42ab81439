// The saved session (issue 10): a reload returns to exactly the state it left — readouts, figures, the
// timeline with its undo and redo steps, the options — because the page saves the core's own state
// (`lab.saveSession(false, max)`) and restores it in one call; and restoring never replays half-steps,
// so a million points come back in the time of a few passes over the data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { canvasInfo, ready, saveLanded, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** What the class sees of a state, exactly, and the session the page saved for it. */
async function seen(page) {
  // The save runs once the page is idle after the action's frame: let it.
  await saveLanded(page);
  return {
    readouts: await page.evaluate(() => ['iteration', 'loglik', 'lower-bound', 'gap']
      .map((id) => document.getElementById(id).dataset.value)),
    phase: await page.textContent('#phase'),
    timeline: [await page.getAttribute('#timeline', 'max'), await page.inputValue('#timeline')],
    reg: await page.inputValue('#reg'),
    slice: (await canvasInfo(page, 'fig-slice')).hash,
    trace: (await canvasInfo(page, 'fig-trace')).hash,
    saved: await page.evaluate(() => localStorage.getItem('emlab.session')),
  };
}

test('a reload returns to the same state bit for bit, with its undo and redo steps', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.reload();
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  for (const half of ['e', 'm', 'e', 'm', 'e', 'm']) await page.click(`#btn-${half}`);
  await page.fill('#reg', '0.001');
  await page.press('#reg', 'Enter');
  await page.click('#btn-e');
  await page.click('#btn-m');
  const states = [];
  for (let i = 0; i < 3; i += 1) {
    states.push(await seen(page));
    await page.click('#btn-undo');
  }
  const left = await seen(page);
  const session = JSON.parse(left.saved);
  assert.equal(session.v, 2);
  // One word per state of the timeline: the start and 8 half-steps (the reg change is an option, not a step).
  assert.equal(JSON.parse(session.lab).em.states.split(' ').length, 9);
  assert.equal(JSON.parse(session.lab).em.options.reg, 0.001);

  await page.reload();
  await ready(page);
  const back = await seen(page);
  assert.deepEqual(back, left, 'the same readouts, figures, timeline and options; the page saves the same state again');
  // Redo walks forward through the same states as before the reload.
  for (let i = 2; i >= 0; i -= 1) {
    await page.click('#btn-redo');
    const again = await seen(page);
    assert.deepEqual({ ...again, saved: null }, { ...states[i], saved: null }, `redo ${3 - i}`);
  }
  assert.deepEqual(problems, []);
});

test('a reload shows the point the figures showed: the one chosen, or the page\'s own after an E-step', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await page.selectOption('#preset', 'heights');
  const point = () => page.getAttribute('#fig-jensen', 'data-index');
  const reload = async () => {
    await page.waitForTimeout(1200); // saved when the page is idle
    await page.reload();
    await ready(page);
  };
  // The page's own: after E, M, E it is the point of the last M-step's largest gap (it showed point 0).
  for (const half of ['e', 'm', 'e', 'm', 'e']) await page.click(`#btn-${half}`);
  const own = await point();
  assert.notEqual(own, '0');
  await reload();
  assert.equal(await point(), own);
  // Chosen with the arrow keys: kept, and still kept after the next M-step.
  await page.click('h1');
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowRight');
  const chosen = await point();
  assert.notEqual(chosen, own);
  await reload();
  assert.equal(await point(), chosen);
  await page.click('#btn-m');
  assert.equal(await point(), chosen, 'a chosen point stays chosen');
  assert.deepEqual(problems, []);
  await page.close();
});

test('while EM runs the session is saved less often, and a reload right after Pause still finds the last state', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.evaluate(() => { document.getElementById('speed').value = '61'; });
  // Count the session's writes while it runs.
  await page.evaluate(() => {
    window.sessionWrites = 0;
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function setItem(key, value) {
      if (key === 'emlab.session') window.sessionWrites += 1;
      return set.call(this, key, value);
    };
  });
  await page.click('#btn-run');
  await page.waitForTimeout(1500);
  await page.click('#btn-run');
  // Read at once: the last half-steps may not be saved yet (they are when the timer fires or the page goes).
  const readouts = await page.evaluate(() => ['iteration', 'loglik', 'lower-bound', 'gap']
    .map((id) => document.getElementById(id).dataset.value));
  const halfSteps = await page.getAttribute('#timeline', 'max');
  assert.ok(Number(halfSteps) > 4, `${halfSteps} half-steps ran`);
  const writes = await page.evaluate(() => window.sessionWrites);
  console.log(`# ${halfSteps} half-steps ran, the session written ${writes} times while running`);
  // (Whether the last half-steps are saved before Pause depends on where the save timer fell; a write per
  // half-step would be as many writes as half-steps.)
  assert.ok(writes < Number(halfSteps) / 2, `${writes} session writes for ${halfSteps} half-steps`);
  await page.reload();
  await ready(page);
  assert.deepEqual(await page.evaluate(() => ['iteration', 'loglik', 'lower-bound', 'gap']
    .map((id) => document.getElementById(id).dataset.value)), readouts);
  assert.equal(await page.getAttribute('#timeline', 'max'), halfSteps);
  assert.deepEqual(problems, []);
});

test('restoring a million points does not replay the half-steps: q is computed once', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const out = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const rows = [];
    for (let i = 0; i < 1_000_000; i += 1) rows.push(String(((i * 7919) % 10007) / 100 + (i % 2) * 60));
    const lab = Lab.fromCsvIn('gmm1d', rows.join('\n'), 2, 1, 0, 1, 1e-6, 'en');
    lab.setOptions({ tol: 0 });
    const data = lab.dataText();
    // The same data with no half-steps: what reading the data and computing q costs by itself.
    const fresh = lab.saveSession(false, 990_000);
    let t = performance.now();
    Lab.restoreSession(fresh, 'en', data).free();
    const freshMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < 60; i += 1) lab.step();
    lab.undo();
    const stepsMs = performance.now() - t;
    t = performance.now();
    const text = lab.saveSession(false, 990_000);
    const saveMs = performance.now() - t;
    t = performance.now();
    const back = Lab.restoreSession(text, 'en', data);
    const restoreMs = performance.now() - t;
    const same = back.saveSession(false, 990_000) === text
      && back.state().logLikelihood === lab.state().logLikelihood && back.halfSteps() === lab.halfSteps();
    back.redo();
    lab.redo();
    const redoSame = back.state().logLikelihood === lab.state().logLikelihood;
    return { stepsMs, saveMs, restoreMs, freshMs, same, redoSame, chars: text.length };
  });
  console.log(`# 1,000,000 points: 120 half-steps ${out.stepsMs.toFixed(0)} ms; save ${out.saveMs.toFixed(1)} ms `
    + `(${out.chars} characters); restore ${out.restoreMs.toFixed(0)} ms (${out.freshMs.toFixed(0)} ms with none)`);
  assert.ok(out.same && out.redoSame, 'the restored lab is the same lab');
  assert.ok(out.chars < 12_000, `${out.chars} characters for 120 half-steps`);
  // Restoring 120 half-steps costs what restoring none costs (reading the data, a pass or two): replaying
  // them would add about the time the half-steps took (~1 s, against ~0.6 s for the restore itself: enough
  // margin that a loaded machine's noise does not decide it; 30 half-steps left ~0.1 s of margin).
  const extra = out.restoreMs - out.freshMs;
  assert.ok(extra < out.stepsMs / 2, `restore ${out.restoreMs} ms (${out.freshMs} ms with no half-steps) vs ${out.stepsMs} ms of half-steps`);
  assert.deepEqual(problems, []);
});

test('10,000 half-steps save in well under a second and within the session limit', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const out = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('heights', 2, 1);
    lab.setOptions({ tol: 0 });
    lab.runToConvergence(5000);
    const times = [];
    let text = '';
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      text = lab.saveSession(false, 990_000);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const t = performance.now();
    const back = Lab.restoreSession(text, 'en');
    const restoreMs = performance.now() - t;
    return {
      chars: text.length, saveMs: times[2], restoreMs, halfSteps: back.halfSteps(),
      same: back.state().logLikelihood === lab.state().logLikelihood,
    };
  });
  console.log(`# heights, 10,000 half-steps: ${out.chars} characters, save ${out.saveMs.toFixed(1)} ms (median of 5), `
    + `restore ${out.restoreMs.toFixed(0)} ms`);
  assert.equal(out.halfSteps, 10_000, 'the whole history is kept');
  assert.ok(out.same);
  assert.ok(out.chars < 600_000, `${out.chars} characters`);
  assert.ok(out.saveMs < 500, `${out.saveMs} ms to save`);
  assert.deepEqual(problems, []);
});

test('a click is saved once its frame is painted, not before; a reload right after a click keeps it', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await saveLanded(page);
  // Read in the frame after the click (before its paint) and once the page is idle.
  const saves = await page.evaluate(() => new Promise((resolve) => {
    const saved = () => localStorage.getItem('emlab.session');
    const before = saved();
    document.getElementById('btn-e').click();
    requestAnimationFrame(() => {
      const inFrame = saved();
      requestIdleCallback(() => resolve({ inFrame: inFrame === before, idle: saved() !== before }), { timeout: 1000 });
    });
  }));
  assert.deepEqual(saves, { inFrame: true, idle: true }, 'saved after the paint');
  // A reload straight after a click (no idle time): the save put off is made as the page goes.
  await page.evaluate(() => document.getElementById('btn-m').click());
  const shown = await value(page, 'loglik');
  await page.reload();
  await ready(page);
  assert.equal(await page.textContent('#phase'), 'M-step');
  assert.equal(await value(page, 'loglik'), shown);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an unusable Bins value is refused and put back; a bins value is saved and comes back; a saved unusable one does not cost the session', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await saveLanded(page);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.reload();
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.click('#btn-e');
  await page.click('#btn-m');
  // Emptied, a fraction, out of range: refused, quoted, and the value in use is shown again.
  for (const typed of ['', '2.5', '0', '1000']) {
    await page.fill('#bins', typed);
    await page.press('#bins', 'Tab');
    assert.equal(await page.inputValue('#bins'), '40', `"${typed}" is put back`);
    assert.match(await page.textContent('#alert'), /^Bins = “.*” is not usable: choose a whole number from 5 to 200\.$/);
  }
  // A usable one is drawn and saved without a step, and comes back after a reload with the state.
  await page.fill('#bins', '60');
  await page.press('#bins', 'Tab');
  assert.equal(await page.isVisible('#alert'), false);
  await saveLanded(page);
  await page.reload();
  await ready(page);
  assert.equal(await page.inputValue('#bins'), '60');
  assert.equal(await value(page, 'iteration'), 1);
  // A session an older page saved with an emptied field (bins: null) is restored, not set aside.
  await saveLanded(page);
  await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('emlab.session'));
    session.bins = null;
    localStorage.setItem('emlab.session', JSON.stringify(session));
    sessionStorage.clear();
  });
  await page.reload();
  await ready(page);
  assert.equal(await value(page, 'iteration'), 1, 'the session came back');
  assert.equal(await page.isVisible('#restore-box'), false);
  assert.deepEqual(problems, []);
  await page.close();
});
