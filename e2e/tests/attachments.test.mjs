// Files the visitor sends, with the real built widget and the real tiledesk-local: the paperclip, a
// paste and a drop (an image and a PDF), the preview and its removal, the upload's progress, refusals by
// type and size, file names as inert text, and uploads only their conversation's visitor may read.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, startConversation, stored, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

/** A 2×1 red PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4z8AARAAI/gH/xp559wAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('attachments', () => {
  const suite = widgetSuite();
  const visit = (path, settings) => suite.visit(path, { settings });
  let server;
  before(() => { server = suite.server; });

  /** Hands `files` ({name, mime, base64}) to the widget as a paste into the composer or a drop on the panel. */
  async function deliver(page, how, files) {
    const frame = await widgetFrame(page);
    await frame.evaluate(([how, files]) => {
      const data = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        data.items.add(new File([bytes], f.name, { type: f.mime }));
      }
      if (how === 'paste') {
        document.querySelector('[data-testid=composer]').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      } else {
        const panel = document.querySelector('[data-testid=panel]');
        panel.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        panel.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    }, [how, files]);
  }
  const file = (name, mime, bytes) => ({ name, mime, base64: bytes.toString('base64') });

  const lastStored = async (rid) => (await server.messages(rid)).filter((m) => m.type !== 'text' || m.metadata).at(-1);

  it('sends an image from the paperclip with a caption, previewed first and shown inline once sent', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, errors, close } = await visit('/button.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'I will send a picture');
    // Slow the upload down enough to see its progress.
    await context.route('**/files/chat', async (route) => { await new Promise((done) => setTimeout(done, 600)); await route.continue(); });
    await w.locator('[data-testid=file-input]').setInputFiles({ name: 'red dot.png', mimeType: 'image/png', buffer: PNG });
    const preview = w.locator('[data-testid=attachment]');
    await preview.waitFor();
    assert.match(await preview.textContent(), /red dot\.png · 70 B/);
    await waitUntil(() => preview.locator('img').evaluate((img) => img.naturalWidth === 2), 'the thumbnail');
    await w.locator('[data-testid=composer]').fill('the broken part');
    await w.locator('[data-testid=send]').click();
    await w.locator('[data-testid=upload-progress]').waitFor();
    assert.equal(await w.locator('[data-testid=composer]').inputValue(), 'the broken part', 'the caption stays until the file is on its way');

    const sent = w.locator('[data-testid=message][data-direction=out][data-type=image][data-status=sent]');
    await sent.waitFor();
    await preview.waitFor({ state: 'detached' });
    assert.equal(await w.locator('[data-testid=composer]').inputValue(), '');
    const img = sent.locator('img');
    await waitUntil(() => img.evaluate((i) => i.complete && i.naturalWidth === 2), 'the sent image loads from tiledesk-local');
    assert.match(await img.getAttribute('src'), new RegExp(`^${server.url}files\\?path=uploads%2F[0-9a-f]{32}%2F`));
    assert.match(await sent.textContent(), /the broken part/);

    const m = await lastStored(rid);
    assert.equal(m.type, 'image');
    assert.equal(m.text, 'the broken part');
    assert.deepEqual([m.metadata.name, m.metadata.type, m.metadata.size, m.metadata.width, m.metadata.height], ['red dot.png', 'image/png', PNG.length, 2, 1]);
    assert.match(m.metadata.downloadURL, /files\/download\?path=uploads%2F/);
    assert.deepEqual(errors, []);
    await close();
  });

  it('sends a PDF pasted into the composer and an image dropped on the panel; a removed file is not sent', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/paste.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'files coming');

    await deliver(page, 'paste', [file('invoice.pdf', 'application/pdf', PDF)]);
    await w.locator('[data-testid=attachment]', { hasText: 'invoice.pdf' }).waitFor();
    await w.locator('[data-testid=composer]').press('Enter');
    const pdf = w.locator('[data-testid=message][data-type=file][data-status=sent]');
    await pdf.waitFor();
    const link = pdf.locator('a.tdw-file');
    assert.match(await link.textContent(), /invoice\.pdf/);
    assert.equal(await link.getAttribute('download'), 'invoice.pdf');
    const stored_ = await lastStored(rid);
    assert.equal(stored_.type, 'file');
    assert.equal(stored_.text, `[invoice.pdf](${stored_.metadata.src})`, "Tiledesk's file text: a link to itself");
    const served = await fetch(stored_.metadata.src);
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-disposition'), /^attachment/);
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');

    await deliver(page, 'drop', [file('dropped.png', 'image/png', PNG)]);
    await w.locator('[data-testid=attachment]', { hasText: 'dropped.png' }).waitFor();
    await w.locator('[data-testid=remove-attachment]').click();
    await w.locator('[data-testid=attachment]').waitFor({ state: 'detached' });
    await deliver(page, 'drop', [file('dropped.png', 'image/png', PNG)]);
    await w.locator('[data-testid=attachment]', { hasText: 'dropped.png' }).waitFor();
    await w.locator('[data-testid=send]').click();
    await w.locator('[data-testid=message][data-type=image][data-status=sent]').waitFor();
    const images = (await server.messages(rid)).filter((m) => m.type === 'image');
    assert.equal(images.length, 1, 'the removed file was never sent');
    assert.deepEqual(errors, []);
    await close();
  });

  it('refuses files of another type or over 10 MB with a clear message, and keeps file names inert', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, dialogs, close } = await visit('/refuse.html', { fileUploadAccept: 'image/*,.pdf' });
    const w = widget(page);
    await startConversation(page, server.projectId, 'bad files');
    await deliver(page, 'paste', [file('tool.exe', 'application/x-msdownload', Buffer.from('MZ'))]);
    assert.match(await w.locator('[data-testid=attachment-error]').textContent(), /can't be sent/);
    assert.equal(await w.locator('[data-testid=attachment]').count(), 0);

    await w.locator('[data-testid=file-input]').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1, 32) });
    assert.match(await w.locator('[data-testid=attachment-error]').textContent(), /exceeds the maximum allowed size \(10 MB\)/);

    const hostile = '<img src=x onerror="window.__xss=1">.png';
    await deliver(page, 'paste', [file(hostile, 'image/png', PNG)]);
    const preview = w.locator('[data-testid=attachment]');
    await preview.waitFor();
    assert.match(await preview.textContent(), /<img src=x onerror=/);
    await w.locator('[data-testid=send]').click();
    const sent = w.locator('[data-testid=message][data-type=image][data-status=sent]');
    await sent.waitFor();
    const frame = await widgetFrame(page);
    const inert = await frame.evaluate(() => ({
      xss: window.__xss,
      images: [...document.querySelectorAll('[data-testid=messages] img')].map((i) => i.getAttribute('src')),
      handlers: document.querySelectorAll('[onerror]').length,
    }));
    assert.equal(inert.xss, undefined);
    assert.equal(inert.handlers, 0);
    assert.ok(inert.images.every((src) => src.startsWith(server.url)), JSON.stringify(inert.images));
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await close();
  });

  it("a visitor reads their own uploads with their token, and another visitor's token is refused", { timeout: TEST_TIMEOUT }, async () => {
    const a = await visit('/a.html');
    const rid = await startConversation(a.page, server.projectId, 'my private picture');
    await widget(a.page).locator('[data-testid=file-input]').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: PNG });
    await widget(a.page).locator('[data-testid=send]').click();
    await widget(a.page).locator('[data-testid=message][data-type=image][data-status=sent]').waitFor();
    const { src } = (await lastStored(rid)).metadata;
    const tokenA = await stored(a.page, server.projectId, 'tiledeskToken');

    const b = await visit('/b.html');
    await startConversation(b.page, server.projectId, 'someone else');
    const tokenB = await stored(b.page, server.projectId, 'tiledeskToken');
    assert.ok(tokenA && tokenB && tokenA !== tokenB);
    assert.equal((await fetch(src, { headers: { Authorization: tokenA } })).status, 200);
    assert.equal((await fetch(src, { headers: { Authorization: tokenB } })).status, 404, "another conversation's visitor cannot read it");
    await a.close();
    await b.close();
  });

  it('offers no paperclip, paste or drop with showAttachmentFooterButton false', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/off.html', { showAttachmentFooterButton: false });
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'no files here');
    assert.equal(await w.locator('[data-testid=attach]').count(), 0);
    await deliver(page, 'paste', [file('x.png', 'image/png', PNG)]);
    await deliver(page, 'drop', [file('y.png', 'image/png', PNG)]);
    assert.equal(await w.locator('[data-testid=attachment]').count(), 0);
    assert.equal((await server.messages(rid)).filter((m) => m.type !== 'text').length, 0);
    await message(page, { direction: 'out', text: 'no files here' }).waitFor();
    await close();
  });
});
