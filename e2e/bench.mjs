// Browser part of `cargo xtask bench`: launcher time over cold loads, the host main-thread time spent in the loader
// (launch.js), a first-time visitor's click on the launcher until the composer takes text (loopback and a slow
// mobile network), agent-reply latency, and the time and memory to open the chat on a 1,000-message conversation,
// written as JSON to argv[2].
import { writeFile } from 'node:fs/promises';

import { launchBrowser, waitUntil } from './support/browser.mjs';
import { hostPage, startHost } from './support/host.mjs';
import { startServer } from './support/server.mjs';
import { openChat, send, widget, widgetFrame } from './support/widget.mjs';

const COLD_LOADS = 10;
const REPLIES = 20;
const LOADER_RUNS = 5;
const CLICK_RUNS = 5;
/** A slow mobile network, as issue 15 measures it: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips. */
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const LONG_CONVERSATION = 1000;
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

// Seeding the 1,000-message conversation posts far faster than a real agent; the rate limiter is not measured here.
process.env.TILEDESK_RATE_LIMIT_PER_MINUTE = '100000';
const server = await startServer();
const pages = await startHost();
const browser = await launchBrowser();
try {
  // A page that neither calls the API nor listens: what most sites with the snippet are.
  pages.set('/quiet.html', hostPage({
    widgetUrl: server.widgetUrl,
    settings: { projectid: server.projectId },
    prelude: PRELUDE,
  }));
  pages.set('/bench.html', hostPage({
    widgetUrl: server.widgetUrl,
    settings: { projectid: server.projectId },
    prelude: PRELUDE,
    queued: QUEUED,
  }));

  // A first visit to the quiet page: the launcher is visible once the shell laid out the iframe.
  let coldLoadChatFetches = 0;
  async function coldLoad(path = '/quiet.html') {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('request', (r) => { if (/\/chat-[0-9a-f]{16}/.test(r.url())) coldLoadChatFetches += 1; });
    await page.goto(pages.url(path));
    await widget(page).locator('[data-testid=launcher]').waitFor({ state: 'visible' });
    const t = await waitUntil(() => page.evaluate(() => {
      const b = window.bench;
      if (b.shown === null) return null;
      const loader = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/launch.js'));
      return {
        visible: b.shown - b.start,
        loaderFetched: loader ? loader.responseEnd - b.start : null,
        shown: b.shown - b.start,
      };
    }), 'the first visible layout');
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
      `(launch.js fetched ${p.loaderFetched?.toFixed(1)} ms, laid out ${p.shown.toFixed(1)} ms)`);
    await load.close();
  }
  const quietChatFetches = coldLoadChatFetches;

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
  // For reference: what Chromium alone spends on the host main thread to insert a cross-origin iframe (any
  // iframe widget pays it; it is part of the loader's time above), timed around the insertion on a bare page.
  pages.set('/bare.html', '<!doctype html><link rel="icon" href="data:,"><body></body>');
  async function iframeInsertion() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pages.url('/bare.html'));
    const ms = await page.evaluate((src) => {
      const frame = document.createElement('iframe');
      frame.src = src;
      const start = performance.now();
      document.body.append(frame);
      return performance.now() - start;
    }, `${server.widgetUrl}index.html#host=${encodeURIComponent(pages.url(''))}`);
    await context.close();
    return ms;
  }
  const iframeInsertionMs = [];
  for (let i = 0; i < LOADER_RUNS; i++) iframeInsertionMs.push(Math.round((await iframeInsertion()) * 100) / 100);
  console.log(`cross-origin iframe insertion alone: ${iframeInsertionMs.join(', ')} ms`);

  const loaderMainThread = [];
  for (let i = 0; i < LOADER_RUNS; i++) {
    const cost = await loaderCost();
    loaderMainThread.push(Math.round(cost.ms * 100) / 100);
    console.log(`loader main-thread time ${i + 1}/${LOADER_RUNS}: ${cost.ms.toFixed(2)} ms in ${cost.spans} trace events`);
  }

  // A first-time visitor clicks the launcher as soon as it shows: the time, in the widget's frame, from the click
  // until the composer is there, enabled and focused. `startFromHome: false` goes straight to the conversation.
  // On the slow network both the page and the widget's (cross-site, out-of-process) frame are throttled.
  pages.set('/click.html', hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, startFromHome: false } }));
  async function clickToComposer(network) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const throttle = async (target) => {
      if (!network) return;
      const cdp = await context.newCDPSession(target);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', network);
    };
    await throttle(page);
    page.on('frameattached', (frame) => { throttle(frame).catch(() => {}); });
    await page.goto(pages.url('/click.html'));
    await widget(page).locator('[data-testid=launcher]').waitFor({ state: 'visible', timeout: 60000 });
    const frame = await widgetFrame(page);
    await throttle(frame).catch(() => {});
    // Until a message box takes text (the shell's frame draws one at once), and until the chat's own does.
    const ms = await frame.evaluate(() => new Promise((done) => {
      const start = performance.now();
      let composer = null;
      document.querySelector('[data-testid=launcher]').click();
      const takes = (box) => box && !box.disabled && document.activeElement === box;
      const check = () => {
        if (composer === null && takes(document.querySelector('[data-testid=composer]'))) composer = performance.now() - start;
        if (takes(document.querySelector('[data-testid=panel] [data-testid=composer]'))) {
          done({ composer: composer ?? performance.now() - start, chat: performance.now() - start });
        } else setTimeout(check, 0);
      };
      check();
    }));
    await context.close();
    return { composer: Math.round(ms.composer * 10) / 10, chat: Math.round(ms.chat * 10) / 10 };
  }
  const clickLoopback = [];
  const clickSlow = [];
  for (let i = 0; i < CLICK_RUNS; i++) {
    clickLoopback.push(await clickToComposer(null));
    clickSlow.push(await clickToComposer(SLOW_NETWORK));
    const [l, s] = [clickLoopback[i], clickSlow[i]];
    console.log(`click to composer ${i + 1}/${CLICK_RUNS}: ${l.composer} ms on loopback (the chat's ${l.chat} ms), ` +
      `${s.composer} ms on the slow network (the chat's ${s.chat} ms)`);
  }
  const clicks = (runs, key) => runs.map((run) => run[key]);

  const { page, close } = await coldLoad('/bench.html');
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

  // A 1,000-message conversation: the visitor's first message, then 999 agent replies (owner JWT, so no
  // password hashing per request); after a reload the widget resumes it, and opening the panel shows its newest.
  const longPage = await (async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // In every frame: keep the exported memory of every wasm instance, however its module is loaded.
    await context.addInitScript(() => {
      const memories = [];
      window.__wasmMemories = memories;
      const remember = (result) => {
        const instance = result instanceof WebAssembly.Instance ? result : result.instance;
        if (instance?.exports.memory instanceof WebAssembly.Memory) memories.push(instance.exports.memory);
        return result;
      };
      for (const name of ['instantiate', 'instantiateStreaming']) {
        const original = WebAssembly[name];
        if (original) WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(remember);
      }
    });
    const page = await context.newPage();
    await page.goto(pages.url('/bench.html'));
    return { page, close: () => context.close() };
  })();
  await openChat(longPage.page);
  await send(longPage.page, 'message 1');
  await widget(longPage.page).locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
  const longRequest = await waitUntil(async () => {
    const list = await server.requests();
    return list.find((r) => r.first_text === 'message 1');
  }, 'the long conversation');
  const signin = await fetch(server.url + 'auth/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: server.email, password: server.password }),
  }).then((r) => r.json());
  for (let i = 2; i <= LONG_CONVERSATION; i++) {
    const response = await fetch(`${server.url}${server.projectId}/requests/${longRequest.request_id}/messages`, {
      method: 'POST',
      headers: { Authorization: signin.token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `message ${i}: **markdown** and a [link](https://example.com/${i})` }),
    });
    if (!response.ok) throw new Error(`posting message ${i}: ${response.status}`);
  }
  await longPage.page.evaluate(() => window.tiledesk.close());
  await widget(longPage.page).locator('[data-testid=launcher]').waitFor();
  await longPage.page.reload();
  await widget(longPage.page).locator('[data-testid=launcher]').waitFor();
  const frame = await waitUntil(
    async () => longPage.page.frames().find((f) => f.url().includes('/widget/index.html')),
    'the widget frame',
  );
  // Let the resumed conversation load in the background, then time the panel opening onto its newest message,
  // scrolled to the bottom, until the next frame.
  await waitUntil(async () => {
    const stored = await longPage.page.evaluate(() => window.bench.created.length);
    return stored >= LONG_CONVERSATION;
  }, 'the resumed history', 30000);
  const longRender = await frame.evaluate((newest) => new Promise((done) => {
    const start = performance.now();
    document.querySelector('[data-testid=launcher]').click();
    const shown = () => {
      const list = document.querySelector('[data-testid=messages]');
      const texts = document.querySelectorAll('[data-testid=message-text]');
      const last = texts[texts.length - 1];
      return list && last && last.textContent.startsWith(newest) &&
        list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
    };
    const check = () => {
      if (shown()) {
        requestAnimationFrame(() => done({
          ms: performance.now() - start,
          jsHeapBytes: performance.memory ? performance.memory.usedJSHeapSize : null,
          wasmMemoryBytes: window.__wasmMemories.length > 0
            ? Math.max(...window.__wasmMemories.map((memory) => memory.buffer.byteLength))
            : null,
          domNodes: document.getElementsByTagName('*').length,
          messagesRendered: document.querySelectorAll('[data-testid=message]').length,
        }));
      } else {
        // Between frames, so the frame that scrolls the list is the last one waited for.
        setTimeout(check, 0);
      }
    };
    check();
  }), `message ${LONG_CONVERSATION}: `);
  console.log(`1,000-message conversation: newest shown in ${longRender.ms.toFixed(1)} ms; JS heap ${longRender.jsHeapBytes} B, ` +
    `wasm memory ${longRender.wasmMemoryBytes} B, ${longRender.domNodes} elements, ${longRender.messagesRendered} messages rendered`);
  await longPage.close();

  const results = {
    long_conversation: { messages: LONG_CONVERSATION, ...longRender },
    launcher_visible_ms: launcher,
    cold_load_chat_fetches: quietChatFetches,
    reply_latency_ms: reply,
    loader_main_thread_ms: loaderMainThread,
    loader_main_thread_median_ms: median(loaderMainThread),
    click_to_composer_ms: { loopback: clicks(clickLoopback, 'composer'), slow_network: clicks(clickSlow, 'composer') },
    click_to_chat_composer_ms: { loopback: clicks(clickLoopback, 'chat'), slow_network: clicks(clickSlow, 'chat') },
    iframe_insertion_ms: iframeInsertionMs,
    launcher_visible_median_ms: median(launcher),
    reply_latency_median_ms: median(reply),
    launcher_phases_median_ms: Object.fromEntries(['loaderFetched', 'shown'].map((k) =>
      [k, Math.round(median(phases.map((p) => p[k] ?? 0)) * 10) / 10])),
  };
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`medians: launcher visible ${results.launcher_visible_median_ms.toFixed(1)} ms, reply rendered ${results.reply_latency_median_ms} ms`);
} finally {
  await browser.close();
  await pages.close();
  await server.stop();
}
