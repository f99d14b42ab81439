// The Jensen lower-bound picture: choosing a point, the bound touching after E, climbing after M.
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

const data = (page, id, key) => page.$eval(`#${id}`, (el, k) => Number(el.dataset[k]), key);

test('bound figures: labels, point choice, gap 0 after E, ℓ up after M', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'heights');

  const labels = {
    'fig-histogram': 'Histogram and mixture',
    'fig-slice': 'Lower bound along a line in θ',
    'fig-jensen': /^Jensen's inequality for one point \(x = [0-9.]+\)$/, // named with its point, as its title
    'fig-trace': 'Log-likelihood and bound trace',
    'fig-split': 'ℓ = L + KL',
  };
  for (const [id, label] of Object.entries(labels)) {
    const info = await canvasInfo(page, id);
    if (label instanceof RegExp) assert.match(info.label, label);
    else assert.equal(info.label, label);
    assert.ok(info.inked > 0.02 * info.width * info.height, `${id} is drawn`);
  }
  // The four main figures are in view together on a 1920×1080 projector.
  for (const id of ['fig-histogram', 'fig-slice', 'fig-jensen', 'fig-trace']) {
    const box = await page.locator(`#${id}`).boundingBox();
    assert.ok(box.y >= 0 && box.y + box.height <= 1080 && box.height > 300, `${id} fits: ${JSON.stringify(box)}`);
  }
  assert.ok((await data(page, 'fig-jensen', 'gap')) > 0, 'q uniform: this point has a gap');
  await screenshot(page, 'heights-start');

  // Clicking the histogram chooses a point: the Jensen chart and the E-step formula change.
  const jensenBefore = await canvasInfo(page, 'fig-jensen');
  const indexBefore = await data(page, 'fig-jensen', 'index');
  const box = await page.locator('#fig-histogram').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
  const indexAfter = await data(page, 'fig-jensen', 'index');
  assert.notEqual(indexAfter, indexBefore, 'a click chose another point');
  assert.notEqual((await canvasInfo(page, 'fig-jensen')).hash, jensenBefore.hash);
  assert.match(await page.textContent('#formula-e'), new RegExp(`i = ${indexAfter + 1}:`));
  // ← and → walk to neighbouring points.
  await page.keyboard.press('ArrowRight');
  assert.notEqual(await data(page, 'fig-jensen', 'index'), indexAfter);

  // E-step: the bound touches ℓ; the bar and the chord show gap 0.
  await page.click('#btn-e');
  const l0 = await value(page, 'loglik');
  assert.ok(Math.abs(await data(page, 'fig-split', 'kl')) < 1e-9 * Math.abs(l0));
  assert.ok(Math.abs(await data(page, 'fig-jensen', 'gap')) < 1e-12);
  const splitAfterE = await canvasInfo(page, 'fig-split');

  // M-step: the bar shows ℓ larger than before, and the point's markers spread again.
  await page.click('#btn-m');
  const l1 = await data(page, 'fig-split', 'loglik');
  assert.ok(l1 > l0, `bar ℓ ${l1} > ${l0}`);
  assert.ok((await data(page, 'fig-jensen', 'gap')) > 0);
  assert.notEqual((await canvasInfo(page, 'fig-split')).hash, splitAfterE.hash);
  await screenshot(page, 'heights-after-m');

  // The slice can follow one coordinate, e.g. μ2.
  await page.selectOption('#slice-along', { label: 'μ2' });
  assert.ok((await canvasInfo(page, 'fig-slice')).inked > 1000);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the slice menu offers the coordinates the M-step moves: a new covariance type or fixed weights change it', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  const menu = () => page.$$eval('#slice-along option', (os) => os.map((o) => o.textContent));
  await page.selectOption('#preset', 'three-blobs');
  const full = await menu();
  assert.ok(full.includes('Σ1₂₁ / σ1 (x₁)') && full.includes('ln σ3 (x₂ | x₁)'), full.join(' | '));
  assert.equal(full.length, 1 + 18);
  await page.selectOption('#slice-along', { label: 'Σ2₂₁ / σ2 (x₁)' });
  // Diagonal: no Σ₂₁, and σ (x₂ | x₁) is σ (x₂). The chosen coordinate is gone: the EM direction.
  await page.selectOption('#covariance', 'diag');
  const diag = await menu();
  assert.ok(!diag.some((n) => n.includes('₂₁') || n.includes('|')), diag.join(' | '));
  assert.ok(diag.includes('ln σ2 (x₂)'), diag.join(' | '));
  assert.equal(diag.length, 1 + 15);
  assert.equal(await page.$eval('#slice-along', (s) => s.value), '-1');
  // Spherical: one ln σ a component, moving both axes' spreads.
  await page.selectOption('#covariance', 'spherical');
  const spherical = await menu();
  assert.deepEqual(spherical.slice(-3), ['ln σ1', 'ln σ2', 'ln σ3']);
  await page.selectOption('#slice-along', { label: 'ln σ2' });
  await page.click('#btn-e');
  await page.click('#btn-m');
  assert.ok((await canvasInfo(page, 'fig-slice')).inked > 1000);
  // The five sets' weights are held at ½: no ln π until they are learned.
  await page.selectOption('#preset', 'five-sets');
  assert.deepEqual(await menu(), [(await menu())[0], 'logit θ1', 'logit θ2']);
  await page.click('#fix-weights');
  assert.deepEqual((await menu()).slice(1), ['ln π1', 'ln π2', 'logit θ1', 'logit θ2']);
  assert.deepEqual(problems, []);
  // The next test opens its page on the lesson it loads itself, not on these coins restored.
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.close();
});

