// Page-level helpers for the browser tests: waiting for the app, reading readouts, inspecting canvases.

/** Waits until app.js has loaded the wasm and drawn the first state. */
export async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]');
}

/** Waits until the session save a change puts off (session.js: until the page is idle, at most 500 ms) has
 * been made: an idle callback asked for after it runs after it (at the latest when its own 1 s run out). */
export async function saveLanded(page) {
  await page.evaluate(() => new Promise((resolve) => { requestIdleCallback(() => resolve(), { timeout: 1000 }); }));
}

/** Deletes what earlier tests saved and opens the page again on nothing saved. The save the page's start-up
 * put off lands first, or it would land after the clear (as the page goes). */
export async function forgetSaved(page) {
  await saveLanded(page);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.reload();
  await ready(page);
}

/** The full-precision number behind a readout (`data-value`). */
export async function value(page, id) {
  return Number(await page.getAttribute(`#${id}`, 'data-value'));
}

/** How many pixels of a canvas are not white, and a cheap fingerprint of its contents. */
export async function canvasInfo(page, id) {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId);
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inked += 1;
      hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) >>> 0;
    }
    return { inked, hash, width: canvas.width, height: canvas.height, label: canvas.getAttribute('aria-label') };
  }, id);
}
