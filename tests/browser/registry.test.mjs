// A model is one file (issue 10) and a link opens on the same picture (issue 11), in the page: the Poisson
// mixture comes to the page from the registry alone (menu, table, figures); saveSession/restoreSession and
// "Copy link" reproduce a 2-D and a coin state's readouts in a new page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { forgetSaved, ready, saveLanded } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The readouts a class sees, exactly. */
async function readouts(page) {
  return page.evaluate(() => ['iteration', 'loglik', 'lower-bound', 'gap']
    .map((id) => document.getElementById(id).dataset.value));
}

/** A fresh page with nothing saved. */
async function fresh() {
  const opened = await openPage(context);
  await ready(opened.page);
  await forgetSaved(opened.page);
  return opened;
}

test('the Poisson mixture reaches the page through the registry: menu, table, figures', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'death-notices');
  await page.click('#btn-step');
  await page.click('#btn-step');
  const s = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('death-notices', 2, 1);
    const st = lab.state();
    lab.free();
    return { model: st.model, weights: Array.from(st.weights), rates: Array.from(st.rates), n: st.n };
  });
  assert.equal(s.model, 'poisson');
  assert.deepEqual(s.weights, [0.3, 0.7], 'the lesson start');
  assert.deepEqual(s.rates, [1, 2.5]);
  assert.equal(s.n, 1096);
  // The Contract's other half: Lab.fromCsv('poisson', …) reads counts (one per line, or count,frequency),
  // and setParams takes {weights, rates}.
  const typed = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const a = Lab.fromCsv('poisson', '0\n1\n1\n2\n5\n6\n', 2, 1);
    const b = Lab.fromCsv('poisson', 'deaths,days\n0,162\n1,267\n2,271\n3,185\n4,111\n5,61\n6,27\n7,8\n8,3\n9,1\n', 2, 1);
    b.setParams({ weights: [0.3, 0.7], rates: [1.0, 2.5] });
    for (let i = 0; i < 3000 && !b.state().converged; i += 1) b.step();
    const out = { model: a.state().model, n: a.state().n, nb: b.state().n, pi: b.state().weights[0], ll: b.state().logLikelihood };
    let error = null;
    try { Lab.fromCsv('poisson', '1\n-2\n', 2, 1); } catch (e) { error = e.message; }
    a.free(); b.free();
    return { ...out, error };
  });
  assert.equal(typed.model, 'poisson');
  assert.equal(typed.n, 6);
  assert.equal(typed.nb, 1096);
  assert.ok(Math.abs(typed.pi - 0.359) < 1e-3, `π₁ = ${typed.pi}`);
  assert.ok(Math.abs(typed.ll - -1989.94586) < 1e-3, `ℓ = ${typed.ll}`);
  assert.match(typed.error, /Line 2/);
  const heads = await page.$$eval('#params thead th', (ths) => ths.map((th) => th.textContent));
  assert.ok(heads.some((h) => h.includes('λ')), heads.join('|'));
  assert.equal(await page.$$eval('#params tbody tr', (rows) => rows.length), 2);
  // The bound figures are on show; the lesson says how slowly EM converges here.
  for (const id of ['fig-slice', 'fig-jensen', 'fig-split']) {
    assert.equal(await page.$eval(`#${id}`, (c) => Boolean(c.closest('[hidden]'))), false, id);
  }
  assert.match(await page.textContent('#lesson-note'), /1e\u221214/);
  await screenshot(page, 'registry_poisson');
  // The note is of the lesson's own start (K = 2): at K = 3 EM stops at 1,480 iterations, not "about 1,000".
  await page.fill('#k', '3');
  await page.dispatchEvent('#k', 'change');
  assert.equal(await page.isVisible('#lesson-note'), false, 'no note at K = 3');
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  assert.equal(await page.isVisible('#lesson-note'), true, 'the note at K = 2');
  assert.deepEqual(problems, []);
});

test('saveSession and restoreSession give back the same state; a bad session throws', async () => {
  const { page } = await fresh();
  const result = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const out = [];
    for (const [name, model] of [['old-faithful', undefined], ['three-blobs', 'kmeans'], ['three-coins', undefined], ['death-notices', undefined]]) {
      const lab = Lab.preset(name, 2, 3, model);
      lab.step(); lab.step(); lab.eStep(); lab.undo();
      const text = lab.saveSession();
      const back = Lab.restoreSession(text);
      out.push([JSON.stringify(lab.state()), JSON.stringify(back.state()), back.halfSteps(), lab.halfSteps()]);
      lab.free(); back.free();
    }
    let error = null;
    try { Lab.restoreSession('{"version":1}'); } catch (e) { error = e instanceof Error ? e.message : String(e); }
    return { out, error };
  });
  for (const [a, b, hb, ha] of result.out) {
    assert.equal(b, a);
    assert.equal(hb, ha, 'the redo history too');
  }
  assert.ok(result.error && result.error.length > 5, result.error);
});

