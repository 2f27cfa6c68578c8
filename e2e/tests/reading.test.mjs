// Reading a conversation with the real built widget and the real tiledesk-local: who wrote (avatars),
// a "new messages" button once the visitor has scrolled up, the host tab's title counting what came
// while the page was hidden, and a bot closing the composer or naming what to write in it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, startConversation, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

describe('reading the conversation', () => {
  const suite = widgetSuite();
  const visit = (path) => suite.visit(path);
  let server;
  before(() => { server = suite.server; });

  it('shows the writer\'s initials beside their messages, hidden from screen readers', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/avatar.html');
    const rid = await startConversation(page, server.projectId, 'who is there?');
    await server.post(rid, { text: 'It is me', senderFullname: 'Ada Lovelace' });
    const reply = message(page, { direction: 'in', text: 'It is me' });
    await reply.waitFor();
    const avatar = reply.locator('.tdw-avatar');
    assert.equal(await avatar.textContent(), 'AL');
    assert.equal(await avatar.getAttribute('aria-hidden'), 'true');
    assert.equal(await message(page, { direction: 'out', text: 'who is there?' }).locator('.tdw-avatar').count(), 0, 'none on own messages');
    assert.deepEqual(errors, []);
    await close();
  });

  it('counts what arrives while the visitor reads above, and brings them down on request', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/new.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'a long talk');
    for (let i = 1; i <= 25; i++) await server.reply(rid, `line ${i}`);
    await message(page, { direction: 'in', text: /^line 25$/ }).waitFor();
    const frame = await widgetFrame(page);
    const position = () => frame.evaluate(() => {
      const list = document.querySelector('[data-testid=messages]');
      return { top: list.scrollTop, bottom: list.scrollTop + list.clientHeight >= list.scrollHeight - 2 };
    });
    await waitUntil(async () => (await position()).bottom, 'following the newest');
    await frame.evaluate(() => document.querySelector('[data-testid=messages]').scrollBy(0, -400));
    await waitUntil(async () => !(await position()).bottom, 'scrolled up');
    const before = (await position()).top;
    await server.reply(rid, 'news 1');
    await server.reply(rid, 'news 2');
    const button = w.locator('[data-testid=new-messages]');
    await waitUntil(async () => (await button.textContent().catch(() => '')) === '2 unread messages', 'two counted');
    assert.equal((await position()).top, before, 'the visitor keeps reading where they were');
    await button.click();
    await waitUntil(async () => (await position()).bottom, 'brought down to the newest');
    await button.waitFor({ state: 'detached' });
    // Following the newest again, nothing is counted.
    await server.reply(rid, 'news 3');
    await message(page, { direction: 'in', text: 'news 3' }).waitFor();
    await waitUntil(async () => (await position()).bottom, 'still at the newest');
    assert.equal(await button.count(), 0);
    assert.deepEqual(errors, []);
    await close();
  });

  it("counts in the host tab's title what arrives while the page is hidden, and restores it once seen", { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/title.html');
    const rid = await startConversation(page, server.projectId, 'ping me');
    const title = await page.title();
    const frame = await widgetFrame(page);
    // The visitor switches tab: the page (and so the widget's frame) is hidden.
    const visibility = (hidden) => frame.evaluate((hidden) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    }, hidden);
    await visibility(true);
    await server.reply(rid, 'first');
    await message(page, { direction: 'in', text: 'first' }).waitFor();
    await waitUntil(async () => (await page.title()) === `(1) ${title}`, 'one counted in the title');
    await server.reply(rid, 'second');
    await waitUntil(async () => (await page.title()) === `(2) ${title}`, 'two counted in the title');
    await visibility(false);
    await waitUntil(async () => (await page.title()) === title, 'the title restored once the page is seen');
    await server.reply(rid, 'third');
    await message(page, { direction: 'in', text: 'third' }).waitFor();
    assert.equal(await page.title(), title, 'nothing counted while the page is visible');
    assert.deepEqual(errors, []);
    await close();
  });

  it('a bot closes the composer while its buttons answer, and names what to write next', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/bot.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'talk to the bot');
    const composer = w.locator('[data-testid=composer]');
    await server.post(rid, {
      text: 'Pick one',
      attributes: { disableInputMessage: true, attachment: { type: 'template', buttons: [{ type: 'text', value: 'Shipping' }] } },
    });
    await message(page, { direction: 'in', text: 'Pick one' }).waitFor();
    await waitUntil(() => composer.isDisabled(), 'the composer closed');
    assert.ok(await w.locator('[data-testid=send]').isDisabled());
    await w.locator('[data-testid=buttons] button', { hasText: 'Shipping' }).click();
    await message(page, { direction: 'out', text: 'Shipping' }).waitFor();
    await server.post(rid, { text: 'Your order number?', attributes: { inputMessagePlaceholder: 'e.g. 10-2345' } });
    await message(page, { direction: 'in', text: 'Your order number?' }).waitFor();
    await waitUntil(async () => !(await composer.isDisabled()), 'open again');
    assert.equal(await composer.getAttribute('placeholder'), 'e.g. 10-2345');
    await server.reply(rid, 'Thanks');
    await message(page, { direction: 'in', text: 'Thanks' }).waitFor();
    await waitUntil(async () => (await composer.getAttribute('placeholder')) === 'Type your message…', 'the usual placeholder');
    assert.deepEqual(errors, []);
    await close();
  });
});
