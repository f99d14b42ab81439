// The scatter and the responsibility strip are painted as one image (src/figures/marks.rs), not a canvas call
// per point: the canvas, read back pixel by pixel, shows each point's dot in the colour of its responsibilities
// (the blend, or its component's colour with "hard"), white where there is no point, the axes still drawn;
// the SVG export keeps one vector circle per point.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage } from './harness.mjs';
import { ready } from './util.mjs';

let context;
before(async () => {
  context = await launch();
});
after(async () => {
  await context?.close();
});

/** In the page: the lab app.js shows (caught on its next `state()` call, after a redraw forced by `#hard`). */
async function catchLab(page) {
  await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const state = Lab.prototype.state;
    Lab.prototype.state = function caught(...args) {
      window.__lab = this;
      return state.apply(this, args);
    };
  });
}

/** In the page: every dot of the data figure's SVG export laid out at the canvas's size (the same layout,
 * with one vector circle per point), and the canvas's colour at its centre. */
function dotsOnCanvas() {
  const lab = window.__lab;
  const canvas = document.getElementById('fig-histogram');
  const { data: pixels } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const svg = lab.exportSvg('histogram', canvas.width, canvas.height);
  const circles = Array.from(svg.matchAll(/<circle cx="(-?\d+)" cy="(-?\d+)" r="(\d+)"[^>]*fill="#([0-9A-F]{6})"/g), (m) => ({
    x: Number(m[1]), y: Number(m[2]), r: Number(m[3]), fill: m[4],
  }));
  // What is drawn over the dots: the ellipses (on white halos 6 px wide) and the means' markers as polylines
  // and polygons, the legend's box as a rectangle. A dot near any of them is not compared.
  const segments = [];
  for (const [, points] of svg.matchAll(/<poly(?:line|gon)[^>]*points="([^"]+)"/g)) {
    const p = points.trim().split(/\s+/).map((xy) => xy.split(',').map(Number));
    for (let i = 0; i + 1 < p.length; i += 1) segments.push([p[i], p[i + 1]]);
  }
  const boxes = Array.from(svg.matchAll(/<rect x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"/g), (m) => m.slice(1).map(Number))
    .filter(([, , w, h]) => w < canvas.width / 2 && h < canvas.height / 2);
  const nearLine = (x, y) => segments.some(([[ax, ay], [bx, by]]) => {
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
    return Math.hypot(ax + t * dx - x, ay + t * dy - y) < 5;
  });
  const inBox = (x, y) => boxes.some(([bx, by, w, h]) => x >= bx - 1 && x <= bx + w + 1 && y >= by - 1 && y <= by + h + 1);
  // The chosen point's ring (an unfilled circle on a white halo) is drawn over the dots too.
  const rings = Array.from(svg.matchAll(/<circle cx="(-?\d+)" cy="(-?\d+)" r="(\d+)"[^>]*fill="none"/g), (m) => m.slice(1).map(Number));
  const nearRing = (x, y) => rings.some(([rx, ry, r]) => Math.abs(Math.hypot(x - rx, y - ry) - r) < 6);
  const out = [];
  for (const c of circles) {
    if (nearLine(c.x + 0.5, c.y + 0.5) || inBox(c.x, c.y) || nearRing(c.x + 0.5, c.y + 0.5)) continue;
    // The pixel right-below the corner (x, y) the dot is drawn around: it shows the last dot that covers it
    // whole (none covers it in part after that one, else it is a mix and not compared).
    const [px, py] = [c.x + 0.5, c.y + 0.5];
    let top = null;
    let mixed = false;
    for (const o of circles) {
      const d = Math.hypot(o.x - px, o.y - py);
      if (d <= o.r - 0.5) [top, mixed] = [o, false];
      else if (d < o.r + 0.5 && top) mixed = true;
    }
    if (!top || mixed) continue;
    const at = (c.y * canvas.width + c.x) * 4;
    const want = [0, 2, 4].map((i) => parseInt(top.fill.slice(i, i + 2), 16));
    out.push({ at: [c.x, c.y], got: Array.from(pixels.slice(at, at + 3)), want });
  }
  return out;
}

test('2-D points are painted as pixels in their responsibilities\' colours; SVG keeps vector circles', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.evaluate(async () => {
    const { palette } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    window.__palette = palette();
  });
  await catchLab(page);
  await page.selectOption('#preset', 'old-faithful');
  await ready(page);
  await page.click('#btn-e');
  await page.click('#btn-m');
  await page.click('#btn-e');
  for (const hard of [false, true]) {
    await page.evaluate((h) => {
      const box = document.getElementById('hard');
      box.checked = h;
      box.dispatchEvent(new Event('change'));
    }, hard);
    const dots = await page.evaluate(dotsOnCanvas);
    // The hard colours are the palette's; the soft ones blends of it.
    const distinct = new Set(dots.map((d) => d.want.join()));
    const palette = await page.evaluate(() => window.__palette.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)).join()));
    const blends = [...distinct].filter((c) => !palette.includes(c)).length;
    if (hard) assert.ok(distinct.size <= 3 && blends === 0, `${distinct.size} hard colours, ${blends} not the palette's`);
    else assert.ok(blends >= 5, `${blends} blended colours (of ${distinct.size})`);
    // Each compared pixel shows the dot on top there.
    const close = (a, b) => a.every((v, c) => Math.abs(v - b[c]) <= 1);
    const right = dots.filter((d) => close(d.got, d.want)).length;
    // (30 before the scatter kept 20 px round the data and ringed the chosen point: on this 447×309 figure
    // fewer dots now stand clear of the others, the ellipses and the ring.)
    assert.ok(dots.length >= 20, `${dots.length} dot centres compared`);
    assert.ok(right >= 0.95 * dots.length, `hard=${hard}: ${right} of ${dots.length} dot centres in their colour; e.g. ${JSON.stringify(dots.filter((d) => !close(d.got, d.want)).slice(0, 3))}`);
  }
  // Where there is no point (the plot's empty top-left corner beyond every dot) the canvas is white, and the
  // axes' tick labels are still there (the image went over them, not instead of them).
  const corner = await page.evaluate(() => {
    const lab = window.__lab;
    const canvas = document.getElementById('fig-histogram');
    const ctx = canvas.getContext('2d');
    const n = lab.state().n;
    let far = null;
    const [cx, cy] = [Math.round(canvas.width / 2), Math.round(canvas.height / 2)];
    const [x0, y0] = lab.xyAt(cx - 50, cy - 50);
    const [x1, y1] = lab.xyAt(cx + 50, cy + 50);
    const toPixel = (x, y) => [cx - 50 + ((x - x0) * 100) / (x1 - x0), cy - 50 + ((y - y0) * 100) / (y1 - y0)];
    const points = Array.from({ length: n }, (_, i) => toPixel(...lab.point(i)));
    for (let py = 0; py < canvas.height && !far; py += 7) {
      for (let px = 0; px < canvas.width && !far; px += 7) {
        if (!lab.xyAt(px, py)) continue; // outside the plot
        if (points.every(([x, y]) => Math.hypot(x - px, y - py) > 30)) far = [px, py];
      }
    }
    const pixel = far && Array.from(ctx.getImageData(far[0], far[1], 1, 1).data);
    const { data } = ctx.getImageData(0, 0, 60, canvas.height); // the y axis's tick labels
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 128) ink += 1;
    return { far, pixel, ink };
  });
  assert.ok(corner.far, 'an empty spot in the plot');
  assert.ok(corner.pixel.slice(0, 3).every((v) => v >= 230), `empty spot ${corner.pixel} is (nearly) white`);
  assert.ok(corner.ink > 50, `${corner.ink} dark pixels of tick labels left of the plot`);
  const svg = await page.evaluate(() => window.__lab.exportSvg('histogram'));
  const n = await page.evaluate(() => window.__lab.state().n);
  // Filled: the chosen point's ring and its halo are two unfilled circles more.
  assert.equal((svg.match(/<circle[^>]*fill="#/g) ?? []).length, n, 'one vector circle per point in the SVG export');
  assert.equal((svg.match(/<circle[^>]*fill="none"/g) ?? []).length, 2, 'the chosen point ringed');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the 1-D responsibility strip is painted in the component colours under the axis', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.evaluate(async () => {
    const { palette } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    window.__palette = palette();
  });
  await catchLab(page);
  await page.selectOption('#preset', 'heights');
  await ready(page);
  await page.click('#btn-e');
  const strip = await page.evaluate(() => {
    const lab = window.__lab;
    const canvas = document.getElementById('fig-histogram');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const colors = window.__palette.slice(0, 2).map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const counts = [0, 0];
    for (let i = 0; i < data.length; i += 4) {
      const px = (i / 4) % canvas.width;
      const py = Math.floor(i / 4 / canvas.width);
      // Only the strip: inside the plot, below density 0 (the curves never go there).
      const xy = lab.xyAt(px, py);
      if (!xy || xy[1] >= 0) continue;
      const p = [data[i], data[i + 1], data[i + 2]];
      colors.forEach((c, k) => {
        if (c.every((v, j) => v === p[j])) counts[k] += 1;
      });
    }
    return { counts };
  });
  // Both components have points with q > 0 all along the strip: each colour covers many of its pixels.
  for (const [k, c] of strip.counts.entries()) assert.ok(c > 1000, `component ${k + 1}: ${c} pixels of the strip`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a figure is redrawn only when what it shows changes: the chosen point redraws the data and Jensen figures alone', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  await page.selectOption('#preset', 'heights');
  await ready(page);
  await page.click('#btn-e');
  await page.click('#btn-m');
  // Let the slice finish over its frames.
  await page.waitForTimeout(500);
  const ids = ['fig-histogram', 'fig-slice', 'fig-jensen', 'fig-split', 'fig-trace'];
  /** Paints a magenta square in each figure's top-left corner: a figure drawn again paints over it. */
  const mark = () => page.evaluate((list) => {
    for (const id of list) {
      const ctx = document.getElementById(id).getContext('2d');
      ctx.fillStyle = '#FF00FF';
      ctx.fillRect(0, 0, 4, 4);
    }
  }, ids);
  /** The figures that still show the square (were not drawn again). */
  const marked = () => page.evaluate((list) => list.filter((id) => {
    const [r, g, b] = document.getElementById(id).getContext('2d').getImageData(1, 1, 1, 1).data;
    return r === 255 && g === 0 && b === 255;
  }), ids);
  await mark();
  await page.locator('body').press('ArrowRight');
  await page.waitForTimeout(300);
  assert.deepEqual(await marked(), ['fig-slice', 'fig-split', 'fig-trace'], 'another point: only the data and Jensen figures redrawn');
  await mark();
  await page.evaluate(() => {
    const bins = document.getElementById('bins');
    bins.value = String(Number(bins.value) + 5);
    bins.dispatchEvent(new Event('change'));
  });
  await page.waitForTimeout(300);
  assert.deepEqual(await marked(), ['fig-slice', 'fig-jensen', 'fig-split', 'fig-trace'], 'more bins: only the histogram redrawn');
  await mark();
  await page.click('#btn-e');
  await page.waitForTimeout(500);
  assert.deepEqual(await marked(), [], 'an E-step: every figure redrawn');
  assert.deepEqual(problems, []);
  await page.close();
});

