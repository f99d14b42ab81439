// The E-step / M-step spine: buttons and keys step EM, readouts show the right numbers, figures redraw.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { canvasInfo, forgetSaved, ready, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

test('the gap readout agrees with the figures: 0.000 after an E-step, a small gap in e-notation, not 0.000', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  await page.selectOption('#preset', 'three-gaussians');
  let small = null;
  for (let i = 0; i < 40 && small === null; i += 1) {
    await page.click('#btn-e');
    // After an E-step the state's gap is 0 exactly (ℓ − L is rounding noise there, even negative).
    assert.equal(await value(page, 'gap'), 0);
    assert.equal(await page.textContent('#gap'), '0.000');
    await page.click('#btn-m');
    const gap = await value(page, 'gap');
    assert.ok(gap > 0, `after an M-step the gap is positive: ${gap}`);
    if (gap < 1e-3) small = gap;
  }
  assert.ok(small !== null, 'a gap under 1e-3 after an M-step (three-gaussians reaches 9.4e-4, then 3.4e-4)');
  const shown = await page.textContent('#gap');
  // The slice's "KL = 3.381e-4" and the readout said 0.000; "KL = 9.389e−4" and it said 0.001.
  assert.equal(shown, small.toExponential(3).replace('-', '−'));
  assert.deepEqual(problems, []);
  await page.close();
});

