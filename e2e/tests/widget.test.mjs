// The real built widget (dist/) served by the real tiledesk-local, embedded with the standard snippet on a foreign host page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { frameBox, message, openChat, recorder, send, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 120000;

describe('the widget with tiledesk-local', () => {
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

  /** Opens `html` at `path` on the host server in a fresh browser context; collects page errors. */
  async function visit(path, html) {
    pages.set(path, html);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pages.url(path));
    return { page, errors, close: () => context.close() };
  }

  it('walking skeleton: a visitor chats with an agent, across a reload', { timeout: TEST_TIMEOUT }, async () => {
    const pid = server.projectId;
    const queued = `${recorder('events')}
      Tiledesk('onInit', window.eventsListener);
      Tiledesk('onOpen', window.eventsListener);
      Tiledesk('onMessageCreated', window.eventsListener);
      window.queuedBeforeLoad = window.Tiledesk.q.length;`;
    // apiUrl unset: the widget finds the server through widget-config.json next to its index.html.
    const { page, errors, close } = await visit('/skeleton.html', hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: pid }, queued }));
    assert.equal(await page.evaluate(() => window.queuedBeforeLoad), 3, 'listeners registered before the loader arrived');

    const launcher = widget(page).locator('[data-testid=launcher]');
    await launcher.waitFor();
    assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
    await waitUntil(async () => (await frameBox(page))?.width === 60, 'the closed iframe to be 60 px wide');
    assert.equal((await frameBox(page)).height, 60);
    await page.evaluate(() => {
      window.later = [];
      window.tiledesk.on('onMessageCreated', (e) => window.later.push(e.detail.message.text));
    });

    await launcher.click();
    const panel = widget(page).locator('[data-testid=panel]');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('role'), 'dialog');
    await panel.locator('h1').waitFor();
    assert.equal(await widget(page).locator('[data-testid=close]').getAttribute('aria-label'), 'Close chat');
    await waitUntil(async () => (await frameBox(page))?.width === 400, 'the open iframe to be 400 px wide');

    // A first visit opens on the home view (startFromHome, as the Tiledesk widget).
    await widget(page).locator('[data-testid=home] [data-testid=new-conversation]').click();
    await send(page, 'hello');
    await message(page, { direction: 'out', status: 'sent', text: 'hello' }).waitFor();

    const [request] = await waitUntil(async () => {
      const requests = await server.requests();
      return requests.length > 0 && requests;
    }, 'the server to list the new request');
    const rid = request.request_id;
    assert.match(rid, new RegExp(`^support-group-${pid}-[0-9a-f]{32}$`));
    const storedTexts = (await server.messages(rid)).map((m) => m.text);
    assert.equal(storedTexts.filter((t) => t === 'hello').length, 1, `the server stored the message once: ${storedTexts}`);

    await server.reply(rid, 'Hi! How can I help?');
    await message(page, { direction: 'in', text: 'Hi! How can I help?' }).waitFor();

    const events = await waitUntil(async () => {
      const list = await page.evaluate(() => window.events);
      return list.filter((e) => e.name === 'onMessageCreated').length >= 2 && list;
    }, 'onMessageCreated for both messages');
    assert.ok(events.every((e) => e.custom), 'listeners get CustomEvents');
    const init = events.find((e) => e.name === 'onInit');
    assert.equal(init?.detail.default_settings.projectid, pid, 'onInit detail.default_settings');
    const open = events.find((e) => e.name === 'onOpen');
    assert.equal(open?.detail.default_settings.projectid, pid, 'onOpen detail.default_settings');
    const texts = events.filter((e) => e.name === 'onMessageCreated').map((e) => e.detail.message.text);
    assert.ok(texts.includes('hello') && texts.includes('Hi! How can I help?'), `onMessageCreated texts: ${texts}`);
    const later = await page.evaluate(() => window.later);
    assert.ok(later.includes('hello') && later.includes('Hi! How can I help?'), `tiledesk.on after load: ${later}`);

    const stored = await page.evaluate((prefix) => ({
      token: localStorage.getItem(prefix + 'tiledeskToken'),
      user: localStorage.getItem(prefix + 'currentUser'),
      recipient: localStorage.getItem(prefix + 'recipientId'),
    }), `widget_sv5_${pid}_`);
    assert.ok(stored.token && stored.user, 'token and user are stored in the host page\'s own storage');
    assert.ok(stored.recipient?.includes(rid), `recipientId ${stored.recipient}`);

    await page.reload();
    await openChat(page);
    await message(page, { direction: 'out', text: 'hello' }).waitFor();
    await message(page, { direction: 'in', text: 'Hi! How can I help?' }).waitFor();
    assert.equal(await message(page, { direction: 'out', text: 'hello' }).count(), 1, 'the visitor message, once');
    assert.equal(await message(page, { direction: 'in', text: 'Hi! How can I help?' }).count(), 1, 'the agent reply, once');

    await page.evaluate(() => window.Tiledesk('hide'));
    await page.locator('#tiledeskiframe').waitFor({ state: 'hidden' });
    await page.evaluate(() => window.Tiledesk('show'));
    await page.locator('#tiledeskiframe').waitFor({ state: 'visible' });

    assert.deepEqual(errors, [], 'no errors on the host page');
    await close();
  });

  it('talks to tiledeskSettings.apiUrl and carries out calls queued before load', { timeout: TEST_TIMEOUT }, async () => {
    const api = await startServer();
    try {
      const { page, close } = await visit('/apiurl.html', hostPage({
        widgetUrl: server.widgetUrl,
        settings: { projectid: api.projectId, apiUrl: api.url },
        queued: `Tiledesk('open');`,
      }));
      const panel = widget(page).locator('[data-testid=panel]');
      await panel.waitFor();
      await widget(page).locator('[data-testid=new-conversation]').click();
      await send(page, 'sent through apiUrl');
      await message(page, { direction: 'out', status: 'sent', text: 'sent through apiUrl' }).waitFor();
      const [request] = await api.requests();
      const texts = (await api.messages(request.request_id)).map((m) => m.text);
      assert.ok(texts.includes('sent through apiUrl'), `stored through apiUrl: ${texts}`);
      const local = (await server.requests()).map((r) => r.request_id);
      assert.ok(!local.includes(request.request_id), 'nothing went to the server that serves the widget');
      await close();
    } finally {
      await api.stop();
    }
  });

  it('ignores look-alike bridge messages from a foreign-origin frame', { timeout: TEST_TIMEOUT }, async () => {
    const hostile = await startHost({
      '/ad.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body>ad</body></html>',
    });
    try {
      const queued = `${recorder('events')}
        Tiledesk('onOpen', window.eventsListener);
        window.fromHostile = 0;
        window.addEventListener('message', function (e) {
          if (e.source === document.getElementById('ad').contentWindow) window.fromHostile++;
        });`;
      const { page, close } = await visit('/hostile.html', hostPage({
        widgetUrl: server.widgetUrl,
        settings: { projectid: server.projectId },
        queued,
        body: `<iframe id="ad" title="ad" src="${hostile.url('/ad.html')}"></iframe>`,
      }));
      await widget(page).locator('[data-testid=launcher]').waitFor();
      await waitUntil(async () => (await frameBox(page))?.width === 60, 'the closed layout');

      const ad = await waitUntil(() => page.frames().find((f) => f.url().startsWith(hostile.origin)), 'the ad frame');
      await ad.evaluate(() => {
        parent.postMessage({ tiledesk: 1, type: 'layout', mode: 'hidden' }, '*');
        parent.postMessage({ tiledesk: 1, type: 'event', name: 'onOpen', detail: { default_settings: {} } }, '*');
        parent.postMessage({ tiledesk: 1, type: 'ready' }, '*');
      });
      await waitUntil(() => page.evaluate(() => window.fromHostile === 3), 'the host page to receive the forged messages');
      const box = await frameBox(page);
      assert.deepEqual([box?.width, box?.height], [60, 60], 'the widget iframe keeps its closed layout');
      assert.deepEqual(await page.evaluate(() => window.events), [], 'no forged onOpen reached listeners');

      await page.evaluate(() => window.tiledesk.open());
      await waitUntil(async () => (await frameBox(page))?.width === 400, 'the real open to still work');
      await waitUntil(() => page.evaluate(() => window.events.some((e) => e.name === 'onOpen')), 'the real onOpen');
      await close();
    } finally {
      await hostile.close();
    }
  });
});
