// Running a lecture: Run to convergence ends where stepping ends, the speed control sets the pace, each
// preset brings its lesson's K and variance floor, and `?lang=` chooses the language.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { ready, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The `data-value`s of one column of the parameter table. */
const column = (page, n) => page.$$eval(`#params tbody tr td:nth-child(${n})`, (cells) => cells.map((c) => Number(c.dataset.value)));

/** Half-steps done so far, from the readouts: two per iteration, one more after an E-step. */
async function halfSteps(page) {
  return page.evaluate(async () => {
    const { messages } = await import('./pkg/emlab.js');
    const afterE = document.getElementById('phase').textContent === messages('en')['phase-e'];
    return 2 * Number(document.getElementById('iteration').dataset.value) + (afterE ? 1 : 0);
  });
}

test('Run to convergence on heights ends converged, with the ℓ of stepping until converged', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'heights');
  const started = Date.now();
  await page.click('#btn-converge');
  // It runs in slices (the page stays responsive); the button reads Cancel until it is done.
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  const tookMs = Date.now() - started;
  assert.equal(await page.textContent('#converged'), 'yes');
  // Word joiners keep |Δℓ|/N on one line; the words read the same without them.
  assert.match((await page.textContent('#status')).replace(/\u2060/g, ''), /^Converged: \|Δℓ\|\/N < 1e\u221210 over a full iteration \(E then M\)/);
  const ran = await value(page, 'iteration');
  const loglik = await value(page, 'loglik');
  const stepped = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('heights', 2, 1);
    const t0 = performance.now();
    const n = lab.runToConvergence(10000);
    const ms = performance.now() - t0;
    const fresh = Lab.preset('heights', 2, 1);
    while (!fresh.state().converged) fresh.step();
    const out = { loglik: fresh.state().logLikelihood, iteration: fresh.state().iteration, n, ms };
    lab.free();
    fresh.free();
    return out;
  });
  console.log(`heights: ${ran} iterations; the click took ${tookMs} ms; runToConvergence alone ${stepped.ms.toFixed(1)} ms`);
  assert.equal(stepped.iteration, ran);
  assert.equal(stepped.n, ran);
  assert.ok(Math.abs(loglik - stepped.loglik) <= 1e-9 * Math.abs(stepped.loglik), `${loglik} vs ${stepped.loglik}`);
  assert.ok(tookMs < 2000, `Run to convergence took ${tookMs} ms`);
  // Already converged: a second click runs nothing and still says converged.
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  assert.equal(await value(page, 'iteration'), ran);
  // The saved session replays it: a reload shows the same converged state.
  await page.reload();
  await ready(page);
  assert.equal(await value(page, 'iteration'), ran);
  assert.equal(await value(page, 'loglik'), loglik);
  // maxIterations is checked like any whole number.
  const refused = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('heights', 2, 1);
    const errors = [0, 2.5, 1e7, NaN].map((n) => {
      try {
        lab.runToConvergence(n);
        return null;
      } catch (e) {
        return e.message;
      }
    });
    const capped = lab.runToConvergence(3);
    const s = lab.state();
    lab.free();
    return { errors, capped, iteration: s.iteration, converged: s.converged };
  });
  assert.ok(refused.errors.every((m) => typeof m === 'string' && /maxIterations/.test(m)), refused.errors.join(' | '));
  assert.deepEqual([refused.capped, refused.iteration, refused.converged], [3, 3, false]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Run to convergence runs in slices: the page answers, the button cancels, and the state stays consistent', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  // Two clicks in one task: the first runs one slice and schedules the next, the second cancels it.
  const first = await page.evaluate(() => {
    const button = document.getElementById('btn-converge');
    button.click();
    const during = { pressed: button.getAttribute('aria-pressed'), text: button.textContent, status: document.getElementById('status').textContent };
    button.click();
    return during;
  });
  assert.equal(first.pressed, 'true');
  assert.equal(first.text, 'Cancel');
  assert.match(first.status, /^Running to convergence… iteration \d+/);
  assert.equal(await page.getAttribute('#btn-converge', 'aria-pressed'), 'false');
  assert.equal(await page.textContent('#btn-converge'), 'Run to convergence');
  assert.equal(await page.textContent('#status'), 'Stopped: run to convergence was cancelled.');
  const stopped = await value(page, 'iteration');
  assert.ok(stopped > 0, `${stopped} iterations ran before the cancel`);
  assert.equal(await page.textContent('#converged'), 'no');
  // The readouts are those of the state reached: as many whole iterations of stepping give the same ℓ.
  const loglik = await value(page, 'loglik');
  const stepped = await page.evaluate(async (n) => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('two-gaussians', 2, 1);
    for (let i = 0; i < n; i += 1) lab.step();
    const l = lab.state().logLikelihood;
    lab.free();
    return l;
  }, stopped);
  assert.equal(loglik, stepped);
  // Started again, it runs on to convergence.
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  assert.equal(await page.textContent('#converged'), 'yes');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the speed control sets the pace of Run', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'heights');
  const count = async (speed) => {
    await page.click('#btn-reset');
    await page.fill('#speed', String(speed));
    const before = await halfSteps(page);
    await page.click('#btn-run');
    await page.waitForTimeout(1500);
    await page.click('#btn-run');
    return (await halfSteps(page)) - before;
  };
  const slow = await count(2);
  assert.equal(await page.textContent('#speed-value'), '2 half-steps/s');
  // One is singular ("1 half-steps/s" before).
  await page.fill('#speed', '1');
  assert.equal(await page.textContent('#speed-value'), '1 half-step/s');
  const fast = await count(20);
  console.log(`half-steps in 1.5 s: ${slow} at speed 2, ${fast} at speed 20`);
  assert.ok(slow >= 1 && slow <= 4, `speed 2: ${slow}`);
  assert.ok(fast >= 2 * slow + 4, `speed 20: ${fast} vs ${slow}`);
  // The last position runs as fast as the page draws, and says so.
  await page.fill('#speed', '61');
  assert.equal(await page.textContent('#speed-value'), 'as fast as it draws');
  // A change while running takes effect at the next tick: from 0.5 (2 s apart) to 20 while running.
  await page.click('#btn-reset');
  await page.fill('#speed', '0.5');
  await page.click('#btn-run');
  await page.fill('#speed', '20');
  await page.waitForTimeout(1000);
  await page.click('#btn-run');
  assert.ok((await halfSteps(page)) >= 5, 'the new pace was used without waiting out the old one');
  assert.deepEqual(problems, []);
  await page.close();
});