test('E-step closes the gap, M-step raises the log-likelihood, by button and by key', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await page.waitForFunction(() => document.querySelector('#params tbody tr'));

  const start = await value(page, 'loglik');
  assert.ok(Number.isFinite(start));
  assert.ok((await value(page, 'gap')) > 1, 'q starts uniform, so the bound starts below ℓ');
  assert.equal(await value(page, 'iteration'), 0);
  const before = await canvasInfo(page, 'fig-histogram');
  assert.equal(before.label, 'Histogram and mixture');
  assert.ok(before.inked > 0.05 * before.width * before.height, 'the histogram canvas is drawn');

  await page.click('#btn-e');
  assert.ok(Math.abs(await value(page, 'gap')) < 1e-9 * Math.abs(start), 'gap is 0 after E-step');
  assert.equal(await page.textContent('#gap'), '0.000');
  const afterE = await canvasInfo(page, 'fig-histogram');
  assert.notEqual(afterE.hash, before.hash, 'the responsibility strip changed');

  await page.click('#btn-m');
  const l1 = await value(page, 'loglik');
  assert.ok(l1 > start, `ℓ rose: ${start} → ${l1}`);
  assert.equal(await value(page, 'iteration'), 1);
  assert.equal(await page.textContent('#iteration'), '1');
  assert.notEqual((await canvasInfo(page, 'fig-histogram')).hash, afterE.hash, 'curves moved');

  // The shortcuts work wherever focus is not on a control (Space on a focused button presses it).
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('e');
  assert.ok(Math.abs(await value(page, 'gap')) < 1e-9 * Math.abs(l1));
  await page.keyboard.press('m');
  const l2 = await value(page, 'loglik');
  assert.ok(l2 > l1, `ℓ rose again by key: ${l1} → ${l2}`);
  assert.equal(await value(page, 'iteration'), 2);

  await page.keyboard.press('u');
  assert.equal(await value(page, 'iteration'), 1);
  const max = await page.getAttribute('#timeline', 'max');
  await page.keyboard.press('r');
  assert.equal(await value(page, 'iteration'), 0);
  assert.equal(await value(page, 'loglik'), start);
  // R keeps the run for Redo and the timeline (it wiped it, with no way back, a key away from E).
  assert.equal(await page.getAttribute('#timeline', 'max'), max);
  assert.equal(await page.inputValue('#timeline'), '0');
  assert.equal(await page.isEnabled('#btn-redo'), true);
  for (let i = 0; i < 3; i += 1) await page.keyboard.press('y');
  assert.equal(await value(page, 'iteration'), 1);

  // Run to convergence: the two humps are found at 20 and 40.
  for (let i = 0; i < 400 && (await page.textContent('#converged')) !== 'yes'; i += 1) {
    await page.keyboard.press(' ');
  }
  const means = await page.$$eval('#params tbody tr td:nth-child(3)', (cells) => cells.map((c) => Number(c.dataset.value)));
  means.sort((a, b) => a - b);
  assert.ok(Math.abs(means[0] - 20) < 0.3 && Math.abs(means[1] - 40) < 0.3, `means ${means}`);
  await screenshot(page, 'two-gaussians-converged');

  // Keyboard only: Space on the focused Reset button resets (it does not step); Tab reaches E-step.
  await page.focus('#btn-reset');
  await page.keyboard.press(' ');
  assert.equal(await value(page, 'iteration'), 0);
  await page.focus('#lang');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-e');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#phase'), 'E-step');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a click lays the page out once: every word and number is written before the figures read their sizes', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  // With the formulas on screen (off screen they are laid out a frame later: formulas.test.mjs).
  await page.$eval('section.formulas', (s) => s.scrollIntoView({ block: 'end' }));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const layouts = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'LayoutCount').value;
  // The frame after a click, and the tasks that finish its figures.
  const settle = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  await page.click('#btn-e');
  await page.click('#btn-m');
  await settle();
  for (const id of ['#btn-e', '#btn-m', '#btn-e', '#btn-m']) {
    const before = await layouts();
    await page.evaluate((s) => document.querySelector(s).click(), id);
    await settle();
    const count = (await layouts()) - before;
    assert.equal(count, 1, `${id}: ${count} layouts of the page for one click`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('a redraw sets a canvas colour or line width only when it changes', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await page.click('#btn-e');
  await page.evaluate(() => {
    // Count, over every 2-D context, the settings that set the value the context already has.
    const proto = CanvasRenderingContext2D.prototype;
    window.__styleSets = { all: 0, same: 0 };
    for (const name of ['strokeStyle', 'fillStyle', 'lineWidth']) {
      const { get, set } = Object.getOwnPropertyDescriptor(proto, name);
      Object.defineProperty(proto, name, {
        configurable: true,
        get,
        set(value) {
          const before = get.call(this);
          set.call(this, value);
          window.__styleSets.all += 1;
          if (get.call(this) === before) window.__styleSets.same += 1;
        },
      });
    }
  });
  await page.click('#btn-m');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  const { all, same } = await page.evaluate(() => window.__styleSets);
  // Each figure's drawing starts without knowing its context's settings: its first fill, stroke and width
  // may repeat them (five figures redrawn, 3 each); nothing after that does.
  assert.ok(all > 10, `${all} settings in a click's redraw`);
  assert.ok(same <= 15, `${same} of ${all} colour and width settings set what was set already`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('after an E-step the page makes the M-step\'s pass while idle; the M-step then gives the same numbers', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  // Every call the page makes to prepareStep, with what it returned (the page's Lab is this module's class).
  await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const prepare = Lab.prototype.prepareStep;
    window.prepared = [];
    Lab.prototype.prepareStep = function counted(...args) {
      const ready = prepare.apply(this, args);
      window.prepared.push({ ready, after: document.getElementById('phase').textContent });
      return ready;
    };
  });
  await page.selectOption('#preset', 'two-gaussians');
  await page.click('#btn-e');
  // Called after the E-step (not only for the state before it) until it reports ready, before the M click.
  await page.waitForFunction(() => window.prepared.some((p) => p.ready && p.after === 'E-step'), null, { timeout: 10_000 });
  // The last call reported nothing left to make: the M-step's click finds its pass made.
  const left = await page.evaluate(() => window.prepared.filter((p) => p.after === 'E-step').at(-1).ready);
  await page.click('#btn-m');
  const shown = await value(page, 'loglik');
  // The same half-steps on a lab of the same preset that prepared nothing.
  const fresh = await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const lab = Lab.presetIn('two-gaussians', 2, 1, 'en');
    lab.eStep();
    lab.mStep();
    const { logLikelihood } = lab.state();
    lab.free();
    return logLikelihood;
  });
  assert.equal(left, true);
  assert.equal(shown, fresh, 'ℓ after the prepared M-step equals a fresh lab\'s');
  assert.deepEqual(problems, []);
  await page.close();
});

