// Your data in every model: a 3-column CSV with a header used as a 2-D mixture on columns 1 and 3 and
// kept on reload; coin text whose bad character is named by line and column while the previous state
// stays; clicks on the 2-D plane add a point and Shift-click removes one; Clear and click a new data set;
// the panel in use at 1920×1080.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { artifactsDir, launch, openPage, screenshot } from './harness.mjs';
import { ready, saveLanded, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** Opens the page at 1920×1080 with confirmations accepted and nothing saved from earlier tests. */
async function fresh() {
  const opened = await openPage(context);
  opened.page.on('dialog', (dialog) => dialog.accept());
  await opened.page.setViewportSize({ width: 1920, height: 1080 });
  await ready(opened.page);
  // The save the page's start-up put off lands first, or it lands after the clear (as the page goes).
  await saveLanded(opened.page);
  await opened.page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await opened.page.reload();
  await ready(opened.page);
  return opened;
}

/** What the data panel shows. */
async function panel(page) {
  return page.evaluate(() => {
    const $ = (id) => document.getElementById(id);
    return {
      preset: $('preset').value,
      model: $('data-model').value,
      summary: $('data-summary').textContent,
      alert: $('data-alert').hidden ? '' : $('data-alert').textContent,
      status: $('data-status').textContent,
      shown: !document.querySelector('.data-panel').closest('[hidden]'),
      columns: $('params').tHead.rows[0].textContent,
    };
  });
}

/** The parameter table's mean (or centre) column as [x, y] pairs (each a column vector, a line a coordinate). */
async function means(page) {
  const cells = await page.$$eval('#params tbody td.vector', (cs) => cs.map((c) => [...c.children].map((d) => d.textContent)));
  return cells.map((lines) => lines.map((v) => Number(v.trim().replace('−', '-'))));
}

async function assertNoNaN(page) {
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /NaN/, 'NaN on the page');
}

/** Clicks on the data figure at a fraction of its width and height, with Shift when `shift`. */
async function clickFigure(page, fx, fy, shift = false) {
  const figure = page.locator('#fig-histogram');
  await figure.scrollIntoViewIfNeeded();
  const box = await figure.boundingBox();
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  if (shift) await page.keyboard.up('Shift');
}

const THREE_COLUMNS = 'a,b,c\n1,100,2\n1.2,200,2.1\n0.9,150,1.8\n1.1,120,2.3\n5,900,7\n5.2,950,7.1\n4.8,990,6.9\n5.1,910,7.3\n';

