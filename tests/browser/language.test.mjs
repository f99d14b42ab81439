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
