// Every model on the same page: each preset loads, steps with E-step / M-step and draws; the coin
// examples show the books' numbers; k-means and soft EM run side by side from the same start.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { canvasInfo, ready, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The `data-value`s of one column of the parameter table. */
const column = (page, n) => page.$$eval(`#params tbody tr td:nth-child(${n})`, (cells) => cells.map((c) => Number(c.dataset.value)));

/** Canvases of figures that are shown. */
const visibleCanvases = (page) => page.$$eval('.figures canvas', (cs) => cs.filter((c) => !c.closest('[hidden]')).map((c) => c.id));

test('every preset of every model loads, steps and draws', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  const presets = await page.$$eval('#preset option', (os) => os.map((o) => o.value).filter((v) => v !== 'custom'));
  for (const name of ['heights', 'old-faithful', 'three-blobs', 'two-elongated', 'kmeans:old-faithful', 'three-coins', 'five-sets']) {
    assert.ok(presets.includes(name), `${name} is in the menu`);
  }
  for (const preset of presets) {
    await page.selectOption('#preset', preset);
    await page.fill('#k', preset.includes('three-blobs') ? '3' : '2');
    await page.dispatchEvent('#k', 'change');
    // The start's phase: k-means has centres and no assignment yet, not a "uniform q".
    assert.equal((await page.textContent('#phase')).replace(/\u00a0/g, ' '), preset.startsWith('kmeans:') ? 'start (no assignment yet)' : 'start (q uniform)', preset);
    const ids = await visibleCanvases(page);
    const before = {};
    for (const id of ids) before[id] = await canvasInfo(page, id);
    await page.click('#btn-e');
    // k-means names the half-step as its status does ("Assignment step done"), the mixtures plainly.
    assert.equal(await page.textContent('#phase'), preset.startsWith('kmeans:') ? 'E-step (assign)' : 'E-step', preset);
    await page.click('#btn-m');
    assert.equal(await value(page, 'iteration'), 1, preset);
    let moved = 0;
    for (const id of ids) {
      const after = await canvasInfo(page, id);
      assert.ok(after.inked > 500, `${preset}: ${id} is drawn`);
      assert.ok(after.label && after.label.length > 3, `${preset}: ${id} has a label`);
      if (after.hash !== before[id].hash) moved += 1;
    }
    // (Three coins from (0.5, 0.5, 0.5) keeps q at ½ everywhere, so its data figure rightly stays put.)
    assert.ok(moved >= 2, `${preset}: the figures follow the step`);
    assert.ok(Number.isFinite(await value(page, 'loglik')), preset);
    assert.doesNotMatch(await page.innerText('body'), /NaN/, preset);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('three coins and five sets show the published numbers', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'three-coins');
  assert.deepEqual(await visibleCanvases(page), ['fig-histogram', 'fig-path', 'fig-slice', 'fig-jensen', 'fig-trace']);
  // Start (0.5, 0.5, 0.5): one iteration gives (0.5, 0.6, 0.6).
  await page.click('#btn-step');
  let w = await column(page, 2);
  let h = await column(page, 3);
  assert.ok(Math.abs(w[0] - 0.5) < 1e-4 && Math.abs(h[0] - 0.6) < 1e-4 && Math.abs(h[1] - 0.6) < 1e-4, `${w} ${h}`);
  // Start (0.4, 0.6, 0.7): one iteration gives (0.4064, 0.5368, 0.6432).
  await page.selectOption('#start', '1');
  await page.click('#btn-step');
  w = await column(page, 2);
  h = await column(page, 3);
  assert.ok(Math.abs(w[0] - 0.4064) < 1e-4 && Math.abs(h[0] - 0.5368) < 1e-4 && Math.abs(h[1] - 0.6432) < 1e-4, `${w} ${h}`);
  assert.ok(Math.abs((await value(page, 'loglik')) - -6.730116670092564) < 1e-9);
  await screenshot(page, 'three-coins');

  await page.selectOption('#preset', 'five-sets');
  assert.equal(await page.isChecked('#fix-weights'), true, 'Do & Batzoglou fix the weights');
  await page.click('#btn-step');
  h = await column(page, 3);
  assert.ok(Math.abs(h[0] - 0.7130122) < 1e-6 && Math.abs(h[1] - 0.5813393) < 1e-6, `${h}`);
  for (let i = 1; i < 10; i += 1) await page.click('#btn-step');
  h = await column(page, 3);
  assert.ok(Math.abs(h[0] - 0.7967441) < 1e-6 && Math.abs(h[1] - 0.5196587) < 1e-6, `${h}`);
  await screenshot(page, 'five-sets');
  assert.deepEqual(problems, []);
  await page.close();
});

