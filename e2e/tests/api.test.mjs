// The JavaScript API of the real widget (dist/) with the real tiledesk-local, embedded on a foreign host page:
// every method and event, Promises, settings precedence and URL parameters, a strict CSP, dispose, WebView mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, snippet, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { frameBox, message, recorder, stored, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 120000;
const EVENTS = ['onLoadParams', 'onBeforeInit', 'onInit', 'onAuthStateChanged', 'onOpen', 'onClose', 'onOpenEyeCatcher',
  'onClosedEyeCatcher', 'onNewConversation', 'onBeforeMessageSend', 'onAfterMessageSend', 'onMessageCreated',
  'onConversationUpdated', 'onBeforeDepartmentsFormRender'];
/** Registers the `events` recorder for every event with `how` ('Tiledesk' or 'on'). */
const listenAll = (how) => `${recorder('events')}
  ${JSON.stringify(EVENTS)}.forEach(function (name) {
    ${how === 'on' ? 'window.tiledesk.on' : 'Tiledesk'}(name, window.eventsListener);
  });`;

describe('the JavaScript API of the real widget', () => {
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

  /** Opens a host page at `path` (with `search`), in a fresh context unless one is given. */
  async function visit(path, html, { search = '', context, contextOptions, headers } = {}) {
    pages.set(path, headers ? { body: html, headers } : html);
    const ctx = context || await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
    const page = await ctx.newPage();
    const errors = [];
    const warnings = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'warning' && warnings.push(msg.text()));
    await page.goto(pages.url(path) + search);
    return { page, errors, warnings, context: ctx, close: () => ctx.close() };
  }

  const embed = (settings, rest = {}) => hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, ...settings }, ...rest });
  const recorded = (page, name) => page.evaluate((n) => window.events.filter((e) => e.name === n).map((e) => e.detail), name);
  const waitEvent = (page, name, count = 1) => waitUntil(async () => {
    const list = await recorded(page, name);
    return list.length >= count && list;
  }, `${count} × ${name}`);
  const newRequests = async (known) => (await server.requests()).filter((r) => !known.includes(r.request_id));

  it('carries out every method and fires every event, for listeners and calls queued before load', { timeout: TEST_TIMEOUT }, async () => {
    const known = (await server.requests()).map((r) => r.request_id);
    const queued = `${listenAll('Tiledesk')}
      Tiledesk('onBeforeMessageSend', function (e) { e.detail.message.attributes.changedBy = 'listener'; });
      Tiledesk('setParameter', { key: 'widgetTitle', value: 'Queued title' });
      Tiledesk('setAttributeParameter', { key: 'plan', value: 'gold' });
      Tiledesk('showCallout');`;
    const { page, errors, close } = await visit('/all.html', embed({ calloutTitle: 'Need help?' }, { queued }));
    for (const name of ['onLoadParams', 'onBeforeInit', 'onInit']) {
      const [detail] = await waitEvent(page, name);
      assert.equal(detail.default_settings.projectid, server.projectId, `${name} detail.default_settings`);
    }
    const [init] = await recorded(page, 'onInit');
    assert.equal(init.global.projectid, server.projectId);
    assert.ok('appConfigs' in init);
    await widget(page).locator('[data-testid=callout]').waitFor();
    await waitEvent(page, 'onOpenEyeCatcher');

    await page.evaluate(() => window.tiledesk.open());
    await widget(page).locator('[data-testid=panel]').waitFor();
    await waitEvent(page, 'onOpen');
    await waitEvent(page, 'onClosedEyeCatcher');
    await widget(page).locator('[data-testid=panel] h1', { hasText: 'Queued title' }).waitFor();

    await page.evaluate(() => window.tiledesk.sendMessage({ text: 'sent by the API', attributes: { source: 'api' } }));
    const [sent] = await waitEvent(page, 'onBeforeMessageSend');
    assert.equal(sent.message.text, 'sent by the API');
    await waitEvent(page, 'onAfterMessageSend');
    const [conv] = await waitEvent(page, 'onNewConversation');
    assert.match(conv.newConvId, new RegExp(`^support-group-${server.projectId}-[0-9a-f]{32}$`));
    const [auth] = await waitEvent(page, 'onAuthStateChanged');
    assert.equal(auth.event, 'online');
    assert.equal(auth.isLogged, true);
    await message(page, { direction: 'out', status: 'sent', text: 'sent by the API' }).waitFor();
    const stored = await waitUntil(async () => (await server.messages(conv.newConvId)).find((m) => m.text === 'sent by the API'), 'the stored message');
    assert.equal(stored.attributes?.changedBy, 'listener', `onBeforeMessageSend changed the sent attributes: ${JSON.stringify(stored.attributes)}`);
    assert.equal(stored.attributes?.source, 'api');
    assert.equal(stored.attributes?.plan, 'gold', 'setAttributeParameter attributes go with every message');

    await page.evaluate(() => window.Tiledesk('sendSupportMessage', { message: 'support message', type: 'text' }));
    await message(page, { direction: 'out', status: 'sent', text: 'support message' }).waitFor();
    await server.reply(conv.newConvId, 'agent answer');
    await message(page, { direction: 'in', text: 'agent answer' }).waitFor();
    const updated = await waitEvent(page, 'onConversationUpdated');
    assert.equal(updated.at(-1).conversation.last_message_text, 'agent answer');
    const created = (await waitEvent(page, 'onMessageCreated', 3)).map((d) => d.message.text);
    assert.ok(['sent by the API', 'support message', 'agent answer'].every((t) => created.includes(t)), `onMessageCreated: ${created}`);

    await page.evaluate(() => window.tiledesk.startConversation('second conversation'));
    const [, second] = await waitEvent(page, 'onNewConversation', 2);
    assert.notEqual(second.newConvId, conv.newConvId);
    const intent = await waitUntil(async () => (await server.messages(second.newConvId).catch(() => []))[0], 'the intent message');
    assert.deepEqual([intent.text, intent.attributes.subtype], ['/second conversation', 'info'], 'startConversation(text) sends an intent');
    assert.equal(await message(page, { direction: 'out', text: 'second conversation' }).count(), 0, 'not shown to the visitor');
    await page.evaluate((id) => window.tiledesk.openConversationById(id), conv.newConvId);
    await message(page, { direction: 'in', text: 'agent answer' }).waitFor();
    assert.equal((await newRequests(known)).length, 2);

    await page.evaluate(() => window.tiledesk.close());
    await waitEvent(page, 'onClose');
    await waitUntil(async () => (await frameBox(page))?.width === 60, 'closed');
    await page.evaluate(() => window.tiledesk.hide());
    await page.locator('#tiledeskiframe').waitFor({ state: 'hidden' });
    await page.evaluate(() => window.Tiledesk('show'));
    await page.locator('#tiledeskiframe').waitFor({ state: 'visible' });

    await page.evaluate(() => {
      window.tiledesk.setPreChatForm(true);
      window.tiledesk.setPreChatFormJson([{ name: 'userFullname', label: 'Your name', mandatory: true }]);
      window.tiledesk.setPrivacyPolicy();
    });
    // getPreChatFormJson answers synchronously, with the form as the widget last told the loader.
    const form = await waitUntil(async () => {
      const now = await page.evaluate(() => window.tiledesk.getPreChatFormJson());
      return now?.length === 1 && now;
    }, 'the form set by setPreChatFormJson');
    assert.deepEqual(form.map((f) => f.name), ['userFullname']);

    await page.evaluate(() => window.tiledesk.logout());
    const offline = await waitUntil(async () => (await recorded(page, 'onAuthStateChanged')).find((d) => d.event === 'offline'), 'offline after logout');
    assert.equal(offline.isLogged, false);
    const inits = (await recorded(page, 'onInit')).length;
    await page.evaluate(() => { window.tiledesk.clearStorage(); window.tiledesk.restart(); });
    await waitEvent(page, 'onInit', inits + 1);
    await page.evaluate(() => { window.tiledeskSettings.calloutTitle = 'After reInit'; window.tiledesk.reInit(); });
    const afterReInit = await waitEvent(page, 'onInit', inits + 2);
    assert.equal(afterReInit.at(-1).default_settings.calloutTitle, 'After reInit', 'reInit reads window.tiledeskSettings again');
    assert.deepEqual(errors, []);
    await close();
  });

  it('registers listeners after load with tiledesk.on and Tiledesk, and calls methods after load', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/after.html', embed({}));
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await page.evaluate(() => window.tiledesk.on('onInit', () => {}));
    await page.evaluate(new Function(listenAll('on')));
    await page.evaluate(() => window.Tiledesk('onOpen', (e) => { window.viaTiledesk = e.detail.default_settings.projectid; }));
    await page.evaluate(() => window.Tiledesk('showCallout'));
    await waitEvent(page, 'onOpenEyeCatcher');
    await page.evaluate(() => window.Tiledesk('open'));
    await waitEvent(page, 'onOpen');
    await waitUntil(() => page.evaluate(() => window.viaTiledesk), 'the Tiledesk(onOpen) listener');
    await page.evaluate(() => { window.Tiledesk('startConversation'); window.Tiledesk('sendMessage', { text: 'after load' }); });
    await waitEvent(page, 'onBeforeMessageSend');
    await waitEvent(page, 'onAfterMessageSend');
    await waitEvent(page, 'onMessageCreated');
    await waitEvent(page, 'onNewConversation');
    await page.evaluate(() => window.tiledesk.close());
    await waitEvent(page, 'onClose');
    await close();
  });

  it('returns Promises for signInAnonymous, signInWithCustomToken, logout and clearStorage, rejecting a bad token', { timeout: TEST_TIMEOUT }, async () => {
    const token = await server.customToken('customer-42');
    const { page, warnings, close } = await visit('/promises.html', embed({}, { queued: listenAll('Tiledesk') }));
    await widget(page).locator('[data-testid=launcher]').waitFor();
    const anon = await page.evaluate(() => window.tiledesk.signInAnonymous());
    assert.ok(anon._id, `signInAnonymous resolves to the user: ${JSON.stringify(anon)}`);
    const custom = await page.evaluate((jwt) => window.Tiledesk('signInWithCustomToken', jwt), token);
    assert.equal(custom.firstname, 'Custom', `signInWithCustomToken resolves to the user: ${JSON.stringify(custom)}`);
    assert.notEqual(custom._id, anon._id);
    const auth = await waitUntil(async () => (await recorded(page, 'onAuthStateChanged')).find((d) => d.user_id === custom._id), 'onAuthStateChanged for the custom user');
    assert.equal(auth.isLogged, true);
    const bad = await page.evaluate(() => window.tiledesk.signInWithCustomToken('JWT not.a.token').then(
      () => 'resolved', (e) => (e instanceof Error ? `Error: ${e.message}` : String(e))));
    assert.match(bad, /^Error: Tiledesk signInWithCustomToken: .+/);
    const form = await page.evaluate(() => window.tiledesk.getPreChatFormJson());
    assert.deepEqual(form.map((f) => f.name), ['userFullname', 'userEmail'], 'the default pre-chat form, synchronously');
    assert.deepEqual(await page.evaluate(async () => [await window.tiledesk.logout(), await window.Tiledesk('logout')]), [true, false],
      'logout resolves to whether someone was signed in');
    assert.equal(await page.evaluate(() => window.tiledesk.clearStorage()), true, 'clearStorage resolves to true');

    const before = warnings.length;
    const result = await page.evaluate(() => [window.tiledesk.setPreChatForm('not a boolean'), window.Tiledesk('noSuchMethod')]);
    assert.deepEqual(result, [undefined, undefined], 'methods that return nothing return undefined');
    await waitUntil(() => warnings.length >= before + 2, 'one warning per bad call');
    const fresh = warnings.slice(before);
    assert.equal(fresh.length, 2, `exactly one warning each: ${fresh}`);
    assert.ok(fresh.some((w) => w.includes('setPreChatForm')) && fresh.some((w) => w.includes('noSuchMethod')), `${fresh}`);
    await close();
  });

  it('applies settings with precedence remote < stored < tiledeskSettings < URL', { timeout: TEST_TIMEOUT }, async () => {
    await server.setRemoteWidget({
      widgetTitle: 'remote title', calloutTitle: 'remote', calloutMsg: 'remote', themeColor: '#111111', welcomeTitle: 'remote',
    });
    try {
      // Visit 1 stores calloutTitle, calloutMsg and themeColor with setParameter (remembered by the widget).
      const first = await visit('/stored.html', embed({}));
      await widget(first.page).locator('[data-testid=launcher]').waitFor();
      await first.page.evaluate(() => {
        for (const key of ['calloutTitle', 'calloutMsg', 'themeColor']) {
          window.tiledesk.setParameter({ key, value: key === 'themeColor' ? '#222222' : 'stored' });
        }
      });
      // The calls load the chat, which remembers them (in the host page's storage, through the
      // loader): wait for that before the next visit reads them.
      await waitUntil(async () => {
        const remembered = await stored(first.page, server.projectId, 'settings');
        return JSON.parse(remembered ?? '{}').themeColor === '#222222';
      }, 'the first visit to remember its parameters');
      const second = await visit('/precedence.html', embed({ calloutMsg: 'host', themeColor: '#333333' }, { queued: listenAll('Tiledesk') }), {
        context: first.context, search: '?tiledesk_themeColor=%23444444',
      });
      await first.page.close();
      const { page } = second;
      await widget(page).locator('[data-testid=launcher]').waitFor();
      await page.evaluate(() => window.tiledesk.open());
      await widget(page).locator('[data-testid=panel] h1', { hasText: 'remote title' }).waitFor();
      await page.evaluate(() => { window.tiledesk.close(); window.tiledesk.open(); });
      const opened = await waitEvent(page, 'onOpen', 2);
      const s = opened.at(-1).default_settings;
      assert.deepEqual([s.widgetTitle, s.calloutTitle, s.calloutMsg, s.themeColor], ['remote title', 'stored', 'host', '#444444']);

      await page.evaluate(() => window.tiledesk.setParameter({ key: 'widgetTitle', value: 'live title' }));
      await widget(page).locator('[data-testid=panel] h1', { hasText: 'live title' }).waitFor();
      await second.close();
    } finally {
      await server.setRemoteWidget({});
    }
  });

  it('reads tiledesk_<key> URL parameters: bare keys, JSON values, a broken value ignored with a warning', { timeout: TEST_TIMEOUT }, async () => {
    const search = '?tiledesk_open&tiledesk_widgetTitle=From%20the%20URL&tiledesk_hideHeaderCloseButton=false'
      + `&tiledesk_customAttributes=${encodeURIComponent(JSON.stringify({ plan: 'url' }))}&tiledesk_preChatFormJson=%5Bbroken`;
    const { page, warnings, close } = await visit('/url.html', embed({ hideHeaderCloseButton: true }, { queued: listenAll('Tiledesk') }), { search });
    await widget(page).locator('[data-testid=panel] h1', { hasText: 'From the URL' }).waitFor();
    const [init] = await waitEvent(page, 'onInit');
    const s = init.default_settings;
    assert.equal(s.open, true, 'a bare key is true');
    assert.equal(s.hideHeaderCloseButton, false, 'false is false');
    assert.deepEqual(s.customAttributes, { plan: 'url' }, 'JSON values are parsed');
    assert.equal(s.preChatFormJson, undefined, 'a value that fails to parse is ignored');
    await widget(page).locator('[data-testid=close]').waitFor();
    await waitUntil(() => warnings.some((w) => w.includes('preChatFormJson')), 'a warning about the broken preChatFormJson');
    await close();
  });

  it('signs in with tiledesk_jwt and sends tiledesk_hiddenMessage silently', { timeout: TEST_TIMEOUT }, async () => {
    const token = await server.customToken('url-visitor');
    const known = (await server.requests()).map((r) => r.request_id);
    const search = `?tiledesk_jwt=${encodeURIComponent(token)}&tiledesk_hiddenMessage=start%20the%20bot`;
    const { page, close } = await visit('/jwt.html', embed({}, { queued: listenAll('Tiledesk') }), { search });
    await waitUntil(async () => (await recorded(page, 'onAuthStateChanged')).some((d) => d.isLogged && d.user?.firstname === 'Custom'),
      'onAuthStateChanged for the tiledesk_jwt user');
    await page.evaluate(() => window.tiledesk.open());
    const [request] = await waitUntil(() => newRequests(known).then((l) => l.length > 0 && l), 'the hidden message to start a conversation');
    const [intent] = await server.messages(request.request_id);
    assert.equal(intent.text, '/start the bot', 'the intent as the Tiledesk widget sends it, behind a slash');
    assert.equal(intent.attributes.subtype, 'info', 'an info message, which starts a bot flow');
    await widget(page).locator('[data-testid=panel]').waitFor();
    assert.equal(await message(page, { direction: 'out', text: 'start the bot' }).count(), 0, 'not shown to the visitor');
    await close();
  });

  it('works on a host page with a strict CSP that allows only the widget origin', { timeout: TEST_TIMEOUT }, async () => {
    const nonce = 'e2e-nonce';
    const csp = `default-src 'none'; script-src ${server.origin} 'nonce-${nonce}'; frame-src ${server.origin}; style-src 'none'; img-src 'none'`;
    const head = `<script nonce="${nonce}">window.violations = [];
      document.addEventListener('securitypolicyviolation', function (e) { violations.push(e.violatedDirective + ' ' + e.blockedURI); });</script>`;
    const { page, errors, close } = await visit('/csp.html', embed({}, { nonce, head, queued: `${listenAll('Tiledesk')} Tiledesk('open');` }),
      { headers: { 'Content-Security-Policy': csp } });
    await widget(page).locator('[data-testid=panel]').waitFor();
    await waitUntil(async () => (await frameBox(page))?.width === 400, 'the open iframe placed by the loader');
    await waitEvent(page, 'onOpen');
    const violations = await page.evaluate(() => window.violations.filter((v) => !v.startsWith('img-src')));
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
    await close();
  });

  it('dispose removes the widget and a second snippet run starts it again', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/dispose.html', embed({}, { queued: listenAll('Tiledesk') }));
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await page.evaluate(() => window.tiledesk.dispose());
    assert.deepEqual(await page.evaluate(() => [
      document.querySelectorAll('iframe, #tiledesk-container, #tiledesk-jssdk').length, typeof window.Tiledesk, typeof window.tiledesk,
    ]), [0, 'undefined', 'undefined']);
    await page.evaluate((code) => {
      window.events = [];
      (0, eval)(code);
      window.Tiledesk('onInit', window.eventsListener);
      window.Tiledesk('open');
    }, snippet(server.widgetUrl));
    await widget(page).locator('[data-testid=panel]').waitFor();
    await waitEvent(page, 'onInit');
    assert.equal(await page.locator('iframe').count(), 1);
    assert.deepEqual(errors, []);
    await close();
  });

  it('places the iframe from the settings: align, margins, launcher size, fullscreenMode, displayOnMobile', { timeout: TEST_TIMEOUT }, async () => {
    const settings = { align: 'left', marginX: '40px', marginY: '30px', launcherWidth: '80px', launcherHeight: '70px', fullscreenMode: true };
    const { page, close } = await visit('/geometry.html', embed(settings));
    await widget(page).locator('[data-testid=launcher]').waitFor();
    const closed = await waitUntil(async () => { const b = await frameBox(page); return b?.width === 80 && b; }, 'the 80 × 70 launcher');
    assert.deepEqual([closed.x, 800 - closed.y - closed.height, closed.height], [40, 30, 70]);
    await page.evaluate(() => window.tiledesk.open());
    await waitUntil(async () => (await frameBox(page))?.width === 1280, 'fullscreenMode fills the viewport');
    await close();

    const mobile = await visit('/nomobile.html', embed({ displayOnMobile: false }), { contextOptions: { viewport: { width: 390, height: 844 } } });
    await widget(mobile.page).locator('[data-testid=launcher]').waitFor({ state: 'attached' });
    await waitUntil(() => mobile.page.$eval('#tiledeskiframe', (f) => getComputedStyle(f).display === 'none'), 'hidden on a phone');
    await mobile.close();
  });

  it('runs top-level in a WebView at 390 × 844 with touch, posting events to native bridges', { timeout: TEST_TIMEOUT }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 3 });
    await context.addInitScript(() => {
      window.native = { rn: [], ios: [], android: [] };
      window.ReactNativeWebView = { postMessage: (s) => window.native.rn.push(JSON.parse(s)) };
      window.webkit = { messageHandlers: { tiledesk: { postMessage: (o) => window.native.ios.push(o) } } };
      window.TiledeskAndroid = { postMessage: (s) => window.native.android.push(JSON.parse(s)) };
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const query = new URLSearchParams({ tiledesk_projectid: server.projectId, tiledesk_fullscreenMode: 'true', tiledesk_apiUrl: server.url });
    await page.goto(`${server.widgetUrl}index.html?${query}`);
    await page.locator('[data-testid=launcher]').waitFor();
    assert.deepEqual(await page.evaluate(() => [typeof window.Tiledesk, typeof window.tiledesk.open, typeof window.tiledesk.on]),
      ['function', 'function', 'function']);
    await page.evaluate(() => {
      window.seen = [];
      window.tiledesk.on('onOpen', (e) => window.seen.push(e.detail.default_settings.fullscreenMode));
      window.Tiledesk('open');
    });
    await page.locator('[data-testid=panel]').waitFor();
    await waitUntil(() => page.evaluate(() => window.seen.length === 1), 'onOpen to the page listener');
    assert.deepEqual(await page.evaluate(() => window.seen), [true]);
    const panel = await page.locator('[data-testid=panel]').boundingBox();
    assert.deepEqual([panel.x, panel.y, panel.width, panel.height], [0, 0, 390, 844], 'the panel fills the screen');
    const native = await waitUntil(async () => {
      const n = await page.evaluate(() => window.native);
      return ['rn', 'ios', 'android'].every((k) => n[k].some((m) => m.name === 'onOpen')) && n;
    }, 'onOpen on every native bridge');
    for (const key of ['rn', 'ios', 'android']) {
      const open = native[key].find((m) => m.name === 'onOpen');
      assert.deepEqual([open.tiledesk, open.type], [1, 'event'], `${key} gets the bridge envelope`);
      assert.ok(native[key].some((m) => m.name === 'onInit'), `${key} got onInit`);
    }
    await page.locator('[data-testid=new-conversation]').tap();
    const composer = page.locator('[data-testid=composer]');
    await composer.tap();
    await composer.fill('from the app');
    await page.locator('[data-testid=send]').tap();
    await page.locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
    const user = await page.evaluate(() => window.tiledesk.signInAnonymous().then((u) => typeof u._id));
    assert.equal(user, 'string', 'Promises work top-level too');
    assert.deepEqual(errors, []);
    await context.close();
  });

  // Last: the departments change what opening a new conversation shows for the other tests.
  it('fires onBeforeDepartmentsFormRender when the project has two departments', { timeout: TEST_TIMEOUT }, async () => {
    await server.addDepartment('Sales');
    await server.addDepartment('Support');
    const { page, close } = await visit('/departments.html', embed({}, { queued: listenAll('Tiledesk') }));
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await page.evaluate(() => window.tiledesk.open());
    await widget(page).locator('[data-testid=new-conversation]').click();
    const [detail] = await waitEvent(page, 'onBeforeDepartmentsFormRender');
    const names = detail.departments.map((d) => d.name);
    assert.ok(names.includes('Sales') && names.includes('Support'), `${names}`);
    await close();
  });

});
