// The lesson visible (issue 9): at 1280×720, 1366×768 and 1920×1080, in English and Chinese, on heights,
// two-gaussians, old-faithful and three-coins, after an E-step and after an M-step: the page text holds no
// float noise and no negative gap, and a screenshot of each state lands in target/browser-artifacts/lesson/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';
import { canvasInfo, ready, saveLanded } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

const SIZES = [[1280, 720], [1366, 768], [1920, 1080]];
const PRESETS = ['heights', 'two-gaussians', 'old-faithful', 'three-coins'];

/** Float noise or a wrong sign a student must never read in the page text. */
function noise(text) {
  return [/\de-1\d/, /NaN/, /\binf\b/i, /KL[^\n]*[−-]0(\.0+)?\b/, /(^|\s)[−-]0(\.0+)?(\s|$)/m]
    .filter((re) => re.test(text))
    .map(String);
}

for (const lang of ['en', 'zh']) {
  test(`every preset after E and after M at three screen sizes, ${lang}: no float noise, figures drawn`, async () => {
    const { page, problems } = await openPage(context, `?lang=${lang}`);
    await ready(page);
    await saveLanded(page);
    await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    await page.selectOption('#lang', lang);
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      for (const preset of PRESETS) {
        await page.selectOption('#preset', preset);
        await page.fill('#k', '2');
        await page.dispatchEvent('#k', 'change');
        for (const half of ['e', 'm']) {
          await page.click(`#btn-${half}`);
          const text = await page.evaluate(() => document.body.innerText);
          assert.deepEqual(noise(text), [], `${preset} after ${half} at ${width}×${height} (${lang})`);
          for (const id of ['fig-histogram', 'fig-slice', 'fig-jensen', 'fig-trace']) {
            assert.ok((await canvasInfo(page, id)).inked > 500, `${id} drawn`);
          }
          const gap = Number(await page.getAttribute('#gap', 'data-value'));
          assert.ok(!(gap < 0) || Math.abs(gap) < 1e-9, `the gap readout is never negative: ${gap}`);
          await screenshot(page, `lesson/${lang}-${width}x${height}-${preset}-after-${half}`, { fullPage: false });
        }
      }
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
}
