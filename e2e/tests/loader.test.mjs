// loader/launch.js against a scripted fake widget frame: queueing, the bridge, layout, listeners.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';

const LOADER = await readFile(new URL('../../loader/launch.js', import.meta.url), 'utf8');

// The fake widget records what the loader posts and lets the test post as the widget would.
const FAKE_WIDGET = `<!doctype html>
<html><head><link rel="icon" href="data:,"></head>
<body style="margin:0;background:transparent">
<script>
  var host = decodeURIComponent((/[#&]host=([^&]*)/.exec(location.hash) || [])[1] || '');
  window.received = [];
  window.addEventListener('message', function (e) {
    if (e.source === parent && e.origin === host) window.received.push(e.data);
  });
  window.send = function (msg) { msg.tiledesk = msg.tiledesk || 1; parent.postMessage(msg, host); };
</script>
</body></html>`;

describe('loader/launch.js with a fake widget', () => {
  let browser, widgetHost, pages;

  before(async () => {
    browser = await launchBrowser();
    widgetHost = await startHost({ '/index.html': FAKE_WIDGET, '/launch.js': { type: 'js', body: LOADER } });
    pages = await startHost();
  });

  after(async () => {
    await browser?.close();
    await widgetHost?.close();
    await pages?.close();
  });

  /** Loads a host page with the snippet; resolves to { page, frame } once the loader made the iframe. */
  async function load(path, { settings = { projectid: 'p1' }, queued = '', viewport } = {}) {
    pages.set(path, hostPage({ widgetUrl: widgetHost.url('/'), settings, queued }));
    const context = await browser.newContext({ viewport: viewport || { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pages.url(path));
    const handle = await page.waitForSelector('#tiledesk-container > iframe#tiledeskiframe', { state: 'attached' });
    const frame = await waitUntil(async () => {
      const f = await handle.contentFrame();
      return f && f.url().startsWith(widgetHost.origin) && (await f.evaluate(() => typeof window.send === 'function')) && f;
    }, 'the fake widget to load');
    return { page, frame, errors, close: () => context.close() };
  }

  const received = (frame) => frame.evaluate(() => window.received);

  it('creates the iframe with the widget URL, the host origin and a title', async () => {
    const { page, close } = await load('/frame.html');
    const attrs = await page.$eval('#tiledeskiframe', (f) => ({ src: f.src, title: f.title }));
    assert.equal(attrs.src, `${widgetHost.origin}/index.html#host=${encodeURIComponent(pages.origin)}`);
    assert.equal(attrs.title, 'Tiledesk chat');
    await close();
  });

  it('replays the pre-load queue in order and holds calls until the widget is ready', async () => {
    const queued = `
      window.tiledeskSettings.callback = function () {};
      Tiledesk('open');
      Tiledesk('hide', { reason: 'queued' });`;
    const { page, frame, close } = await load('/queue.html', { settings: { projectid: 'p1', widgetTitle: 'Hi' }, queued });
    await page.evaluate(() => window.tiledesk.show());
    assert.deepEqual(await received(frame), [], 'nothing is posted before ready');

    await frame.evaluate(() => window.send({ type: 'ready' }));
    const messages = await waitUntil(async () => {
      const list = await received(frame);
      return list.length >= 4 && list;
    }, 'init and three calls');
    assert.deepEqual(messages, [
      { tiledesk: 1, type: 'init', settings: { projectid: 'p1', widgetTitle: 'Hi' }, href: pages.url('/queue.html') },
      { tiledesk: 1, type: 'call', method: 'open' },
      { tiledesk: 1, type: 'call', method: 'hide', arg: { reason: 'queued' } },
      { tiledesk: 1, type: 'call', method: 'show' },
    ]);

    await page.evaluate(() => { window.tiledesk.close(); window.Tiledesk('open'); });
    await waitUntil(async () => (await received(frame)).length === 6, 'calls after ready go straight through');
    assert.deepEqual((await received(frame)).slice(4), [
      { tiledesk: 1, type: 'call', method: 'close' },
      { tiledesk: 1, type: 'call', method: 'open' },
    ]);
    await close();
  });

  it('sends an empty settings object when window.tiledeskSettings is absent', async () => {
    const { frame, close } = await load('/nosettings.html', { queued: 'delete window.tiledeskSettings;' });
    await frame.evaluate(() => window.send({ type: 'ready' }));
    const [init] = await waitUntil(async () => (await received(frame)).length && received(frame), 'init');
    assert.deepEqual(init.settings, {});
    await close();
  });

  it('sizes the iframe for each layout mode and re-applies it on resize', async () => {
    const { page, frame, close } = await load('/layout.html', {
      settings: { projectid: 'p1', align: 'left', marginX: '30px', marginY: '10px' },
      viewport: { width: 1000, height: 600 },
    });
    const style = () => page.$eval('#tiledeskiframe', (f) => {
      const s = getComputedStyle(f);
      const r = f.getBoundingClientRect();
      return { display: s.display, visibility: s.visibility, position: s.position, zIndex: s.zIndex, border: s.borderTopWidth,
        left: r.left, top: r.top, right: innerWidth - r.right, bottom: innerHeight - r.bottom, width: r.width, height: r.height };
    });
    const layout = async (mode) => {
      await frame.evaluate((m) => window.send({ type: 'layout', mode: m }), mode);
      await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
    };

    const pending = await style();
    assert.equal(pending.visibility, 'hidden', 'invisible until the widget says how to lay out');

    await layout('closed');
    await waitUntil(async () => (await style()).visibility === 'visible', 'closed layout applied');
    let s = await style();
    assert.deepEqual([s.position, s.zIndex, s.border, s.width, s.height, s.left, s.bottom], ['fixed', '2147483000', '0px', 60, 60, 30, 10]);

    await layout('open');
    await waitUntil(async () => (await style()).width === 376, 'open layout applied');
    s = await style();
    assert.deepEqual([s.width, s.height, s.left, s.bottom], [376, 580, 30, 10], 'height is min(640px, 100% - 2 * marginY)');

    await page.setViewportSize({ width: 500, height: 700 });
    await waitUntil(async () => (await style()).width === 500, 'full screen under 600 px');
    s = await style();
    assert.deepEqual([s.left, s.top, s.width, s.height], [0, 0, 500, 700]);

    await layout('closed');
    await waitUntil(async () => (await style()).width === 60, 'closed again');

    await page.setViewportSize({ width: 1000, height: 900 });
    await layout('open');
    await waitUntil(async () => (await style()).width === 376, 'open on a wide viewport');
    assert.equal((await style()).height, 640, 'capped at 640 px');

    await layout('hidden');
    await waitUntil(async () => (await style()).display === 'none', 'hidden');
    await close();
  });

  it('dispatches events as CustomEvents to listeners registered before and after load, isolating failures', async () => {
    const queued = `
      window.seen = [];
      Tiledesk('onOpen', function (e) { seen.push(['queued', e instanceof CustomEvent, e.type, e.detail]); });
      Tiledesk('onOpen', function () { throw new Error('listener failure'); });`;
    const { page, frame, errors, close } = await load('/events.html', { queued });
    await page.evaluate(() => {
      window.Tiledesk('onOpen', (e) => window.seen.push(['Tiledesk after load', e.detail.n]));
      window.tiledesk.on('onOpen', (e) => window.seen.push(['on', e.detail.n]));
      window.removed = () => window.seen.push(['removed']);
      window.tiledesk.on('onOpen', window.removed);
      window.tiledesk.off('onOpen', window.removed);
      window.tiledesk.on('onClose', (e) => window.seen.push(['close', e.detail]));
    });
    await frame.evaluate(() => {
      window.send({ type: 'event', name: 'onOpen', detail: { n: 1 } });
      window.send({ type: 'event', name: 'onClose', detail: { default_settings: {} } });
    });
    const seen = await waitUntil(async () => {
      const list = await page.evaluate(() => window.seen);
      return list.length >= 4 && list;
    }, 'listeners to run');
    assert.deepEqual(seen, [
      ['queued', true, 'onOpen', { n: 1 }],
      ['Tiledesk after load', 1],
      ['on', 1],
      ['close', { default_settings: {} }],
    ]);
    assert.deepEqual(errors, ['listener failure'], 'a failing listener is reported, the others still run');
    await close();
  });

  it('ignores messages that are not from the widget frame or not version 1', async () => {
    const { page, frame, close } = await load('/ignore.html', { queued: 'window.seen = []; Tiledesk("onOpen", function () { seen.push(1); });' });
    await frame.evaluate(() => window.send({ type: 'layout', mode: 'closed' }));
    const visible = () => page.$eval('#tiledeskiframe', (f) => getComputedStyle(f).visibility === 'visible' && getComputedStyle(f).display !== 'none');
    await waitUntil(visible, 'closed layout applied');

    await page.evaluate(() => new Promise((done) => {
      window.postMessage({ tiledesk: 1, type: 'layout', mode: 'hidden' }, '*');
      window.postMessage({ tiledesk: 1, type: 'event', name: 'onOpen', detail: {} }, '*');
      window.postMessage('done', '*');
      window.addEventListener('message', (e) => e.data === 'done' && done());
    }));
    await page.evaluate(() => { window.closeSeen = false; window.tiledesk.on('onClose', () => { window.closeSeen = true; }); });
    await frame.evaluate(() => {
      window.send({ tiledesk: 2, type: 'layout', mode: 'hidden' });
      window.send({ tiledesk: '1', type: 'event', name: 'onOpen', detail: {} });
      window.send({ type: 'layout', mode: 'sideways' });
      window.send({ type: 'event', name: 'onClose', detail: {} });
    });
    await waitUntil(() => page.evaluate(() => window.closeSeen), 'the valid message after the ignored ones');
    assert.ok(await visible(), 'still laid out as closed');
    assert.deepEqual(await page.evaluate(() => window.seen), []);
    await close();
  });

  it('does nothing when the loader runs a second time', async () => {
    const { page, close } = await load('/twice.html');
    await page.evaluate(() => { window.Tiledesk.marker = 'first'; });
    await page.evaluate((src) => new Promise((done) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = done;
      document.body.appendChild(s);
    }), widgetHost.url('/launch.js'));
    assert.equal(await page.locator('#tiledeskiframe').count(), 1);
    assert.equal(await page.evaluate(() => window.Tiledesk.marker), 'first', 'window.Tiledesk is untouched');
    await close();
  });
});
