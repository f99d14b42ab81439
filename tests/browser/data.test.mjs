// Your own data and a page that never breaks: a bad paste names its line and keeps the old data, a reload
// keeps pasted data and the session, the collapse lesson ends explained (no NaN anywhere), and a hostile
// shared link is rejected with a message without running anything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { forgetSaved, ready, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** Opens the page at 1920×1080 with confirmations accepted, waiting for the first drawing. */
async function open(urlPath = '') {
  const opened = await openPage(context, urlPath);
  opened.page.on('dialog', (dialog) => dialog.accept());
  await opened.page.setViewportSize({ width: 1920, height: 1080 });
  await ready(opened.page);
  return opened;
}

/** Deletes what earlier tests saved, so each test starts from a fresh page. */
async function fresh() {
  const opened = await open();
  await forgetSaved(opened.page);
  return opened;
}

/** The page's visible text, which must never show NaN. */
async function assertNoNaN(page) {
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /NaN/, 'NaN on the page');
}

async function state(page) {
  return page.evaluate(() => ({
    preset: document.getElementById('preset').value,
    summary: document.getElementById('data-summary').textContent,
    alert: document.getElementById('data-alert').hidden ? '' : document.getElementById('data-alert').textContent,
  }));
}

async function setReg(page, text) {
  await page.fill('#reg', text);
  await page.dispatchEvent('#reg', 'change');
}

