// The panel's header with the real built widget and the real tiledesk-local: the options menu (sound,
// transcript, ending with a confirmation, logging out), the panel's sizes, the header's gradient and the
// colours of message buttons.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { frameBox, message, openChat, startConversation, stored, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

describe('the header', () => {
  const suite = widgetSuite();
  const visit = (path, options) => suite.visit(path, options);
  let server;
  before(() => { server = suite.server; });

  const focused = (page) => widgetFrame(page).then((f) => f.evaluate(() => document.activeElement?.dataset.testid));
  const status = async (rid) => (await server.rest('GET', `${server.projectId}/requests/${rid}`)).status;

  it('the options menu turns the sound off, downloads the transcript and ends the conversation after a yes', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/menu.html', { settings: { allowTranscriptDownload: true } });
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'hello transcript');
    await server.reply(rid, 'an agent answer\non two lines');
    await message(page, { direction: 'in', text: 'an agent answer' }).waitFor();

    const options = w.locator('[data-testid=options]');
    assert.equal(await options.getAttribute('aria-expanded'), 'false');
    await options.click();
    assert.equal(await options.getAttribute('aria-expanded'), 'true');
    assert.equal(await focused(page), 'sound', 'the first item takes the focus');
    const sound = w.locator('[data-testid=sound]');
    assert.equal(await sound.getAttribute('aria-pressed'), 'true');
    await sound.click();
    assert.equal(await sound.getAttribute('aria-pressed'), 'false');
    assert.match(await sound.textContent(), /Sound off/);
    await waitUntil(async () => JSON.parse((await stored(page, server.projectId, 'settings')) || '{}').soundEnabled === false,
      'soundEnabled remembered');
    assert.equal(await w.locator('[data-testid=logout]').count(), 0, 'no log out without showLogoutOption');

    // Escape closes the menu, not the panel, and gives the focus back to its button.
    await page.keyboard.press('Escape');
    await w.locator('[data-testid=options-menu]').waitFor({ state: 'detached' });
    assert.ok(await w.locator('[data-testid=panel]').isVisible());
    assert.equal(await focused(page), 'options');

    await options.click();
    const [download] = await Promise.all([page.waitForEvent('download'), w.locator('[data-testid=transcript]').click()]);
    assert.equal(download.suggestedFilename(), `transcript-${rid}.txt`);
    const transcript = await readFile(await download.path(), 'utf8');
    assert.match(transcript, /^Conversation transcript: /);
    assert.match(transcript, /\[\d{4}-\d\d-\d\d \d\d:\d\d UTC\] You: hello transcript\n/);
    assert.match(transcript, /\] [^:\n]+: an agent answer\n    on two lines\n/);
    await w.locator('[data-testid=options-menu]').waitFor({ state: 'detached' });

    // "No" keeps the conversation; "yes" ends it.
    await options.click();
    await w.locator('[data-testid=end-conversation]').click();
    await w.locator('[data-testid=confirm-end]').waitFor();
    assert.equal(await focused(page), 'confirm-end-no', 'the safe answer has the focus');
    await w.locator('[data-testid=confirm-end-no]').click();
    await w.locator('[data-testid=confirm-end]').waitFor({ state: 'detached' });
    assert.notEqual(await status(rid), 1000);
    await w.locator('[data-testid=composer]').waitFor();
    await options.click();
    await w.locator('[data-testid=end-conversation]').click();
    await w.locator('[data-testid=confirm-end-yes]').click();
    await w.locator('[data-testid=closed]').waitFor();
    await waitUntil(async () => (await status(rid)) === 1000, 'the conversation closed on the server');
    // Rated with four stars, then a comment sent with the rating (nativeRating).
    await w.locator('[data-testid=rate]').nth(3).click();
    await w.locator('[data-testid=rated]').waitFor();
    await w.locator('[data-testid=rating-comment]').fill('Quick and kind');
    await w.locator('[data-testid=send-rating-comment]').click();
    await w.locator('[data-testid=rating-comment]').waitFor({ state: 'detached' });
    const rated = await server.rest('GET', `${server.projectId}/requests/${rid}`);
    assert.deepEqual([rated.rating, rated.rating_message], [4, 'Quick and kind']);
    await options.click();
    assert.equal(await w.locator('[data-testid=end-conversation]').count(), 0, 'a closed conversation cannot be ended again');
    assert.deepEqual(errors, []);
    await close();
  });

  it('offers the transcript only when allowed, and the menu not at all when hidden', { timeout: TEST_TIMEOUT }, async () => {
    const plain = await visit('/plain.html');
    await startConversation(plain.page, server.projectId, 'no transcript here');
    const w = widget(plain.page);
    await w.locator('[data-testid=options]').click();
    await w.locator('[data-testid=sound]').waitFor();
    assert.equal(await w.locator('[data-testid=transcript]').count(), 0);
    await plain.close();

    const bare = await visit('/bare.html', {
      settings: { hideHeaderConversationOptionsMenu: true, hideCloseConversationOptionMenu: true },
    });
    await startConversation(bare.page, server.projectId, 'no menu here');
    assert.equal(await widget(bare.page).locator('[data-testid=options]').count(), 0);
    assert.equal(await widget(bare.page).locator('[data-testid=resize]').count(), 0);
    await bare.close();

    const headless = await visit('/headless.html', { settings: { hideHeaderConversation: true } });
    await startConversation(headless.page, server.projectId, 'no header here');
    assert.equal(await widget(headless.page).locator('header').isVisible(), false);
    await headless.close();
  });

  it('logs out from the menu with showLogoutOption in a single-conversation widget', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/logout.html', { settings: { showLogoutOption: true, singleConversation: true } });
    const w = widget(page);
    await startConversation(page, server.projectId, 'before logging out');
    assert.ok(await stored(page, server.projectId, 'tiledeskToken'));
    await w.locator('[data-testid=options]').click();
    await w.locator('[data-testid=logout]').click();
    await waitUntil(async () => (await w.locator('[data-testid=message]').count()) === 0, 'an empty new conversation');
    assert.equal(await stored(page, server.projectId, 'recipientId'), null);
    assert.deepEqual(errors, []);
    await close();
  });

  it('expands, centres and restores the panel, remembered on the next page; not on phones nor in fullscreen', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/size.html');
    const w = widget(page);
    await openChat(page);
    const box = async (width, height) => waitUntil(async () => {
      const b = await frameBox(page);
      return b && Math.round(b.width) === width && Math.round(b.height) === height && b;
    }, `a ${width}×${height} panel`);
    const resize = w.locator('[data-testid=resize]');
    const small = await box(400, 704);
    assert.equal(Math.round(small.x + small.width), 1280 - 20, '20 px from the right edge');
    assert.equal(Math.round(small.y + small.height), 800 - 20, '20 px from the bottom edge');
    assert.equal(await resize.getAttribute('aria-label'), 'Expand window');
    await resize.click();
    await box(688, 760);
    assert.equal(await resize.getAttribute('aria-label'), 'Center window');
    await resize.click();
    await box(1280, 800);
    const centred = await w.locator('[data-testid=panel]').boundingBox();
    assert.deepEqual([centred.x, centred.width, centred.height].map(Math.round), [128, 1024, 800], 'centred over the page');
    const dim = await (await widgetFrame(page)).evaluate(() => getComputedStyle(document.querySelector('.tdw')).backgroundColor);
    assert.equal(dim, 'rgba(0, 0, 0, 0.4)', 'the page behind is dimmed');
    assert.equal(await resize.getAttribute('aria-label'), 'Restore window size');
    await resize.click();
    await box(400, 704);
    await resize.click();
    await box(688, 760);
    assert.equal(await stored(page, server.projectId, 'size'), 'max');
    await page.reload();
    await openChat(page);
    await box(688, 760);
    assert.deepEqual(errors, []);
    await close();

    const full = await visit('/full.html', { settings: { fullscreenMode: true } });
    await openChat(full.page);
    await widget(full.page).locator('[data-testid=close]').waitFor();
    assert.equal(await widget(full.page).locator('[data-testid=resize]').count(), 0);
    await full.close();

    const phone = await visit('/phone.html', {
      context: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    });
    await openChat(phone.page);
    await widget(phone.page).locator('[data-testid=close]').waitFor();
    assert.equal(await widget(phone.page).locator('[data-testid=resize]').count(), 0);
    await phone.close();
  });

  it('paints the header as a gradient with themeColorOpacity and message buttons in the button colours', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/colours.html', {
      settings: { themeColor: '#2a6ac1', themeColorOpacity: 40, buttonBackgroundColor: '#ffeeaa', buttonTextColor: '#112233' },
    });
    const rid = await startConversation(page, server.projectId, 'show me buttons');
    await server.post(rid, { text: 'pick one', attributes: { attachment: { type: 'template', buttons: [{ type: 'text', value: 'Yes please' }] } } });
    const button = widget(page).locator('[data-testid=buttons] button', { hasText: 'Yes please' });
    await button.waitFor();
    const style = await button.evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, ink: getComputedStyle(b).color }));
    assert.deepEqual(style, { bg: 'rgb(255, 238, 170)', ink: 'rgb(17, 34, 51)' });
    const header = await widget(page).locator('header').evaluate((h) => getComputedStyle(h).backgroundImage);
    assert.match(header, /linear-gradient/);
    assert.match(header, /40%|0\.4/);
    assert.deepEqual(errors, []);
    await close();
  });
});