test('a 3-column CSV with a header: columns 1 and 3 make a 2-D mixture that steps and survives a reload', async () => {
  const { page, problems } = await fresh();
  assert.ok((await panel(page)).shown, 'the data panel is shown for the 1-D mixture');
  await page.click('#data-details summary');
  await page.selectOption('#data-model', 'gmm2d');
  assert.match(await page.textContent('#data-paste-label'), /pick the columns for x₁ and x₂/);
  await page.fill('#data-text', THREE_COLUMNS);
  await page.waitForSelector('#data-column2-label:not([hidden])');
  for (const id of ['data-column', 'data-column2']) {
    assert.deepEqual(await page.$$eval(`#${id} option`, (o) => o.map((x) => x.textContent)), ['a', 'b', 'c']);
  }
  assert.equal(await page.inputValue('#data-column'), '0');
  assert.equal(await page.inputValue('#data-column2'), '1', 'the first two columns by default');
  assert.equal(await page.textContent('#data-column-name'), 'x₁ column');
  await page.selectOption('#data-column2', '2');
  let shown = await panel(page);
  assert.equal(shown.alert, '');
  assert.equal(shown.preset, 'custom');
  assert.equal(shown.model, 'gmm2d');
  assert.equal(shown.summary, '8 points');
  assert.match(shown.columns, /Covariance Σ/, 'a 2-D mixture is shown');
  assert.equal(shown.status, 'Using your data: 8 points.');
  for (const [x, y] of await means(page)) {
    assert.ok(x >= 0.9 && x <= 5.2 && y >= 1.8 && y <= 7.3, `columns a and c are used: (${x}, ${y})`);
  }
  await page.click('#btn-step');
  await page.click('#btn-step');
  assert.equal(await value(page, 'iteration'), 2);
  const loglik = await value(page, 'loglik');
  assert.ok(Number.isFinite(loglik));
  assert.equal(
    await page.evaluate(() => localStorage.getItem('emlab.data')),
    '1,2\n1.2,2.1\n0.9,1.8\n1.1,2.3\n5,7\n5.2,7.1\n4.8,6.9\n5.1,7.3\n',
  );

  await page.reload();
  await ready(page);
  shown = await panel(page);
  assert.equal(shown.preset, 'custom');
  assert.equal(shown.model, 'gmm2d');
  assert.equal(shown.summary, '8 points');
  assert.match(shown.columns, /Covariance Σ/);
  assert.equal(await value(page, 'iteration'), 2);
  assert.equal(await value(page, 'loglik'), loglik, 'the same state, exactly');
  assert.equal(await page.inputValue('#data-text'), THREE_COLUMNS);
  assert.equal(await page.inputValue('#data-column'), '0');
  assert.equal(await page.inputValue('#data-column2'), '2', 'the picked columns are remembered');
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('coin text: sets are used, a bad character is named by line and column and the previous state stays', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'three-coins');
  assert.equal((await panel(page)).model, 'coins', 'the panel follows the model on the page');
  await page.click('#data-details summary');
  assert.equal(await page.textContent('#click-hint'), 'Coin data is not edited by clicking: change the lines above and click “Use this data”.');
  assert.ok(!(await page.isVisible('#mode-add')) && !(await page.isVisible('#mode-remove')), 'no click editing for coins');
  assert.ok(!(await page.isVisible('#data-column-label')));

  await page.fill('#data-text', 'HTTHHTHTHT\nHHHHTHHHTH\nTTHTTTHTTH\n1,1,0,1,1,1,1,0,1,1\n');
  await page.click('#btn-data-use');
  let shown = await panel(page);
  assert.equal(shown.alert, '');
  assert.equal(shown.summary, '4 sets of tosses');
  assert.equal(shown.status, 'Using your data: 4 sets of tosses.');
  assert.match(shown.columns, /Heads prob\. θ/);
  await page.click('#btn-step');
  const before = { loglik: await value(page, 'loglik'), iteration: await value(page, 'iteration') };

  await page.fill('#data-text', 'HTTH\nHHXT\n');
  await page.click('#btn-data-use');
  shown = await panel(page);
  assert.equal(shown.alert, 'Line 2, column 3: “X” is not H, T, 1 or 0.');
  assert.equal(shown.summary, '4 sets of tosses', 'the previous data is still shown');
  assert.equal(shown.preset, 'custom');
  assert.equal(await value(page, 'loglik'), before.loglik, 'the previous state is still shown');
  assert.equal(await value(page, 'iteration'), before.iteration);

  // The same in Chinese.
  await page.selectOption('#lang', 'zh');
  await page.click('#btn-data-use');
  assert.equal((await panel(page)).alert, '第 2 行第 3 列：“X” 不是 H、T、1、0、正或反。');
  await page.selectOption('#lang', 'en');

  // heads,tosses lines; saved as they are, with their model, and restored on reload.
  await page.fill('#data-text', '5,10\n9,10\n8,10\n4,10\n7,10\n');
  await page.click('#btn-data-use');
  assert.equal((await panel(page)).summary, '5 sets of tosses');
  assert.equal(await page.evaluate(() => localStorage.getItem('emlab.data')), '5,10\n9,10\n8,10\n4,10\n7,10\n');
  await page.click('#btn-step');
  const loglik = await value(page, 'loglik');
  await page.reload();
  await ready(page);
  shown = await panel(page);
  assert.equal(shown.model, 'coins');
  assert.equal(shown.summary, '5 sets of tosses');
  assert.equal(await value(page, 'loglik'), loglik);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicks on the 2-D plane add a point, Shift-click removes the nearest; Clear and click a new data set', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'three-blobs');
  // The lesson's K here is 3; this test builds a data set with K = 2.
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  const n = Number((await panel(page)).summary.replace(/\D/g, ''));
  await page.click('#data-details summary');
  assert.equal(await page.textContent('#click-mode-label'), 'Clicking on the plane:');
  await page.click('#mode-add');
  await clickFigure(page, 0.5, 0.45);
  let shown = await panel(page);
  assert.equal(shown.summary, `${n + 1} points`);
  assert.equal(shown.preset, 'custom');
  assert.equal(shown.model, 'gmm2d');
  assert.match(shown.status, /^Added \(−?[\d.]+, −?[\d.]+\); EM starts again from the current θ\.$/);
  assert.equal(await value(page, 'iteration'), 0);
  assert.match(await page.inputValue('#data-text'), /^-?[\d.e-]+,-?[\d.e-]+\n/, 'the text box follows, as x,y lines');
  const added = shown.status.match(/\(([^)]+)\)/)[1];
  await clickFigure(page, 0.5, 0.45, true);
  shown = await panel(page);
  assert.equal(shown.summary, `${n} points`);
  assert.equal(shown.status, `Removed (${added}); EM starts again from the current θ.`, 'the nearest point is the one added');
  await page.click('#mode-remove');
  await clickFigure(page, 0.3, 0.6);
  assert.equal((await panel(page)).summary, `${n - 1} points`);
  await page.click('#btn-step');
  assert.equal(await value(page, 'iteration'), 1);

  // k-means: the same clicks, the model stays k-means, and a reload keeps the clicked data.
  await page.selectOption('#preset', 'kmeans:three-blobs');
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  await page.click('#mode-add');
  await clickFigure(page, 0.6, 0.4);
  shown = await panel(page);
  assert.equal(shown.summary, `${n + 1} points`);
  assert.equal(shown.model, 'kmeans');
  assert.match(shown.columns, /Centre/);
  await page.reload();
  await ready(page);
  shown = await panel(page);
  assert.equal(shown.model, 'kmeans');
  assert.equal(shown.summary, `${n + 1} points`);

  // Clear, then build a data set by clicking: K is reduced until there are two distinct points.
  await page.click('#data-details summary');
  const before = await page.inputValue('#data-text');
  assert.ok(before.split('\n').length > 100, 'the data before Clear');
  await page.click('#btn-data-clear');
  assert.equal(await page.textContent('#loglik'), '—');
  assert.equal(await page.getAttribute('#mode-add', 'aria-pressed'), 'true');
  await clickFigure(page, 0.3, 0.3);
  assert.match((await panel(page)).status, /^Distinct points so far: 1\. Using K = 1 until there are 2\.$/);
  // The panel's model menu mid-build: a 1-D model cannot be clicked on the plane, and says so (the clicks
  // went on building k-means points under a menu that named another model); the 2-D mixture takes the point.
  await page.selectOption('#data-model', 'gmm1d');
  shown = await panel(page);
  assert.equal(shown.model, 'kmeans');
  assert.match(shown.alert, /^Points clicked in after Clear are for the figure on the page/);
  await page.selectOption('#data-model', 'gmm2d');
  assert.equal(await page.evaluate(() => document.getElementById('fig-histogram').getAttribute('aria-label')), 'Data coloured by responsibilities', 'the 2-D mixture on the clicked point');
  await page.selectOption('#data-model', 'kmeans');
  await clickFigure(page, 0.7, 0.7);
  shown = await panel(page);
  assert.equal(shown.summary, '2 points');
  assert.equal(shown.model, 'kmeans');
  // On the axes of the data before Clear: the two points 40 % of its extent apart in x and in y (on the first
  // point's own axes they fell within a unit of each other).
  const built = (await page.inputValue('#data-text')).trim().split('\n').map((l) => l.split(',').map(Number));
  const extent = await page.evaluate(async (text) => {
    const { Lab } = await import('./pkg/emlab.js');
    return Array.from(Lab.fromCsv('kmeans', text, 2, 1).dataExtent());
  }, before);
  assert.ok(Math.abs(built[1][0] - built[0][0]) > 0.3 * (extent[1] - extent[0]), `x: ${built} on ${extent}`);
  assert.ok(Math.abs(built[1][1] - built[0][1]) > 0.3 * (extent[3] - extent[2]), `y: ${built} on ${extent}`);
  assert.equal(await page.$$eval('#params tbody tr', (rows) => rows.length), 2);
  await clickFigure(page, 0.5, 0.5);
  await clickFigure(page, 0.5, 0.5, true);
  shown = await panel(page);
  assert.equal(shown.summary, '2 points');
  assert.match(shown.status, /^Removed \(/);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicked in after Clear: one spot twice, another, then points off their line are taken; a point θ is no start for restarts EM from its means', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'three-blobs');
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  await page.click('#data-details summary');
  await page.click('#btn-data-clear');
  const refused = () => page.evaluate(() => ['alert', 'data-alert'].map((id) => document.getElementById(id)).filter((e) => !e.hidden).map((e) => e.textContent).join(' '));
  // Three points on a line (one of them twice): their covariance is singular up to rounding. As the start's
  // covariance it put every later point ~10¹³ nats from both components, and each further click was refused.
  for (const [fx, fy] of [[0.4, 0.5], [0.4, 0.5], [0.6, 0.4]]) await clickFigure(page, fx, fy);
  assert.equal((await panel(page)).summary, '3 points');
  for (const [i, [fx, fy]] of [[0.5, 0.7], [0.3, 0.3]].entries()) {
    await clickFigure(page, fx, fy);
    const shown = await panel(page);
    assert.equal(await refused(), '', `point ${i + 4} taken`);
    assert.equal(shown.summary, `${i + 4} points`);
    assert.match(shown.status, /^Added \(−?[\d.]+, −?[\d.]+\); EM starts again from the current θ\.$/);
  }
  await page.click('#btn-step');
  assert.equal(await value(page, 'iteration'), 1);
  // Components shrunk onto the points (as after a collapse with no variance floor; here set through the JS
  // API): a point far from both has ℓ of −10¹⁴ nats under θ. `addPoint2d` takes it and returns false: EM
  // starts again from the same means with equal weights and the data's covariance (the page's status says so).
  const restarted = await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const lab = Lab.fromCsv('gmm2d', '0,0\n0,0\n1,1\n1,1\n', 2, 1);
    const tight = [[1e-6, 0], [0, 1e-6]];
    lab.setParams({ weights: [0.3, 0.7], means: [[0, 0], [1, 1]], covariances: [tight, tight] });
    const kept = lab.addPoint2d(0.5, 0.5);
    lab.setParams({ weights: [0.3, 0.7], means: [[0, 0], [1, 1]], covariances: [tight, tight] });
    const far = lab.addPoint2d(1e4, -1e4);
    const p = lab.params();
    return { kept, far, weights: Array.from(p.weights), means: p.means.map((m) => Array.from(m)), cov: p.covariances[0].map((r) => Array.from(r)), n: lab.state().n };
  });
  assert.equal(restarted.kept, true, 'a point θ explains: from the current θ');
  assert.equal(restarted.far, false, 'a point θ is no start for: from the means');
  assert.deepEqual(restarted.means, [[0, 0], [1, 1]]);
  assert.deepEqual(restarted.weights, [0.5, 0.5]);
  assert.ok(restarted.cov[0][0] > 1e6 && restarted.cov[1][1] > 1e6, `the data's covariance: ${JSON.stringify(restarted.cov)}`);
  assert.equal(restarted.n, 6);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a mean of centred data is shown as 0 in the parameter table, as in the formulas, not as float noise', async () => {
  // Old Faithful is standardised: at K = 1 the mean is 0 up to rounding (4.83e−16), which the table wrote
  // out, in exponents that also pushed the covariance column out of the side panel at 1280×720.
  const { page, problems } = await fresh();
  for (const preset of ['old-faithful', 'kmeans:old-faithful']) {
    await page.selectOption('#preset', preset);
    await page.fill('#k', '1');
    await page.press('#k', 'Enter');
    await page.click('#btn-step');
    await page.click('#btn-step');
    const means = await page.evaluate(() => Array.from(document.querySelectorAll('#params tbody tr'), (row) => row.cells[row.cells.length > 3 ? 2 : 1].textContent));
    assert.equal(means.length, 1, preset);
    assert.doesNotMatch(means[0], /e|−16/, `${preset}: the mean shown as ${means[0]}`);
    assert.match(means[0], /^0\.00\s*0\.00$/, `${preset}: ${means[0]}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the 2-D data panel in use, at 1920×1080 (screenshot)', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'old-faithful');
  await page.click('#data-details summary');
  await page.fill('#data-text', THREE_COLUMNS);
  await page.waitForSelector('#data-column2-label:not([hidden])');
  await page.selectOption('#data-column2', '2');
  await page.click('#mode-add');
  await clickFigure(page, 0.55, 0.4);
  for (let i = 0; i < 3; i += 1) await page.click('#btn-step');
  assert.equal((await panel(page)).summary, '9 points');
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await screenshot(page, 'data-panel-2d');
  // What the teacher sees without scrolling: the plane, the readouts and the top of the data panel.
  await page.screenshot({ path: path.join(artifactsDir(), 'data-panel-2d-viewport.png') });
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 2-D collapse with reg = 0 is explained and a component can start again', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.selectOption('#data-model', 'gmm2d');
  await page.fill('#data-text', '0,0.1\n0.4,-0.3\n-0.5,0.2\n0.2,0.6\n-0.1,-0.7\n0.8,0.3\n-0.6,-0.2\n0.3,-0.1\n9,9\n');
  await page.click('#btn-data-use');
  await page.fill('#reg', '0');
  await page.dispatchEvent('#reg', 'change');
  // Some seeds start a component on the isolated point (9, 9); step until it collapses.
  let collapsed = false;
  for (let seed = 1; seed <= 40 && !collapsed; seed += 1) {
    await page.fill('#seed', String(seed));
    await page.dispatchEvent('#seed', 'change');
    for (let i = 0; i < 60 && !collapsed; i += 1) {
      await page.click('#btn-step');
      collapsed = await page.isVisible('#collapse-box');
    }
  }
  assert.ok(collapsed, 'a seed walks a component onto (9, 9)');
  assert.match(await page.textContent('#collapse-text'), /^The M-step would put component \d on the single point x = \(9, 9\) alone \(smallest covariance eigenvalue [^)]+\): a Gaussian squeezed onto one point/);
  await assertNoNaN(page);
  await page.click('#btn-reinit');
  assert.ok(!(await page.isVisible('#collapse-box')));
  assert.match((await panel(page)).status, /^Component \d starts again at x = \([-\d.]+, [-\d.]+\) with the data's covariance\.$/);
  assert.equal(await value(page, 'iteration'), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the scatter redrawn after each half-step is the scatter drawn afresh (points kept as an image between draws)', async () => {
  const { page, problems } = await fresh();
  const mismatches = await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const canvas = () => {
      const c = document.createElement('canvas');
      c.width = 900;
      c.height = 600;
      return c;
    };
    const pixels = (c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const lab = Lab.preset('old-faithful', 3, 2);
    // One canvas redrawn at every half-step (the page's way: the points' image is reused while they are
    // the same), against a new canvas each time.
    const kept = canvas();
    const out = [];
    for (const step of ['eStep', 'mStep', 'eStep', 'mStep', 'undo', 'mStep']) {
      lab[step]();
      lab.drawData(kept, 40, false);
      const anew = canvas();
      lab.drawData(anew, 40, false);
      const [a, b] = [pixels(kept), pixels(anew)];
      let differ = 0;
      for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) differ += 1;
      out.push(`${step}: ${differ}`);
    }
    lab.free();
    return out;
  });
  assert.deepEqual(mismatches, ['eStep: 0', 'mStep: 0', 'eStep: 0', 'mStep: 0', 'undo: 0', 'mStep: 0']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the point the Jensen figure and the formulas describe is ringed on the scatter, and the ring follows it', async () => {
  const { page, problems } = await fresh();
  const { canvasInfo } = await import('./util.mjs');
  for (const preset of ['old-faithful', 'kmeans:three-blobs']) {
    await page.selectOption('#preset', preset);
    await page.click('#btn-e');
    await page.waitForTimeout(200);
    const before = await canvasInfo(page, 'fig-histogram');
    await page.locator('body').press('ArrowRight');
    await page.waitForTimeout(300);
    const moved = await canvasInfo(page, 'fig-histogram');
    // Before the ring, the scatter did not change at all when another point was chosen.
    assert.notEqual(moved.hash, before.hash, `${preset}: the scatter shows which point is chosen`);
    await page.locator('body').press('ArrowLeft');
    await page.waitForTimeout(300);
    assert.equal((await canvasInfo(page, 'fig-histogram')).hash, before.hash, `${preset}: back on the first point`);
    // k-means names its point by coordinates too, not "#448".
    assert.match(await page.textContent('.formulas'), /i = \d+: x = \(/, preset);
  }
  // Side by side, k-means rings the same point as soft EM, and follows it (it ringed a point of its own).
  await page.selectOption('#preset', 'old-faithful');
  await page.check('#compare');
  await page.click('#btn-e');
  await page.waitForTimeout(300);
  const twin = await canvasInfo(page, 'fig-twin');
  await page.locator('body').press('ArrowRight');
  await page.waitForTimeout(300);
  assert.notEqual((await canvasInfo(page, 'fig-twin')).hash, twin.hash, 'the other model\'s ring follows the chosen point');
  await page.uncheck('#compare');
  assert.deepEqual(problems, []);
  await page.close();
});