test('a pasted CSV with a bad line is rejected by line; good data is used, column picked, and kept on reload', async () => {
  const { page, problems } = await fresh();
  const start = await value(page, 'loglik');
  const before = await state(page);
  assert.equal(before.summary, '1,000 points');

  await page.click('#data-details summary');
  await page.fill('#data-text', 'height\n170\n165.5\n17O\n180\n');
  await page.click('#btn-data-use');
  const rejected = await state(page);
  assert.equal(rejected.alert, 'Line 4, column 1: “17O” is not a number.');
  assert.equal(rejected.preset, before.preset, 'the previous data set is still selected');
  assert.equal(rejected.summary, '1,000 points', 'the previous data is still shown');
  assert.equal(await value(page, 'loglik'), start, 'the previous state is still shown');

  // Two columns with a header: the picker offers the header names; choosing one uses that column.
  await page.fill('#data-text', 'name\tcm\tkg\nAna\t160\t55\nBo\t172\t70\nCy\t181\t82\nDi\t158\t50\nEd\t175\t77\n');
  await page.click('#btn-data-use');
  assert.match((await state(page)).alert, /^Line 2, column 1: “Ana” is not a number\.$/);
  await page.fill('#data-text', 'cm,kg\n160,55\n172,70\n181,82\n158,50\n175,77\n168,61\n');
  await page.waitForSelector('#data-column-label:not([hidden])');
  assert.deepEqual(await page.$$eval('#data-column option', (o) => o.map((x) => x.textContent)), ['cm', 'kg']);
  await page.selectOption('#data-column', '1');
  const used = await state(page);
  assert.equal(used.alert, '');
  assert.equal(used.preset, 'custom');
  assert.equal(used.summary, '6 points');
  const means = await page.evaluate(() => Array.from(document.querySelectorAll('#params tbody tr td:nth-child(3)'), (c) => Number(c.dataset.value)));
  assert.ok(means.every((m) => m >= 50 && m <= 82), `kg column used: ${means}`);
  await page.click('#btn-step');
  await page.click('#btn-step');
  const iterated = await value(page, 'loglik');

  // Reload: the data, the text box and the session (two steps) are all still there.
  await page.reload();
  await ready(page);
  const again = await state(page);
  assert.equal(again.preset, 'custom');
  assert.equal(again.summary, '6 points');
  assert.equal(await value(page, 'iteration'), 2);
  assert.equal(await value(page, 'loglik'), iterated);
  assert.match(await page.inputValue('#data-text'), /^cm,kg\n160,55/);
  assert.match(await page.textContent('#data-status'), /Restored your last session/);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('clicking adds and removes points; Clear empties; Start over forgets everything', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'three-gaussians');
  // The lesson's K here is 3; this test builds a data set with K = 2.
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  await page.click('#data-details summary');
  await page.click('#mode-add');
  const box = await page.locator('#fig-histogram').boundingBox();
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.5);
  assert.equal((await state(page)).summary, '1,001 points');
  assert.equal((await state(page)).preset, 'custom');
  assert.match(await page.textContent('#data-status'), /^Added x = /);
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.5);
  await page.keyboard.up('Shift');
  assert.equal((await state(page)).summary, '1,000 points');
  assert.match(await page.textContent('#data-status'), /^Removed x = /);

  await page.click('#btn-data-clear');
  assert.equal(await page.textContent('#loglik'), '—');
  assert.equal(await page.inputValue('#data-text'), '');
  // Build a data set by clicking: K is reduced until there are two distinct values.
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.5);
  assert.match(await page.textContent('#data-status'), /Using K = 1 until there are 2/);
  // A reload mid-way goes on as it was: the axes, K held below 2 until a second value, adding on (it lost
  // all three: the axes shrank to the point's own, K stayed 1 for good, and clicks chose points).
  await page.waitForTimeout(400);
  await page.reload();
  await ready(page);
  assert.equal(await page.getAttribute('#mode-add', 'aria-pressed'), 'true');
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.5);
  assert.equal((await state(page)).summary, '2 points');
  assert.equal(await page.$$eval('#params tbody tr', (rows) => rows.length), 2);
  // The axes stayed those of the data before Clear, so the clicks landed 40 % of its width apart (on the
  // first point's own axes they landed within 1 of each other, and no click could build a spread).
  const [lo, hi] = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    return Array.from(Lab.preset('three-gaussians', 2, 1).dataExtent());
  });
  const values = () => page.inputValue('#data-text').then((t) => t.trim().split('\n').map(Number));
  const [a, b] = await values();
  assert.ok(b - a > 0.3 * (hi - lo), `clicked ${a} and ${b} on data that spanned ${lo} to ${hi}`);
  // A third point, now in add mode on the lab the clicks built: on the same axes.
  await page.mouse.click(box.x + box.width * 0.9, box.y + box.height * 0.5);
  const [, , c] = await values();
  assert.ok(Math.abs((c - a) / (b - a) - 1.5) < 0.1, `the third click at ${c}, after ${a} and ${b}`);
  await assertNoNaN(page);

  await page.evaluate(() => { document.getElementById('data-details').open = true; }); // closed by the reload
  await page.click('#btn-start-over');
  await ready(page);
  assert.equal(await page.evaluate(() => localStorage.getItem('emlab.data')), null);
  assert.equal((await state(page)).preset, 'heights');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a point removed where θ has an emptied component says EM starts again from its means, as it does', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'collapse');
  await page.click('#data-details summary');
  await page.click('#mode-add');
  const box = await page.locator('#fig-histogram').boundingBox();
  const shiftClick = async (fx) => {
    await page.keyboard.down('Shift');
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * 0.5);
    await page.keyboard.up('Shift');
  };
  for (const id of ['#btn-e', '#btn-m', '#btn-e']) await page.click(id);
  // The isolated point at 10 (the histogram's right end) goes; θ is a start for the 12 points left.
  await shiftClick(0.9);
  assert.match(await page.textContent('#data-status'), /^Removed x = 10; EM starts again from the current θ\.$/);
  // An E- and an M-step empty the component that sat on it (weight 0): θ is no start for other data.
  for (const id of ['#btn-e', '#btn-m']) await page.click(id);
  const weights = await page.$$eval('#params tbody tr', (rows) => rows.map((r) => Number(r.cells[1].dataset.value)));
  assert.ok(weights.includes(0), `an emptied component: ${weights}`);
  await shiftClick(0.3);
  // It said "EM starts again from the current θ" while EM started from the means with equal weights.
  assert.match(
    await page.textContent('#data-status'),
    /^Removed x = \S+; the current θ is no start for the data left, so EM starts again from its means with equal weights and the data's variance\.$/,
  );
  const restarted = await page.$$eval('#params tbody tr', (rows) => rows.map((r) => Number(r.cells[1].dataset.value)));
  assert.deepEqual(restarted, [0.5, 0.5]);
  const lower = await page.getAttribute('#lower-bound', 'data-value');
  assert.ok(Number.isFinite(Number(lower)), `L is a number, not ${lower}`);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a floor above 0 typed at a collapse takes it back, as its note advises, and EM goes on', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'collapse');
  await setReg(page, '0');
  for (let i = 0; i < 200 && !(await page.isVisible('#collapse-box')); i += 1) await page.click('#btn-step');
  assert.match(await page.textContent('#collapse-text'), /set reg above 0/);
  const iteration = await value(page, 'iteration');
  await setReg(page, '1e-3');
  assert.ok(!(await page.isVisible('#collapse-box')), 'the collapse is taken back');
  assert.equal(await page.evaluate(() => document.body.dataset.collapse), 'false');
  await page.click('#btn-m');
  assert.equal(await value(page, 'iteration'), iteration + 1, 'the M-step is made under the new floor');
  assert.doesNotMatch(await page.textContent('#alert'), /collapsed/);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('converged under a floor that lowers ℓ a little at every M-step, the status says both; Run there says it has nothing to do', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'heights');
  await setReg(page, '100');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
  assert.equal(await page.textContent('#converged'), 'yes');
  // It said only "… and ℓ fell" beside a readout that said converged.
  assert.equal(
    await page.textContent('#status'),
    "Converged: |\u2060Δℓ\u2060|\u2060/\u2060N < 1e−10 over a full iteration (E then M), although ℓ fell a little: the variance floor added to every variance moves θ off the bound's maximum.",
  );
  // Run there stops at once, and says why (Run flipped to Pause and back without a word).
  await page.click('#btn-run');
  assert.equal(await page.textContent('#alert'), 'Converged already: Run has nothing left to do. E-step and M-step still step on; Reset goes back to the start.');
  assert.equal(await page.getAttribute('#btn-run', 'aria-pressed'), 'false');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the death notices converge under the default rule with the lesson\'s caveat in the status, also in presentation mode', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'death-notices');
  const converge = async () => {
    await page.click('#btn-converge');
    await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
    assert.equal(await page.textContent('#converged'), 'yes');
  };
  await converge();
  // "Converged" alone, the caveat below the panel's edge (and not at all in presentation mode).
  assert.equal(
    await page.textContent('#status'),
    'Converged by the rule |\u2060Δℓ\u2060|\u2060/\u2060N < 1e−10, yet the likelihood is so flat here that the published fit (π₁ = 0.3599, λ = 1.2561, 2.6634) is reached only under a rule 10,000 times stricter, after about 1,900 iterations: EM can converge very slowly.',
  );
  assert.equal(await page.getAttribute('#status', 'data-present'), 'true');
  await page.keyboard.press('p');
  assert.equal(await page.isVisible('#status'), true, 'shown in presentation mode');
  await page.keyboard.press('Escape');
  // At another K the lesson's start and its numbers are not the run's: the rule alone.
  await page.fill('#k', '3');
  await page.dispatchEvent('#k', 'change');
  await converge();
  assert.match(await page.textContent('#status'), /^Converged: /);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Enter in the floor\'s field applies it and leaves the field, so E steps EM again', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'heights');
  await page.click('#reg');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0.01');
  await page.keyboard.press('Enter');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'reg', 'the field was left');
  assert.equal(await page.textContent('#status'), 'The variance floor is now reg = 0.01: a new M-step adds it to every variance.');
  // The E went into the field (emptied it), and leaving it said "enter a number" beside the floor applied.
  await page.keyboard.press('e');
  assert.equal(await page.inputValue('#reg'), '0.01');
  assert.equal(await page.textContent('#phase'), 'E-step');
  assert.equal(await page.isVisible('#reg-alert'), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a floor typed at convergence is said to come with the next M-step, not "ℓ rose" of the last one', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'heights');
  await page.click('#btn-converge');
  await page.waitForFunction(() => document.getElementById('converged').textContent === 'yes');
  const iteration = await value(page, 'iteration');
  await setReg(page, '100');
  assert.equal(await page.textContent('#status'), 'The variance floor is now reg = 100: a new M-step adds it to every variance.');
  assert.equal(await page.textContent('#converged'), 'no');
  assert.equal(await value(page, 'iteration'), iteration, 'nothing stepped');
  await page.click('#btn-e');
  assert.match(await page.textContent('#status'), /^E-step done/);
  await page.click('#btn-m');
  assert.match(await page.textContent('#status'), /variance floor added to every variance moved it off that maximum, and ℓ fell/);
  await page.selectOption('#lang', 'zh');
  await setReg(page, '0.5');
  assert.equal(await page.textContent('#status'), '方差下限现为 reg = 0.5：新的 M 步会把它加到每个方差上。');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(problems, []);
  await page.close();
});

