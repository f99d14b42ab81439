// History as a timeline (issue 11): undo after an E-step restores the readouts exactly, redo returns to
// them, a jump on #timeline equals stepping there, and Y redoes from the keyboard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { canvasInfo, ready } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** Every readout's exact value and the slice and Jensen figures' pixels: what the class sees of a state. */
async function seen(page) {
  const readouts = await page.evaluate(() => ['iteration', 'loglik', 'lower-bound', 'gap']
    .map((id) => document.getElementById(id).dataset.value));
  return {
    readouts,
    slice: (await canvasInfo(page, 'fig-slice')).hash,
    jensen: (await canvasInfo(page, 'fig-jensen')).hash,
    phase: await page.textContent('#phase'),
  };
}

test('undo, redo and a timeline jump show every state exactly as it was', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.reload();
  await ready(page);
  await page.selectOption('#preset', 'two-gaussians');
  const states = [await seen(page)];
  for (const half of ['e', 'm', 'e', 'm', 'e']) {
    await page.click(`#btn-${half}`);
    states.push(await seen(page));
  }
  assert.equal(await page.getAttribute('#timeline', 'max'), '5');
  assert.equal(await page.inputValue('#timeline'), '5');

  // Undo after an E-step restores the readouts (and the figure) exactly; redo returns.
  await page.click('#btn-undo');
  assert.deepEqual(await seen(page), states[4]);
  assert.equal(await page.isDisabled('#btn-redo'), false);
  await page.click('#btn-redo');
  assert.deepEqual(await seen(page), states[5]);
  assert.equal(await page.isDisabled('#btn-redo'), true, 'nothing to redo at the end');

  // A jump on the timeline equals stepping there, both ways.
  for (const to of [2, 0, 3, 5]) {
    await page.$eval('#timeline', (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, to);
    assert.deepEqual(await seen(page), states[to], `jump to half-step ${to}`);
    assert.equal(await page.inputValue('#timeline'), String(to));
  }

  // U and Y from the keyboard (focus off any field).
  await page.focus('#btn-step');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('u');
  assert.deepEqual(await seen(page), states[4]);
  await page.keyboard.press('y');
  assert.deepEqual(await seen(page), states[5]);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the point the Jensen figure follows is the state\'s own, however the state was reached or read', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const points = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    // Read after every half-step (as the page draws), never read, and reached by the timeline.
    const read = Lab.preset('heights', 2, 1);
    const readPoints = [read.chosenPoint()];
    const halves = ['e', 'm', 'e', 'm', 'e', 'm'];
    for (const half of halves) {
      if (half === 'e') read.eStep(); else read.mStep();
      readPoints.push(read.chosenPoint());
    }
    const unread = Lab.preset('heights', 2, 1);
    const unreadPoints = [];
    for (const half of halves) {
      if (half === 'e') unread.eStep(); else unread.mStep();
    }
    for (const to of [1, 3, 6, 5, 2, 0, 4]) {
      unread.goTo(to);
      unreadPoints[to] = unread.chosenPoint();
    }
    read.free();
    unread.free();
    return { readPoints, unreadPoints };
  });
  assert.deepEqual(points.unreadPoints, points.readPoints);
  // After each E-step the point is the one the state before showed: its gap is seen closing.
  assert.equal(points.readPoints[1], points.readPoints[0]);
  assert.equal(points.readPoints[3], points.readPoints[2]);
  assert.equal(points.readPoints[5], points.readPoints[4]);
  assert.deepEqual(problems, []);
});
