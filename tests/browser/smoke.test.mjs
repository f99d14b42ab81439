// Smoke test: the page loads, is titled "EM Lab", and nothing goes wrong on the way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot } from './harness.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

test('page loads with title "EM Lab" and no errors', async () => {
  const { page, problems } = await openPage(context);
  await screenshot(page, 'smoke');
  assert.deepEqual(problems, [], 'console errors, page errors or bad requests');
  assert.match(await page.title(), /EM Lab/);
  await page.close();
});
