// Exports: `lab.exportSvg(figureId)` is well-formed SVG with the figure's title and refuses an unknown
// figure with an Error; the page's buttons download SVG, a PNG at 2× the figure's size on screen, and the
// trace as CSV with one row per half-step.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { canvasInfo, ready, value } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** Parses SVG text in the page: `{ok, root, texts}` (ok when DOMParser reports no parsererror). */
function parseSvg(page, svg) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const ok = doc.getElementsByTagName('parsererror').length === 0;
    const texts = Array.from(doc.getElementsByTagName('text'), (t) => t.textContent.trim());
    return { ok, root: doc.documentElement.nodeName, texts };
  }, svg);
}

/** Clicks `button` and returns the download it starts: `{name, bytes}`. */
async function downloadOf(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
}

/** Chooses `canvasId` in the export menu once the menu offers it. */
async function chooseFigure(page, canvasId) {
  await page.waitForSelector(`#export-figure option[value="${canvasId}"]`, { state: 'attached' });
  await page.selectOption('#export-figure', canvasId);
}

test('lab.exportSvg is well-formed SVG with the title; an unknown figure throws an Error', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const out = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    const lab = Lab.preset('heights', 2, 1);
    lab.step();
    const thrown = (f) => {
      try {
        f();
        return null;
      } catch (e) {
        return { isError: e instanceof Error, message: e.message };
      }
    };
    const svg = lab.exportSvg('histogram');
    const sized = lab.exportSvg('trace', 1200, 600);
    lab.setLanguage('zh');
    const zh = lab.exportSvg('histogram');
    const unknownZh = thrown(() => lab.exportSvg('x'));
    lab.setLanguage('en');
    const unknown = thrown(() => lab.exportSvg('no-such-figure'));
    const badSize = thrown(() => lab.exportSvg('trace', 2.5));
    // Below the size a figure is drawn at, an export was a blank page (100 × 100).
    const small = [thrown(() => lab.exportSvg('trace', 159, 500)), thrown(() => lab.exportSvg('jensen', 400, 139))];
    const smallest = lab.exportSvg('trace', 160, 140);
    const kmeans = Lab.preset('three-blobs', 3, 1, 'kmeans');
    const notForModel = thrown(() => kmeans.exportSvg('jensen'));
    const ids = { heights: lab.figureIds(), kmeans: kmeans.figureIds() };
    // The slice follows the line the page last drew it along, and the slice the page computed (drawSlice,
    // whole) is the slice an export computes by itself (after a drawSlice cut short by its budget).
    const canvas = document.createElement('canvas');
    canvas.width = 600;
    canvas.height = 400;
    const stepped = () => {
      const l = Lab.preset('heights', 2, 1);
      l.step();
      return l;
    };
    const [whole, partial, em] = [stepped(), stepped(), stepped()];
    const complete = whole.drawSlice(canvas, 0);
    const cut = partial.drawSlice(canvas, 0, 0);
    const slices = { complete, cut, same: whole.exportSvg('slice') === partial.exportSvg('slice'), otherLine: whole.exportSvg('slice') !== em.exportSvg('slice') };
    for (const l of [whole, partial, em]) l.free();
    lab.free();
    kmeans.free();
    return { svg, sized, zh, unknownZh, unknown, badSize, notForModel, ids, slices, small, smallest };
  });
  const parsed = await parseSvg(page, out.svg);
  assert.ok(parsed.ok, 'no parsererror');
  assert.equal(parsed.root, 'svg');
  assert.ok(parsed.texts.includes('Histogram and mixture'), parsed.texts.join(' | '));
  assert.ok(out.svg.includes('width="800" height="500"'), 'the default size');
  assert.ok(out.sized.includes('width="1200" height="600"'));
  assert.ok((await parseSvg(page, out.sized)).texts.includes('Log-likelihood and bound trace'));
  assert.ok((await parseSvg(page, out.zh)).texts.includes('直方图与混合分布'));
  // The figures this model draws: a 1-D lab has no `path` (every model's six were listed).
  assert.deepEqual(out.unknownZh, { isError: true, message: '没有名为“x”的图：可用的图有 histogram, slice, jensen, split, trace。' });
  assert.deepEqual(out.unknown, {
    isError: true,
    message: 'There is no figure “no-such-figure”: the figures are histogram, slice, jensen, split, trace.',
  });
  assert.ok(out.badSize?.isError && /width/.test(out.badSize.message), JSON.stringify(out.badSize));
  assert.deepEqual(out.small.map((e) => e?.message), [
    'width must be a whole number from 160 to 8000; got 159.',
    'height must be a whole number from 140 to 8000; got 139.',
  ]);
  assert.ok((out.smallest.match(/<text/g) ?? []).length >= 3, 'the smallest export is drawn, not blank');
  assert.deepEqual(out.notForModel, {
    isError: true,
    message: 'The kmeans model has no “jensen” figure: it draws histogram, trace.',
  });
  assert.deepEqual(out.slices, { complete: true, cut: false, same: true, otherLine: true });
  assert.deepEqual(out.ids, { heights: ['histogram', 'slice', 'jensen', 'split', 'trace'], kmeans: ['histogram', 'trace'] });
  assert.deepEqual(problems, []);
});

