// Past conversations, ending a conversation and rating it, against the real widget and tiledesk-local.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { endConversation, message, openChat, send, widget } from '../support/widget.mjs';

const TIMEOUT = 90000;

describe('conversations of a visitor', () => {
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

  async function visit(path, settings, prepare = async () => {}) {
    pages.set(path, hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, ...settings } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await prepare(context);
    const page = await context.newPage();
    await page.goto(pages.url(path));
    return { page, close: () => context.close() };
  }

  /** The request the visitor's last message went to, as the owner sees it. */
  async function requestWith(text) {
    return waitUntil(async () => {
      for (const request of await server.requests()) {
        const messages = await server.messages(request.request_id);
        if (messages.some((m) => m.text === text)) return request;
      }
      return false;
    }, `a request holding "${text}"`);
  }

  it('ends a conversation, rates it, and lists it on the home view', { timeout: TIMEOUT }, async () => {
    const { page, close } = await visit('/home.html', { lang: 'en' });
    const frame = widget(page);
    await frame.locator('[data-testid=launcher]').click();
    await frame.locator('[data-testid=home]').waitFor();
    await frame.locator('[data-testid=new-conversation]').click();
    await send(page, 'first conversation');
    await message(page, { direction: 'out', status: 'sent', text: 'first conversation' }).waitFor();
    const first = await requestWith('first conversation');

    await endConversation(frame);
    await frame.locator('[data-testid=closed]').waitFor();
    assert.equal(await frame.locator('[data-testid=composer]').count(), 0, 'a closed conversation takes no messages');
    await waitUntil(async () => (await server.rest('GET', `${server.projectId}/requests/${first.request_id}`)).status === 1000,
      'the server to close the request');
    await frame.locator('[data-testid=rate]').nth(3).click();
    await frame.locator('[data-testid=rated]').waitFor();
    const rated = await server.rest('GET', `${server.projectId}/requests/${first.request_id}`);
    assert.equal(rated.rating, 4);

    // As the Tiledesk widget: the overview lists open conversations, "show all" every one, closed ones marked.
    await frame.locator('[data-testid=back]').click();
    await frame.locator('[data-testid=show-all]').click();
    const listed = frame.locator('[data-testid=all-conversations] [data-testid=conversation]', { hasText: 'first conversation' });
    await listed.waitFor();
    assert.equal(await listed.locator('[data-testid=closed-badge]').textContent(), 'Closed');
    await frame.locator('[data-testid=all-back]').click();
    assert.equal(await frame.locator('[data-testid=conversation]').count(), 0, 'no open conversation on the overview');
    await frame.locator('[data-testid=new-conversation]').click();
    await send(page, 'second conversation');
    await message(page, { direction: 'out', status: 'sent', text: 'second conversation' }).waitFor();
    const second = await requestWith('second conversation');
    assert.notEqual(second.request_id, first.request_id, 'a new conversation has a new id');

    await frame.locator('[data-testid=back]').click();
    const open = frame.locator('[data-testid=conversation]', { hasText: 'second conversation' });
    await open.waitFor();
    assert.equal(await frame.locator('[data-testid=conversation]').count(), 1, 'the open one on the overview');
    assert.equal(await open.locator('[data-testid=closed-badge]').count(), 0);
    await frame.locator('[data-testid=show-all]').click();
    await waitUntil(async () => (await frame.locator('[data-testid=conversation]').count()) === 2, 'both conversations listed');
    await frame.locator('[data-testid=conversation]', { hasText: 'first conversation' }).click();
    await message(page, { direction: 'out', text: 'first conversation' }).waitFor();
    await frame.locator('[data-testid=closed]').waitFor();
    await close();
  });

  it('restartConversation starts a new conversation after the visitor ends one', { timeout: TIMEOUT }, async () => {
    const { page, close } = await visit('/restart.html', { restartConversation: true, singleConversation: true });
    const frame = widget(page);
    await frame.locator('[data-testid=launcher]').click();
    assert.equal(await frame.locator('[data-testid=back]').count(), 0, 'singleConversation has no home view');
    await send(page, 'before restart');
    await message(page, { direction: 'out', status: 'sent', text: 'before restart' }).waitFor();
    const before = await requestWith('before restart');
    await endConversation(frame);
    await frame.locator('[data-testid=composer]').waitFor();
    await waitUntil(async () => (await frame.locator('[data-testid=message]').count()) === 0, 'an empty new conversation');
    await send(page, 'after restart');
    await message(page, { direction: 'out', status: 'sent', text: 'after restart' }).waitFor();
    const afterRestart = await requestWith('after restart');
    assert.notEqual(afterRestart.request_id, before.request_id);
    assert.equal((await server.rest('GET', `${server.projectId}/requests/${before.request_id}`)).status, 1000);
    await close();
  });

  const LATE = {
    history: 'a history fetch about an ended conversation, answered late, never shows in the next one',
    socket: 'the socket of an ended conversation closes by itself, and nothing it held shows in the next one',
  };
  for (const [late, title] of Object.entries(LATE)) {
    it(title, { timeout: TIMEOUT }, async () => {
      // What the server says about the first conversation (its history over REST, or its socket frames) is held
      // back until the visitor has ended it and restarted, then let through (frames only to a socket still open).
      let holding = true;
      let release;
      const released = new Promise((resolve) => { release = resolve; });
      const heldFrames = [];
      const heldFetches = [];
      /** Every socket the widget opened, and whether it closed it. */
      const sockets = [];
      const prepare = async (context) => {
        if (late === 'socket') {
          await context.routeWebSocket(/.*/, (socket) => {
            const opened = { closed: false };
            sockets.push(opened);
            const upstream = socket.connectToServer();
            socket.onClose((code, reason) => {
              opened.closed = true;
              upstream.close({ code, reason });
            });
            upstream.onMessage((frame) => (holding ? heldFrames.push(frame) : socket.send(frame)));
            released.then(() => heldFrames.splice(0).forEach((frame) => opened.closed || socket.send(frame)));
          });
        } else {
          await context.route(/\/requests\/[^/]+\/messages/, async (route) => {
            if (route.request().method() !== 'GET' || !holding) return route.continue();
            const fetched = released.then(() => route.continue());
            heldFetches.push(fetched);
            await fetched;
          });
        }
      };
      const text = `ended before its ${late} came`;
      const { page, close } = await visit(`/late-${late}.html`, { restartConversation: true, singleConversation: true }, prepare);
      const frame = widget(page);
      await openChat(page);
      await send(page, text);
      await message(page, { direction: 'out', status: 'sent', text }).waitFor();
      await requestWith(text);
      await waitUntil(async () => heldFetches.length + heldFrames.length > 0, `the first conversation's ${late} held back`);

      await endConversation(frame);
      await waitUntil(async () => (await frame.locator('[data-testid=message]').count()) === 0, 'an empty new conversation');
      // The socket of the ended conversation closes by itself, with nothing arriving on it (not after the heartbeat).
      if (late === 'socket') await waitUntil(async () => sockets[0].closed, "the ended conversation's socket closed");
      holding = false;
      release();
      await Promise.all(heldFetches);
      await waitUntil(async () => heldFrames.length === 0, 'the held socket frames let through');
      await send(page, 'the next conversation');
      await message(page, { direction: 'out', status: 'sent', text: 'the next conversation' }).waitFor();
      assert.equal(await frame.locator('[data-testid=message]').count(), 1, 'only the new conversation is shown');
      assert.equal(await message(page, { direction: 'out', text }).count(), 0);
      await close();
    });
  }
});
