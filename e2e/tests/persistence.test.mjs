// Real embedding, deployed as in production: the host page on `localhost`, the widget's files on a static
// origin of their own (a plain file server, no widget-config.json) and the API (tiledesk-local) elsewhere,
// both on `127.0.0.1`, another site. The browser blocks the widget iframe's own storage there, so the
// loader keeps the widget's values in the host page's storage: reloads, page changes, several tabs,
// persistence modes, storage that fails, migration from the Tiledesk widget, local-file hosts, and
// where a stored session may be sent.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { dirRoutes, hostPage, startHost } from '../support/host.mjs';
import { startServer, widgetDist } from '../support/server.mjs';
import {
  conversationId, message, openChat, outboxes, send, startConversation, stored, widget, widgetFrame,
} from '../support/widget.mjs';

const TEST_TIMEOUT = 120000;

/** A server that records every request it gets (with CORS, so the browser lets the widget call it). */
async function startRecorder() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization || null });
    res.writeHead(req.method === 'OPTIONS' ? 204 : 404, {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': '*',
      'Access-Control-Allow-Methods': '*',
      'Content-Type': 'application/json',
    });
    res.end(req.method === 'OPTIONS' ? '' : '{"msg":"not here"}');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}

describe('persistence where third-party storage is blocked', () => {
  let browser, api, cdn, pages;

  before(async () => {
    browser = await launchBrowser();
    api = await startServer();
    cdn = await startHost(await dirRoutes(widgetDist(), '/widget/'), { hostname: '127.0.0.1' });
    pages = await startHost();
  });

  after(async () => {
    await browser?.close();
    await api?.stop();
    await cdn?.close();
    await pages?.close();
  });

  /** A host page on `localhost` embedding the widget from the CDN, talking to tiledesk-local. */
  function embed(settings = {}, options = {}) {
    return hostPage({ widgetUrl: cdn.url('/widget/'), settings: { projectid: api.projectId, apiUrl: api.url, ...settings }, ...options });
  }

  /** A fresh browser context (one visitor's browser) with its console warnings and page errors. */
  async function visitor() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const warnings = [];
    const errors = [];
    const watch = (page) => {
      page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
      page.on('pageerror', (err) => errors.push(err.message));
      return page;
    };
    return {
      context, warnings, errors,
      /** Opens `html` (served at `path`) in a new tab of this browser. */
      async tab(path, html, search = '') {
        if (html) pages.set(path, html);
        const page = watch(await context.newPage());
        await page.goto(pages.url(path) + search);
        return page;
      },
      close: () => context.close(),
    };
  }

  /** The POSTs of visitor messages the server answered 2xx, by client id (to count deliveries). */
  function deliveries(context) {
    const counted = {};
    context.on('response', (response) => {
      const request = response.request();
      if (request.method() !== 'POST' || !/\/requests\/[^/]+\/messages$/.test(new URL(request.url()).pathname) || !response.ok()) return;
      const id = JSON.parse(request.postData() || '{}').attributes?.clientMessageId;
      if (id) counted[id] = (counted[id] || 0) + 1;
    });
    return counted;
  }

  it('the widget iframe cannot use its own storage here, and the visitor survives reloads and page changes', { timeout: TEST_TIMEOUT }, async () => {
    const v = await visitor();
    const page = await v.tab('/shop.html', embed());
    await widget(page).locator('[data-testid=launcher]').waitFor();
    const own = await (await widgetFrame(page)).evaluate(() => {
      try { localStorage.getItem('x'); return 'usable'; } catch (e) { return e.name; }
    });
    assert.equal(own, 'SecurityError', 'a cross-site iframe may not use its own storage (the case this test is about)');

    const rid = await startConversation(page, api.projectId, 'first page');
    const token = await stored(page, api.projectId, 'tiledeskToken');
    assert.match(token || '', /^JWT /, 'the token is kept in the host page\'s storage, under the Tiledesk key');
    const user = JSON.parse(await stored(page, api.projectId, 'currentUser'));
    assert.ok(user.uid && user.uid === user._id, 'currentUser as the Tiledesk widget writes it (uid), with _id');

    await page.reload();
    await openChat(page);
    await message(page, { direction: 'out', text: 'first page' }).waitFor();
    assert.equal(await conversationId(page, api.projectId), rid, 'the same conversation after a reload');

    const next = await v.tab('/product.html', embed());
    await page.close();
    await openChat(next);
    await message(next, { direction: 'out', text: 'first page' }).waitFor();
    await send(next, 'second page');
    await message(next, { direction: 'out', status: 'sent', text: 'second page' }).waitFor();
    const messages = await api.messages(rid);
    assert.deepEqual(messages.map((m) => m.text), ['first page', 'second page'], 'one conversation across pages');
    assert.equal(new Set(messages.map((m) => m.sender)).size, 1, 'as the same visitor');
    assert.deepEqual(v.errors, []);
    await v.close();
  });

  it('persistence: local across tabs, session for one tab, none for one page', { timeout: TEST_TIMEOUT }, async () => {
    const session = await visitor();
    const first = await session.tab('/session.html', embed({ persistence: 'session' }));
    await startConversation(first, api.projectId, 'session persistence');
    assert.match(await stored(first, api.projectId, 'recipientId', 'sessionStorage') || '', /^support-group-/);
    assert.equal(await stored(first, api.projectId, 'tiledeskToken'), null, 'nothing in localStorage');
    await first.reload();
    await openChat(first);
    await message(first, { direction: 'out', text: 'session persistence' }).waitFor();
    const other = await session.tab('/session.html');
    await openChat(other);
    assert.equal(await conversationId(other, api.projectId), null, 'another tab is another session');
    assert.equal(await widget(other).locator('[data-testid=message]').count(), 0);
    await session.close();

    const none = await visitor();
    const page = await none.tab('/none.html', embed({ persistence: 'none' }));
    await startConversation(page, api.projectId, 'nothing kept');
    const kept = await page.evaluate(() => [localStorage, sessionStorage].flatMap((s) => Object.keys(s)).filter((k) => k.startsWith('widget_sv5_')));
    assert.deepEqual(kept, [], 'persistence none keeps nothing on the host page');
    await page.reload();
    await openChat(page);
    assert.equal(await widget(page).locator('[data-testid=message]').count(), 0, 'a reload starts afresh');
    await none.close();
  });

  it('storage that throws falls back to memory with one warning; the chat still works', { timeout: TEST_TIMEOUT }, async () => {
    for (const [name, prelude] of [
      ['blocked', `Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
                   Object.defineProperty(window, 'sessionStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });`],
      ['full', `Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };`],
    ]) {
      const v = await visitor();
      const page = await v.tab(`/storage-${name}.html`, embed({}, { prelude }));
      await openChat(page);
      await send(page, `storage ${name}`);
      await message(page, { direction: 'out', status: 'sent', text: `storage ${name}` }).waitFor();
      const rid = (await api.requests()).find((r) => r.first_text === `storage ${name}`)?.request_id;
      await send(page, `still ${name}`);
      await message(page, { direction: 'out', status: 'sent', text: `still ${name}` }).waitFor();
      assert.deepEqual((await api.messages(rid)).map((m) => m.text), [`storage ${name}`, `still ${name}`]);
      const storageWarnings = v.warnings.filter((w) => /storage/i.test(w));
      assert.equal(storageWarnings.length, 1, `one warning (${name}): ${JSON.stringify(v.warnings)}`);
      assert.deepEqual(v.errors, [], `no errors (${name})`);
      await v.close();
    }
  });

  it('two tabs show one conversation live, and the outbox is delivered once, even when its tab closes', { timeout: TEST_TIMEOUT }, async () => {
    const v = await visitor();
    const counted = deliveries(v.context);
    const a = await v.tab('/tabs.html', embed());
    const b = await v.tab('/tabs.html');
    await widget(b).locator('[data-testid=launcher]').waitFor();
    // B loaded before A had a visitor or a conversation: it follows A's sign-in and conversation.
    const rid = await startConversation(a, api.projectId, 'from tab A');
    await openChat(b);
    await message(b, { direction: 'out', text: 'from tab A' }).waitFor();
    await send(b, 'from tab B');
    await message(a, { direction: 'out', text: 'from tab B' }).waitFor();
    await send(a, 'again from A');
    await message(b, { direction: 'out', text: 'again from A' }).waitFor();
    await api.reply(rid, 'an agent answers both');
    await message(a, { direction: 'in', text: 'an agent answers both' }).waitFor();
    await message(b, { direction: 'in', text: 'an agent answers both' }).waitFor();

    await api.kill();
    await send(a, 'offline in A');
    await send(b, 'offline in B');
    await message(a, { direction: 'out', status: 'failed', text: 'offline in A' }).waitFor();
    await waitUntil(async () => (await outboxes(b, api.projectId)).length === 2, 'both messages in the outboxes');
    await a.close();
    await api.restart();
    await (await widgetFrame(b)).evaluate(() => dispatchEvent(new Event('online')));
    await message(b, { direction: 'out', status: 'sent', text: 'offline in B' }).waitFor({ timeout: 40000 });
    await message(b, { direction: 'out', status: 'sent', text: 'offline in A' }).waitFor({ timeout: 40000 });
    const texts = (await api.messages(rid)).map((m) => m.text);
    assert.deepEqual(texts, ['from tab A', 'from tab B', 'again from A', 'an agent answers both', 'offline in A', 'offline in B'],
      'every message stored once, in order, the closed tab\'s by the other');
    assert.ok(Object.values(counted).every((n) => n === 1), `each message posted successfully once: ${JSON.stringify(counted)}`);
    assert.equal(Object.keys(counted).length, 5);
    assert.deepEqual(await outboxes(b, api.projectId), [], 'every outbox is empty');
    assert.deepEqual(v.errors, []);
    await v.close();
  });

  it('migration: a visitor in the middle of a chat with the Tiledesk widget keeps it', { timeout: TEST_TIMEOUT }, async () => {
    // A guest and its conversation, made over REST as the Tiledesk widget makes them.
    const signin = await (await fetch(api.url + 'auth/signinAnonymously', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id_project: api.projectId }),
    })).json();
    const rid = `support-group-${api.projectId}-${randomUUID().replace(/-/g, '')}`;
    const posted = await fetch(`${api.url}${api.projectId}/requests/${rid}/messages`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: signin.token },
      body: JSON.stringify({ text: 'written with the Tiledesk widget' }),
    });
    assert.ok(posted.ok, await posted.text());
    await api.reply(rid, 'the agent answered then');
    // What the Tiledesk widget (v5) leaves in the host page's localStorage.
    const uid = signin.user._id;
    const seed = {
      tiledeskToken: signin.token,
      currentUser: JSON.stringify({ uid, email: '', firstname: 'Guest', lastname: '', fullname: 'Guest', avatar: 'G', color: 'rgb(0,0,0)' }),
      recipientId: rid,
      isOpen: 'true',
      attributes: JSON.stringify({ client: 'an older browser', plan: 'gold' }),
    };
    const v = await visitor();
    await v.context.addInitScript(([prefix, values]) => {
      if (location.hostname === 'localhost' && !sessionStorage.getItem('seeded')) {
        for (const [key, value] of Object.entries(values)) localStorage.setItem(prefix + key, value);
        sessionStorage.setItem('seeded', '1');
      }
    }, [`widget_sv5_${api.projectId}_`, seed]);
    const page = await v.tab('/migrated.html', embed());
    await widget(page).locator('[data-testid=panel]').waitFor();
    await message(page, { direction: 'out', text: 'written with the Tiledesk widget' }).waitFor();
    await message(page, { direction: 'in', text: 'the agent answered then' }).waitFor();
    await send(page, 'and now with the new one');
    await message(page, { direction: 'out', status: 'sent', text: 'and now with the new one' }).waitFor();
    const messages = await api.messages(rid);
    assert.deepEqual(messages.map((m) => m.text), ['written with the Tiledesk widget', 'the agent answered then', 'and now with the new one']);
    assert.equal(messages.at(-1).sender, uid, 'as the same user');
    assert.equal(messages.at(-1).attributes.plan, 'gold', 'the stored attributes go with the message');
    assert.deepEqual(v.errors, []);
    await v.close();
  });

  it('a host page opened from a local file (origin null) embeds and remembers the chat', { timeout: TEST_TIMEOUT }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiledesk-file-host-'));
    const file = join(dir, 'app.html');
    await writeFile(file, embed());
    const v = await visitor();
    const page = await v.context.newPage();
    page.on('pageerror', (err) => v.errors.push(err.message));
    await page.goto(pathToFileURL(file).href);
    const rid = await startConversation(page, api.projectId, 'from a local file');
    await page.reload();
    await openChat(page);
    await message(page, { direction: 'out', text: 'from a local file' }).waitFor();
    assert.equal(await conversationId(page, api.projectId), rid);
    assert.deepEqual(v.errors, []);
    await v.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('top-level (a WebView) reads window.tiledeskSettings the app defines', { timeout: TEST_TIMEOUT }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.addInitScript(([projectid, apiUrl]) => {
      window.tiledeskSettings = { projectid, apiUrl, widgetTitle: 'From the app', fullscreenMode: true };
    }, [api.projectId, api.url]);
    const page = await context.newPage();
    await page.goto(cdn.url('/widget/index.html'));
    await page.locator('[data-testid=launcher]').click();
    assert.equal(await page.locator('[data-testid=panel] h1').textContent(), 'From the app');
    await page.locator('[data-testid=new-conversation]').click();
    await page.locator('[data-testid=composer]').fill('from a WebView');
    await page.locator('[data-testid=composer]').press('Enter');
    await page.locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
    const rid = await page.evaluate((key) => localStorage.getItem(key), `widget_sv5_${api.projectId}_recipientId`);
    assert.deepEqual((await api.messages(rid)).map((m) => m.text), ['from a WebView']);
    await context.close();
  });

  describe('where a stored session may be sent', () => {
    let evil;
    before(async () => { evil = await startRecorder(); });
    after(async () => { await evil?.close(); });

    it('an embedding page\'s URL cannot choose the API, nor move a stored session to another project', { timeout: TEST_TIMEOUT }, async () => {
      const v = await visitor();
      const page = await v.tab('/bound.html', embed());
      const rid = await startConversation(page, api.projectId, 'my conversation');
      const token = await stored(page, api.projectId, 'tiledeskToken');

      await page.goto(pages.url('/bound.html') + `?tiledesk_apiUrl=${encodeURIComponent(evil.url)}`);
      await openChat(page);
      await message(page, { direction: 'out', text: 'my conversation' }).waitFor();
      await send(page, 'still on the real API');
      await message(page, { direction: 'out', status: 'sent', text: 'still on the real API' }).waitFor();
      assert.deepEqual(evil.requests, [], 'nothing reaches a server the URL names');
      assert.ok(v.warnings.some((w) => /tiledesk_apiUrl/.test(w)), `a warning says so: ${JSON.stringify(v.warnings)}`);

      const sent = [];
      v.context.on('request', (r) => sent.push({ url: r.url(), authorization: r.headers().authorization }));
      const other = await api.rest('POST', 'projects', { name: 'another tenant' });
      await page.goto(pages.url('/bound.html') + `?tiledesk_projectid=${other._id}`);
      await openChat(page);
      await waitUntil(() => stored(page, other._id, 'tiledeskToken'), 'a separate session in the other project');
      assert.ok(!sent.some((r) => r.authorization === token), 'the first project\'s token is sent nowhere for the other project');
      assert.equal(await widget(page).locator('[data-testid=message]').count(), 0, 'the other project does not show the conversation');
      assert.equal(await stored(page, api.projectId, 'tiledeskToken'), token, 'the first project\'s session is left as it was');

      await page.goto(pages.url('/bound.html'));
      await openChat(page);
      await message(page, { direction: 'out', text: 'still on the real API' }).waitFor();
      assert.equal(await conversationId(page, api.projectId), rid);
      await v.close();
    });

    it('a session stored for one API is never sent to another (top-level, where the URL may configure)', { timeout: TEST_TIMEOUT }, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const query = (apiUrl) => new URLSearchParams({ tiledesk_projectid: api.projectId, tiledesk_apiUrl: apiUrl });
      await page.goto(`${cdn.url('/widget/index.html')}?${query(api.url)}`);
      await page.locator('[data-testid=launcher]').click();
      await page.locator('[data-testid=new-conversation]').click();
      await page.locator('[data-testid=composer]').fill('bound to my API');
      await page.locator('[data-testid=composer]').press('Enter');
      await page.locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
      const token = await page.evaluate((key) => localStorage.getItem(key), `widget_sv5_${api.projectId}_tiledeskToken`);
      assert.match(token || '', /^JWT /);

      evil.requests.length = 0;
      await page.goto(`${cdn.url('/widget/index.html')}?${query(evil.url)}`);
      await page.locator('[data-testid=panel]').waitFor();
      await waitUntil(() => evil.requests.some((r) => r.url.includes('signinAnonymously')), 'a fresh sign-in at the other API');
      assert.ok(evil.requests.every((r) => r.authorization !== token), `the stored token never reaches it: ${JSON.stringify(evil.requests)}`);
      assert.equal(await page.locator('[data-testid=message]').count(), 0, 'the conversation stays with its API');
      await context.close();
    });
  });
});