test('after the variance floor changes, "converged" no longer holds, and an M-step that lowers ℓ says so, not that it rose', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('converged').textContent === 'yes', null, { timeout: 60_000 });
  const converged = await value(page, 'loglik');
  // A much higher floor: the convergence was reached under the old one.
  await page.fill('#reg', '50');
  await page.dispatchEvent('#reg', 'change');
  assert.equal(await page.textContent('#converged'), 'no');
  await page.click('#btn-e');
  assert.equal(await page.textContent('#converged'), 'no');
  await page.click('#btn-m');
  const after = await value(page, 'loglik');
  assert.ok(after < converged - 1, `the floor moved θ and ℓ fell: ${converged} → ${after}`);
  const status = await page.textContent('#status');
  assert.doesNotMatch(status, /ℓ rose/);
  assert.match(status, /ℓ fell/);
  // The next iteration's M-step says what ℓ did (a floor added to every variance can lower ℓ again).
  await page.click('#btn-e');
  await page.click('#btn-m');
  const next = await value(page, 'loglik');
  assert.match(await page.textContent('#status'), next < after ? /ℓ fell/ : /ℓ rose|Converged/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a click of its own stops Run to convergence and Run; Step after an E-step takes only the M-step', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await forgetSaved(page);
  await page.selectOption('#preset', 'heights');
  await page.fill('#k', '10');
  await page.press('#k', 'Enter');
  await page.waitForFunction(() => document.getElementById('k').value === '10');
  // Run to convergence at K = 10 takes seconds; a click on E-step in the middle of it ends it there, and
  // the readouts, the status and the timeline tell of one run.
  await page.click('#btn-converge');
  await page.waitForFunction(() => Number(document.getElementById('iteration').dataset.value) > 20);
  await page.click('#btn-e');
  assert.equal(await page.getAttribute('#btn-converge', 'aria-pressed'), 'false', 'cancelled by the click');
  const at = await page.evaluate(() => ({
    iteration: document.getElementById('iteration').dataset.value,
    halfStep: document.getElementById('timeline').value,
  }));
  await page.waitForTimeout(600);
  assert.deepEqual(await page.evaluate(() => ({
    iteration: document.getElementById('iteration').dataset.value,
    halfStep: document.getElementById('timeline').value,
  })), at, 'nothing steps after the click');
  assert.equal(await page.textContent('#phase'), 'E-step');
  // Run, then Run to convergence, then Run again: one loop at a time.
  await page.click('#btn-converge');
  await page.click('#btn-run');
  assert.equal(await page.getAttribute('#btn-converge', 'aria-pressed'), 'false', 'Run cancels it');
  await page.click('#btn-run');
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'false');
  // Step after an E-step completes its iteration: one half-step more, the M-step.
  await page.click('#btn-reset');
  await page.click('#btn-e');
  await page.click('#btn-step');
  assert.equal(await page.inputValue('#timeline'), '2');
  assert.equal(await page.textContent('#phase'), 'M-step');
  assert.deepEqual(problems, []);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.close();
});

test('Enter in K leaves the field; a click on a count chooses a day with it; Run after a collapse says why', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await forgetSaved(page);
  await page.selectOption('#preset', 'heights');
  await page.fill('#k', '3');
  await page.press('#k', 'Enter');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'k', 'Enter left the field');
  await page.keyboard.press('e');
  assert.equal(await page.textContent('#phase'), 'E-step', 'E steps EM after Enter');
  // Death notices: a click on the bars far right chooses a day with a larger count than day 1's 0.
  await page.selectOption('#preset', 'death-notices');
  await page.click('#btn-e');
  await page.click('#btn-m');
  const before = await page.$eval('#fig-jensen', (el) => Number(el.dataset.index));
  const box = await page.$eval('#fig-histogram', (el) => { const r = el.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; });
  await page.mouse.click(box[0] + 0.7 * box[2], box[1] + 0.6 * box[3]);
  const after = await page.$eval('#fig-jensen', (el) => Number(el.dataset.index));
  assert.notEqual(after, before, 'the click chose a day');
  // → steps to the next larger count: the chosen day changes again.
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await page.$eval('#fig-jensen', (el) => Number(el.dataset.index)), after);
  // The collapse lesson after its collapse: Run says at once that EM stops here.
  await page.selectOption('#preset', 'collapse');
  for (let i = 0; i < 40 && !(await page.isVisible('#collapse-box')); i += 1) await page.click('#btn-step');
  assert.ok(await page.isVisible('#collapse-box'));
  await page.click('#btn-run');
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'false');
  assert.match(await page.textContent('#alert'), /collaps/i);
  assert.deepEqual(problems, []);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.close();
});

