// The home view with the real built widget and the real tiledesk-local, as the Tiledesk widget's: where a first
// visit starts (`startFromHome`), the agents available, how soon the team replies, other channels and the credit.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, send, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

describe('the home view', () => {
  const suite = widgetSuite();
  let server;
  before(() => { server = suite.server; });

  it('a first visit opens on it: the agents available, the wait, the credit, then a new conversation', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, fetched, close } = await suite.visit('/first.html');
    const w = widget(page);
    await w.locator('[data-testid=launcher]').click();
    const home = w.locator('[data-testid=home]');
    await home.waitFor();
    const agents = w.locator('[data-testid=available-agents]');
    await agents.waitFor();
    assert.deepEqual(await home.locator('[data-testid=welcome]').evaluate((el) => [...el.children].map((c) => c.textContent)),
      ['Hi, welcome 👋', 'How can we help?'], "a greeting, as Tiledesk's, when neither the site nor the project sets one");
    assert.equal(await agents.getAttribute('aria-label'), 'Available now');
    assert.ok((await agents.locator('li').count()) >= 1, 'the demo agent is available');
    assert.equal(await w.locator('[data-testid=show-all]').count(), 0, 'nothing to show all of yet');
    await waitUntil(() => fetched.some((p) => p.endsWith('/publicanalytics/waiting/current')), 'the wait asked for');
    assert.equal(await w.locator('[data-testid=wait-time]').textContent(), 'The team will reply as soon as possible');
    const credit = home.locator('[data-testid=powered-by] a');
    assert.equal(await credit.textContent(), 'Powered by Tiledesk');
    assert.equal(await credit.getAttribute('href'), 'https://www.tiledesk.com/?utm_source=widget');
    assert.equal(await credit.getAttribute('target'), '_blank');
    assert.match(await credit.getAttribute('rel'), /noopener/);
    assert.equal(await w.locator('[data-testid=channels]').count(), 0, 'no other channel unless set');

    await w.locator('[data-testid=new-conversation]').click();
    await send(page, 'how long do you take?');
    await message(page, { direction: 'out', status: 'sent', text: 'how long do you take?' }).waitFor();
    assert.equal(await w.locator('[data-testid=powered-by]').count(), 1, 'the credit under the composer');
    const request = await waitUntil(async () => (await server.requests()).find((r) => r.first_text === 'how long do you take?'), 'the request');
    await new Promise((done) => setTimeout(done, 1500));
    await server.reply(request.request_id, 'About this long');
    await message(page, { direction: 'in', text: 'About this long' }).waitFor();
    assert.deepEqual(errors, []);
    await close();

    // The next visitor hears how soon the team answered lately.
    const next = await suite.visit('/next.html');
    const nw = widget(next.page);
    await nw.locator('[data-testid=launcher]').click();
    await waitUntil(async () => /^The team typically replies in \d+ seconds?$/.test(await nw.locator('[data-testid=wait-time]').textContent()),
      'the measured wait');
    await next.close();
  });

  it('follows the owner: other channels, their own credit made safe, no wait or agents, no "show all"', { timeout: TEST_TIMEOUT }, async () => {
    await server.setRemoteWidget({
      poweredBy: '<a href="https://acme.example/credits" onclick="parent.hacked=1">By <b>Acme</b></a><script>parent.hacked=1</script><img src=x onerror="parent.hacked=1">',
      showWaitTime: false,
    });
    const { page, errors, close } = await suite.visit('/owner.html', { settings: {
      whatsappNumber: '+39 123 456', telegramUsername: '@acme', messangerPageTitle: 'acme page',
      showAvailableAgents: false, showAllConversations: false,
    } });
    const w = widget(page);
    await w.locator('[data-testid=launcher]').click();
    await w.locator('[data-testid=home]').waitFor();
    const links = w.locator('[data-testid=channels] a');
    await links.first().waitFor();
    assert.equal(await w.locator('[data-testid=channels] span').textContent(), 'Or switch to:');
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.target, a.rel])), [
      ['WhatsApp', 'https://wa.me/39123456?text=%2Fstart', '_blank', 'noopener noreferrer'],
      ['Telegram', 'https://telegram.me/acme', '_blank', 'noopener noreferrer'],
      ['Messenger', 'https://m.me/acme%20page', '_blank', 'noopener noreferrer'],
    ]);
    const credit = w.locator('[data-testid=home] [data-testid=powered-by]');
    await waitUntil(async () => (await credit.textContent()) === 'By Acme', 'the owner\'s credit');
    assert.equal((await credit.innerHTML()).replaceAll('<!---->', ''), '<a href="https://acme.example/credits" target="_blank" rel="noopener noreferrer">By <strong>Acme</strong></a>');
    assert.equal(await w.locator('[data-testid=wait-time]').count(), 0);
    assert.equal(await w.locator('[data-testid=available-agents]').count(), 0);

    await w.locator('[data-testid=new-conversation]').click();
    await send(page, 'an open one');
    await message(page, { direction: 'out', status: 'sent', text: 'an open one' }).waitFor();
    await w.locator('[data-testid=back]').click();
    await w.locator('[data-testid=conversation]', { hasText: 'an open one' }).waitFor();
    assert.equal(await w.locator('[data-testid=show-all]').count(), 0, 'showAllConversations: false');
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    assert.deepEqual(errors, []);
    await close();

    // An empty credit shows none, on the home view or under the composer.
    await server.setRemoteWidget({ poweredBy: '' });
    const bare = await suite.visit('/bare.html');
    const bw = widget(bare.page);
    await bw.locator('[data-testid=launcher]').click();
    await bw.locator('[data-testid=home] [data-testid=new-conversation]').waitFor();
    await bw.locator('[data-testid=new-conversation]').click();
    await bw.locator('[data-testid=composer]').waitFor();
    assert.equal(await bw.locator('[data-testid=powered-by]').count(), 0);
    await bare.close();
  });
});