test('the SVG button downloads the chosen figure as the page shows it', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.click('#btn-step');
  await chooseFigure(page, 'fig-histogram');
  const { name, bytes } = await downloadOf(page, '#btn-export-svg');
  assert.match(name, /^emlab-heights-histogram-h2\.svg$/);
  const parsed = await parseSvg(page, bytes.toString('utf8'));
  assert.ok(parsed.ok);
  assert.ok(parsed.texts.includes('Histogram and mixture'));
  assert.deepEqual(problems, []);
});

/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the PNG button downloads the figure at 2× its size on screen, and the screen is left as it was', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await page.click('#btn-step');
  for (const id of ['fig-trace', 'fig-histogram']) {
    const before = await canvasInfo(page, id);
    await chooseFigure(page, id);
    const { name, bytes } = await downloadOf(page, '#btn-export-png');
    assert.match(name, /\.png$/);
    assert.deepEqual(pngSize(bytes), { width: 2 * before.width, height: 2 * before.height }, id);
    const afterExport = await canvasInfo(page, id);
    assert.equal(afterExport.hash, before.hash, `${id} on screen is unchanged`);
  }
  // The offscreen canvas is gone, and a click on the histogram still picks a point.
  assert.equal(await page.$$eval('body > canvas', (c) => c.length), 0);
  const box = await page.locator('#fig-histogram').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.6);
  assert.ok(Number.isInteger(await page.$eval('#fig-jensen', (c) => Number(c.dataset.index))));
  assert.deepEqual(problems, []);
});

test('the CSV button downloads the trace: a header and one row per half-step, ℓ exactly as the readout', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await page.click('#btn-step');
  await page.click('#btn-step');
  await page.click('#btn-e');
  const { name, bytes } = await downloadOf(page, '#btn-export-csv');
  assert.match(name, /^emlab-two-gaussians-trace-h5\.csv$/);
  const lines = bytes.toString('utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  assert.deepEqual(header.slice(0, 6), ['iteration', 'half_step', 'phase', 'loglik', 'lower_bound', 'kl']);
  assert.deepEqual(header.slice(6), ['pi_1', 'pi_2', 'mu_1', 'mu_2', 'var_1', 'var_2']);
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.equal(rows.length, 6, 'the start and five half-steps');
  assert.deepEqual(rows.map((r) => r[2]), ['init', 'e', 'm', 'e', 'm', 'e']);
  const last = rows.at(-1);
  assert.equal(Number(last[3]), await value(page, 'loglik'));
  assert.equal(Number(last[4]), await value(page, 'lower-bound'));
  const means = await page.$$eval('#params tbody tr td:nth-child(3)', (cells) => cells.map((c) => Number(c.dataset.value)));
  assert.deepEqual([Number(last[8]), Number(last[9])], means);
  assert.deepEqual(problems, []);
});

test('every figure of every model exports from the wasm as well-formed SVG with its title', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const results = await page.evaluate(async () => {
    const { Lab, messages } = await import('./pkg/emlab.js');
    const out = [];
    for (const lang of ['en', 'zh']) {
      const text = messages(lang);
      for (const [name, k, model] of [['heights', 2], ['old-faithful', 2], ['three-blobs', 3, 'kmeans'], ['three-coins', 2]]) {
        const lab = Lab.preset(name, k, 1, model);
        lab.setLanguage(lang);
        lab.step();
        const m = lab.state().model;
        const titles = {
          histogram: text[{ gmm1d: 'fig-histogram', gmm2d: 'fig-scatter', kmeans: 'fig-kmeans', coins: 'fig-coins' }[m]],
          path: text['fig-path'],
          slice: text['fig-slice'],
          jensen: text['fig-jensen'],
          split: text['fig-split'],
          trace: text[m === 'kmeans' ? 'fig-trace-hard' : 'fig-trace'],
        };
        for (const id of lab.figureIds()) {
          const doc = new DOMParser().parseFromString(lab.exportSvg(id), 'image/svg+xml');
          const texts = Array.from(doc.getElementsByTagName('text'), (t) => t.textContent.trim());
          out.push({
            what: `${lang} ${name} ${id}`,
            ok: doc.getElementsByTagName('parsererror').length === 0 && doc.documentElement.nodeName === 'svg',
            titled: texts.some((t) => t.startsWith(titles[id])),
          });
        }
        lab.free();
      }
    }
    return out;
  });
  assert.equal(results.length, 2 * (5 + 5 + 2 + 6));
  for (const r of results) assert.deepEqual(r, { what: r.what, ok: true, titled: true });
  assert.deepEqual(problems, []);
});

test('the export menu names each figure as it is drawn: k-means\' trace is of J, the coins\' table and path by their titles', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page);
  const names = () => page.$$eval('#export-figure option', (o) => o.map((x) => x.textContent));
  await page.selectOption('#preset', 'kmeans:three-blobs');
  await page.click('#btn-e');
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#export-figure option')).some((o) => o.textContent === 'k-means objective trace'));
  assert.ok(!(await names()).includes('Log-likelihood and bound trace'), (await names()).join(' | '));
  await page.selectOption('#preset', 'five-sets');
  await page.click('#btn-e');
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#export-figure option')).some((o) => o.textContent === 'Which coin tossed each set?'));
  assert.ok((await names()).includes('Path of θ over the iterations'), (await names()).join(' | '));
  assert.ok((await names()).includes('Log-likelihood and bound trace'));
  assert.deepEqual(problems, []);
  await page.close();
});