test('with every point cleared the step buttons and Copy link are off, and a clicked point brings them back', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '1\n2\n3\n10\n11\n12\n');
  await page.click('#btn-data-use');
  await page.click('#btn-step');
  await page.click('#btn-data-clear');
  assert.equal(await page.textContent('#iteration'), '—');
  const labControls = ['btn-e', 'btn-m', 'btn-step', 'btn-undo', 'btn-redo', 'btn-run', 'btn-converge', 'btn-reset', 'btn-link', 'timeline', 'btn-export-csv'];
  const disabled = () => page.evaluate((ids) => ids.filter((id) => {
    const el = document.getElementById(id);
    return el.disabled || el.getAttribute('aria-disabled') === 'true';
  }), labControls);
  // Copy link said "Cannot read properties of null (reading 'link')"; Run to convergence threw.
  assert.deepEqual(await disabled(), labControls);
  // The blank data figure says where clicks go (four white boxes said nothing); the others stay blank.
  const inked = await page.evaluate(() => ['fig-histogram', 'fig-slice'].map((id) => {
    const c = document.getElementById(id);
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) n += 1;
    return n;
  }));
  assert.ok(inked[0] > 200 && inked[1] === 0, `ink on the data figure and the slice: ${inked}`);
  // On the axes of the data before Clear, where the clicks land (a blank box gave no idea of x).
  const axisRows = await page.evaluate(() => {
    const c = document.getElementById('fig-histogram');
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let rows = 0;
    for (let y = 0; y < c.height; y += 1) {
      let dark = 0;
      for (let x = 0; x < c.width; x += 1) if (pixels[(y * c.width + x) * 4] < 150 && pixels[(y * c.width + x) * 4 + 3] > 0) dark += 1;
      if (dark > 0.4 * c.width) rows += 1;
    }
    return rows;
  });
  assert.ok(axisRows >= 1, 'the empty data figure draws its x axis');
  // No slice menu over the empty slice figure; it is back with the first point.
  assert.equal(await page.isVisible('#slice-along'), false);
  for (const key of ['e', 'm', ' ', 'c', 'u', 'r']) await page.keyboard.press(key);
  assert.equal(await page.isVisible('#alert'), false);
  // The "No data…" line follows the language (it stayed English in the Chinese page).
  const english = await page.textContent('#status');
  assert.match(english, /^No data/);
  await page.selectOption('#lang', 'zh');
  assert.doesNotMatch(await page.textContent('#status'), /No data/);
  assert.equal(await page.textContent('#data-status'), await page.textContent('#status'));
  await page.selectOption('#lang', 'en');
  assert.equal(await page.textContent('#status'), english);
  // A click on the figure adds the first point: a lab again, at its start, with nothing to undo.
  const box = await page.locator('#fig-histogram').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('iteration').textContent === '0');
  const x = Number(await page.inputValue('#data-text'));
  assert.ok(x > 1 && x < 12, `the point lands inside the axes of 1…12: ${x}`);
  assert.equal(await page.isVisible('#slice-along'), true);
  assert.deepEqual(await disabled(), ['btn-undo', 'btn-redo']);
  await page.click('#btn-e');
  assert.deepEqual(await disabled(), ['btn-redo']);
  assert.deepEqual(problems, []);
  await page.close();
});

