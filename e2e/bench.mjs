// Browser part of `cargo xtask bench`: launcher time over cold loads, the host main-thread time spent in the loader
// (launch.js) and agent-reply latency, written as JSON to argv[2].
import { writeFile } from 'node:fs/promises';

import { launchBrowser, waitUntil } from './support/browser.mjs';
import { hostPage, startHost } from './support/host.mjs';
import { startServer } from './support/server.mjs';
import { openChat, send, widget } from './support/widget.mjs';

const COLD_LOADS = 10;
const REPLIES = 20;
const LOADER_RUNS = 5;
const out = process.argv[2];
if (!out) throw new Error('usage: node bench.mjs <results.json>');

// Records when the loader starts, when the widget fires onInit (launcher mounted) and when the
// iframe is first laid out visibly; the launcher is visible once both happened.
const PRELUDE = `
  window.bench = { start: performance.now(), init: null, shown: null, created: [] };
  new MutationObserver(function () {
    var f = document.getElementById('tiledeskiframe');
    if (!window.bench.shown && f && f.style.visibility !== 'hidden' && f.style.display !== 'none' && f.style.cssText) {
      window.bench.shown = performance.now();
    }
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });`;
const QUEUED = `
  Tiledesk('onInit', function () { window.bench.init = window.bench.init || performance.now(); });
  Tiledesk('onMessageCreated', function (e) {
    window.bench.created.push({ text: e.detail.message.text, at: Date.now() });
  });`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const server = await startServer();
const pages = await startHost();
const browser = await launchBrowser();
try {
  pages.set('/bench.html', hostPage({
    widgetUrl: server.widgetUrl,
    settings: { projectid: server.projectId },
    prelude: PRELUDE,
    queued: QUEUED,
  }));

  async function coldLoad() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pages.url('/bench.html'));
    await widget(page).locator('[data-testid=launcher]').waitFor({ state: 'visible' });
    const t = await waitUntil(() => page.evaluate(() => {
      const b = window.bench;
      if (b.init === null || b.shown === null) return null;
      const loader = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/launch.js'));
      return {
        visible: Math.max(b.init, b.shown) - b.start,
        loaderFetched: loader ? loader.responseEnd - b.start : null,
        init: b.init - b.start,
        shown: b.shown - b.start,
      };
    }), 'onInit and the first visible layout');
    return { page, close: () => context.close(), ms: t.visible, phases: t };
  }

  const warmup = await coldLoad();
  await warmup.close();
  const launcher = [];
  const phases = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    const load = await coldLoad();
    launcher.push(Math.round(load.ms * 10) / 10);
    phases.push(load.phases);
    const p = load.phases;
    console.log(`cold load ${i + 1}/${COLD_LOADS}: launcher visible after ${load.ms.toFixed(1)} ms ` +
      `(launch.js fetched ${p.loaderFetched?.toFixed(1)} ms, onInit ${p.init.toFixed(1)} ms, laid out ${p.shown.toFixed(1)} ms)`);
    await load.close();
  }

  // Host main-thread time in launch.js, from a Chrome trace: its compile and evaluation plus every
  // callback of it (message handlers, DOMContentLoaded, resize) on the renderer main thread, from
  // navigation until the launcher is visible, then through an open and a close of the chat.
  async function loaderCost() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] });
    await page.goto(pages.url('/bench.html'));
    await widget(page).locator('[data-testid=launcher]').waitFor({ state: 'visible' });
    await waitUntil(() => page.evaluate(() => window.bench.init !== null && window.bench.shown !== null), 'the launcher');
    await openChat(page);
    await page.evaluate(() => window.tiledesk.close());
    await waitUntil(async () => (await page.locator('#tiledeskiframe').boundingBox())?.width === 60, 'closed again');
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString('utf8'));
    await context.close();
    const main = new Set(traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`));
    const spans = traceEvents
      .filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`) && /\/launch\.js(\?|$)/.test(e.args?.data?.url || e.args?.url || ''))
      .map((e) => [e.ts, e.ts + (e.dur || 0)])
      .sort((a, b) => a[0] - b[0]);
    let total = 0, end = -Infinity;
    for (const [s, e] of spans) {
      if (e > end) { total += e - Math.max(s, end); end = e; }
    }
    return { ms: total / 1000, spans: spans.length };
  }
  const loaderMainThread = [];
  for (let i = 0; i < LOADER_RUNS; i++) {
    const cost = await loaderCost();
    loaderMainThread.push(Math.round(cost.ms * 100) / 100);
    console.log(`loader main-thread time ${i + 1}/${LOADER_RUNS}: ${cost.ms.toFixed(2)} ms in ${cost.spans} trace events`);
  }

  const { page, close } = await coldLoad();
  await openChat(page);
  await send(page, 'benchmark');
  await widget(page).locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
  const [request] = await waitUntil(async () => {
    const list = await server.requests();
    return list.length > 0 && list;
  }, 'the benchmark request');
  const reply = [];
  for (let i = 0; i < REPLIES; i++) {
    const text = `agent reply ${i + 1}`;
    const sentAt = Date.now();
    await server.reply(request.request_id, text);
    const handle = await page.waitForFunction(
      (t) => window.bench.created.find((c) => c.text === t),
      text,
      { timeout: 30000 },
    );
    const { at } = await handle.jsonValue();
    reply.push(at - sentAt);
    console.log(`reply ${i + 1}/${REPLIES}: rendered after ${at - sentAt} ms`);
  }
  await close();

  const results = {
    launcher_visible_ms: launcher,
    reply_latency_ms: reply,
    loader_main_thread_ms: loaderMainThread,
    loader_main_thread_median_ms: median(loaderMainThread),
    launcher_visible_median_ms: median(launcher),
    reply_latency_median_ms: median(reply),
    launcher_phases_median_ms: Object.fromEntries(['loaderFetched', 'init', 'shown'].map((k) =>
      [k, Math.round(median(phases.map((p) => p[k] ?? 0)) * 10) / 10])),
  };
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`medians: launcher visible ${results.launcher_visible_median_ms.toFixed(1)} ms, reply rendered ${results.reply_latency_median_ms} ms`);
} finally {
  await browser.close();
  await pages.close();
  await server.stop();
}