test('an M-step after convergence that lowers ℓ (the floor added to a 2-D covariance) says so, not only "Converged"', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  await forgetSaved(page);
  await page.selectOption('#preset', 'old-faithful');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('converged').textContent === 'yes');
  let fell = false;
  for (let i = 0; i < 6 && !fell; i += 1) {
    await page.click('#btn-e');
    const before = await value(page, 'loglik');
    await page.click('#btn-m');
    fell = (await value(page, 'loglik')) < before;
    // Both: it said only "ℓ fell" beside a readout that said converged.
    if (fell) assert.match(await page.textContent('#status'), /^Converged: .* although ℓ fell a little: the variance floor/);
    else assert.match(await page.textContent('#status'), /^Converged/);
  }
  assert.ok(fell, 'ℓ fell in an M-step after convergence (old-faithful: by 6e−10)');
  assert.equal(await page.textContent('#converged'), 'yes');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the keyboard keeps its place: Undo and Redo dimmed keep it, a button that hides itself hands the focus on, a menu keeps its letters, presentation gives the focus back, a field rests under the toolbar', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.evaluate(() => document.activeElement?.blur());
  const active = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
  // Undo pressed back to the start is dimmed and keeps the focus, so Enter pressed on it again and again stops
  // there (disabled, it handed the focus to Redo, and the next Enter went forward again); Redo the same.
  await page.keyboard.press('e');
  await page.keyboard.press('m');
  await page.focus('#btn-undo');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('Enter');
  assert.equal(await value(page, 'iteration'), 0);
  assert.equal(await page.textContent('#phase'), 'start (q\u00a0uniform)');
  assert.equal(await page.inputValue('#timeline'), '0');
  assert.equal(await active(), 'btn-undo', 'Undo at the start keeps the focus (it fell to the body, then went to Redo)');
  assert.equal(await page.getAttribute('#btn-undo', 'aria-disabled'), 'true');
  assert.equal(await page.isDisabled('#btn-undo'), true);
  await page.focus('#btn-redo');
  for (let i = 0; i < 4; i += 1) await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#timeline'), '2');
  assert.equal(await page.textContent('#phase'), 'M-step');
  assert.equal(await active(), 'btn-redo', 'Redo at the end keeps the focus');
  // A dimmed Undo clicked while running does not stop Run.
  await page.click('#btn-run');
  await page.$eval('#btn-redo', (button) => button.click()); // Playwright waits for an enabled button
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'true', 'still running');
  await page.click('#btn-run');
  // Back to one E-step (a new half-step forgets what Run and the reset left to redo).
  await page.click('#btn-reset');
  await page.keyboard.press('e');
  // The timeline is read out as where it stands in the run; the language menu names 中文 in Chinese.
  assert.equal(await page.getAttribute('#timeline', 'aria-valuetext'), 'half-step 1 of 1');
  assert.equal(await page.getAttribute('#lang option[value="zh"]', 'lang'), 'zh-CN');
  // The Jensen figure is named with its point, as its title reads, and → moves it.
  const named = await page.getAttribute('#fig-jensen', 'aria-label');
  assert.match(named, /^Jensen's inequality for one point \(x = [0-9.]+\)$/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((before) => document.getElementById('fig-jensen').getAttribute('aria-label') !== before, named, { timeout: 5000 });
  // "Start again: E-step first" hides itself: the focus goes to E-step.
  await page.keyboard.press('r');
  await page.keyboard.press('m');
  await page.waitForSelector('#btn-break-symmetry', { state: 'visible' });
  await page.focus('#btn-break-symmetry');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#btn-break-symmetry', { state: 'hidden' });
  assert.equal(await active(), 'btn-e');
  // After a mouse press the focus is not moved (Space is then a shortcut, not a press of Redo).
  await page.click('#btn-undo');
  assert.equal(await value(page, 'iteration'), 0);
  assert.notEqual(await active(), 'btn-redo');
  // A menu reached with Tab finds its options by letter: "p" there was presentation mode.
  await page.click('#data-details summary');
  await page.focus('#data-model');
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenting')), false);
  assert.match(await page.$eval('#data-model', (s) => s.selectedOptions[0].textContent), /^Poisson/);
  // P from a control the side panel hides, then Esc: the focus comes back to it.
  await page.focus('#btn-export-csv');
  await page.keyboard.press('p');
  await page.waitForFunction(() => document.body.classList.contains('presenting'));
  await page.keyboard.press('Escape');
  assert.equal(await active(), 'btn-export-csv', 'the focus back where it was before presentation mode');
  // At 1024×768 the step buttons stay at the top: a field reached by the keyboard comes to rest under them.
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.waitForTimeout(300);
  await page.focus('#reg');
  for (const id of ['bins', 'seed', 'k']) {
    await page.keyboard.press('Shift+Tab');
    const [field, toolbar] = await page.evaluate(() => [document.activeElement, document.querySelector('.steps')]
      .map((e) => ({ id: e.id, ...e.getBoundingClientRect().toJSON() })));
    assert.equal(field.id, id);
    assert.ok(field.top >= toolbar.bottom, `#${id} at ${field.top} px, under the toolbar's edge at ${toolbar.bottom} px`);
  }
  // Copy link leaves the focus on its button where the clipboard took the link; where it refused, the box is
  // selected, in view, and the status says where it is (it said "above", of a box below the figures).
  await page.click('#btn-link');
  await page.waitForFunction(() => /^Link copied/.test(document.getElementById('status').textContent));
  assert.equal(await active(), 'btn-link');
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); });
  await page.click('#btn-link');
  await page.waitForFunction(() => /^The link is selected in its box/.test(document.getElementById('status').textContent));
  assert.equal(await active(), 'link-url');
  const box = await page.evaluate(() => document.getElementById('link-url').getBoundingClientRect().toJSON());
  assert.ok(box.top >= 0 && box.bottom <= 768, `the link box in view: ${JSON.stringify(box)}`);
  assert.deepEqual(problems, []);
  await page.close();
});
