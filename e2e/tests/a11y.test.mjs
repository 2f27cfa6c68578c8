// Accessibility: axe-core's WCAG 2.0/2.1/2.2 A and AA rules, run inside the real widget's iframe (and top-level in
// WebView mode) on every view: launcher, callout, unread badge, a rich conversation, a long conversation with its
// earlier messages, a failed message, the pre-chat form, the department chooser, the home view and a closed
// conversation; open panels in light and dark mode.
// Every view must have no violation; a failure lists each rule, its impact, the elements and what to fix.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { audit, describeRules } from '../support/axe.mjs';
import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { endConversation, message, openChat, send, startConversation, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 60000;

/**
 * Rules whose "needs review" results are failures too: axe-core cannot be sure of them (the accessible name of a
 * control drawn with a glyph, a scrollable list without focusable content), but the widget can avoid them entirely.
 */
const NO_REVIEW = new Set(['label-content-name-mismatch', 'scrollable-region-focusable']);

/** A 1×1 transparent PNG. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('accessibility (axe-core, WCAG 2.2 AA) of every view', () => {
  let browser, server, pages;
  /** View name -> its axe results, for the summary printed at the end. */
  const report = new Map();

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    pages = await startHost({ '/report.pdf': { type: 'pdf', body: '%PDF-1.4\n' } });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
    const lines = ['axe-core violations per view:'];
    for (const [view, { violations }] of report) lines.push(describeRules(view, violations));
    const review = [...report].filter(([, { incomplete }]) => incomplete.length > 0);
    if (review.length > 0) {
      lines.push('', 'axe-core results needing review (not failures):');
      for (const [view, { incomplete }] of review) {
        lines.push(`${view}: ${incomplete.map((r) => `${r.id} (${r.nodes.map((n) => n.target).join(', ')})`).join('; ')}`);
      }
    }
    console.log(lines.join('\n'));
  });

  /** Opens a host page embedding the widget (from `target`, default the shared server) in a fresh context. */
  async function visit(path, { settings = {}, target = server } = {}) {
    pages.set(path, hostPage({ widgetUrl: target.widgetUrl, settings: { projectid: target.projectId, lang: 'en', ...settings } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pages.url(path));
    return { page, errors, close: () => context.close() };
  }

  /** Audits views one after another and fails, once all are audited, with every violation of every view. */
  function auditor() {
    const failures = [];
    return {
      async check(view, frame) {
        const results = await audit(frame);
        report.set(view, results);
        if (results.violations.length > 0) failures.push(describeRules(view, results.violations));
        const doubtful = results.incomplete.filter((rule) => NO_REVIEW.has(rule.id));
        if (doubtful.length > 0) failures.push(describeRules(`${view}, needing review`, doubtful));
      },
      /** Audits the open panel of `frame` (on `page`) in light mode, then in dark mode, then back to light. */
      async checkLightAndDark(view, page, frame, panel = '[data-testid=panel]') {
        await this.check(`${view} (light)`, frame);
        await page.emulateMedia({ colorScheme: 'dark' });
        await waitUntil(async () => luminance(await panelBackground(frame, panel)) < 60, `${view}: a dark panel`);
        await this.check(`${view} (dark)`, frame);
        await page.emulateMedia({ colorScheme: 'light' });
        await waitUntil(async () => luminance(await panelBackground(frame, panel)) > 200, `${view}: a light panel again`);
      },
      done() {
        assert.equal(failures.length, 0, `axe-core violations (and results needing review of ${[...NO_REVIEW].join(', ')}):\n${failures.join('\n')}`);
      },
    };
  }

  const panelBackground = (frame, panel) => frame.locator(panel).evaluate((el) => getComputedStyle(el).backgroundColor);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const unread = (page) => widget(page).locator('[data-testid=unread]').textContent().catch(() => '');

  it('the closed launcher, the callout and the launcher with an unread badge', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/launcher.html');
    const w = widget(page);
    await w.locator('[data-testid=launcher]').waitFor();
    const frame = await widgetFrame(page);
    await a.check('closed launcher', frame);

    await page.evaluate(() => window.Tiledesk('showCallout'));
    await w.locator('[data-testid=callout]').waitFor();
    await a.check('callout', frame);
    await w.locator('[data-testid=callout-close]').click();
    await w.locator('[data-testid=callout]').waitFor({ state: 'detached' });

    const rid = await startConversation(page, server.projectId, 'badge me');
    await w.locator('[data-testid=close]').click();
    await w.locator('[data-testid=launcher]').waitFor();
    await server.reply(rid, 'an agent replies while closed');
    await waitUntil(async () => (await unread(page)) === '1', 'the unread badge');
    await a.check('launcher with unread badge', frame);
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it("the panel's frame while the chat arrives, with its message box and after a failed fetch, in light and dark mode", { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/opening.html', { settings: { startFromHome: false } });
    await widget(page).locator('[data-testid=launcher]').waitFor();
    let fail;
    const held = new Promise((done) => { fail = done; });
    await page.route(/\/chat-[0-9a-f]{16}/, async (route) => { await held; await route.abort('internetdisconnected'); });
    await widget(page).locator('[data-testid=launcher]').click();
    await widget(page).locator('[data-testid=panel-frame] [data-testid=composer]').waitFor();
    const frame = await widgetFrame(page);
    await a.checkLightAndDark("panel's frame", page, frame, '[data-testid=panel-frame]');
    fail();
    await widget(page).locator('[data-testid=panel-frame] [role=alert]').waitFor();
    await a.checkLightAndDark("panel's frame, the chat unreachable", page, frame, '[data-testid=panel-frame]');
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('the open panel with a rich conversation, in light and dark mode', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/conversation.html');
    const rid = await startConversation(page, server.projectId, 'Hello, I need help with my order');
    await server.reply(rid, 'Sure! Please check:\n\n- your **order number**\n- the *delivery address*\n\nSee [the help page](https://docs.example/orders) for more.');
    await server.post(rid, { text: 'a photo of the parcel', type: 'image', metadata: { src: PNG, width: 120, height: 80 } });
    await server.post(rid, { text: '', type: 'file', metadata: { src: pages.url('/report.pdf'), name: 'invoice.pdf', size: 1536 } });
    await server.post(rid, { type: 'url_preview', text: JSON.stringify([
      { source_name: 'https://docs.example/orders', source_file_name: 'Your orders', source_description: 'Where to find the order number' },
      { source_name: 'https://docs.example/shipping', source_file_name: 'Shipping', source_description: 'Times and costs' },
      { source_name: 'https://docs.example/returns', source_file_name: 'Returns', source_description: 'Within 30 days' },
      { source_name: 'https://docs.example/contact', source_file_name: 'Contact', source_description: 'Write to us' },
    ]) });
    await server.post(rid, { text: 'Anna joined the chat', attributes: { subtype: 'info/support', messagelabel: { key: 'MEMBER_JOINED_GROUP', parameters: { member_id: 'agent-anna', firstname: 'Anna' } } } });
    await server.post(rid, {
      text: 'Did that help?',
      attributes: {
        attachment: {
          type: 'template',
          buttons: [
            { type: 'text', value: 'Yes, thanks' },
            { type: 'url', value: 'Open the docs', link: 'https://docs.example/start', target: 'blank' },
            { type: 'action', value: 'Talk to a human', action: 'handoff' },
          ],
        },
      },
    });
    const last = message(page, { direction: 'in', text: 'Did that help?' });
    await last.waitFor();
    await last.locator('[data-testid=buttons] button').first().waitFor();
    const w = widget(page);
    assert.equal(await w.locator('[data-testid=message][data-type=image] img').count(), 1);
    assert.equal(await w.locator('[data-testid=message][data-type=file] a').count(), 1);
    await w.locator('[data-testid=info]').waitFor();
    assert.equal(await w.locator('.tdw-sources [data-testid=source]').count(), 3, 'a link preview');
    await a.checkLightAndDark('conversation', page, await widgetFrame(page));
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('a long conversation with its button for earlier messages, in light and dark mode, and once they are shown', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/long.html');
    const rid = await startConversation(page, server.projectId, 'A long conversation');
    for (let i = 1; i <= 60; i++) await server.reply(rid, `reply ${i}`);
    await message(page, { direction: 'in', text: /^reply 60$/ }).waitFor();
    const earlier = widget(page).locator('[data-testid=earlier]');
    await earlier.waitFor();
    await a.checkLightAndDark('long conversation', page, await widgetFrame(page));
    await earlier.focus();
    await page.keyboard.press('Enter');
    await earlier.waitFor({ state: 'detached' });
    await a.check('long conversation, earlier messages shown', await widgetFrame(page));
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('a failed message with its Retry button, in light and dark mode', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const api = await startServer();
    try {
      const { page, close } = await visit('/failed.html', { target: api });
      await startConversation(page, api.projectId, 'before the outage');
      await api.kill();
      await send(page, 'written during the outage');
      const failed = message(page, { direction: 'out', status: 'failed', text: 'written during the outage' });
      await failed.waitFor({ timeout: 20000 });
      await failed.locator('[data-testid=retry]').waitFor();
      await a.checkLightAndDark('failed message with Retry', page, await widgetFrame(page));
      await api.restart();
      await close();
    } finally {
      await api.stop();
    }
    a.done();
  });

  it('the pre-chat form, empty and after a failed submit', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/prechat.html', { settings: { preChatForm: true } });
    await openChat(page);
    const w = widget(page);
    await w.locator('[data-testid=prechat]').waitFor();
    const frame = await widgetFrame(page);
    await a.checkLightAndDark('pre-chat form', page, frame);
    await w.locator('[data-testid=prechat-submit]').click();
    await waitUntil(async () => (await w.locator('[data-testid=prechat] [role=alert]').count()) > 0, 'the form errors');
    await a.checkLightAndDark('pre-chat form with errors', page, frame);
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('the home view, a closed conversation with its rating, and the home view with a past conversation', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/home.html', { settings: { whatsappNumber: '391234567' } });
    const w = widget(page);
    await w.locator('[data-testid=launcher]').click();
    await w.locator('[data-testid=home]').waitFor();
    await w.locator('[data-testid=available-agents]').waitFor();
    await w.locator('[data-testid=wait-time]').waitFor();
    await w.locator('[data-testid=channels]').waitFor();
    const frame = await widgetFrame(page);
    await a.checkLightAndDark('home without conversations', page, frame);
    await w.locator('[data-testid=new-conversation]').click();
    await send(page, 'a conversation to close');
    await message(page, { direction: 'out', status: 'sent', text: 'a conversation to close' }).waitFor();

    await endConversation(w);
    await w.locator('[data-testid=closed]').waitFor();
    await w.locator('[data-testid=rate]').first().waitFor();
    await a.checkLightAndDark('closed conversation with rating', page, frame);
    await w.locator('[data-testid=rate]').nth(4).click();
    await w.locator('[data-testid=rated]').waitFor();
    await a.check('closed conversation, rated', frame);

    await w.locator('[data-testid=back]').click();
    await w.locator('[data-testid=show-all]').click();
    await w.locator('[data-testid=conversation]', { hasText: 'a conversation to close' }).waitFor();
    await a.checkLightAndDark('all conversations, one closed', page, frame);
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('the options menu, the confirmation to end, the emoji picker and a file about to be sent', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const { page, errors, close } = await visit('/menu.html', { settings: { allowTranscriptDownload: true } });
    const w = widget(page);
    await startConversation(page, server.projectId, 'a conversation with a menu');
    const frame = await widgetFrame(page);
    await w.locator('[data-testid=options]').click();
    await w.locator('[data-testid=options-menu]').waitFor();
    await a.checkLightAndDark('options menu', page, frame);
    await w.locator('[data-testid=end-conversation]').click();
    await w.locator('[data-testid=confirm-end]').waitFor();
    await a.checkLightAndDark('confirmation to end the conversation', page, frame);
    await page.keyboard.press('Escape');
    await w.locator('[data-testid=confirm-end]').waitFor({ state: 'detached' });
    await w.locator('[data-testid=emoji-button]').click();
    await w.locator('[data-testid=emoji]').first().waitFor();
    await a.checkLightAndDark('emoji picker', page, frame);
    await page.keyboard.press('Escape');
    await w.locator('[data-testid=file-input]').setInputFiles({ name: 'a picture.png', mimeType: 'image/png', buffer: Buffer.from(PNG.split(',')[1], 'base64') });
    await w.locator('[data-testid=attachment]').waitFor();
    await a.checkLightAndDark('file about to be sent', page, frame);
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });

  it('WebView mode: the widget top-level, closed and open', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en-US' });
    const page = await context.newPage();
    const query = new URLSearchParams({ tiledesk_projectid: server.projectId, tiledesk_fullscreenMode: 'true', tiledesk_apiUrl: server.url });
    await page.goto(`${server.widgetUrl}index.html?${query}`);
    await page.locator('[data-testid=launcher]').waitFor();
    const frame = page.mainFrame();
    await a.check('WebView: closed launcher', frame);
    await page.evaluate(() => window.Tiledesk('open'));
    await page.locator('[data-testid=panel]').waitFor();
    await page.locator('[data-testid=home]').waitFor();
    await a.check('WebView: home', frame);
    await page.locator('[data-testid=new-conversation]').click();
    await page.locator('[data-testid=composer]').fill('from the app');
    await page.locator('[data-testid=composer]').press('Enter');
    await page.locator('[data-testid=message][data-direction=out][data-status=sent]').waitFor();
    await a.checkLightAndDark('WebView: open panel', page, frame);
    await context.close();
    a.done();
  });

  // Last: the departments change what opening a new conversation shows for the other tests.
  it('the department chooser, in light and dark mode', { timeout: TEST_TIMEOUT }, async () => {
    const a = auditor();
    await server.addDepartment('Sales');
    await server.addDepartment('Support');
    const { page, errors, close } = await visit('/departments.html');
    await openChat(page);
    const w = widget(page);
    await w.locator('[data-testid=departments]').waitFor();
    await waitUntil(async () => (await w.locator('[data-testid=department]').count()) >= 2, 'both departments');
    await a.checkLightAndDark('department chooser', page, await widgetFrame(page));
    assert.deepEqual(errors, []);
    await close();
    a.done();
  });
});
