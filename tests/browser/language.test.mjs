// The page in Simplified Chinese: every control, readout and figure label comes from the message table.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { canvasInfo, ready } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

test('switching to Chinese relabels the page and the figures', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await ready(page);
  await page.selectOption('#preset', 'heights');
  const english = await canvasInfo(page, 'fig-slice');
  await page.selectOption('#lang', 'zh');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('#btn-e'), 'E 步');
  assert.equal(await page.textContent('#btn-m'), 'M 步');
  assert.equal((await canvasInfo(page, 'fig-histogram')).label, '直方图与混合分布');
  assert.equal((await canvasInfo(page, 'fig-slice')).label, '沿 θ 空间一条直线的下界');
  assert.notEqual((await canvasInfo(page, 'fig-slice')).hash, english.hash, 'the figure text changed language');
  assert.match(await page.textContent('#preset'), /男女身高/);
  // Errors come in Chinese too.
  await page.fill('#k', '11');
  await page.dispatchEvent('#k', 'change');
  assert.match(await page.textContent('#alert'), /K = 11 超出范围/);
  await page.fill('#k', '2');
  await page.dispatchEvent('#k', 'change');
  await page.click('#btn-e');
  await page.click('#btn-m');
  await screenshot(page, 'heights-zh');
  assert.deepEqual(problems, []);
  await page.close();
});

// The file input's own button is the browser's ("Choose File", "No file chosen" on a Chinese page): the
// page shows its own button in the page's language, and a click on it still opens the file chooser.
test('the file button speaks the page language and opens the file chooser', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
  for (const [lang, words] of [['zh', '选择文件…'], ['en', 'Choose a file…']]) {
    await page.selectOption('#lang', lang);
    assert.equal(await page.textContent('.file-button'), words);
    // The browser's own button is there (for the keyboard and screen readers) but not seen.
    assert.equal(await page.$eval('#data-file', (el) => getComputedStyle(el).opacity), '0');
    // The page's button is what is seen, and the input lies over it: a click on it is a click on the input.
    const hit = await page.$eval('.file-button', (el) => {
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.id;
    });
    assert.equal(hit, 'data-file');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('.file-button', { force: true })]);
    assert.equal(chooser.isMultiple(), false);
  }
  // A file chosen through it is read as before.
  await page.setInputFiles('#data-file', { name: 'five.csv', mimeType: 'text/csv', buffer: Buffer.from('x\n1\n2\n3\n10\n11\n') });
  await page.waitForFunction(() => /\b5 points/.test(document.getElementById('data-status').textContent));
  assert.deepEqual(problems, []);
  await page.close();
});

test('in Chinese the refused step\'s readout "M 步被拒（塌缩）" wraps between words, never inside 塌缩', async () => {
  const { page, problems } = await openPage(context, '?lang=zh');
  await page.setViewportSize({ width: 1366, height: 768 });
  await ready(page);
  await page.selectOption('#preset', 'collapse');
  for (const id of ['#btn-e', '#btn-m', '#btn-e', '#btn-m']) await page.click(id);
  assert.equal(await page.textContent('#phase'), 'M 步被拒（塌缩）');
  // The top of each character of 塌缩 (it read "M 步被拒（塌" and "缩）" on the next line).
  const tops = await page.evaluate(() => {
    const node = document.getElementById('phase').firstChild;
    const at = node.textContent.indexOf('塌');
    return [at, at + 1].map((i) => {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      return Math.round(range.getBoundingClientRect().top);
    });
  });
  assert.equal(tops[0], tops[1], `塌 at ${tops[0]}, 缩 at ${tops[1]}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('in Chinese the figures measure text as they draw it: the slice\'s two-line KL note on a coin lesson stays right of its axis (1280×720)', async () => {
  // The measuring canvas, in no document, had no language: the generic sans-serif was another font there, and
  // "10⁻¹²·|ℓ|，记为 0" measured 112 px where it was drawn 127 px wide, over the KL panel's y axis.
  const { page, problems } = await openPage(context, '?lang=zh');
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await page.selectOption('#preset', 'three-coins');
  await page.click('#btn-e');
  await page.click('#btn-m');
  await page.waitForTimeout(300);
  const ink = await page.evaluate(() => {
    const c = document.getElementById('fig-slice');
    const { width: w, height: h } = c;
    const px = c.getContext('2d').getImageData(0, 0, w, h).data;
    const dark = (x, y) => { const i = 4 * (y * w + x); return px[i] + px[i + 1] + px[i + 2] < 450; };
    // The KL panel's y axis: below 60 % of the height, the leftmost column with a dark run of an eighth of it.
    const from = Math.round(0.6 * h);
    for (let x = 0; x < w / 2; x += 1) {
      let longest = 0;
      let now = 0;
      let end = 0;
      for (let y = from; y < h; y += 1) {
        now = dark(x, y) ? now + 1 : 0;
        if (now > longest) { longest = now; end = y; }
      }
      if (longest >= h / 8) {
        // Dark pixels just left of it, from the panel's top down to above its "0" tick label (centred on the
        // panel's bottom).
        let found = 0;
        for (let y = end - longest; y < end - 8; y += 1) {
          for (let dx = 2; dx <= 8; dx += 1) if (dark(x - dx, y)) found += 1;
        }
        return { axis: x, found };
      }
    }
    return null;
  });
  assert.ok(ink, 'the KL panel\'s axis is seen (a label\'s ground hid it)');
  assert.equal(ink.found, 0, `ink just left of the KL panel's axis at x = ${ink.axis}`);
  assert.deepEqual(problems, []);
  await page.close();
});