test('Clear says it empties the text box, and a reload after it starts afresh without calling the save unreadable', async () => {
  const opened = await openPage(context, '');
  const { page, problems } = opened;
  const asked = [];
  page.on('dialog', (dialog) => { asked.push(dialog.message()); dialog.accept(); });
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await forgetSaved(page);
  await page.click('#data-details summary');
  await page.fill('#data-text', '1\n2\n3\n10\n11\n12\n');
  await page.click('#btn-data-use');
  await page.click('#btn-data-clear');
  // It promised "Your pasted text stays in the box" and emptied the box.
  assert.deepEqual(asked, ['Remove all data points and empty the text box? Undo cannot bring them back.']);
  assert.equal(await page.inputValue('#data-text'), '');
  await page.waitForTimeout(400);
  await page.reload();
  await ready(page);
  // It said "Your saved session could not be opened" and set the (empty) save aside.
  assert.equal(await page.isVisible('#restore-box'), false);
  assert.equal(await page.inputValue('#preset'), 'heights');
  assert.match(await page.textContent('#status'), /^Ready/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('what a Chinese keyboard types is read: full-width digits and minus in the data, K = ３, 正/反 for coins', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#lang', 'zh');
  await page.click('#data-details summary');
  // "－1.5" on the first line was taken for a column name and dropped without a word.
  await page.fill('#data-text', '－1.5\n２\n３\n１０．５\n１１\n');
  await page.click('#btn-data-use');
  assert.equal(await page.isVisible('#data-alert'), false);
  assert.match((await state(page)).summary, /^5 /);
  await page.fill('#k', '３');
  await page.press('#k', 'Enter');
  assert.equal(await page.isVisible('#alert'), false, 'K = ３ was "not a whole number"');
  assert.equal(await page.inputValue('#k'), '3');
  assert.equal(await page.$$eval('#params tbody tr', (rows) => rows.length), 3);
  // The Chinese coin table writes tosses as 正/反: typed back, they are read.
  await page.selectOption('#data-model', 'coins');
  await page.fill('#data-text', '正反正正\n反反正反\n正正正正\n反反反反\n');
  await page.click('#btn-data-use');
  assert.equal((await state(page)).alert, '');
  assert.match((await state(page)).summary, /^4 /);
  await page.fill('#data-text', '正反\n正好反\n');
  await page.click('#btn-data-use');
  assert.equal(await page.textContent('#data-alert'), '第 2 行第 2 列：“好” 不是 H、T、1、0、正或反。');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a lesson chosen after your data leaves none of its words behind, and your data takes no lesson\'s floor of 0', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '1\n2\n3\n10\n11\n12\n13\n');
  await page.click('#btn-data-use');
  assert.equal(await page.textContent('#data-status'), 'Using your data: 7 points.');
  await page.selectOption('#preset', 'heights');
  // "Using your data: 7 points." stayed under the heights data.
  assert.equal(await page.textContent('#data-status'), '');
  await setReg(page, '-1');
  assert.equal(await page.isVisible('#reg-alert'), true);
  await page.selectOption('#preset', 'collapse');
  assert.equal(await page.isVisible('#reg-alert'), false, 'the floor\'s error followed into the next lesson');
  assert.equal(Number(await page.inputValue('#reg')), 0);
  // Pasted data took the collapse lesson's reg = 0 and collapsed under it.
  await page.fill('#data-text', '1\n2\n3\n10\n11\n12\n13\n');
  await page.click('#btn-data-use');
  assert.equal(Number(await page.inputValue('#reg')), 1e-6);
  // A floor typed on the lesson is the teacher's and stays.
  await page.selectOption('#preset', 'collapse');
  await setReg(page, '0.5');
  await page.click('#btn-data-use');
  assert.equal(Number(await page.inputValue('#reg')), 0.5);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a collapse under a floor too small for the data says the floor holds it, not that ℓ grows without bound', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '1e150\n2e150\n3e150\n10e150\n11e150\n12e150\n');
  await page.fill('#k', '3');
  await page.press('#k', 'Enter');
  await page.click('#btn-data-use');
  assert.equal(await page.inputValue('#reg'), '0.000001');
  await page.click('#btn-converge');
  await page.waitForSelector('#collapse-box:not([hidden])');
  assert.match(await page.textContent('#alert'), /^The M-step would shrink component 1 onto data point 4 \(variance 1e-6\): the variance floor reg = 1e-6 holds it up/);
  const explained = await page.textContent('#collapse-text');
  assert.match(explained, /The variance floor reg = 1e−6 would keep σ² above 0, but it is tiny against this data's spread/);
  assert.doesNotMatch(explained, /without bound|set reg above 0/);
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the parameter table writes θ of data in thousandths with exponents, not 0.00 for every mean', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '0.0011\n0.0012\n0.0014\n0.0051\n0.0055\n0.0058\n');
  await page.click('#btn-data-use');
  await page.click('#btn-step');
  const cells = await page.$$eval('#params tbody td:not(:first-child)', (c) => c.map((x) => [x.textContent, Number(x.dataset.value)]));
  assert.equal(cells.length, 6);
  for (const [text, v] of cells) {
    assert.notEqual(text, '0.00', `${v} read 0.00`);
    // What it shows reads back as the value: three significant digits, or the weights' three decimals.
    const shown = Number(text.replace('−', '-'));
    assert.ok(Math.abs(shown - v) <= 0.005 * Math.abs(v) + 5e-4, `${text} for ${v}`);
  }
  // Ordinary data keeps its decimals (heights: 0.500, 161.21 and so on).
  await page.selectOption('#preset', 'heights');
  const texts = await page.$$eval('#params tbody td:not(:first-child)', (c) => c.map((x) => x.textContent));
  assert.ok(texts.every((t) => /^−?[\d,]+\.\d{2,3}$/.test(t)), texts.join(' '));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the parameter table writes means of data at 10⁸ whole, so two of them never read the same', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  const values = Array.from({ length: 40 }, (_, i) => 1e8 + (i % 2 ? 6 : 0) + (i % 5) * 0.3);
  await page.fill('#data-text', values.join('\n'));
  await page.click('#btn-data-use');
  await page.click('#btn-step');
  const means = await page.$$eval('#params tbody tr', (rows) => rows.map((r) => [r.cells[2].textContent, Number(r.cells[2].dataset.value)]));
  assert.equal(means.length, 2);
  // Both read "1.0000e8".
  assert.notEqual(means[0][0], means[1][0]);
  for (const [text, v] of means) assert.ok(Math.abs(Number(text.replaceAll(',', '')) - v) <= 0.5, `${text} for ${v}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a collapse shown again by Redo or the timeline keeps its alert, and its half-step says the M-step was refused', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'collapse');
  for (let i = 0; i < 40 && !(await page.isVisible('#collapse-box')); i += 1) await page.click('#btn-step');
  const alert = await page.textContent('#alert');
  assert.match(alert, /^The M-step would collapse component 2 onto data point 13/);
  // It read "E-step": the state is the refused M-step's E-step.
  assert.equal(await page.textContent('#phase'), 'M-step refused (a collapse)');
  // The status line said "E-step done: q is the posterior…" under the alert.
  const status = 'M-step refused: EM stops here until component 2 is re-initialised or a step is undone.';
  assert.equal(await page.textContent('#status'), status);
  // M-step or Run again: the alert flashes (the click changed nothing on screen and seemed lost).
  for (const id of ['#btn-m', '#btn-run']) {
    await page.click(id);
    assert.ok(await page.$eval('#alert', (el) => el.getAnimations().length > 0), `${id} flashed the alert`);
    assert.equal(await page.textContent('#alert'), alert);
    await page.$eval('#alert', (el) => el.getAnimations().forEach((a) => a.finish()));
  }
  const end = await page.inputValue('#timeline');
  await page.click('#btn-undo');
  assert.equal(await page.isVisible('#alert'), false, 'before the collapse, no alert');
  assert.notEqual(await page.textContent('#phase'), 'M-step refused (a collapse)');
  await page.click('#btn-redo');
  // The alert was gone after Redo while the figures showed the collapse again.
  assert.equal(await page.isVisible('#alert'), true);
  assert.equal(await page.textContent('#alert'), alert);
  assert.equal(await page.textContent('#phase'), 'M-step refused (a collapse)');
  assert.equal(await page.textContent('#status'), status);
  await page.click('#btn-undo');
  await page.$eval('#timeline', (el, v) => { el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }, end);
  await page.waitForFunction(() => !document.getElementById('alert').hidden);
  assert.equal(await page.textContent('#alert'), alert, 'the timeline too');
  assert.deepEqual(problems, []);
  await page.close();
});

/** Whether the element is shown whole on screen: inside the viewport and not cut by the side panel's scroll. */
async function shownWhole(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.bottom > innerHeight || r.right > innerWidth || r.top < 0) return false;
    const corners = [[r.left + 2, r.top + 2], [r.right - 2, r.bottom - 2]];
    return corners.every(([x, y]) => el.contains(document.elementFromPoint(x, y)));
  });
}

test('the way out of a collapse and of a symmetric start shows under its alert on a projector', async () => {
  const { page, problems } = await fresh();
  for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080], [1024, 768]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.selectOption('#preset', 'collapse');
    assert.equal(await page.inputValue('#reg'), '0', 'the lesson\'s floor');
    for (let i = 0; i < 40 && !(await page.isVisible('#collapse-box')); i += 1) await page.click('#btn-step');
    assert.equal(await page.evaluate(() => document.body.dataset.collapse), 'true');
    // After the settings (the panel's order) the button was 500 px below the panel's edge at 1280×720.
    assert.ok(await shownWhole(page, '#btn-reinit'), `Re-initialise shown at ${width}×${height}`);
    assert.equal(await page.textContent('#btn-reinit'), 'Re-initialise component 2');
    await page.click('#btn-reinit');
    assert.equal(await page.isVisible('#btn-reinit'), false, 'gone with the collapse');
    await page.selectOption('#preset', 'heights');
    await page.click('#btn-m');
    assert.ok(await shownWhole(page, '#btn-break-symmetry'), `Start again shown at ${width}×${height}`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the collapse preset with reg = 0 ends in the explained collapse state, with no NaN anywhere', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'collapse');
  await setReg(page, '0');
  assert.equal(await page.evaluate(() => document.body.dataset.collapse), 'false');
  for (let i = 0; i < 200 && !(await page.isVisible('#collapse-box')); i += 1) {
    await page.click('#btn-step');
    await assertNoNaN(page);
  }
  assert.ok(await page.isVisible('#collapse-box'), 'EM stopped on a collapse');
  const explained = await page.textContent('#collapse-text');
  assert.match(explained, /^The M-step would put component 2 on the single point x = 10 alone \(σ² = [^)]+\): a Gaussian on one point/);
  assert.match(explained, /1\/√\(2πσ²\) there, which grows without bound as σ → 0\. So ℓ\(θ\) has no maximum/);
  assert.equal(await page.textContent('#btn-reinit'), 'Re-initialise component 2');
  assert.match(await page.textContent('#alert'), /The M-step would collapse component 2 onto data point 13/);
  assert.ok(Number.isFinite(await value(page, 'loglik')));
  // Stepping again only repeats the explanation; nothing turns into NaN.
  await page.click('#btn-step');
  await page.click('#btn-m');
  await assertNoNaN(page);
  assert.equal(await page.evaluate(() => document.body.dataset.collapse), 'true');
  await screenshot(page, 'collapse-explained');

  // The collapse survives a reload (the session is replayed), then re-initialising starts afresh.
  await page.reload();
  await ready(page);
  assert.ok(await page.isVisible('#collapse-box'), 'the collapse state is restored');
  assert.equal(await page.inputValue('#reg'), '0');
  await page.click('#btn-reinit');
  assert.ok(!(await page.isVisible('#collapse-box')));
  assert.equal(await value(page, 'iteration'), 0);
  assert.match(await page.textContent('#data-status'), /^Component 2 starts again from x = /);

  // A floor far above every variance holds nothing up before an M-step has added it: the note said
  // "component 1 has variance 8.48e+1, held up by reg = 1e+300" at the start (1e100 is the largest floor).
  await page.selectOption('#preset', 'heights');
  await setReg(page, '1e100');
  assert.equal(await page.isVisible('#floor-note'), false, 'no note at the start');
  await setReg(page, '1e-6');
  // With the floor back at 1e-6 the same start is held up by reg, and the page says so.
  await page.selectOption('#preset', 'three-gaussians');
  await page.selectOption('#preset', 'collapse');
  await setReg(page, '1e-6');
  for (let i = 0; i < 60 && !(await page.isVisible('#floor-note')); i += 1) await page.click('#btn-step');
  assert.match(await page.textContent('#floor-note'), /^The variance floor is at work: component 2 has variance 1\.\d\de−6, held up by reg = 1e−6;/);
  assert.ok(!(await page.isVisible('#collapse-box')));
  // A floor typed since the last half-step is not "at work" yet: the note waits for the next M-step (it said
  // "held up by reg = 0.01" beside the variance the new floor had not touched).
  await setReg(page, '0.01');
  assert.equal(await page.isVisible('#floor-note'), false, 'not at work before the next M-step');
  await setReg(page, '1e-6');
  // A floor that is not a number ≥ 0 is refused under the field (it was said in the data panel's alert, far
  // below), also when a step button is what leaves the field (the steps' alert was wiped by that step), and
  // the field shows the floor in use again ("5e" stayed in it while reg = 0 was used).
  // Above 1e100 too: at 1e200 an old-faithful M-step was refused as a component shrunk onto a point.
  for (const [typed, leave] of [['-1', 'Tab'], ['5e', 'Tab'], ['-1', '#btn-step'], ['1e200', 'Tab']]) {
    await page.click('#reg', { clickCount: 3 });
    await page.keyboard.type(typed);
    if (leave === 'Tab') await page.keyboard.press('Tab');
    else await page.click(leave);
    assert.equal(await page.textContent('#reg-alert'), 'Variance floor: enter a number from 0 to 1e100, for example 1e-6 or 0.');
    assert.equal(await page.isVisible('#reg-alert'), true, `${typed}, then ${leave}`);
    assert.equal(await page.inputValue('#reg'), '0.000001', typed);
  }
  await setReg(page, '1e-6');
  assert.equal(await page.isVisible('#reg-alert'), false, 'a good floor clears it');
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a hostile shared link is rejected with a message and runs nothing; a good one is applied', async () => {
  const cleared = await fresh();
  await cleared.page.close();
  // Opened straight from the hostile link.
  const { page, problems } = await open('#preset=<script>window.__pwned=1</script>&k=2');
  // Said beside the step buttons (under the data panel it was below the fold at 1366×768).
  const linkAlert = () => page.evaluate(() => (document.getElementById('alert').hidden ? '' : document.getElementById('alert').textContent));
  assert.equal(await linkAlert(), 'The link was ignored: it names a data set that does not exist.');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Only the page's own two module scripts (start.js, app.js): nothing from the link was added.
  assert.deepEqual(
    await page.evaluate(() => [...document.querySelectorAll('script')].map((s) => s.getAttribute('src'))),
    ['start.js', 'app.js'],
  );
  assert.equal(await page.evaluate(() => window.location.hash), '', 'the link is removed once read');

  // A number out of f64 range, an unknown key, an <img onerror> key.
  for (const [hash, message] of [
    ['#preset=heights&k=2&params=0.5,1e400,1;0.5,2,1', 'The link was ignored: params = “1e400” is not a usable value.'],
    ['#k=99999999999999999999', 'The link was ignored: k = “99999999999999999999” is not a usable value.'],
    ['#preset=heights&reg=1e200', 'The link was ignored: reg = “1e200” is not a usable value.'],
    ['#<img src=x onerror="window.__pwned=2">=1', 'The link was ignored: “<img src” is not a setting EM Lab knows.'],
    ['#preset=heights&params=0.5,160,-4;0.5,175,40', 'The link\'s parameters were not used: Variance of component 1 is -4; it must be positive.'],
    // A key given twice was called unknown; 1-D params for a 2-D lesson are refused by name.
    ['#k=2&k=3', 'The link was ignored: it gives “k” twice.'],
    ['#preset=old-faithful&params=0.5,1,1;0.5,2,1', 'The link was ignored: params (weight,mean,variance for each component) is for the 1-D lessons only.'],
  ]) {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    await page.waitForFunction(() => !document.getElementById('alert').hidden);
    assert.equal(await linkAlert(), message);
    await page.evaluate(() => { document.getElementById('alert').hidden = true; });
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);

  // A 10 MB hash (Chromium takes it from script) is rejected unread.
  await page.evaluate(() => { window.location.hash = `preset=${'A'.repeat(10_000_000)}`; });
  await page.waitForFunction(() => !document.getElementById('alert').hidden);
  assert.equal(await linkAlert(), 'The link was ignored: it is 10000008 characters long; at most 2000 are accepted.');
  assert.equal(await page.evaluate(() => window.location.hash), '');
  // The page still works after all that.
  await page.click('#btn-step');
  assert.equal(await value(page, 'iteration'), 1);

  // A good link sets the data set, K, the seed and θ.
  await page.evaluate(() => { window.location.hash = 'preset=two-gaussians&k=2&seed=3&params=0.3,25,9;0.7,35,9'; });
  await page.waitForFunction(() => document.getElementById('preset').value === 'two-gaussians');
  const means = await page.$$eval('#params tbody tr td:nth-child(3)', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual(means, [25, 35]);
  assert.equal(await value(page, 'iteration'), 0);
  await assertNoNaN(page);
  // Every lesson of the data menu opens by name: death-notices, old-faithful and k-means' lessons were
  // said not to exist.
  for (const name of ['death-notices', 'old-faithful', 'kmeans:three-blobs', 'three-coins']) {
    await page.evaluate((h) => {
      document.getElementById('data-alert').hidden = true;
      window.location.hash = h;
    }, `preset=${name}&k=2`);
    await page.waitForFunction((n) => document.getElementById('preset').value === n, name);
    assert.equal(await value(page, 'iteration'), 0);
    assert.equal(await page.evaluate(() => document.getElementById('data-alert').hidden), true, name);
  }
  // A preset alone brings its lesson's K, seed and floor, as choosing it in the menu does (the link's own
  // values win, and are not carried over to the next link).
  for (const [hash, k, seed, reg] of [['preset=three-gaussians', '3', '1', '0.000001'],
    ['preset=collapse', '2', '1', '0'], ['preset=three-gaussians&k=2&seed=4', '2', '4', '0.000001'],
    ['preset=heights', '2', '1', '0.000001']]) {
    await page.evaluate((h) => { window.location.hash = h; }, hash);
    await page.waitForFunction(() => window.location.hash === '');
    await page.waitForFunction((name) => document.getElementById('preset').value === name, hash.split('&')[0].slice(7));
    assert.deepEqual([await page.inputValue('#k'), await page.inputValue('#seed'), await page.inputValue('#reg')],
      [k, seed, reg], hash);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the data panel and the collapse lesson, at 1920×1080 (screenshot)', async () => {
  const { page, problems } = await fresh();
  await page.selectOption('#preset', 'collapse');
  await setReg(page, '0');
  for (let i = 0; i < 200 && !(await page.isVisible('#collapse-box')); i += 1) await page.click('#btn-step');
  await page.click('#data-details summary');
  await page.fill('#data-text', '-1.2\n0.3\n0.8\n1.9\n-0.4\n10');
  await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });
  await screenshot(page, 'data-panel-collapse');
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a K the data cannot take is refused and the field shows the K in use again', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', '1\n2\n3\n10\n11\n');
  await page.click('#btn-data-use');
  assert.equal((await state(page)).alert, '');
  await page.fill('#k', '7');
  await page.press('#k', 'Enter');
  assert.match(await page.textContent('#alert'), /7/);
  // The field kept 7 while the lab had 2 components, and the next "Use this data" used 7 silently.
  assert.equal(await page.inputValue('#k'), '2');
  await page.click('#btn-step');
  await page.click('#btn-data-use');
  assert.equal(await page.inputValue('#k'), '2');
  assert.equal(await page.evaluate(() => document.querySelectorAll('#params tbody tr').length), 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a paste too long for the text box is read as a file: the box stays empty and the page is not frozen', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
  });
  // 300,000 rows (~2.4 MB): pasted into the box, the box's own layout was one task of seconds.
  await page.evaluate(() => {
    const rows = [];
    for (let i = 0; i < 300_000; i += 1) rows.push(String(150 + (i * 7919) % 5000 / 100));
    const dt = new DataTransfer();
    dt.setData('text/plain', rows.join('\n'));
    document.getElementById('data-text').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.getElementById('data-summary').textContent === '300,000 points', null, { timeout: 60_000 });
  assert.equal(await page.inputValue('#data-text'), '', 'the text box stays empty');
  const longest = await page.evaluate(() => Math.max(0, ...window.__long));
  assert.ok(longest < 1000, `no task of a second or more: ${longest} ms`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('numbers typed on one line are a list of values; a lone word is named as not a number', async () => {
  const { page, problems } = await fresh();
  await page.click('#data-details summary');
  await page.fill('#data-text', 'abc');
  await page.click('#btn-data-use');
  // It read "The data set is empty: give at least one number."
  assert.equal((await state(page)).alert, '“abc” is not a number: it was read as column names, and no numbers follow it. Give at least one number.');
  await page.fill('#data-text', '1.2 1.5 2.1 2.3 5.0 5.2 5.9 6.1');
  await page.waitForTimeout(400);
  // No column to pick, and eight values (it was one row of eight columns: "the data has 1" distinct value).
  assert.equal(await page.isVisible('#data-column-label'), false);
  await page.click('#btn-data-use');
  const used = await state(page);
  assert.equal(used.alert, '');
  assert.equal(used.summary, '8 points');
  await assertNoNaN(page);
  assert.deepEqual(problems, []);
  await page.close();
});
