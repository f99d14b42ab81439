// k-means in the page's wasm equals a plain Lloyd iteration written here, bit for bit: the wasm adds each
// point to its cluster's sums with WebAssembly SIMD (two f64 lanes, `pair::F2` in src/core/kmeans.rs), the
// native build with two scalars; both must do the scalar arithmetic of this reference, in the same order.
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

test('k-means in the wasm (SIMD sums, labels compared 8 at a time) equals a plain Lloyd iteration and its L, K = 2, 3 and 5', async () => {
  const { page, problems } = await openPage(context);
  await ready(page);
  const results = await page.evaluate(async () => {
    const { Lab } = await import('./pkg/emlab.js');
    // Deterministic blobs around (0, 0), (6, 1), (2, 7), (−4, 5), (8, 8), in a random order.
    let s = 12345;
    const rnd = () => { s = (s * 16807) % 2147483647; return s / 2147483647; };
    const gauss = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
    const blobs = [[0, 0], [6, 1], [2, 7], [-4, 5], [8, 8]];
    const xs = [];
    const ys = [];
    for (let i = 0; i < 20001; i += 1) {
      const [mx, my] = blobs[Math.floor(rnd() * blobs.length)];
      xs.push(mx + gauss() * 1.3);
      ys.push(my + gauss() * 0.9);
    }
    const text = xs.map((x, i) => `${x},${ys[i]}`).join('\n');
    // The reference: the nearest centre (the first on ties) by u² + v², J summed point by point, each
    // cluster's count and sums of u, v and d around its centre in point order, the mean as (n·c + Σu) / n.
    const nearest = (centres, x, y) => {
      let best = 0;
      let bestD = Infinity;
      centres.forEach(([cx, cy], j) => {
        const u = x - cx;
        const v = y - cy;
        const d = u * u + v * v;
        if (d < bestD) { best = j; bestD = d; }
      });
      return [best, bestD];
    };
    const lloyd = (centres) => {
      const sums = centres.map(() => [0, 0, 0, 0]);
      let j = 0;
      for (let i = 0; i < xs.length; i += 1) {
        const [best, d] = nearest(centres, xs[i], ys[i]);
        j += d;
        const a = sums[best];
        a[0] += 1;
        a[1] += xs[i] - centres[best][0];
        a[2] += ys[i] - centres[best][1];
        a[3] += d;
      }
      const next = centres.map((c, k) => {
        const [n, su, sv] = sums[k];
        return n > 0 ? [(n * c[0] + su) / n, (n * c[1] + sv) / n] : c;
      });
      return { j, next };
    };
    // L after the M-step: −Σ ‖xᵢ − μ_new[labelᵢ]‖² for the E-step's labels, summed as J (the new nearest
    // distances, point by point) plus, apart, what each point whose label changes adds beyond its nearest.
    const labelledSum = (old, next) => {
      let jNew = 0;
      let moves = 0;
      let changed = 0;
      for (let i = 0; i < xs.length; i += 1) {
        const [label] = nearest(old, xs[i], ys[i]);
        const [best, d] = nearest(next, xs[i], ys[i]);
        jNew += d;
        if (label !== best) {
          const u = xs[i] - next[label][0];
          const v = ys[i] - next[label][1];
          moves += u * u + v * v - d;
          changed += 1;
        }
      }
      return { bound: -(jNew + moves), changed };
    };
    const out = [];
    for (const k of [2, 3, 5]) {
      const lab = Lab.fromCsv('kmeans', text, k, 1);
      let centres = blobs.slice(0, k).map(([x, y]) => [x + 1.5, y - 1]);
      lab.setParams({ means: centres });
      for (let it = 0; it < 6; it += 1) {
        const { j, next } = lloyd(centres);
        lab.eStep();
        const jAfterE = lab.objective();
        lab.mStep();
        const boundAfterM = lab.state().lowerBound;
        const jAfterM = lab.objective();
        const moved = labelledSum(centres, next);
        centres = next;
        out.push({ k, it, jAfterE, jAfterM, j, means: lab.params().means.map((m) => Array.from(m)), next, boundAfterM, moved });
      }
      lab.free();
    }
    return out;
  });
  for (const r of results) {
    const at = `K = ${r.k}, iteration ${r.it + 1}`;
    assert.ok(Object.is(r.jAfterE, r.j), `${at}: J after the E-step ${r.jAfterE} vs ${r.j}`);
    assert.ok(Object.is(r.boundAfterM, r.moved.bound), `${at}: L after the M-step ${r.boundAfterM} vs ${r.moved.bound}`);
    // J after the update step is of the assignment the class sees and the new centres (it was each point's
    // nearest centre's, so the next assignment step never lowered it).
    assert.ok(Object.is(r.jAfterM, -r.moved.bound), `${at}: J after the M-step ${r.jAfterM} vs ${-r.moved.bound}`);
    r.means.forEach((m, k) => {
      assert.ok(
        Object.is(m[0], r.next[k][0]) && Object.is(m[1], r.next[k][1]),
        `${at}: centre ${k + 1} (${m}) vs (${r.next[k]})`,
      );
    });
  }
  assert.equal(results.length, 18);
  // Labels change in the first iterations and settle later: both kinds of L were compared.
  assert.ok(results.some((r) => r.moved.changed > 100) && results.some((r) => r.moved.changed === 0));
  assert.deepEqual(problems, []);
});
