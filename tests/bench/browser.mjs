// The browser half of `cargo xtask bench`: EM Lab's core and page in headless Chromium (Debian's, never a
// downloaded one), through the public JS API and the page's own buttons.
//
// Usage (xtask serves www/ and passes these):
//   node tests/bench/browser.mjs --url http://127.0.0.1:PORT/ --data target/bench \
//     [--core CASE:ITERATIONS,…] [--warmup N] [--click1d PRESET] [--click2d CASE] [--clicks N]
//     [--click-warmup N] [--click-pause MS,…] [--throttle RATE] [--run CASE] [--run-seconds S] [--nav N]
//
// Prints one `key=value` line per measurement (the same format as emlab-bench and compare.py):
//   core case=… e_ms=… m_ms=… iter_ms=… loglik=…   median ms per E-step, M-step and E+M of `Lab`
//   click data=… throttle=… pause=… e_ms=… m_ms=…  a click on #btn-e / #btn-m until every figure is painted,
//                                                  each `pause` ms after the last one was
//   run data=… longest_ms=… over50=… halfsteps=…   the longest main-thread task while #btn-run runs
//   nav cold_ms=… cold_each=… launch_ms=… warm_ms=…  navigation start → the first figure painted
//
// CASE names are emlab-bench's (`gmm1d-1m`, `gmm2d-100k`, `kmeans-1m`); their data (`CASE.f64`, little-endian
// f64, x or x,y per point) and start (`CASE.start`) are read from --data and handed to the page through a
// Playwright route, so nothing is added to www/. The core page is cross-origin isolated (COOP/COEP headers on
// the route), so performance.now() has 5 µs resolution instead of 100 µs.
import fs from 'node:fs';
import path from 'node:path';
import { launch } from '../browser/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const base = args.url.endsWith('/') ? args.url : `${args.url}/`;
const dataDir = args.data;
/** Where the bench's own page and data files appear, under the served origin. */
const BENCH = `${base}__bench/`;

function parseArgs(argv) {
  const out = {
    warmup: '3', clicks: '10', 'click-warmup': '2', 'click-pause': '0', throttle: '4', 'run-seconds': '3', nav: '0',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    out[key] = argv[i + 1];
  }
  if (!out.url || !out.data) throw new Error('--url and --data are required');
  return out;
}