test('a copied link of your own data opens at its state on a page that has nothing saved', async () => {
  const { page } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '1\n2\n3\n10\n11\n12\n');
  await page.click('#btn-data-use');
  for (const half of ['e', 'm', 'e', 'm', 'e']) await page.click(`#btn-${half}`);
  const before = await readouts(page);
  await page.click('#btn-link');
  const url = await page.inputValue('#link-url');
  assert.match(url, /#link=/);
  await saveLanded(page);
  await page.close();
  // Nothing saved: the link alone must bring the data (a saved session of the same state hid that it threw).
  const { page: other, problems } = await fresh();
  await other.goto(url);
  await ready(other);
  assert.deepEqual(await readouts(other), before, 'the same readouts');
  assert.equal(await other.textContent('#phase'), 'E-step');
  assert.equal(await other.inputValue('#preset'), 'custom');
  assert.equal(await other.isVisible('#alert'), false);
  // The data is in the box to edit (it was empty under "edit the text above").
  assert.deepEqual((await other.inputValue('#data-text')).trim().split('\n').map(Number), [1, 2, 3, 10, 11, 12]);
  assert.deepEqual(problems, []);
  await other.close();
});

test('a copied link carries the seed: a new K on the opened page starts as on the page that made it', async () => {
  const { page } = await fresh();
  // The lesson's seed is 2 (seed 1 ends in a local optimum); a student's own seed 7 elsewhere.
  for (const [preset, seed] of [['two-elongated', null], ['heights', 7]]) {
    await page.selectOption('#preset', preset);
    if (seed !== null) {
      await page.fill('#seed', String(seed));
      await page.dispatchEvent('#seed', 'change');
    }
    await page.click('#btn-e');
    const want = await page.inputValue('#seed');
    await page.click('#btn-link');
    const url = await page.inputValue('#link-url');
    const other = await context.newPage();
    await other.goto(url);
    await ready(other);
    // It opened with Seed 1, and K = 3 then K = 2 ran from another start.
    assert.equal(await other.inputValue('#seed'), want, `${preset}: the seed`);
    for (const p of [page, other]) {
      for (const k of ['3', '2']) {
        await p.fill('#k', k);
        await p.dispatchEvent('#k', 'change');
      }
      await p.click('#btn-step');
    }
    assert.deepEqual(await readouts(other), await readouts(page), `${preset}: the same run after a new K`);
    await other.close();
  }
  // Through the API: readLink gives the seed back, null where link() was given none; a bad seed throws.
  const api = await page.evaluate(async () => {
    const { Lab, readLink } = await import('./pkg/emlab.js');
    const lab = Lab.preset('heights', 2, 1);
    let bad;
    try { lab.link(-1); } catch (e) { bad = e.message; }
    return { with: readLink(lab.link(4294967295), 'en').seed, without: readLink(lab.link(), 'en').seed, bad };
  });
  assert.deepEqual(api, { with: 4294967295, without: null, bad: 'seed must be a whole number from 0 to 4294967295; got -1.' });
  await page.close();
});

test('a copied link of a 2-D and of a coin state, and of a run whose floor changed, reproduces its readouts in a new page', async () => {
  // heights with the floor raised to 0.5 after two iterations: the link replayed all of it under 0.5.
  const runs = [['old-faithful', ['e', 'm', 'e', 'm', 'e']], ['three-coins', ['e', 'm', 'e']], ['heights', ['e', 'm', 'e', 'm', 'reg', 'e', 'm']]];
  for (const [preset, steps] of runs) {
    const { page } = await fresh();
    await page.selectOption('#preset', preset);
    for (const half of steps) {
      if (half === 'reg') {
        await page.fill('#reg', '0.5');
        await page.dispatchEvent('#reg', 'change');
      } else {
        await page.click(`#btn-${half}`);
      }
    }
    const before = await readouts(page);
    await page.click('#btn-link');
    const url = await page.inputValue('#link-url');
    assert.match(url, /#link=/);
    const other = await context.newPage();
    await other.goto(url);
    await ready(other);
    assert.deepEqual(await readouts(other), before, `${preset}: the same readouts`);
    assert.equal(await other.textContent('#phase'), await page.textContent('#phase'));
    // And the same point in the Jensen figure: after an E-step the page's own point is the last one shown,
    // which a link opened afresh did not know (it showed point 0).
    const point = (p) => p.getAttribute('#fig-jensen', 'data-index');
    assert.equal(await point(other), await point(page), `${preset}: the same point`);
    await other.close();
    await page.close();
  }
});
