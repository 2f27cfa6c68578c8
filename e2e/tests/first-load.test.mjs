// The first load: a page that neither calls the API nor listens gets only the small shell (launcher,
// callout); the chat module arrives when the visitor reaches for it, and takes over seamlessly.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { frameBox, message, openChat, send, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 60000;
const CHAT_MODULE = /\/chat-[0-9a-f]{16}(_bg\.wasm|\.js)$/;

describe('the first load', () => {
  let browser, server, pages;

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    pages = await startHost();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  /** Opens a host page with the snippet; records page errors, console warnings and chat-module fetches. */
  async function visit(path, { settings = {}, queued = '' } = {}) {
    pages.set(path, hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, ...settings }, queued }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    const warnings = [];
    const chatFetches = [];
    const configFetches = [];
    page.on('request', (request) => request.url().endsWith('/widget-config.json') && configFetches.push(request.url()));
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'warning' && warnings.push(msg.text()));
    page.on('request', (request) => CHAT_MODULE.test(request.url()) && chatFetches.push(request.url()));
    await page.goto(pages.url(path));
    return { page, context, errors, warnings, chatFetches, configFetches, close: () => context.close() };
  }

  /** Lets the widget settle: the launcher shown and its remote settings applied. */
  async function settle(page) {
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await waitUntil(async () => (await frameBox(page))?.width === 60, 'the launcher laid out');
    await page.waitForTimeout(800);
  }

  it("travels compressed: the shell's and the chat's files in brotli, as the build precompressed them", { timeout: TEST_TIMEOUT }, async () => {
    pages.set('/gzipped.html', hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const encodings = new Map();
    context.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === new URL(server.widgetUrl).origin && /\.(html|js|css|wasm)$/.test(url.pathname)) {
        encodings.set(url.pathname.split('/').pop(), response.headers()['content-encoding'] ?? 'identity');
      }
    });
    await page.goto(pages.url('/gzipped.html'));
    await openChat(page);
    const names = [...encodings.keys()];
    assert.ok(names.includes('index.html') && names.includes('launch.js'), `${names}`);
    for (const kind of [/^tiledesk-widget-.*_bg\.wasm$/, /^tiledesk-widget-.*\.js$/, /^widget-.*\.css$/, CHAT_MODULE]) {
      assert.ok(names.some((name) => kind.test(`/${name}`) || kind.test(name)), `a file like ${kind} among ${names}`);
    }
    // Chromium accepts brotli from secure and local origins (elsewhere gzip: the server's tests).
    for (const [name, encoding] of encodings) assert.equal(encoding, 'br', name);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows the launcher without the chat module, in the dashboard theme; a click brings the chat', { timeout: TEST_TIMEOUT }, async () => {
    await server.setRemoteWidget({ themeColor: '#0b6e4f', align: 'left' });
    try {
      const { page, errors, chatFetches, configFetches, close } = await visit('/quiet.html');
      await settle(page);
      assert.deepEqual(chatFetches, [], 'nothing but the shell is fetched');
      const launcher = widget(page).locator('[data-testid=launcher]');
      assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
      assert.equal(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(11, 110, 79)');
      assert.equal((await frameBox(page)).x, 20, 'align left from the dashboard');

      await launcher.click();
      await widget(page).locator('[data-testid=panel]').waitFor();
      assert.equal(chatFetches.length, 2, 'the chat module: its script and its wasm');
      assert.equal(await widget(page).locator('[data-testid=launcher]').count(), 0, 'one widget: the shell is gone');
      const start = widget(page).locator('[data-testid=new-conversation]');
      assert.equal(await start.evaluate((el) => el === document.activeElement), true, 'focus on the way to a new conversation');
      await start.click();
      assert.equal(await widget(page).locator('[data-testid=composer]').evaluate((el) => el === document.activeElement), true,
        'focus in the composer');
      await send(page, 'first words');
      await message(page, { direction: 'out', status: 'sent', text: 'first words' }).waitFor();
      assert.equal(configFetches.length, 2, 'widget-config.json: once by the shell, once by the chat');
      assert.deepEqual(errors, []);
      await close();
    } finally {
      await server.setRemoteWidget({});
    }
  });

  it('keyboard: focusing the launcher fetches the chat, Enter opens it (straight to the composer)', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, chatFetches, close } = await visit('/keyboard.html', { settings: { startFromHome: false } });
    await settle(page);
    assert.deepEqual(chatFetches, []);
    await page.keyboard.press('Tab');
    await waitUntil(async () => chatFetches.length === 2, 'the chat module fetched on focus');
    assert.equal(await widget(page).locator('[data-testid=panel]').count(), 0, 'fetched, not opened');
    await page.keyboard.press('Enter');
    await widget(page).locator('[data-testid=panel]').waitFor();
    await page.keyboard.type('typed at once');
    await page.keyboard.press('Enter');
    await message(page, { direction: 'out', status: 'sent', text: 'typed at once' }).waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  it('loads the chat when the page calls the API, and carries the call out', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, chatFetches, close } = await visit('/caller.html');
    await settle(page);
    assert.deepEqual(chatFetches, []);
    await page.evaluate(() => window.tiledesk.setParameter({ key: 'widgetTitle', value: 'Set by the page' }));
    await page.evaluate(() => window.tiledesk.open());
    await widget(page).locator('[data-testid=panel]').waitFor();
    await waitUntil(async () => (await widget(page).locator('[data-testid=panel]').textContent()).includes('Set by the page'),
      'the queued setParameter applied');
    assert.equal(chatFetches.length, 2);
    assert.deepEqual(errors, []);
    await close();
  });

  it('loads the chat when the page starts listening, and the listener hears it', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, chatFetches, close } = await visit('/listener.html');
    await settle(page);
    assert.deepEqual(chatFetches, []);
    await page.evaluate(() => {
      window.opened = 0;
      window.tiledesk.on('onOpen', () => { window.opened += 1; });
    });
    await waitUntil(async () => chatFetches.length === 2, 'the chat module fetched for the listener');
    await openChat(page);
    await waitUntil(async () => (await page.evaluate(() => window.opened)) === 1, 'onOpen heard once');
    assert.deepEqual(errors, []);
    await close();
  });

  it('shows the callout from the shell; its body opens the chat, its × dismisses it', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, chatFetches, close } = await visit('/callout-shell.html', {
      settings: { calloutTimer: 1, calloutTitle: 'Questions?', calloutMsg: 'Ask us here' },
    });
    const callout = widget(page).locator('[data-testid=callout]');
    await callout.waitFor({ timeout: 5000 });
    assert.match(await callout.textContent(), /Questions\?.*Ask us here/);
    assert.deepEqual(chatFetches, [], 'the callout needs no chat module');
    await waitUntil(async () => (await frameBox(page))?.height > 60, 'the iframe grown for the callout');
    await widget(page).locator('[data-testid=callout-close]').click();
    await waitUntil(async () => (await frameBox(page))?.height === 60, 'back to the launcher');
    assert.equal(await callout.count(), 0);

    const again = await visit('/callout-shell.html', { settings: { calloutTimer: 0 } });
    const bubble = widget(again.page).locator('[data-testid=callout] .tdw-callout-body');
    await bubble.waitFor();
    await bubble.click();
    await widget(again.page).locator('[data-testid=panel]').waitFor();
    assert.equal(await widget(again.page).locator('[data-testid=callout]').count(), 0, 'the callout went with the opening');
    assert.deepEqual([...errors, ...again.errors], []);
    await again.close();
    await close();
  });

  it('a returning visitor gets the chat at once: the conversation resumes after a reload', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, chatFetches, close } = await visit('/returning.html');
    await openChat(page);
    await send(page, 'remember me');
    await message(page, { direction: 'out', status: 'sent', text: 'remember me' }).waitFor();
    await page.evaluate(() => window.tiledesk.close());
    chatFetches.length = 0;
    await page.reload();
    await waitUntil(async () => chatFetches.length === 2, 'the chat module fetched without a click');
    await openChat(page);
    await message(page, { direction: 'out', text: 'remember me' }).waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  /** Holds the chat module's files back until `release()`: a slow network, as the visitor sees it. */
  async function holdChatModule(context) {
    let release;
    const held = new Promise((done) => { release = done; });
    await context.route(CHAT_MODULE, async (route) => { await held; await route.continue(); });
    return release;
  }

  it("opens the panel's frame at once; its message box takes text while the chat arrives, which keeps it", { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, close } = await visit('/frame.html', { settings: { startFromHome: false, widgetTitle: 'Shop help' } });
    await settle(page);
    const release = await holdChatModule(context);
    await widget(page).locator('[data-testid=launcher]').click();
    const frame = widget(page).locator('[data-testid=panel-frame]');
    await frame.waitFor();
    assert.equal(await frame.getAttribute('aria-label'), 'Shop help');
    assert.equal(await frame.getAttribute('aria-busy'), 'true');
    await waitUntil(async () => (await frameBox(page))?.height > 600, 'the iframe grown to the panel');
    assert.equal((await frameBox(page)).width, 400, "the panel's width");
    const early = widget(page).locator('[data-testid=panel-frame] [data-testid=composer]');
    assert.equal(await early.evaluate((el) => el === document.activeElement), true, 'the message box has the focus');
    await page.keyboard.type('typed before the chat');
    assert.equal(await widget(page).locator('[data-testid=panel]').count(), 0, 'the chat has not arrived');

    release();
    await widget(page).locator('[data-testid=panel]').waitFor();
    assert.equal(await frame.count(), 0, 'the frame made way for the chat');
    const composer = widget(page).locator('[data-testid=composer]');
    assert.equal(await composer.inputValue(), 'typed before the chat', 'the text is the chat composer\'s');
    assert.equal(await composer.evaluate((el) => el === document.activeElement), true, 'and so is the focus');
    await page.keyboard.type(', and after');
    await page.keyboard.press('Enter');
    await message(page, { direction: 'out', status: 'sent', text: 'typed before the chat, and after' }).waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  it('sends what the visitor sent from the frame once the chat arrives; Escape closes the frame', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, close } = await visit('/frame-send.html', { settings: { startFromHome: false } });
    await settle(page);
    const release = await holdChatModule(context);
    await widget(page).locator('[data-testid=launcher]').click();
    await widget(page).locator('[data-testid=panel-frame] [data-testid=composer]').waitFor();
    await page.keyboard.press('Escape');
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await waitUntil(async () => (await frameBox(page))?.height === 60, 'back to the launcher');
    await widget(page).locator('[data-testid=launcher]').click();
    await page.keyboard.type('sent early');
    await page.keyboard.press('Enter');
    release();
    await message(page, { direction: 'out', status: 'sent', text: 'sent early' }).waitFor();
    assert.equal(await widget(page).locator('[data-testid=composer]').inputValue(), '', 'sent, so no longer a draft');
    assert.equal(await message(page, { direction: 'out', text: 'sent early' }).count(), 1, 'sent once');
    assert.deepEqual(errors, []);
    await close();
  });

  it('offers no message box in the frame when the home view comes first', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, close } = await visit('/frame-home.html');
    await settle(page);
    const release = await holdChatModule(context);
    await widget(page).locator('[data-testid=launcher]').click();
    await widget(page).locator('[data-testid=panel-frame]').waitFor();
    assert.equal(await widget(page).locator('[data-testid=composer]').count(), 0);
    assert.equal(await widget(page).locator('[data-testid=close]').evaluate((el) => el === document.activeElement), true,
      'the focus in the frame');
    release();
    await widget(page).locator('[data-testid=home]').waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  it('when the chat module cannot be fetched, the frame says so, keeps the text, and sending tries again', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, warnings, chatFetches, close } = await visit('/offline-chat.html', { settings: { startFromHome: false } });
    await settle(page);
    await context.route(CHAT_MODULE, (route) => route.abort('internetdisconnected'));
    await widget(page).locator('[data-testid=launcher]').click();
    await page.keyboard.type('not lost');
    await waitUntil(async () => warnings.some((w) => w.includes('the chat could not be loaded')), 'the console warning');
    const error = widget(page).locator('[data-testid=panel-frame] [role=alert]');
    await error.waitFor();
    assert.match(await error.textContent(), /Can't reach the chat service/);
    assert.equal(await widget(page).locator('[data-testid=composer]').inputValue(), 'not lost');
    assert.equal(await widget(page).locator('[data-testid=panel]').count(), 0);

    await context.unroute(CHAT_MODULE);
    await widget(page).locator('[data-testid=composer]').press('Enter');
    await widget(page).locator('[data-testid=panel]').waitFor();
    await message(page, { direction: 'out', status: 'sent', text: 'not lost' }).waitFor();
    assert.ok(chatFetches.length >= 3, 'fetched again');
    assert.deepEqual(errors, []);
    await close();
  });

  it("shows the launcher once, already in the project's colours and place, on the first visit and after", { timeout: TEST_TIMEOUT }, async () => {
    const project = await server.rest('POST', 'projects', { name: 'themed' });
    await server.rest('PUT', `projects/${project._id}`, { widget: { themeColor: '#0b7a3e', align: 'left' } });
    pages.set('/themed.html', hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: project._id } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // In the widget's frame: every look the launcher has from the moment it exists.
    await context.addInitScript(() => {
      if (!location.pathname.includes('/widget/')) return;
      window.looks = [];
      const note = () => {
        const launcher = document.querySelector('[data-testid=launcher]');
        const root = launcher && launcher.closest('.tdw');
        if (!launcher) return;
        const look = `${getComputedStyle(launcher).backgroundColor} ${root.classList.contains('tdw-left') ? 'left' : 'right'}`;
        if (window.looks.at(-1) !== look) window.looks.push(look);
      };
      new MutationObserver(note).observe(document, { subtree: true, childList: true, attributes: true });
    });
    const page = await context.newPage();
    const frameLooks = async () => (await page.waitForSelector('#tiledeskiframe')).contentFrame().then((f) => f.evaluate(() => window.looks));
    const boxes = [];
    for (const visit of ['first visit', 'next page']) {
      await page.goto(pages.url('/themed.html'));
      await widget(page).locator('[data-testid=launcher]').waitFor();
      await page.waitForTimeout(600);
      assert.deepEqual(await frameLooks(), ['rgb(11, 122, 62) left'], `${visit}: one look, the project's`);
      boxes.push(await frameBox(page));
    }
    assert.equal(boxes[0].x, 20, 'on the left, 20 px from the edge');
    assert.deepEqual(boxes[1], boxes[0]);
    await context.close();
  });
});