/** Prints one result line (values with spaces are not expected). */
function emit(kind, fields) {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'number' ? round(v) : v}`);
  console.log([kind, ...parts].join(' '));
}

const round = (v) => (Number.isInteger(v) ? String(v) : v.toPrecision(6));

/** The model, K and the start θ (in the JS API's shape) of an emlab-bench case. */
function caseInfo(name) {
  const model = name.split('-')[0];
  const start = {};
  const text = fs.readFileSync(path.join(dataDir, `${name}.start`), 'utf8');
  for (const line of text.trim().split('\n')) {
    const [key, ...values] = line.trim().split(/\s+/);
    start[key] = values.map(Number);
  }
  const pairs = (flat) => Array.from({ length: flat.length / 2 }, (_, k) => [flat[2 * k], flat[2 * k + 1]]);
  let params;
  if (model === 'gmm1d') params = start;
  else if (model === 'gmm2d') {
    params = {
      weights: start.weights,
      means: pairs(start.means),
      covariances: Array.from({ length: start.weights.length }, (_, k) => {
        const c = start.covariances.slice(4 * k, 4 * k + 4);
        return [[c[0], c[1]], [c[2], c[3]]];
      }),
    };
  } else if (model === 'kmeans') params = { means: pairs(start.centres) };
  else throw new Error(`no browser benchmark for ${name}`);
  const k = (params.weights ?? params.means).length;
  return { name, model, k, params };
}

/** Serves the bench page and the data files under __bench/ (the page itself is never changed). */
async function routeBench(context) {
  await context.route(`${BENCH}**`, async (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop();
    const isolated = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (file === 'core.html') {
      await route.fulfill({
        status: 200,
        headers: { ...isolated, 'Content-Type': 'text/html; charset=utf-8' },
        body: '<!doctype html><meta charset="utf-8"><title>EM Lab core bench</title><p>bench</p>',
      });
      return;
    }
    const local = path.join(dataDir, path.basename(file));
    if (!/^[\w.-]+\.f64$/.test(file) || !fs.existsSync(local)) {
      await route.fulfill({ status: 404, body: 'not found' });
      return;
    }
    await route.fulfill({
      status: 200,
      headers: { ...isolated, 'Content-Type': 'application/octet-stream' },
      body: fs.readFileSync(local),
    });
  });
}

/** The core through `Lab`: E-step, M-step and E+M of each case, median of the timed iterations. */
async function benchCore(context, specs, warmup) {
  const page = await context.newPage();
  await page.goto(`${BENCH}core.html`);
  const isolated = await page.evaluate(() => self.crossOriginIsolated);
  await page.evaluate(async (pkg) => {
    const mod = await import(pkg);
    await mod.default();
    window.Lab = mod.Lab;
  }, `${base}pkg/emlab.js`);
  for (const spec of specs) {
    const [name, iterations] = spec.split(':');
    const info = caseInfo(name);
    const result = await page.evaluate(
      async ({ info, iterations, warmup, url }) => {
        const t0 = performance.now();
        const values = new Float64Array(await (await fetch(url)).arrayBuffer());
        const lines = [];
        if (info.model === 'gmm1d') for (const v of values) lines.push(String(v));
        else for (let i = 0; i < values.length; i += 2) lines.push(`${values[i]},${values[i + 1]}`);
        const lab = window.Lab.fromCsv(info.model, lines.join('\n'), info.k, 1);
        lines.length = 0;
        const loadMs = performance.now() - t0;
        // The variance floor is the Gaussian mixtures' only (k-means refuses it).
        const options = lab.state().can.reg ? { reg: 1e-6, tol: 1e-10 } : { tol: 1e-10 };
        if (info.model === 'gmm2d') options.covariance = 'full';
        lab.setOptions(options);
        for (let w = 0; w < warmup; w += 1) {
          lab.setParams(info.params);
          lab.eStep();
          lab.mStep();
        }
        lab.setParams(info.params); // the timed iterations start from the same θ as the others'
        const e = [];
        const m = [];
        const both = [];
        for (let i = 0; i < iterations; i += 1) {
          const a = performance.now();
          lab.eStep();
          const b = performance.now();
          lab.mStep();
          const c = performance.now();
          e.push(b - a);
          m.push(c - b);
          both.push(c - a);
        }
        const median = (xs) => {
          const s = xs.slice().sort((x, y) => x - y);
          const mid = s.length >> 1;
          return s.length % 2 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
        };
        const s = lab.state();
        const loglik = info.model === 'kmeans' ? -lab.objective() : lab.logLikelihood();
        lab.free();
        return {
          n: s.n,
          e: median(e),
          m: median(m),
          both: median(both),
          loglik,
          loadMs,
        };
      },
      { info, iterations: Number(iterations), warmup, url: `${BENCH}${name}.f64` },
    );
    emit('core', {
      case: name,
      n: result.n,
      iterations: Number(iterations),
      e_ms: result.e,
      m_ms: result.m,
      iter_ms: result.both,
      loglik: String(result.loglik),
      load_ms: result.loadMs,
      isolated: String(isolated),
    });
  }
  await page.close();
}

/**
 * Installed before the page's scripts: counts the page's pending requestAnimationFrame callbacks and
 * zero-delay timer tasks, so a measurement can wait until every figure (the slice fills in over frames on
 * large data, and on data of more than one pass part a redraw is spread over tasks) is drawn.
 */
function instrumentFrames() {
  const raf = window.requestAnimationFrame.bind(window);
  const caf = window.cancelAnimationFrame.bind(window);
  const pending = new Set();
  window.__bench = { raf, pending };
  window.requestAnimationFrame = (callback) => {
    const id = raf((time) => {
      pending.delete(id);
      callback(time);
    });
    pending.add(id);
    return id;
  };
  window.cancelAnimationFrame = (id) => {
    pending.delete(id);
    caf(id);
  };
  // The page also draws in tasks of its own (on large data a redraw is spread over `setTimeout(…, 0)` tasks):
  // those are waited for too. Timers with a delay (a debounced save) are not drawing.
  const timeout = window.setTimeout.bind(window);
  const clear = window.clearTimeout.bind(window);
  const tasks = new Set();
  window.__bench.tasks = tasks;
  window.setTimeout = (callback, delay, ...rest) => {
    if (typeof callback !== 'function' || Number(delay) > 0) return timeout(callback, delay, ...rest);
    const id = timeout(() => {
      tasks.delete(id);
      callback(...rest);
    }, 0);
    tasks.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    tasks.delete(id);
    clear(id);
  };
}

/** In the page: clicks `#id` and resolves with the ms until the frame after the page's last drawing is painted,
 * and the ms the click handler itself took. */