/** In the page: figure canvas `id` read row by row: how many pixels of each row are dark (each channel below
 * `below`), and whether one of them lies at the left or right edge (within 0.4 % of the width). */
function darkRows([id, below]) {
  const canvas = document.getElementById(id);
  const { width, height } = canvas;
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  const edge = Math.max(2, Math.round(width * 0.004));
  const counts = [];
  const atEdge = [];
  for (let y = 0; y < height; y += 1) {
    let n = 0;
    let side = false;
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      if (data[i] < below && data[i + 1] < below && data[i + 2] < below) {
        n += 1;
        side ||= x < edge || x >= width - edge;
      }
    }
    counts.push(n);
    atEdge.push(side);
  }
  return { width, counts, atEdge, scale: Number(canvas.dataset.scale || 1) };
}

/** The blank rows between a figure's x tick labels and its x description (`darkRows` of its canvas): the
 * bands of rows with dark ink under the lowest axis line, the last band the description, the one before it
 * the tick labels. Returns the gap in device pixels, the number of bands and the figure's scale. */
function xDescriptionGap({ width, counts, scale }) {
  let axis = counts.length - 1;
  while (axis > 0 && counts[axis] < 0.4 * width) axis -= 1;
  const bands = [];
  for (let y = axis + 1; y < counts.length; y += 1) {
    if (counts[y] === 0) continue;
    const last = bands[bands.length - 1];
    if (last && last.bottom === y - 1) last.bottom = y;
    else bands.push({ top: y, bottom: y });
  }
  const [labels, desc] = bands.slice(-2);
  return { gap: desc.top - labels.bottom - 1, bands: bands.length, scale };
}

