// loader/launch.js against a scripted fake widget frame: queueing, the bridge, layout, listeners.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, snippet, startHost } from '../support/host.mjs';

const LOADER = await readFile(new URL('../../loader/launch.js', import.meta.url), 'utf8');

/** The widget's default geometry (Geometry in protocol/src/bridge.rs). */
export const GEOMETRY = {
  align: 'right', marginX: '20px', marginY: '20px', mobileMarginX: '0px', mobileMarginY: '0px',
  launcherWidth: '60px', launcherHeight: '60px', fullscreen: false, displayOnDesktop: true, displayOnMobile: true,
  size: 'min', panelWidth: '400px', panelHeight: 'min(704px,calc(100% - 20px - 20px))',
};

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
    widgetHost = await startHost({ '/index.html': FAKE_WIDGET, '/launch.js': { type: 'js', body: LOADER } }, { hostname: '127.0.0.1' });
    pages = await startHost();
  });

  after(async () => {
    await browser?.close();
    await widgetHost?.close();
    await pages?.close();
  });

  /** Loads a host page with the snippet; resolves to { page, frame } once the loader made the iframe. */
  async function load(path, { settings = { projectid: 'p1' }, queued = '', viewport, head = '', headers, nonce, context: shared } = {}) {
    const html = hostPage({ widgetUrl: widgetHost.url('/'), settings, queued, head, nonce });
    pages.set(path, headers ? { body: html, headers } : html);
    const context = shared || await browser.newContext({ viewport: viewport || { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    const warnings = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'warning' && warnings.push(msg.text()));
    await page.goto(pages.url(path));
    const handle = await page.waitForSelector('#tiledesk-container > #tiledeskdiv > iframe#tiledeskiframe', { state: 'attached' });
    const frame = await waitUntil(async () => {
      const f = await handle.contentFrame();
      return f && f.url().startsWith(widgetHost.origin) && (await f.evaluate(() => typeof window.send === 'function')) && f;
    }, 'the fake widget to load');
    return { page, frame, errors, warnings, context, close: () => context.close() };
  }

  /** The fake widget says it is ready; resolves once the loader answered with init. */
  async function ready(frame) {
    await frame.evaluate(() => window.send({ type: 'ready' }));
    await waitUntil(async () => (await received(frame)).some((m) => m.type === 'init'), 'init');
  }

  /** The calls the fake widget received, without their version stamp. */
  async function calls(frame, count) {
    return waitUntil(async () => {
      const list = (await received(frame)).filter((m) => m.type === 'call');
      return list.length >= count && list.map(({ tiledesk, ...rest }) => rest);
    }, `${count} calls`);
  }

  /** The iframe's computed placement on the host page. */
  const box = (page) => page.$eval('#tiledeskiframe', (f) => {
    const s = getComputedStyle(f);
    const r = f.getBoundingClientRect();
    return { display: s.display, visibility: s.visibility, opacity: s.opacity, transform: s.transform, border: s.borderTopWidth,
      left: r.left, top: r.top, right: innerWidth - r.right, bottom: innerHeight - r.bottom, width: r.width, height: r.height };
  });

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
      { tiledesk: 1, type: 'init', settings: { projectid: 'p1', widgetTitle: 'Hi' }, href: pages.url('/queue.html'), listening: false, storage: { local: {}, session: {} }, tab: messages[0].tab },
      { tiledesk: 1, type: 'call', id: 1, method: 'open' },
      { tiledesk: 1, type: 'call', id: 2, method: 'hide', arg: { reason: 'queued' } },
      { tiledesk: 1, type: 'call', id: 3, method: 'show' },
    ]);

    await page.evaluate(() => { window.tiledesk.close(); window.Tiledesk('open'); });
    await waitUntil(async () => (await received(frame)).length === 6, 'calls after ready go straight through');
    assert.deepEqual((await received(frame)).slice(4), [
      { tiledesk: 1, type: 'call', id: 4, method: 'close' },
      { tiledesk: 1, type: 'call', id: 5, method: 'open' },
    ]);

    // A listener added after ready tells the widget, which then loads its chat module.
    await page.evaluate(() => window.tiledesk.on('onOpen', () => {}));
    await waitUntil(async () => (await received(frame)).length === 7, 'the listen notice');
    assert.deepEqual((await received(frame))[6], { tiledesk: 1, type: 'listen' });
    await close();
  });

  it('tells the widget in init whether the page already listens to events', async () => {
    const queued = `Tiledesk('onInit', function () {});`;
    const { frame, close } = await load('/listening.html', { settings: { projectid: 'p1' }, queued });
    await frame.evaluate(() => window.send({ type: 'ready' }));
    const [init] = await waitUntil(async () => (await received(frame)).length && received(frame), 'init');
    assert.equal(init.listening, true);
    assert.equal((await received(frame)).length, 1, 'a listener is not a call');
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
    const { page, frame, close } = await load('/layout.html', { viewport: { width: 1000, height: 600 } });
    const style = () => page.$eval('#tiledeskiframe', (f) => {
      const s = getComputedStyle(f);
      const r = f.getBoundingClientRect();
      return { display: s.display, visibility: s.visibility, position: s.position, zIndex: s.zIndex, border: s.borderTopWidth,
        left: r.left, top: r.top, right: innerWidth - r.right, bottom: innerHeight - r.bottom, width: r.width, height: r.height };
    });
    const geometry = { ...GEOMETRY, align: 'left', marginX: '30px', marginY: '10px', panelHeight: 'min(704px,calc(100% - 10px - 10px))' };
    const layout = async (mode) => {
      await frame.evaluate(([m, g]) => window.send({ type: 'layout', mode: m, geometry: g }), [mode, geometry]);
      await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
    };

    const pending = await style();
    assert.equal(pending.visibility, 'hidden', 'invisible until the widget says how to lay out');

    await layout('closed');
    await waitUntil(async () => (await style()).visibility === 'visible', 'closed layout applied');
    let s = await style();
    assert.deepEqual([s.position, s.zIndex, s.border, s.width, s.height, s.left, s.bottom], ['fixed', '2147483000', '0px', 60, 60, 30, 10]);

    await layout('open');
    await waitUntil(async () => (await style()).width === 400, 'open layout applied');
    s = await style();
    assert.deepEqual([s.width, s.height, s.left, s.bottom], [400, 580, 30, 10], 'height is min(704px, 100% - 2 * marginY)');

    await page.setViewportSize({ width: 500, height: 700 });
    await waitUntil(async () => (await style()).width === 500, 'full screen under 600 px');
    s = await style();
    assert.deepEqual([s.left, s.top, s.width, s.height], [0, 0, 500, 700]);

    await layout('closed');
    await waitUntil(async () => (await style()).width === 60, 'closed again');

    await page.setViewportSize({ width: 1000, height: 900 });
    await layout('open');
    await waitUntil(async () => (await style()).width === 400, 'open on a wide viewport');
    assert.equal((await style()).height, 704, 'capped at 704 px, as Tiledesk\'s panel');
    Object.assign(geometry, { size: 'max', panelWidth: '688px', panelHeight: 'min(786px,calc(100% - 10px - 10px))' });
    await layout('open');
    await waitUntil(async () => (await style()).width === 688, 'the larger size');
    assert.equal((await style()).height, 786, 'capped at 786 px');
    geometry.size = 'top';
    await layout('open');
    await waitUntil(async () => (await style()).height === 900, 'the top size covers the page');
    s = await style();
    assert.deepEqual([s.left, s.top, s.width], [0, 0, 1000]);
    Object.assign(geometry, { size: 'min', panelWidth: '400px', panelHeight: 'min(704px,calc(100% - 10px - 10px))' });

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

  const METHODS = ['show', 'hide', 'open', 'close', 'showCallout', 'signInAnonymous', 'signInWithCustomToken', 'logout',
    'clearStorage', 'restart', 'reInit', 'sendMessage', 'sendSupportMessage', 'startConversation', 'openConversationById',
    'setParameter', 'setAttributeParameter', 'setPreChatForm', 'setPreChatFormJson', 'setPrivacyPolicy'];
  const ARGS = { signInWithCustomToken: 'JWT x', sendMessage: { text: 'hi' }, sendSupportMessage: { message: 'hi' },
    startConversation: 'hello', openConversationById: 'support-group-p1-abc', setParameter: { key: 'align', value: 'left' },
    setAttributeParameter: { key: 'plan', value: 'gold' }, setPreChatForm: true, setPreChatFormJson: [{ name: 'userEmail' }] };
  const RETURNING = ['signInAnonymous', 'signInWithCustomToken', 'logout', 'clearStorage'];

  it('bridges every method, queued before load and called after, with ids and Promises for the returning ones', async () => {
    const queued = `window.ARGS = ${JSON.stringify(ARGS)};
      ${JSON.stringify(METHODS)}.forEach(function (m) { Tiledesk(m, ARGS[m]); });`;
    const { page, frame, close } = await load('/methods.html', { settings: { projectid: 'p1', widgetTitle: 'T' }, queued });
    const shape = await page.evaluate((methods) => methods.filter((m) => typeof window.tiledesk[m] !== 'function'), [...METHODS, 'getPreChatFormJson', 'on', 'off', 'dispose']);
    assert.deepEqual(shape, [], 'window.tiledesk has every method');
    await page.evaluate((methods) => {
      window.returned = methods.map((m) => {
        const r = window.tiledesk[m](window.ARGS[m]);
        return r instanceof Promise ? 'promise' : typeof r;
      });
    }, METHODS);
    await ready(frame);
    const expected = METHODS.map((method, i) => ({
      type: 'call', id: i + 1, method,
      ...(method === 'reInit' ? { arg: { projectid: 'p1', widgetTitle: 'T' } } : ARGS[method] !== undefined ? { arg: ARGS[method] } : {}),
    }));
    const got = await calls(frame, 2 * METHODS.length);
    assert.deepEqual(got.slice(0, METHODS.length), expected, 'the queued calls, in order');
    assert.deepEqual(got.slice(METHODS.length), expected.map((c, i) => ({ ...c, id: METHODS.length + i + 1 })), 'the calls after load');
    assert.deepEqual(await page.evaluate(() => window.returned), METHODS.map((m) => (RETURNING.includes(m) ? 'promise' : 'undefined')));
    await close();
  });

  it('resolves and rejects Promises from the widget results, and rejects after 10 s without one', { timeout: 30000 }, async () => {
    const { page, frame, close } = await load('/promises.html');
    await ready(frame);
    await page.evaluate(() => {
      window.outcomes = {};
      const track = (name, p) => p.then((v) => { window.outcomes[name] = { value: v }; }, (e) => { window.outcomes[name] = { error: e instanceof Error && e.message }; });
      track('anon', window.tiledesk.signInAnonymous());
      track('token', window.Tiledesk('signInWithCustomToken', 'bad'));
      track('logout', window.tiledesk.logout());
    });
    const sent = await calls(frame, 3);
    await frame.evaluate((ids) => {
      window.send({ type: 'result', id: ids[0], ok: true, value: { _id: 'u1' } });
      window.send({ type: 'result', id: ids[1], ok: false, error: '401 Unauthorized' });
      window.send({ type: 'result', id: 999, ok: true, value: 'unknown id, ignored' });
    }, sent.map((c) => c.id));
    await waitUntil(() => page.evaluate(() => window.outcomes.anon && window.outcomes.token), 'two outcomes');
    assert.deepEqual(await page.evaluate(() => window.outcomes), {
      anon: { value: { _id: 'u1' } },
      token: { error: 'Tiledesk signInWithCustomToken: 401 Unauthorized' },
    });
    const started = Date.now();
    await waitUntil(() => page.evaluate(() => window.outcomes.logout), 'the unanswered call to time out', 15000);
    assert.ok(Date.now() - started > 8000, 'after about 10 s');
    assert.deepEqual(await page.evaluate(() => window.outcomes.logout), { error: 'Tiledesk logout: no answer in 10 s' });
    await close();
  });

  it('answers getPreChatFormJson synchronously with what the widget last said, reads API members, calls tileDeskAsyncInit', async () => {
    const { page, frame, close } = await load('/sync.html', { queued: 'window.asyncInit = typeof window.tiledesk; window.tileDeskAsyncInit = function () { window.asyncInit = typeof window.tiledesk.open; };' });
    await ready(frame);
    assert.equal(await page.evaluate(() => window.asyncInit), 'function', 'tileDeskAsyncInit runs once window.tiledesk is ready');
    assert.equal(await page.evaluate(() => window.Tiledesk('getPreChatFormJson')), undefined, 'nothing before the widget says');
    await frame.evaluate(() => window.send({ type: 'props', preChatFormJson: [{ name: 'userEmail', mandatory: true }] }));
    await waitUntil(() => page.evaluate(() => Array.isArray(window.tiledesk.getPreChatFormJson())), 'the form');
    assert.deepEqual(await page.evaluate(() => {
      const form = window.tiledesk.getPreChatFormJson();
      form[0].name = 'changed by the page';
      return window.Tiledesk('getPreChatFormJson');
    }), [{ name: 'userEmail', mandatory: true }], 'a copy each time, synchronously');
    assert.equal(await page.evaluate(() => window.Tiledesk('on') === window.tiledesk.on), true, 'Tiledesk(name) reads a member');
    assert.equal((await received(frame)).filter((m) => m.type === 'call').length, 0, 'nothing posted for them');
    assert.equal(await page.locator('#tiledesk-container > #tiledeskdiv > #tiledeskiframe').count(), 1, 'the ids Tiledesk\'s host CSS uses');
    await close();
  });

  it('warns once about an unknown method and posts nothing; bad arguments are left to the widget', async () => {
    const { page, frame, warnings, errors, close } = await load('/unknown.html', { queued: "Tiledesk('explode', 1);" });
    await ready(frame);
    await page.evaluate(() => { window.Tiledesk('selfDestruct'); window.tiledesk.on('onOpen', 'not a function'); });
    await waitUntil(() => warnings.length >= 3, 'three warnings');
    assert.deepEqual(warnings, [
      'Tiledesk: unknown method explode',
      'Tiledesk: unknown method selfDestruct',
      'Tiledesk: onOpen needs a function',
    ]);
    await page.evaluate(() => window.tiledesk.setPreChatForm('yes'));
    assert.deepEqual(await calls(frame, 1), [{ type: 'call', id: 1, method: 'setPreChatForm', arg: 'yes' }]);
    assert.deepEqual(errors, []);
    await close();
  });

  it('answers a blocking event with the detail as the listeners left it', async () => {
    const queued = `Tiledesk('onBeforeMessageSend', function (e) { e.detail.message.attributes.plan = 'gold'; });
      Tiledesk('onBeforeMessageSend', function (e) { e.detail.message.attributes.seen = e.detail.message.attributes.plan; });`;
    const { frame, close } = await load('/blocking.html', { queued });
    await ready(frame);
    await frame.evaluate(() => {
      window.send({ type: 'event', name: 'onBeforeMessageSend', id: 7, detail: { message: { text: 'hi', type: 'text', attributes: { a: 1 }, recipient: 'r' } } });
      window.send({ type: 'event', name: 'onAfterMessageSend', id: 8, detail: { message: { text: 'no listeners' } } });
    });
    const replies = await waitUntil(async () => {
      const list = (await received(frame)).filter((m) => m.type === 'eventReply');
      return list.length >= 2 && list;
    }, 'two event replies');
    assert.deepEqual(replies, [
      { tiledesk: 1, type: 'eventReply', id: 7, detail: { message: { text: 'hi', type: 'text', attributes: { a: 1, plan: 'gold', seen: 'gold' }, recipient: 'r' } } },
      { tiledesk: 1, type: 'eventReply', id: 8, detail: { message: { text: 'no listeners' } } },
    ]);
    await close();
  });

  it('places the iframe from the geometry: align, margins, launcher size, callout, full screen, device filters', async () => {
    const { page, frame, close } = await load('/geometry.html', { viewport: { width: 1000, height: 700 } });
    const layout = async (mode, geometry, check, what) => {
      await frame.evaluate(([m, g]) => window.send({ type: 'layout', mode: m, geometry: g }), [mode, { ...GEOMETRY, ...geometry }]);
      return waitUntil(async () => { const b = await box(page); return check(b) && b; }, what);
    };
    let b = await layout('closed', { align: 'left', marginX: '40px', marginY: '30px', launcherWidth: '80px', launcherHeight: '70px' },
      (b) => b.width === 80, 'closed with an 80 px launcher');
    assert.deepEqual([b.left, b.bottom, b.width, b.height, b.display, b.visibility], [40, 30, 80, 70, 'block', 'visible']);
    b = await layout('callout', { align: 'left', marginX: '40px', marginY: '30px', launcherWidth: '80px', launcherHeight: '70px' },
      (b) => b.width === 300, 'callout');
    assert.deepEqual([b.left, b.bottom, b.width, b.height], [40, 30, 300, 200]);
    b = await layout('open', { marginX: '10px', marginY: '15px', panelHeight: 'min(704px,calc(100% - 15px - 15px))' },
      (b) => b.width === 400, 'open at the right');
    assert.deepEqual([b.right, b.bottom, b.height], [10, 15, 670]);
    b = await layout('open', { fullscreen: true }, (b) => b.width === 1000, 'fullscreenMode');
    assert.deepEqual([b.left, b.top, b.width, b.height], [0, 0, 1000, 700]);
    await layout('closed', { displayOnDesktop: false }, (b) => b.display === 'none', 'displayOnDesktop false hides on a wide viewport');

    await page.setViewportSize({ width: 390, height: 844 });
    b = await layout('closed', { mobileMarginX: '5px', mobileMarginY: '6px', displayOnDesktop: false }, (b) => b.display === 'block' && b.right === 5, 'mobile margins');
    assert.deepEqual([b.right, b.bottom, b.width, b.height], [5, 6, 60, 60]);
    b = await layout('open', {}, (b) => b.width === 390, 'open fills a narrow viewport');
    assert.deepEqual([b.left, b.top, b.height], [0, 0, 844]);
    await layout('closed', { displayOnMobile: false }, (b) => b.display === 'none', 'displayOnMobile false hides on a narrow viewport');
    await page.setViewportSize({ width: 1000, height: 700 });
    await waitUntil(async () => (await box(page)).display === 'block', 'shown again on a wide viewport');
    await close();
  });

  it('keeps its look whatever the host CSS says', async () => {
    const head = `<style>
      div, iframe, button { transform: scale(0.5) !important; opacity: 0.2 !important; filter: blur(4px) !important; }
      div, iframe { display: none !important; width: 1px !important; height: 1px !important; border: 9px solid red !important;
        position: static !important; visibility: hidden !important; pointer-events: none !important; }
      #tiledeskiframe { left: 0 !important; bottom: 300px !important; }
    </style>`;
    const { page, frame, close } = await load('/css.html', { head });
    await frame.evaluate((g) => window.send({ type: 'layout', mode: 'closed', geometry: g }), GEOMETRY);
    const b = await waitUntil(async () => { const b = await box(page); return b.visibility === 'visible' && b; }, 'closed layout');
    assert.deepEqual(b, { display: 'block', visibility: 'visible', opacity: '1', transform: 'none', border: '0px',
      left: 1280 - 20 - 60, top: 800 - 20 - 60, right: 20, bottom: 20, width: 60, height: 60 });
    const container = await page.$eval('#tiledesk-container', (c) => [getComputedStyle(c).transform, getComputedStyle(c).filter, getComputedStyle(c).opacity]);
    assert.deepEqual(container, ['none', 'none', '1'], 'the container cannot move the fixed iframe either');
    await close();
  });

  it('works under a strict host CSP that allows only the widget origin', async () => {
    const nonce = 'n0nc3';
    const csp = `default-src 'none'; script-src ${widgetHost.origin} 'nonce-${nonce}'; frame-src ${widgetHost.origin}; style-src 'none'; img-src 'none'`;
    const head = `<script nonce="${nonce}">window.violations = [];
      document.addEventListener('securitypolicyviolation', function (e) { violations.push(e.violatedDirective + ' ' + e.blockedURI); });</script>`;
    const { page, frame, errors, close } = await load('/csp.html', { headers: { 'Content-Security-Policy': csp }, nonce, head, queued: "Tiledesk('open');" });
    await ready(frame);
    assert.deepEqual(await calls(frame, 1), [{ type: 'call', id: 1, method: 'open' }]);
    await frame.evaluate((g) => window.send({ type: 'layout', mode: 'open', geometry: g }), GEOMETRY);
    const b = await waitUntil(async () => { const b = await box(page); return b.width === 400 && b; }, 'the open layout under CSP');
    assert.deepEqual([b.right, b.bottom, b.height], [20, 20, 704]);
    const violations = await page.evaluate(() => window.violations);
    assert.deepEqual(violations.filter((v) => !v.startsWith('img-src')), [], 'no script, frame or style violations');
    assert.deepEqual(errors, []);
    await close();
  });

  it('dispose removes everything and running the snippet again starts afresh', async () => {
    const queued = `window.seen = []; Tiledesk('onOpen', function () { seen.push('old'); });`;
    const { page, frame, close } = await load('/dispose.html', { queued });
    await ready(frame);
    await page.evaluate(() => {
      window.oldApi = window.tiledesk;
      window.pendingOutcome = null;
      window.tiledesk.logout().catch((e) => { window.pendingOutcome = e.message; });
    });
    await calls(frame, 1);
    await frame.evaluate(() => window.send({ type: 'event', name: 'onOpen', detail: {} }));
    await waitUntil(() => page.evaluate(() => window.seen.length === 1), 'onOpen before dispose');

    await page.evaluate(() => window.Tiledesk('dispose'));
    assert.deepEqual(await page.evaluate(() => ({
      frame: !!document.getElementById('tiledeskiframe'),
      container: !!document.getElementById('tiledesk-container'),
      script: !!document.getElementById('tiledesk-jssdk'),
      Tiledesk: 'Tiledesk' in window,
      tiledesk: 'tiledesk' in window,
      pending: window.pendingOutcome,
    })), { frame: false, container: false, script: false, Tiledesk: false, tiledesk: false, pending: 'Tiledesk logout: disposed' });
    await page.evaluate(() => window.oldApi.open());

    await page.evaluate((code) => {
      window.tiledeskSettings = { projectid: 'p2' };
      (0, eval)(code);
      window.Tiledesk('onOpen', () => window.seen.push('new'));
    }, snippet(widgetHost.url('/')));
    const handle = await page.waitForSelector('#tiledesk-container > #tiledeskdiv > iframe#tiledeskiframe', { state: 'attached' });
    const fresh = await waitUntil(async () => {
      const f = await handle.contentFrame();
      return f && f !== frame && (await f.evaluate(() => typeof window.send === 'function').catch(() => false)) && f;
    }, 'the new widget frame');
    await ready(fresh);
    assert.deepEqual((await received(fresh))[0].settings, { projectid: 'p2' });
    await fresh.evaluate(() => window.send({ type: 'event', name: 'onOpen', detail: {} }));
    await waitUntil(() => page.evaluate(() => window.seen.length === 2), 'onOpen after re-init');
    assert.deepEqual(await page.evaluate(() => window.seen), ['old', 'new'], 'old listeners are gone');
    assert.equal(await page.locator('#tiledeskiframe').count(), 1);
    await close();
  });

  it('keeps the widget\'s values in the host page\'s storage: its own keys only, other tabs\' changes passed on', async () => {
    const { page, frame, context, close } = await load('/storage.html');
    await page.evaluate(() => {
      localStorage.setItem('widget_sv5_p1_recipientId', 'support-group-p1-abc');
      sessionStorage.setItem('widget_sv5_p1_isOpen', 'true');
      localStorage.setItem('site_cart', 'the host page\'s own');
    });
    await ready(frame);
    const init = (await received(frame)).find((m) => m.type === 'init');
    assert.deepEqual(init.storage, {
      local: { 'widget_sv5_p1_recipientId': 'support-group-p1-abc' },
      session: { 'widget_sv5_p1_isOpen': 'true' },
    }, 'the snapshot carries the widget\'s keys, and no other');
    await frame.evaluate(() => {
      window.send({ type: 'store', area: 'local', key: 'widget_sv5_p1_tiledeskToken', value: 'JWT t' });
      window.send({ type: 'store', area: 'session', key: 'widget_sv5_p1_isOpen' });
      window.send({ type: 'store', area: 'local', key: 'site_cart', value: 'overwritten' });
      window.send({ type: 'store', area: 'cookies', key: 'widget_sv5_p1_x', value: 'nowhere' });
    });
    await waitUntil(() => page.evaluate(() => localStorage.getItem('widget_sv5_p1_tiledeskToken') === 'JWT t'), 'the write');
    assert.deepEqual(await page.evaluate(() => [sessionStorage.getItem('widget_sv5_p1_isOpen'), localStorage.getItem('site_cart')]),
      [null, 'the host page\'s own'], 'a removal; other keys of the page stay untouched');

    // Another tab of the site changes a widget value: the widget hears of it.
    const other = await context.newPage();
    await other.goto(pages.url('/storage.html'));
    await other.evaluate(() => { localStorage.setItem('widget_sv5_p1_recipientId', 'support-group-p1-def'); localStorage.setItem('site_cart', 'x'); });
    const stored = await waitUntil(async () => (await received(frame)).filter((m) => m.type === 'stored').length >= 1
      && (await received(frame)).filter((m) => m.type === 'stored'), 'a stored message');
    await new Promise((done) => setTimeout(done, 200));
    assert.deepEqual((await received(frame)).filter((m) => m.type === 'stored').map(({ tiledesk, ...m }) => m),
      [{ type: 'stored', area: 'local', key: 'widget_sv5_p1_recipientId', value: 'support-group-p1-def' }], `only widget keys: ${JSON.stringify(stored)}`);
    await close();
  });

  it('holds a lock for the tab\'s life, and grants another tab\'s lock once that tab is gone', async () => {
    const first = await load('/locks.html');
    await ready(first.frame);
    const second = await load('/locks.html', { context: first.context });
    await ready(second.frame);
    const init = async (frame) => (await received(frame)).find((m) => m.type === 'init');
    const [one, two] = [(await init(first.frame)).tab, (await init(second.frame)).tab];
    assert.ok(one && two && one !== two, 'each tab has its own id');
    const locked = async (frame) => (await received(frame)).filter((m) => m.type === 'locked').map(({ tiledesk, ...m }) => m);
    const lock = (frame, name, key) => frame.evaluate(([name, key]) => window.send({ type: 'lock', name, area: 'local', key }), [name, key]);

    await first.page.evaluate((tab) => localStorage.setItem(`widget_sv5_p1_outbox_${tab}`, '["left behind"]'), two);
    await lock(first.frame, `widget_sv5_tab_${two}`, `widget_sv5_p1_outbox_${two}`);
    await new Promise((done) => setTimeout(done, 300));
    assert.deepEqual(await locked(first.frame), [], 'not while the second tab lives');
    await second.page.close();
    await waitUntil(async () => (await locked(first.frame)).length === 1, 'granted once the tab is gone');
    assert.deepEqual((await locked(first.frame))[0],
      { type: 'locked', name: `widget_sv5_tab_${two}`, fresh: true, value: '["left behind"]' }, 'with the value as it is now');

    // A lock the widget takes and releases (any name of its own) goes to the next who asks.
    await lock(first.frame, 'widget_sv5_p1_x', 'widget_sv5_p1_x');
    await waitUntil(async () => (await locked(first.frame)).length === 2, 'a free lock at once');
    await lock(first.frame, 'widget_sv5_p1_x', 'widget_sv5_p1_x');
    await new Promise((done) => setTimeout(done, 300));
    assert.equal((await locked(first.frame)).length, 2, 'held until released');
    await first.frame.evaluate(() => window.send({ type: 'unlock', name: 'widget_sv5_p1_x' }));
    await waitUntil(async () => (await locked(first.frame)).length === 3, 'released, granted again');
    await lock(first.frame, 'site_lock', 'widget_sv5_p1_x');
    await lock(first.frame, 'widget_sv5_p1_y', 'site_cart');
    await new Promise((done) => setTimeout(done, 200));
    assert.equal((await locked(first.frame)).length, 3, 'nothing for names or keys that are not the widget\'s');
    await first.close();
  });
});