function clickToPaint(id) {
  const { raf, pending, tasks } = window.__bench;
  const afterPaint = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
  const spent = window.__spent;
  if (spent) for (const key of Object.keys(spent)) delete spent[key];
  return new Promise((resolve) => {
    const t0 = performance.now();
    document.getElementById(id).click();
    const handler = performance.now() - t0;
    const frame = () => {
      // Our callback runs after the page's callbacks of this frame; when none is left, the next paint shows
      // everything.
      if (pending.size > 0 || tasks.size > 0) {
        raf(frame);
        return;
      }
      afterPaint().then(() => resolve({ total: performance.now() - t0, handler, spent: { ...spent } }));
    };
    raf(frame);
  });
}

/** Wraps every method of the page's `Lab` (the same module instance app.js imported) to add up the ms spent
 * in each, so a click's time splits into the E/M-step, each figure's draw call, and the rest (JS, layout,
 * paint, waiting for frames). */
async function instrumentLab(page) {
  await page.evaluate(async () => {
    const { Lab } = await import(new URL('pkg/emlab.js', document.baseURI).href);
    const spent = {};
    window.__spent = spent;
    for (const name of Object.getOwnPropertyNames(Lab.prototype)) {
      const method = Lab.prototype[name];
      if (typeof method !== 'function' || name === 'constructor' || name === 'free') continue;
      Lab.prototype[name] = function timed(...a) {
        const t = performance.now();
        try {
          return method.apply(this, a);
        } finally {
          spent[name] = (spent[name] ?? 0) + performance.now() - t;
        }
      };
    }
  });
}

