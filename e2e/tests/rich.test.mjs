// Rich bot and agent messages with the real built widget and the real tiledesk-local: galleries of cards,
// audio, embedded apps with the sandbox they need, link previews, and link buttons that open inside the widget.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { startHost } from '../support/host.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { message, startConversation, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;
/** A 1×1 transparent PNG. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('rich messages', () => {
  // Link previews fetch a page of the test's own, on the loopback.
  const suite = widgetSuite({ serverArgs: ['--allow-private-link-previews'] });
  let server, pages;
  before(() => {
    ({ server, pages } = suite);
    pages.set('/app.html', '<!doctype html><title>app</title><p>an embedded app</p>');
    pages.set('/form.html', '<!doctype html><title>form</title><p id=form>a form page</p>');
  });

  it('shows a gallery of cards with safe pictures, inert titles and working buttons', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, dialogs, close } = await suite.visit('/gallery.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'show me the plans');
    await server.post(rid, {
      type: 'gallery', text: 'Our plans',
      attributes: { attachment: { gallery: [
        { preview: { src: PNG }, title: 'Basic', description: 'For one person', buttons: [{ type: 'text', value: 'Pick Basic' }] },
        { preview: { src: 'javascript:alert(1)' }, title: '<img src=x onerror="window.__xss=1">', description: 'For teams',
          buttons: [{ type: 'url', value: 'Details', link: 'https://example.com/pro' }] },
      ] } },
    });
    const cards = w.locator('[data-testid=card]');
    await waitUntil(async () => (await cards.count()) === 2, 'two cards');
    assert.equal(await cards.nth(0).locator('img').getAttribute('src'), PNG);
    assert.equal(await cards.nth(1).locator('img').count(), 0, 'no picture from an unsafe address');
    assert.match(await cards.nth(1).textContent(), /<img src=x onerror=/);
    assert.equal(await cards.nth(1).locator('a').getAttribute('href'), 'https://example.com/pro');
    await cards.nth(0).getByText('Pick Basic').click();
    await message(page, { direction: 'out', text: 'Pick Basic' }).waitFor();
    const frame = await widgetFrame(page);
    assert.equal(await frame.evaluate(() => window.__xss), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await close();
  });

  it('lists the pages a bot cites with what they say about themselves, three at first, nothing executed', { timeout: TEST_TIMEOUT }, async () => {
    // Another loopback address stands for another site (a link preview wants a dotted host).
    const site = await startHost({
      '/guide.html': '<!doctype html><head><title>not this</title>'
        + '<meta property="og:title" content="&lt;img src=x onerror=parent.hacked=1&gt; Setup guide">'
        + '<meta name="description" content="Install in five minutes">'
        + '<meta property="og:image" content="https://img.example/card.png"></head><body>guide</body>',
    }, { hostname: '127.0.0.10', address: '127.0.0.10' });
    const { page, errors, dialogs, close } = await suite.visit('/sources.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'how do I install it?');
    const guide = site.url('/guide.html');
    await server.post(rid, { type: 'url_preview', text: JSON.stringify([
      { source_name: guide },
      { source_name: 'https://docs.example/a', source_file_name: 'Docs A', source_description: 'About A' },
      { source_name: 'javascript:parent.hacked=1', source_file_name: 'not a page' },
      { source_name: 'https://docs.example/b', source_file_name: 'Docs B', source_description: 'About B' },
      { source_name: 'https://docs.example/c', source_file_name: '<b onmouseover=parent.hacked=1>Docs C</b>', source_description: 'About C' },
    ]) });
    const panel = w.locator('.tdw-sources').first();
    const rows = panel.locator('[data-testid=source]');
    await waitUntil(async () => (await rows.count()) === 3, 'three sources at first');
    assert.equal(await panel.locator('.tdw-sources-head').textContent(), 'Sources · 4', 'the javascript: one is dropped');
    await waitUntil(async () => (await rows.nth(0).locator('strong').textContent()) === '<img src=x onerror=parent.hacked=1> Setup guide',
      "the page's own title, from tiledesk-local's preview, as text");
    const first = rows.nth(0);
    assert.deepEqual(await first.evaluate((a) => [a.href, a.target, a.rel]), [guide, '_blank', 'noopener noreferrer']);
    assert.equal(await first.locator('.tdw-source-description').textContent(), 'Install in five minutes');
    assert.equal(await first.locator('small').textContent(), '127.0.0.10');
    assert.deepEqual(await first.locator('img').evaluate((i) => [i.getAttribute('src'), i.alt, i.referrerPolicy]),
      ['https://img.example/card.png', '', 'no-referrer']);
    assert.match(await rows.nth(1).textContent(), /Docs A.*About A.*docs\.example/);
    const more = panel.getByRole('button', { name: 'Show all' });
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    await more.click();
    await waitUntil(async () => (await rows.count()) === 4, 'every source after Show all');
    assert.equal(await rows.nth(3).locator('strong').textContent(), '<b onmouseover=parent.hacked=1>Docs C</b>');
    assert.equal(await panel.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded'), 'true');

    // A preview in a message's attributes: the text shows above, hidden fields stay hidden.
    await server.post(rid, { text: 'Read more here', attributes: {
      type: 'url_preview', text: 'See docs.example/d and www.docs.example/e.', displayFields: { source: false },
      previewBackgroundColor: 'red;background:url(https://evil.example/x)',
    } });
    const second = w.locator('.tdw-sources').nth(1);
    await second.waitFor();
    assert.match(await second.textContent(), /^Read more here/);
    assert.deepEqual(await second.locator('[data-testid=source] strong').allTextContents(), ['https://docs.example/d', 'https://www.docs.example/e']);
    assert.equal(await second.locator('small').count(), 0, 'displayFields.source: false');
    assert.equal(await second.getAttribute('style'), null, 'an unsafe colour is ignored');
    assert.equal(await panel.locator('script, [onerror], [onmouseover]').count(), 0);
    const frame = await widgetFrame(page);
    assert.equal(await frame.evaluate(() => window.hacked), undefined);
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await close();
    await site.close();
  });

  it('plays audio files and embeds apps sandboxed, sized by their metadata', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/media.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'media please');
    await server.post(rid, { type: 'file', text: '', metadata: { src: pages.url('/voice.ogg'), type: 'audio/ogg', name: 'voice.ogg' } });
    const audio = w.locator('[data-testid=message][data-type=file] audio');
    await audio.waitFor();
    assert.equal(await audio.getAttribute('src'), pages.url('/voice.ogg'));
    assert.equal(await audio.getAttribute('controls'), '');

    await server.post(rid, { type: 'frame', text: 'Pay here', metadata: { src: pages.url('/app.html'), height: 200, width: '100%' } });
    await server.post(rid, { type: 'frame', text: 'Own origin', metadata: { src: `${server.widgetUrl}index.html` } });
    const frames = w.locator('[data-testid=message][data-type=frame] iframe');
    await waitUntil(async () => (await frames.count()) === 2, 'two embedded apps');
    const app = frames.nth(0);
    assert.equal(await app.getAttribute('sandbox'), 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    assert.equal(await app.getAttribute('height'), '200');
    assert.match(await app.getAttribute('style'), /width: 100%/);
    assert.ok(!(await frames.nth(1).getAttribute('sandbox')).includes('allow-same-origin'), "the widget's own origin never gets its storage");
    assert.deepEqual(errors, []);
    await close();
  });

  it('shows a bot\'s HTML in the safe subset: headings, emphasis, lists and web links, nothing executed', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/html.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'what about my order?');
    await server.post(rid, {
      type: 'html',
      text: '<h2>Your order</h2><p>Shipped <b>today</b>.</p><ul><li><a href="https://track.example/1">Track it</a></li></ul>'
        + '<script>parent.hacked=1</script><img src=x onerror="parent.hacked=1" alt="a parcel">'
        + '<a href="javascript:parent.hacked=1" onclick="parent.hacked=1">not a link</a><iframe src="https://evil.example"></iframe>',
    });
    const bubble = message(page, { direction: 'in', text: 'Your order' }).locator('[data-testid=message-text]');
    await bubble.waitFor();
    assert.equal(await bubble.locator('strong').first().textContent(), 'Your order');
    assert.deepEqual(await bubble.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.href, a.target, a.rel])),
      [['Track it', 'https://track.example/1', '_blank', 'noopener noreferrer']]);
    assert.equal(await bubble.locator('script, img, iframe, [onclick], [onerror], [style]').count(), 0);
    assert.match(await bubble.textContent(), /• Track it/);
    assert.match(await bubble.textContent(), /a parcelnot a link$/);
    const frame = await widgetFrame(page);
    assert.equal(await frame.evaluate(() => window.hacked), undefined);
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    assert.deepEqual(errors, []);
    await close();
  });

  it('renders markdown as the Tiledesk widget does: headings, tables and https images, through the sanitiser', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/markdown.html');
    const rid = await startConversation(page, server.projectId, 'your plans?');
    await server.reply(rid, '## Our plans\n\n| Plan | Price |\n|---|---:|\n| **Pro** | 10 € |\n| <img src=x onerror="parent.hacked=1"> | 0 |\n\n'
      + '![the Pro badge](https://img.example/pro.png) ![tracker](http://img.example/t.gif)');
    const bubble = message(page, { direction: 'in', text: 'Our plans' }).locator('[data-testid=message-text]');
    await bubble.waitFor();
    assert.equal(await bubble.locator('.md-heading strong').textContent(), 'Our plans');
    assert.equal(await bubble.locator('h1, h2, h3, h4, h5, h6').count(), 0, 'no headings in the page outline');
    assert.deepEqual(await bubble.locator('th').allTextContents(), ['Plan', 'Price']);
    assert.deepEqual(await bubble.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))),
      [['Pro', '10 €'], ['<img src=x onerror="parent.hacked=1">', '0']]);
    assert.deepEqual(await bubble.locator('img').evaluateAll((imgs) => imgs.map((i) => [i.getAttribute('src'), i.alt])),
      [['https://img.example/pro.png', 'the Pro badge']], 'only the https image');
    assert.equal(await bubble.locator('a', { hasText: 'tracker' }).getAttribute('href'), 'http://img.example/t.gif');
    assert.equal(await page.evaluate(() => window.hacked), undefined);
    assert.deepEqual(errors, []);
    await close();
  });

  it('opens a self-target link inside the widget and comes back', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await suite.visit('/self.html');
    const w = widget(page);
    const rid = await startConversation(page, server.projectId, 'give me the form');
    await server.post(rid, { text: 'Fill this in', attributes: { attachment: { type: 'template', buttons: [
      { type: 'url', value: 'Open the form', link: pages.url('/form.html'), target: 'self' },
    ] } } });
    const frame = await widgetFrame(page);
    const widgetUrl = await frame.evaluate(() => location.href);
    await w.locator('[data-testid=open-in-widget]', { hasText: 'Open the form' }).click();
    const inside = w.locator('[data-testid=web-page] iframe');
    await inside.waitFor();
    assert.equal(await inside.getAttribute('src'), pages.url('/form.html'));
    await w.frameLocator('[data-testid=web-page] iframe').locator('#form').waitFor();
    assert.equal(await frame.evaluate(() => location.href), widgetUrl, 'the widget stays where it is');
    assert.equal(await frame.evaluate(() => document.activeElement?.dataset.testid), 'web-page-back');
    // openExternalLinkButton (on by default, as in Tiledesk): the same page in a new tab instead.
    const external = w.locator('[data-testid=web-page-external]');
    assert.deepEqual(await external.evaluate((a) => [a.href, a.target, a.rel, a.getAttribute('aria-label')]),
      [pages.url('/form.html'), '_blank', 'noopener noreferrer', 'Open in a new window']);
    await w.locator('[data-testid=web-page-back]').click();
    await w.locator('[data-testid=web-page]').waitFor({ state: 'detached' });
    await message(page, { direction: 'in', text: 'Fill this in' }).waitFor();
    assert.deepEqual(errors, []);
    await close();
  });
});
