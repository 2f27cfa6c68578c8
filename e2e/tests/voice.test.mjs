// Voice messages (`showAudioRecorderFooterButton`) with the real built widget, the real tiledesk-local and
// Chromium's fake microphone: recorded between two presses, listened to, sent as Tiledesk's audio file message.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, startConversation, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

describe('voice messages', () => {
  const suite = widgetSuite({ browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  let server;
  before(() => { server = suite.server; });

  it('records between two presses, lets the visitor listen, and sends an audio file message', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/voice.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'I will say it');
    const record = w.locator('[data-testid=record]');
    await record.waitFor();
    assert.equal(await w.locator('[data-testid=send]').count(), 0, 'the microphone in the send button\'s place');
    assert.equal(await record.getAttribute('aria-label'), 'Record a voice message');
    await w.locator('[data-testid=composer]').fill('words');
    await w.locator('[data-testid=send]').waitFor();
    assert.equal(await record.count(), 0, 'text to send: the send button');
    await w.locator('[data-testid=composer]').fill('');
    await record.click();
    const status = w.locator('[data-testid=recording]');
    await status.waitFor();
    assert.equal(await record.getAttribute('aria-pressed'), 'true');
    assert.equal(await record.getAttribute('aria-label'), 'Stop recording');
    await waitUntil(async () => /^Recording 0:0[1-9]$/.test(await status.textContent()), 'a second recorded', 5000);
    await record.click();
    const preview = w.locator('[data-testid=attachment] [data-testid=recording-preview]');
    await preview.waitFor();
    assert.match(await w.locator('[data-testid=attachment]').textContent(), /audio-[0-9a-z]+\.webm/);
    await w.locator('[data-testid=send]').click();

    const sent = await waitUntil(async () => (await server.messages(rid)).find((m) => m.type === 'file'), 'the voice message stored');
    assert.match(sent.metadata.type, /^audio\//);
    assert.match(sent.metadata.name, /^audio-[0-9a-z]+\.webm$/);
    assert.ok(sent.metadata.size > 1000, `a real recording: ${sent.metadata.size} bytes`);
    const player = w.locator('[data-testid=message][data-type=file] audio');
    await player.waitFor();
    assert.equal(await player.getAttribute('src'), sent.metadata.src, 'the visitor hears what was stored');
    assert.deepEqual(errors, []);
    await close();
  });

  it('says when the microphone is unavailable, and offers none when the setting is off', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, close } = await suite.visit('/no-mic.html');
    await context.addInitScript(() => {
      if (!location.pathname.includes('/widget/')) return;
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await page.reload();
    const w = widget(page);
    await startConversation(page, server.projectId, 'no microphone here');
    await w.locator('[data-testid=record]').click();
    assert.equal(await w.locator('[data-testid=microphone-unavailable]').textContent(), 'The microphone is not available.');
    await w.locator('[data-testid=composer]').fill('typing still works');
    await w.locator('[data-testid=send]').click();
    await message(page, { direction: 'out', status: 'sent', text: 'typing still works' }).waitFor();
    assert.deepEqual(errors, []);
    await close();

    const off = await suite.visit('/off.html', { settings: { showAudioRecorderFooterButton: false } });
    await startConversation(off.page, server.projectId, 'no recorder');
    assert.equal(await widget(off.page).locator('[data-testid=record]').count(), 0);
    await widget(off.page).locator('[data-testid=send]').waitFor();
    await off.close();
  });
});
