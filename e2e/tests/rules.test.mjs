// Proactive bot rules (`botsRules`) with the real built widget and the real tiledesk-local: on a page whose URL a
// rule matches, the closed widget posts the rule's message, the bot's answer waits on the launcher, and the rule
// rests for its `triggerEvery` hours; other pages post nothing.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, stored, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;
const TEXT = '/pricing_visit';

describe('proactive bot rules', () => {
  const suite = widgetSuite();
  let server;
  before(async () => {
    server = suite.server;
    await server.rest('PUT', `projects/${server.projectId}`, { botsRules: [
      { uid: 'never', name: 'A page nobody visits', when: { urlMatches: 'nowhere\\.html$', triggerEvery: 0 }, do: [{ message: { text: 'never sent' } }] },
      { uid: 'pricing', name: 'Pricing', when: { urlMatches: '/pricing\\.html', triggerEvery: 1 },
        do: [{ message: { text: TEXT, attributes: { subtype: 'info' } } }] },
    ] });
  });

  /** The requests whose first message is the rule's, as the owner sees them. */
  const ruled = async () => (await server.requests()).filter((r) => r.first_text === TEXT);

  it('starts a conversation a bot can answer on the page a rule matches, once per rest', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/pricing.html');
    const w = widget(page);
    await w.locator('[data-testid=launcher]').waitFor();
    const [request] = await waitUntil(async () => { const r = await ruled(); return r.length === 1 && r; }, 'the rule\'s conversation');
    const [first] = await server.messages(request.request_id);
    assert.equal(first.attributes.subtype, 'info');
    assert.match(first.attributes.sourcePage, /\/pricing\.html$/);
    await server.reply(request.request_id, 'Questions about our plans?');
    await waitUntil(async () => (await w.locator('[data-testid=unread]').textContent().catch(() => '')) === '1', 'the answer on the launcher');
    await w.locator('[data-testid=launcher]').click();
    await message(page, { direction: 'in', text: 'Questions about our plans?' }).waitFor();
    assert.equal(await w.locator('[data-testid=home]').count(), 0, 'the conversation, not the home view');
    assert.equal(await message(page, { direction: 'out', text: TEXT }).count(), 0, 'the info message is not shown');
    assert.equal((await server.requests()).filter((r) => r.first_text === 'never sent').length, 0);

    // Within the rule's hour, the next page posts nothing (and the open conversation stays the visitor's).
    // Closed first, and remembered so (the next page must find the panel closed for rules to apply at all).
    await page.evaluate(() => window.tiledesk.close());
    await waitUntil(async () => (await stored(page, server.projectId, 'isOpen')) === 'false', 'the panel remembered closed');
    await page.reload();
    await w.locator('[data-testid=launcher]').waitFor();
    await page.waitForTimeout(1500);
    assert.equal((await ruled()).length, 1, 'rested');
    assert.deepEqual(errors, []);
    await close();
  });

  it('posts nothing on a page no rule matches, or with the panel open', { timeout: TEST_TIMEOUT }, async () => {
    const elsewhere = await suite.visit('/about.html');
    await widget(elsewhere.page).locator('[data-testid=launcher]').waitFor();
    const open = await suite.visit('/pricing.html', { settings: { open: true } });
    await widget(open.page).locator('[data-testid=panel]').waitFor();
    await open.page.waitForTimeout(1500);
    assert.equal((await ruled()).length, 1, 'only the first test\'s');
    assert.equal(await widget(elsewhere.page).locator('[data-testid=unread]').count(), 0);
    await elsewhere.close();
    await open.close();
  });
});
