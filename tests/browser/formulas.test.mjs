// The formulas section for every model: the E-step for the chosen point and the M-step, in MathML built
// by the core, with the chosen point's numbers and the θ the next M-step gives; no NaN, no float noise.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { baseUrl, launch, openPage, screenshot } from './harness.mjs';
import { ready } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** The numbers of the `<mn>` elements under `selector` (U+2212 read as a minus). */
const mnNumbers = (page, selector) =>
  page.$$eval(`${selector} math mn`, (els) => els.map((e) => Number(e.textContent.replace('−', '-'))).filter(Number.isFinite));

/** True when some number of `list` reads as `v` to 4 significant digits. */
const shows = (list, v) => list.some((n) => Math.abs(n - v) <= 5.0001e-4 * Math.abs(v) + 1e-300);

/** What a person reads in the formulas section. */
const sectionText = (page) => page.$eval('section.formulas', (s) => s.textContent);

for (const [preset, k] of [['heights', 2], ['old-faithful', 2], ['kmeans:three-blobs', 3], ['three-coins', 2]]) {
  test(`${preset}: the formulas show the chosen point and the next M-step`, async () => {
    const { page, problems } = await openPage(context);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await ready(page);
    await page.selectOption('#preset', preset);
    await page.fill('#k', String(k));
    await page.dispatchEvent('#k', 'change');
    await page.click('#btn-e');

    const section = page.locator('section.formulas');
    assert.equal(await section.isVisible(), true, `${preset}: the formulas are shown`);
    const eCount = await page.locator('#formula-e math').count();
    const mCount = await page.locator('#formula-m math').count();
    assert.ok(eCount >= 2 && mCount >= 2, `${preset}: ${eCount} E lines, ${mCount} M lines`);
    assert.equal(await page.$eval('#formula-e math', (m) => m.namespaceURI), 'http://www.w3.org/1998/Math/MathML');

    // The caption names the chosen point, and its numbers are in the E-step.
    const caption = await page.textContent('#formula-e p');
    const index = Number(await page.getAttribute('#formula-e', 'data-index'));
    assert.match(caption, new RegExp(`^i = ${index + 1}: `), caption);
    const pointNumbers = caption.split(':')[1].match(/[−-]?\d+(\.\d+)?/g).map((t) => Number(t.replace('−', '-')));
    const eNumbers = await mnNumbers(page, '#formula-e');
    for (const v of pointNumbers) assert.ok(shows(eNumbers, v), `${preset}: ${v} of “${caption}” is in the E-step`);

    const text = await sectionText(page);
    assert.doesNotMatch(text, /NaN|undefined|Infinity|e-1[0-9]|\de[-+]?\d/, `${preset}: ${text}`);

    // Each panel says which half-step it is: after an E-step, the E-step just done and the next M-step.
    const titles = () => Promise.all(['#formula-e-title', '#formula-m-title'].map((id) => page.textContent(id)));
    assert.deepEqual(await titles(), ['The E-step just done, for the chosen point', 'Next M-step, from the current q']);

    // The M-step formula's results are the θ the M-step then shows in the parameter table.
    const mNumbers = await mnNumbers(page, '#formula-m');
    await page.click('#btn-m');
    // After it, the E-step shown is the next one, from the new θ (its q is not the q the figures show).
    assert.deepEqual(await titles(), ['Next E-step, for the chosen point (from the current θ)', 'The M-step just done, from the current q']);
    const theta = await page.$$eval('#params td[data-value]', (cells) => cells.map((c) => Number(c.dataset.value)));
    for (const v of theta) assert.ok(shows(mNumbers, v), `${preset}: θ = ${v} was in the M-step formula`);
    assert.doesNotMatch(await sectionText(page), /NaN|undefined|Infinity|e-1[0-9]|\de[-+]?\d/, preset);

    // Another point: the caption follows.
    await page.keyboard.press('ArrowRight');
    const next = Number(await page.getAttribute('#formula-e', 'data-index'));
    assert.match(await page.textContent('#formula-e p'), new RegExp(`^i = ${next + 1}: `));
    await screenshot(page, `formulas-${preset.replace(':', '-')}`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('the formulas follow the language', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'five-sets');
  await page.click('#btn-e');
  assert.match(await page.textContent('#formula-m'), /\(fixed\)/);
  await page.selectOption('#lang', 'zh');
  assert.match(await page.textContent('#formula-m'), /（固定）/);
  assert.equal(await page.textContent('#formula-e-title'), '刚完成的 E 步：所选数据点');
  assert.equal(await page.textContent('#formula-m-title'), '下一次 M 步（由当前 q）');
  assert.deepEqual(problems, []);
  await page.close();
});

test('no formula line is cut off or scrolls sideways at 1024, 1280, 1366 and 1920 px, 2-D k-means and 1-D', async () => {
  const { page, problems } = await openPage(context);
  for (const [width, height] of [[1024, 768], [1280, 720], [1366, 768], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    for (const preset of ['kmeans:three-blobs', 'heights']) {
      await page.goto(page.url().split('#')[0]);
      await ready(page);
      await page.selectOption('#preset', preset);
      await page.click('#btn-e');
      await page.click('#btn-m');
      for (const lang of ['en', 'zh']) {
        await page.selectOption('#lang', lang);
        const over = await page.$$eval('.formula-grid > div', (cols) => cols.map((c) => c.scrollWidth - c.clientWidth));
        assert.deepEqual(over, [0, 0], `${preset} at ${width}×${height} (${lang}): columns overflow by ${over} px`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('a half-step rewrites the numbers of the formulas in place: the same MathML as parsed afresh, nothing parsed', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  for (const preset of ['two-gaussians', 'old-faithful', 'kmeans:three-blobs', 'five-sets']) {
    await page.selectOption('#preset', preset);
    await page.click('#btn-e');
    await page.click('#btn-m');
    // From here on a half-step changes numbers only: count the page's XML parses over four more.
    await page.evaluate(() => {
      window.__parses = 0;
      const parse = DOMParser.prototype.parseFromString;
      DOMParser.prototype.parseFromString = function counted(...args) {
        window.__parses += 1;
        return parse.apply(this, args);
      };
    });
    const before = await page.$$eval('#formula-e math, #formula-m math', (els) => els.map((e) => e.textContent));
    for (const id of ['#btn-e', '#btn-m', '#btn-e', '#btn-m']) await page.click(id);
    const parses = await page.evaluate(() => window.__parses);
    assert.equal(parses, 0, `${preset}: ${parses} markup parses in four half-steps`);
    // The lines in the page equal the same state's lines parsed afresh: a reload restores the session and
    // fills the empty panels from one parse of every line.
    const serialized = () => page.evaluate(() => {
      const serial = new XMLSerializer();
      const text = (id) => Array.from(document.querySelectorAll(`${id} math`), (m) => serial.serializeToString(m));
      return [text('#formula-e'), text('#formula-m')];
    });
    const shown = await serialized();
    await page.reload();
    await ready(page);
    const reparsed = await serialized();
    assert.deepEqual(shown, reparsed, `${preset}: the lines rewritten in place equal the lines parsed afresh`);
    const after = await page.$$eval('#formula-e math, #formula-m math', (els) => els.map((e) => e.textContent));
    assert.notDeepEqual(after, before, `${preset}: the numbers changed`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('off screen, a click writes the formulas at once and paints them a frame after the figures; on screen, with them', async () => {
  const { page, problems } = await openPage(context);
  await page.setViewportSize({ width: 1280, height: 720 });
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  await page.click('#btn-e');
  await page.click('#btn-m');
  const afterPaint = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => requestAnimationFrame(() => setTimeout(resolve, 0));
    channel.port2.postMessage(0);
  })));
  await afterPaint();
  // The section starts at the screen's bottom edge (the figures fill its height): off screen.
  const click = () => page.evaluate(() => {
    const section = document.querySelector('section.formulas');
    const math = () => document.querySelector('#formula-e math');
    const text = () => section.querySelector('.formula-grid').textContent;
    const before = text();
    document.getElementById(document.getElementById('phase').textContent.includes('E') ? 'btn-m' : 'btn-e').click();
    return {
      top: section.getBoundingClientRect().top - innerHeight,
      later: section.classList.contains('later'),
      changed: text() !== before,
      shown: math().checkVisibility(),
    };
  });
  const off = await click();
  assert.ok(off.top >= -8, `the section starts ${off.top} px from the screen's bottom`);
  assert.deepEqual([off.later, off.changed, off.shown], [true, true, false], 'off screen: written now, painted later');
  await afterPaint();
  assert.equal(await page.$eval('section.formulas', (s) => s.classList.contains('later')), false, 'painted the frame after');
  assert.equal(await page.$eval('#formula-e math', (m) => m.checkVisibility()), true);
  // Scrolled to, they are drawn with the figures.
  await page.$eval('section.formulas', (s) => s.scrollIntoView());
  await afterPaint();
  const on = await click();
  assert.deepEqual([on.later, on.changed, on.shown], [false, true, true], 'on screen: painted with the click');
  assert.deepEqual(problems, []);
  await page.close();
});

test('at start-up, below the screen, the formulas are written but laid out the frame after the first figures', async () => {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(String(err)));
  await page.setViewportSize({ width: 1280, height: 720 });
  // What the page holds when start-up ends (body[data-ready] set), before its first frame is painted.
  await page.addInitScript(() => {
    new MutationObserver((records, observer) => {
      if (!document.body?.dataset.ready) return;
      observer.disconnect();
      const section = document.querySelector('section.formulas');
      window.atReady = {
        top: section.getBoundingClientRect().top - innerHeight,
        later: section.classList.contains('later'),
        written: (document.querySelector('#formula-e')?.textContent ?? '').length,
        shown: document.querySelector('#formula-e math')?.checkVisibility() ?? false,
      };
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  await page.goto(baseUrl(), { waitUntil: 'load' });
  await ready(page);
  const atReady = await page.evaluate(() => window.atReady);
  assert.ok(atReady.top >= -8, `the section starts ${atReady.top} px from the screen's bottom`);
  assert.ok(atReady.written > 20, `the E-step's formula is written at start-up (${atReady.written} characters)`);
  assert.deepEqual([atReady.later, atReady.shown], [true, false], 'not laid out in the first frame');
  // Laid out the frame after (the IntersectionObserver has reported by then); scrolled to, it shows.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
  assert.equal(await page.$eval('section.formulas', (s) => s.classList.contains('later')), false);
  await page.$eval('section.formulas', (s) => s.scrollIntoView());
  assert.equal(await page.$eval('#formula-e math', (m) => m.checkVisibility()), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('no formula line runs past its column: a converged 3-component 2-D mixture at 1920×1080, in Chinese and English', async () => {
  for (const lang of ['zh', 'en']) {
    const { page, problems } = await openPage(context, `?lang=${lang}`);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await ready(page);
    await page.selectOption('#preset', 'three-blobs');
    await page.click('#btn-converge');
    await page.waitForFunction(() => document.getElementById('btn-converge').getAttribute('aria-pressed') === 'false');
    await page.evaluate(() => document.querySelector('.formulas').scrollIntoView());
    await page.waitForFunction(() => !document.querySelector('.formulas').classList.contains('later'));
    const columns = await page.$$eval('.formula-grid > div', (divs) => divs.map((d) => ({ scroll: d.scrollWidth, client: d.clientWidth, left: d.getBoundingClientRect().left })));
    // Side by side (the section is ~1,400 px wide), and neither scrolls: in halves the E-step's lines ran
    // 56 px past the column in Chinese.
    assert.equal(new Set(columns.map((c) => c.left)).size, 2, JSON.stringify(columns));
    for (const c of columns) assert.ok(c.scroll <= c.client + 1, `${lang}: ${JSON.stringify(columns)}`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});