test('the x axis description sits a few pixels under the tick labels and never touches them', async () => {
  for (const lang of ['en', 'zh']) {
    for (const { width, height, present } of [
      { width: 1280, height: 720, present: false },
      { width: 1024, height: 768, present: false },
      { width: 1920, height: 1080, present: true },
    ]) {
      const { page, problems } = await openPage(context, `?lang=${lang}`);
      await page.setViewportSize({ width, height });
      await ready(page);
      await page.click('#btn-e');
      await page.click('#btn-m');
      if (present) {
        await page.keyboard.press('p');
        await page.waitForFunction(() => document.body.classList.contains('presenting'));
      }
      await page.waitForTimeout(400);
      for (const id of ['fig-trace', 'fig-jensen']) {
        const { gap, bands, scale } = xDescriptionGap(await page.evaluate(darkRows, [id, 150]));
        const where = `${id}, ${lang}, ${width}×${height}${present ? ' presenting' : ''}`;
        assert.ok(bands >= 2, `${where}: tick labels and a description under the axis`);
        // Never touching (3 px of white at least, more on a projector); and on a laptop close, not a band
        // of nothing (a fixed 56-px label area left 21 px there).
        assert.ok(gap >= 3 * scale, `${where}: ${gap} px between the tick labels and the description`);
        if (!present) assert.ok(gap <= 12, `${where}: ${gap} px between the tick labels and the description`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    }
  }
});

/** The ink of a figure's title (`darkRows` of its canvas): whether it reaches the figure's left or right
 * edge, its height, and the blank rows between it and the next ink under it (the legend). */
function titleInk({ counts, atEdge }) {
  let top = 0;
  while (top < counts.length && counts[top] === 0) top += 1;
  let bottom = top;
  while (bottom < counts.length && counts[bottom] > 0) bottom += 1;
  let next = bottom;
  while (next < counts.length && counts[next] === 0) next += 1;
  return { atEdges: atEdge.slice(top, bottom).some(Boolean), blank: next - bottom, titleHeight: bottom - top };
}

test('a long title is made smaller to fit its figure, in Chinese too, with no empty band under it', async () => {
  // Chinese titles were measured by a <span> that wraps at the window's width: one wider than the window
  // measured narrower and two lines tall, so it ran off both edges over an empty band (presenting the
  // Jensen figure of a 2-D point at 1024×768).
  for (const lang of ['en', 'zh']) {
    const { page, problems } = await openPage(context, `?lang=${lang}`);
    await page.setViewportSize({ width: 1024, height: 768 });
    await ready(page);
    await page.selectOption('#preset', 'old-faithful');
    await page.click('#btn-e');
    await page.click('#btn-m');
    await page.keyboard.press('p');
    await page.waitForFunction(() => document.body.classList.contains('presenting'));
    await page.keyboard.press('3');
    await page.waitForTimeout(500);
    const { atEdges, blank, titleHeight } = titleInk(await page.evaluate(darkRows, ['fig-jensen', 120]));
    assert.equal(atEdges, false, `${lang}: the Jensen title reaches the figure's edge`);
    assert.ok(titleHeight > 10, `${lang}: a title ${titleHeight} px tall`);
    assert.ok(blank < titleHeight, `${lang}: ${blank} blank px under a title ${titleHeight} px tall`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('a coin lesson\'s narrow Jensen figure at convergence (1280×720): the zoomed window under its axis is whole, not cut at the edge', async () => {
  // "r = p(x, k | θ) / q_k，已放大：3.967302e−3 ⋯ 3.967375e−" ran past the right edge of the 300-px figure
  // even at 60 % type; there the axis is named "r".
  for (const lang of ['en', 'zh']) {
    const { page, problems } = await openPage(context, `?lang=${lang}`);
    await page.setViewportSize({ width: 1280, height: 720 });
    await ready(page);
    await page.selectOption('#preset', 'five-sets');
    await page.click('#btn-converge');
    await page.waitForFunction(() => document.getElementById('converged').dataset.converged === 'true');
    await page.waitForTimeout(500);
    const rows = await page.evaluate(darkRows, ['fig-jensen', 150]);
    let bottom = rows.counts.length - 1;
    while (bottom > 0 && rows.counts[bottom] === 0) bottom -= 1;
    let top = bottom;
    while (top > 0 && rows.counts[top - 1] > 0) top -= 1;
    assert.ok(bottom - top > 5, `${lang}: a line of text at the bottom (${top}–${bottom})`);
    assert.equal(rows.atEdge.slice(top, bottom + 1).some(Boolean), false, `${lang}: the window's line reaches the figure's edge`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});