/** Loads the emlab-bench case `name` into the page as a user would: K, the data model, then Open a file. */
async function loadCaseInPage(page, name) {
  const info = caseInfo(name);
  const values = new Float64Array(fs.readFileSync(path.join(dataDir, `${name}.f64`)).buffer.slice(0));
  const lines = [];
  if (info.model === 'gmm1d') for (const v of values) lines.push(String(v));
  else for (let i = 0; i < values.length; i += 2) lines.push(`${values[i]},${values[i + 1]}`);
  await page.evaluate((k) => {
    const el = document.getElementById('k');
    el.value = String(k);
    el.dispatchEvent(new Event('change'));
  }, info.k);
  await page.evaluate(() => {
    document.getElementById('data-details').open = true;
  });
  await page.selectOption('#data-model', info.model);
  await page.evaluate(() => {
    document.getElementById('data-status').textContent = '';
  });
  await page.setInputFiles('#data-file', {
    name: `${name}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\n')),
  });
  await page.waitForFunction(
    () => document.getElementById('data-status').textContent !== '' || !document.getElementById('data-alert').hidden,
    null,
    { timeout: 120_000 },
  );
  const alert = await page.evaluate(() => {
    const el = document.getElementById('data-alert');
    return el.hidden ? '' : el.textContent;
  });
  if (alert) throw new Error(`the page refused ${name}: ${alert}`);
  // Let the page settle (the slice may fill in over frames).
  await page.evaluate(() => new Promise((resolve) => {
    const { raf, pending, tasks } = window.__bench;
    const frame = () => (pending.size > 0 || tasks.size > 0 ? raf(frame) : resolve());
    raf(frame);
  }));
  return info;
}

/** Opens the page in a fresh tab with the frame counter installed and waits until it is ready. */
async function openPage(context) {
  const page = await context.newPage();
  await page.addInitScript(instrumentFrames);
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Click → every figure painted, for E-step and M-step in turn, without and with the CPU slowed. */
async function benchClicks(context, label, load, clicks, rate) {
  const page = await openPage(context);
  const n = await load(page);
  await instrumentLab(page);
  const cdp = await page.context().newCDPSession(page);
  // Each series with every pause before each click: 0 (clicks back to back) and a teacher's pause, in which
  // the page computes the next E-step's slice while idle.
  const pauses = String(args['click-pause']).split(',').map(Number);
  for (const throttle of [1, rate]) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    for (const pause of pauses) {
      const times = { 'btn-e': [], 'btn-m': [] };
      const handler = { 'btn-e': [], 'btn-m': [] };
      const spent = { 'btn-e': [], 'btn-m': [] };
      // Untimed pairs first, then `clicks` pairs (E then M: an M-step after an M-step is refused).
      const untimed = Number(args['click-warmup']);
      for (let i = 0; i < clicks + untimed; i += 1) {
        for (const id of ['btn-e', 'btn-m']) {
          if (pause > 0) await page.waitForTimeout(pause);
          const r = await page.evaluate(clickToPaint, id);
          if (i >= untimed) {
            times[id].push(r.total);
            handler[id].push(r.handler);
            spent[id].push(r.spent);
          }
        }
      }
      emit('click', {
        data: label,
        n,
        throttle,
        pause,
        clicks,
        e_ms: median(times['btn-e']),
        m_ms: median(times['btn-m']),
        e_max: Math.max(...times['btn-e']),
        m_max: Math.max(...times['btn-m']),
        e_handler_ms: median(handler['btn-e']),
        m_handler_ms: median(handler['btn-m']),
      });
      // Where a click's time goes: the median ms per Lab method over the clicks (under 0.05 ms left out).
      for (const id of ['btn-e', 'btn-m']) {
        const names = new Set(spent[id].flatMap((o) => Object.keys(o)));
        const fields = {};
        for (const name of names) {
          const ms = median(spent[id].map((o) => o[name] ?? 0));
          if (ms >= 0.05) fields[name] = ms;
        }
        const inLab = Object.values(fields).reduce((a, b) => a + b, 0);
        emit('breakdown', {
          data: label, throttle, pause, button: id, total_ms: median(times[id]), lab_ms: inLab, ...fields,
        });
      }
    }
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  await page.close();
}

/** The longest main-thread task (PerformanceObserver 'longtask', ≥ 50 ms) while Run runs as fast as it draws. */
async function benchRun(context, name, seconds) {
  const page = await openPage(context);
  await loadCaseInPage(page, name);
  await page.evaluate(() => {
    window.__longtasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longtasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    const speed = document.getElementById('speed');
    speed.value = speed.max; // as fast as the page draws
    speed.dispatchEvent(new Event('input'));
  });
  const before = await page.evaluate(() => Number(document.getElementById('iteration').dataset.value));
  await page.evaluate(() => document.getElementById('btn-run').click());
  await page.waitForTimeout(seconds * 1000);
  await page.evaluate(() => document.getElementById('btn-run').click());
  // Let the observer deliver the last entries.
  await page.waitForTimeout(300);
  const r = await page.evaluate(() => ({
    tasks: window.__longtasks,
    iteration: Number(document.getElementById('iteration').dataset.value),
    n: Number(document.getElementById('data-summary').textContent.replace(/[^\d]/g, '')),
  }));
  emit('run', {
    data: name,
    seconds,
    longest_ms: r.tasks.length ? Math.max(...r.tasks) : 0,
    over50: r.tasks.length,
    iterations: r.iteration - before,
  });
  await page.close();
}

/** How many first visits (each in a fresh profile) `--nav` measures at most, of each kind: one varies by ±50 ms. */
const FIRST_VISITS = 3;

/** How long a freshly launched browser is left on a blank page before a first visit: on this 2-core machine
 * Chromium's own start-up (its network service, profile files, GPU-less compositor) runs for about two
 * seconds and, when a page loads in it, delays the page's files by 100–300 ms (a 1-KB module that the server
 * sends in 1–4 ms arrived 100–300 ms after it was asked for). A student's browser is already running. */
const SETTLE_MS = 2500;

/** Navigation start → the first figure painted: first visits, each in a fresh profile in a browser that has
 * started (the median of up to FIRST_VISITS, no more than `reloads`), the same right after the browser was
 * launched (`launch_ms`), then reloads in the first profile (median). */
async function benchNavigation(reloads) {
  const cold = [];
  const launched = [];
  let warm = [];
  const visits = Math.max(1, Math.min(FIRST_VISITS, reloads));
  for (let visit = 0; visit < visits; visit += 1) {
    const times = await visitAndReload(visit === 0 ? reloads : 0, SETTLE_MS);
    cold.push(times.cold);
    if (visit === 0) warm = times.warm;
    launched.push((await visitAndReload(0, 0)).cold);
  }
  emit('nav', {
    cold_ms: median(cold),
    cold_each: cold.map((c) => c.toFixed(0)).join('/'),
    launch_ms: median(launched),
    launch_each: launched.map((c) => c.toFixed(0)).join('/'),
    warm_ms: median(warm),
    reloads,
  });
}

/** One first visit in a fresh profile (`settleMs` after the browser launched, on a blank page) and `reloads`
 * reloads after it: {cold, warm: [ms…]}. */
async function visitAndReload(reloads, settleMs) {
  const context = await launch();
  try {
    const page = await context.newPage();
    if (settleMs > 0) {
      await page.goto('about:blank');
      await page.waitForTimeout(settleMs);
    }
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.ready !== 'true') return;
        observer.disconnect();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            window.__firstFigure = performance.now(); // since the navigation started
          };
          channel.port2.postMessage(0);
        });
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    const once = async (go) => {
      await go();
      await page.waitForFunction(() => window.__firstFigure !== undefined);
      return page.evaluate(() => window.__firstFigure);
    };
    const cold = await once(() => page.goto(base, { waitUntil: 'load' }));
    const warm = [];
    for (let i = 0; i < reloads; i += 1) warm.push(await once(() => page.reload({ waitUntil: 'load' })));
    return { cold, warm };
  } finally {
    await context.close();
  }
}

function median(xs) {
  const s = xs.slice().sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : 0.5 * (s[mid - 1] + s[mid]);
}

async function main() {
  const clicks = Number(args.clicks);
  const rate = Number(args.throttle);
  if (Number(args.nav) > 0) await benchNavigation(Number(args.nav));
  const context = await launch();
  try {
    await routeBench(context);
    if (args.core) await benchCore(context, args.core.split(','), Number(args.warmup));
    if (args.click1d) {
      const preset = args.click1d;
      await benchClicks(context, preset, async (page) => {
        await page.selectOption('#preset', preset);
        await page.waitForFunction(() => true);
        return page.evaluate(() => Number(document.getElementById('data-summary').textContent.replace(/[^\d]/g, '')));
      }, clicks, rate);
    }
    if (args.click2d) {
      await benchClicks(context, args.click2d, async (page) => {
        await loadCaseInPage(page, args.click2d);
        return page.evaluate(() => Number(document.getElementById('data-summary').textContent.replace(/[^\d]/g, '')));
      }, clicks, rate);
    }
    if (args.run) await benchRun(context, args.run, Number(args['run-seconds']));
  } finally {
    await context.close();
  }
}

await main();