test('a new seed or K keeps the covariance type; the slice remembered across a reload is the coordinate of that name', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await forgetSaved(page);
  await page.selectOption('#preset', 'old-faithful');
  await page.selectOption('#covariance', 'spherical');
  await page.click('#btn-step');
  await page.fill('#seed', '9');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => document.getElementById('seed').value === '9');
  assert.equal(await page.inputValue('#covariance'), 'spherical', 'a new seed');
  assert.equal(await page.evaluate(() => document.querySelector('#slice-along option:last-child').textContent), 'ln σ2');
  await page.fill('#k', '3');
  await page.press('#k', 'Enter');
  await page.waitForFunction(() => document.querySelector('#slice-along option:last-child').textContent === 'ln σ3');
  assert.equal(await page.inputValue('#covariance'), 'spherical', 'a new K');
  // The heights' μ2, then three blobs (no μ2: the EM direction), then a reload: still the EM direction.
  await page.selectOption('#preset', 'heights');
  await page.selectOption('#slice-along', { label: 'μ2' });
  await page.selectOption('#preset', 'three-blobs');
  assert.equal(await page.inputValue('#slice-along'), '-1');
  await page.reload();
  await ready(page);
  assert.equal(await page.inputValue('#slice-along'), '-1', 'not the coordinate of μ2\'s number');
  await page.selectOption('#preset', 'heights');
  await page.selectOption('#slice-along', { label: 'μ2' });
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => document.getElementById('slice-along').selectedOptions[0].textContent), 'μ2');
  assert.deepEqual(problems, []);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.close();
});

test('while the page waits for a click, the next E-step\'s slice is computed: the E-step draws it whole at once', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  // 600,000 values in two peaks: a slice computed afresh is ≥ 5 passes over them (the slice drawn as cubics
  // between its samples starts from 5), each ~5 ms, far more than the 8 ms one frame gives it, so a slice
  // whole in the E-step's first drawSlice call was computed before the click. (At 150,000 five passes fitted
  // in one frame on a quiet machine, and the control below failed.)
  const n = 600_000;
  const lines = Array.from({ length: n }, (_, i) => ((i % 2 ? 160 : 175) + ((i * 7919) % 1000) / 100).toFixed(2));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'emlab-slice-')), 'two-peaks.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  await page.click('#data-details summary');
  await page.setInputFiles('#data-file', file);
  await page.waitForFunction(() => /600,000/.test(document.getElementById('data-status').textContent), null,
    { timeout: 120_000 });
  await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    // `allow` false: prepareSlice does nothing (says "nothing left"), as a page without it.
    const calls = { draw: [], prepared: false, allow: false };
    window.sliceCalls = calls;
    const draw = Lab.prototype.drawSlice;
    Lab.prototype.drawSlice = function counted(...args) {
      const whole = draw.apply(this, args);
      calls.draw.push(whole);
      return whole;
    };
    const prepare = Lab.prototype.prepareSlice;
    Lab.prototype.prepareSlice = function counted(...args) {
      if (!calls.allow) return true;
      const done = prepare.apply(this, args);
      // Only a slice prepared after an M-step counts: an idle call still pending from the E-step before
      // (there prepareSlice has nothing to do and says so) let the test click before the slice was made.
      calls.prepared ||= done && this.state().phase === 'm';
      return done;
    };
  });
  const settle = () => page.waitForFunction(() => window.sliceCalls.draw.at(-1) === true, null, { timeout: 60_000 });
  const click = async (step) => {
    await page.evaluate(() => { window.sliceCalls.draw = []; });
    await page.click(step);
    await settle();
    return page.evaluate(() => window.sliceCalls.draw);
  };
  // Without it: the E-step's slice takes several frames (the control that makes this test able to fail).
  await click('#btn-e');
  await click('#btn-m');
  await page.waitForTimeout(500);
  const fresh = await click('#btn-e');
  assert.ok(fresh.length > 1 && fresh[0] === false, `without: ${fresh}`);
  // With it: after the M-step the idle page computes the next E-step's slice, and the E-step draws it at once.
  await page.evaluate(() => { window.sliceCalls.allow = true; });
  await click('#btn-m');
  await page.waitForFunction(() => window.sliceCalls.prepared, null, { timeout: 60_000 });
  const before = await page.evaluate(() => document.getElementById('fig-slice').toDataURL());
  assert.deepEqual(await click('#btn-e'), [true], 'the E-step\'s slice is whole at its first drawSlice call');
  assert.notEqual(await page.evaluate(() => document.getElementById('fig-slice').toDataURL()), before);
  assert.deepEqual(problems, []);
  await page.close();
});