test('side by side, a reload brings k-means back where it was, in step with the mixture', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'old-faithful');
  await page.check('#compare');
  for (let i = 0; i < 2; i += 1) await page.click('#btn-step');
  await page.click('#btn-e');
  const shown = async () => [(await canvasInfo(page, 'fig-twin')).hash, (await canvasInfo(page, 'fig-twin-trace')).hash];
  const before = await shown();
  await page.waitForTimeout(1200); // the session is saved when the page is idle
  await page.reload();
  await ready(page);
  assert.equal(await page.textContent('#iteration'), '2');
  // k-means came back at its start (grey points, one trace point) and then stepped a half-step behind.
  assert.deepEqual(await shown(), before, 'the k-means side as it was');
  await page.click('#btn-m');
  await page.uncheck('#compare');
  await page.check('#compare'); // ticked again mid-lesson: k-means at the mixture's half-step, not at its start
  const again = await shown();
  await page.click('#btn-undo');
  await page.click('#btn-redo');
  assert.deepEqual(await shown(), again);
  assert.deepEqual(problems, []);
  await page.close();
});

test('side by side, the two stand at the same half-step after a new covariance type and after Run to convergence', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  const twin = async () => (await canvasInfo(page, 'fig-twin-trace')).hash;
  // A new covariance type restarts the mixture; k-means stayed at its half-step 4, a lesson apart.
  await page.selectOption('#preset', 'old-faithful');
  await page.check('#compare');
  for (let i = 0; i < 2; i += 1) await page.click('#btn-step');
  await page.selectOption('#covariance', 'diag');
  assert.equal(await page.textContent('#iteration'), '0');
  const after = await twin();
  // k-means made afresh beside the restarted mixture: the same picture.
  await page.uncheck('#compare');
  await page.check('#compare');
  assert.equal(after, await twin(), 'k-means restarted with the mixture, from its new start');
  await page.selectOption('#covariance', 'full');
  // Run to convergence: k-means converged at half-step 18 and the mixture went on to 216; a reload then
  // showed the mixture made again at 18. Now the one done first waits at the other's half-step.
  await page.selectOption('#preset', 'kmeans:three-blobs');
  await page.click('#btn-step');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  assert.equal(await page.textContent('#converged'), 'yes');
  // k-means converges at iteration 9, the mixture beside it at ~108: k-means waits at its half-step (it was
  // left at 9, and the mixture made again there, unconverged).
  assert.ok(Number(await page.textContent('#iteration')) > 50, await page.textContent('#iteration'));
  const converged = await twin();
  await page.waitForTimeout(1200); // saved when the page is idle
  await page.reload();
  await ready(page);
  assert.equal(await twin(), converged, 'the mixture as it was');
  assert.deepEqual(problems, []);
  await page.close();
});

test('old faithful: soft EM and k-means side by side from the same start', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'old-faithful');
  await page.check('#compare');
  assert.deepEqual(await visibleCanvases(page), ['fig-histogram', 'fig-twin', 'fig-slice', 'fig-jensen', 'fig-trace', 'fig-twin-trace']);
  const twinBefore = await canvasInfo(page, 'fig-twin');
  // An M-step first: k-means (the twin) refuses it, so the mixture does not take it either.
  await page.click('#btn-m');
  assert.match(await page.textContent('#alert'), /No point is assigned to a centre yet/);
  assert.equal(await page.textContent('#iteration'), '0');
  assert.equal((await canvasInfo(page, 'fig-twin')).hash, twinBefore.hash);
  await page.click('#btn-step');
  assert.notEqual((await canvasInfo(page, 'fig-twin')).hash, twinBefore.hash, 'the twin stepped too');
  for (let i = 0; i < 60 && (await page.textContent('#converged')) !== 'yes'; i += 1) await page.click('#btn-step');
  const weights = (await column(page, 2)).sort();
  assert.ok(Math.abs(weights[0] - 0.356) < 0.002 && Math.abs(weights[1] - 0.644) < 0.002, `${weights}`);
  await screenshot(page, 'old-faithful-compare');
  // Diagonal covariances: the table's Σ loses its off-diagonal term.
  await page.selectOption('#covariance', 'diag');
  await page.click('#btn-step');
  const matrices = await page.$$eval('#params td.matrix', (cells) => cells.map((c) => [...c.children].map((d) => d.textContent)));
  assert.equal(matrices.length, 2);
  for (const [top, bottom] of matrices) {
    assert.match(top, /^[\d.]+ {2}0\.00$/, top);
    assert.match(bottom, /^0\.00 {2}[\d.]+$/, bottom);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