test('each preset brings its lesson K, variance floor and seed', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'three-gaussians');
  assert.equal(await page.inputValue('#k'), '3');
  assert.equal((await column(page, 2)).length, 3);
  await page.selectOption('#preset', 'collapse');
  assert.equal(await page.inputValue('#k'), '2');
  assert.equal(await page.inputValue('#reg'), '0');
  await page.selectOption('#preset', 'three-gaussians');
  await page.selectOption('#preset', 'three-coins');
  assert.equal(await page.inputValue('#k'), '2');
  assert.equal(await page.inputValue('#reg'), '0.000001');
  await page.selectOption('#start', '1');
  await page.click('#btn-step');
  const w = await column(page, 2);
  const h = await column(page, 3);
  assert.equal(w.length, 2);
  assert.ok(Math.abs(w[0] - 0.4064) < 1e-4 && Math.abs(h[0] - 0.5368) < 1e-4 && Math.abs(h[1] - 0.6432) < 1e-4, `${w} ${h}`);
  await page.selectOption('#preset', 'kmeans:three-blobs');
  assert.equal(await page.inputValue('#k'), '3');
  // The seed too: the two long clouds are told from seed 2 (seed 1 ends in a local optimum), and the next
  // lesson takes its own seed again, not the one before.
  await page.fill('#seed', '5');
  await page.dispatchEvent('#seed', 'change');
  await page.selectOption('#preset', 'two-elongated');
  assert.equal(await page.inputValue('#seed'), '2');
  await page.selectOption('#preset', 'kmeans:two-elongated');
  assert.equal(await page.inputValue('#seed'), '2');
  await page.selectOption('#preset', 'heights');
  assert.equal(await page.inputValue('#seed'), '1');
  const catalog = await page.evaluate(async () => {
    const { presetCatalog } = await import('./pkg/emlab.js');
    return presetCatalog().map(({ name, k, reg, seed }) => `${name}:${k}:${reg}:${seed}`);
  });
  assert.deepEqual(catalog, ['heights:2:0.000001:1', 'two-gaussians:2:0.000001:1', 'three-gaussians:3:0.000001:1',
    'collapse:2:0:1', 'old-faithful:2:0.000001:1', 'three-blobs:3:0.000001:1', 'two-elongated:2:0.000001:2',
    'three-coins:2:0.000001:1', 'five-sets:2:0.000001:1', 'death-notices:2:0.000001:1']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('?lang=zh forces Chinese, ?lang=en English; otherwise the language last chosen', async () => {
  let { page, problems } = await openPage(context, '?lang=zh');
  await ready(page);
  assert.equal(await page.textContent('#btn-e'), 'E 步');
  assert.equal(await page.inputValue('#lang'), 'zh');
  await page.close();
  assert.deepEqual(problems, []);
  // The menu's choice is remembered for the next visit without ?lang=, but ?lang= wins over it.
  ({ page, problems } = await openPage(context, '?lang=en'));
  await ready(page);
  assert.equal(await page.textContent('#btn-e'), 'E-step');
  await page.selectOption('#lang', 'zh');
  await page.close();
  ({ page, problems } = await openPage(context));
  await ready(page);
  assert.equal(await page.textContent('#btn-e'), 'E 步');
  await page.close();
  ({ page, problems } = await openPage(context, '?lang=en'));
  await ready(page);
  assert.equal(await page.textContent('#btn-e'), 'E-step');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(problems, []);
  await page.close();
});

test('switching the language mid-lesson leaves nothing said in the old one', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  await page.click('#btn-e');
  await page.click('#btn-m');
  await page.waitForTimeout(1200); // the session is saved when the page is idle
  await page.reload();
  await ready(page);
  await page.click('#btn-m'); // refused: q has not changed since the last M-step
  const said = () => page.evaluate(() => ['alert', 'data-alert', 'data-status']
    .map((id) => document.getElementById(id))
    .filter((el) => !el.hidden && el.textContent.trim() !== '')
    .map((el) => `${el.id}: ${el.textContent}`));
  const before = await said();
  assert.ok(before.some((t) => t.startsWith('alert: q has not changed')), JSON.stringify(before));
  assert.ok(before.some((t) => t.startsWith('data-status: Restored')), JSON.stringify(before));
  // Both stayed in English beside the Chinese status.
  await page.selectOption('#lang', 'zh');
  assert.deepEqual(await said(), []);
  assert.equal(await page.textContent('#btn-e'), 'E 步');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a second E-step in a row is refused with its reason; the timeline and the trace keep one', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.click('#btn-e');
  const timeline = async () => [await page.getAttribute('#timeline', 'max'), await page.inputValue('#timeline')];
  const before = await timeline();
  await page.click('#btn-e');
  // It was taken: the timeline grew by a half-step that showed the same state, and the trace CSV had the row twice.
  assert.equal(await page.textContent('#alert'), 'θ has not changed since the last E-step, so q would be the same: take an M-step first.');
  assert.deepEqual(await timeline(), before);
  assert.deepEqual(before, ['1', '1']);
  await page.click('#btn-m');
  assert.equal(await page.isVisible('#alert'), false, 'the M-step takes the alert away');
  // k-means says it in its words, in Chinese too.
  await page.selectOption('#lang', 'zh');
  await page.selectOption('#preset', 'kmeans:three-blobs');
  await page.keyboard.press('e');
  await page.keyboard.press('e');
  assert.equal(await page.textContent('#alert'), '自上次分配以来中心没有移动，每个点都会留在原来的中心：请先做更新步（M 步）。');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the stopping rule |Δℓ|/N is never broken across two lines', async () => {
  const { page, problems } = await openPage(context, '?lang=zh');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'three-blobs');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  // How many lines the rule's characters lie on (the status read "… 中 |" then "Δℓ|/N < 1e-10。").
  const lines = await page.evaluate(() => {
    const node = document.getElementById('status').firstChild;
    const text = node.textContent;
    const from = text.indexOf('|');
    const to = text.indexOf('N', from) + 1;
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    return new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
  });
  assert.equal(lines, 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('where the lesson starts from its own θ the page says the seed is unused there, and only there', async () => {
  const { page, problems } = await openPage(context, '?lang=en');
  await ready(page);
  const note = () => page.evaluate(() => {
    const el = document.getElementById('seed-note');
    return el.hidden ? null : el.textContent;
  });
  // Seeds 1, 2, 3, 7 and 9 all gave the same start here, and nothing said why.
  for (const preset of ['five-sets', 'three-coins', 'death-notices']) {
    await page.selectOption('#preset', preset);
    assert.equal(await note(), 'This lesson starts from its own θ at K = 2: the seed picks the random start at other K.', preset);
  }
  await page.fill('#k', '3');
  await page.dispatchEvent('#k', 'change');
  assert.equal(await value(page, 'iteration'), 0);
  assert.equal(await note(), null, 'K = 3 starts from the seed');
  for (const preset of ['heights', 'old-faithful', 'kmeans:three-blobs']) {
    await page.selectOption('#preset', preset);
    assert.equal(await note(), null, preset);
  }
  assert.deepEqual(problems, []);
  await page.close();
});
