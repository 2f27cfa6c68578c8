// The conversation experience with the real built widget and the real tiledesk-local: markdown and rich
// messages from agents, hostile text, the outbox across outages and reloads, reconnection, unread count,
// callout, languages, welcome, theme contrast, dark mode and keyboard use.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { dirRoutes, hostPage, startHost } from '../support/host.mjs';
import { startServer, widgetDist } from '../support/server.mjs';
import {
  conversationId, message, openChat, outboxes, recorder, send, startConversation, widget, widgetFrame,
} from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

/** A 1×1 transparent PNG. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

/** Hostile message texts: each must show as the text it is, and run nothing. */
const XSS = [
  '<script>alert(1)</script>',
  '<script src=https://evil.example/x.js></script>',
  '<img src=x onerror=alert(1)>',
  '<img src=x onerror="window.__xss=1">',
  '<IMG SRC=javascript:alert(1)>',
  '<img src="x" onerror="&#97;lert(1)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<object data="javascript:alert(1)">',
  '<embed src="javascript:alert(1)">',
  '<a href="javascript:alert(1)">click</a>',
  '<a href=" javascript:alert(1)">spaced</a>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '</li><script>alert(1)</script>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><img src=x onerror=alert(1)></template>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click](  javascript:alert(1))',
  '[click](jav\tascript:alert(1))',
  '[**bold**](javascript:alert(1))',
  '![img](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '<javascript:alert(1)>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '`<script>alert(1)</script>`',
  '**<img src=x onerror=alert(1)>**',
  '*<svg onload=alert(1)>*',
  '- <iframe src=https://evil.example></iframe>',
  '1. <script>alert(1)</script>',
  '<xss onpointerover=alert(1)>hover</xss>',
  '<img src=x:alert(1) onerror=eval(src)>',
  '{{constructor.constructor("alert(1)")()}}',
];

/** The set of elements message text may produce. */
const ALLOWED_IN_TEXT = new Set(['P', 'STRONG', 'EM', 'CODE', 'PRE', 'UL', 'OL', 'LI', 'A', 'BR']);

/** Text without markdown markers (list bullets, emphasis, code) and whitespace, to compare what was sent with what is shown. */
const normalize = (text) => text.replace(/^(- |\d+\. )/, '').replace(/[\s*_`~\\]/g, '');

describe('the conversation experience', () => {
  let browser, server, pages;

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    pages = await startHost({
      '/framed.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body>framed app</body></html>',
      '/report.pdf': { type: 'pdf', body: '%PDF-1.4\n' },
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  /** Opens a host page embedding the widget in a fresh context; collects page errors and dialogs. */
  async function visit(path, { settings = {}, queued = '', widgetUrl = server.widgetUrl, context: options = {} } = {}) {
    pages.set(path, hostPage({ widgetUrl, settings: { projectid: server.projectId, ...settings }, queued }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    const errors = [];
    const dialogs = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => {});
    });
    await page.goto(pages.url(path));
    return { page, errors, dialogs, close: () => context.close() };
  }

  /** Every element inside the message list that message text could have produced, as plain data. */
  async function renderedTextElements(page) {
    const frame = await widgetFrame(page);
    return frame.evaluate(() => [...document.querySelectorAll('[data-testid=message-text] *')].map((el) => ({
      tag: el.tagName,
      attributes: [...el.attributes].map((a) => [a.name, a.value]),
    })));
  }

  it('renders an agent\'s markdown as plain elements, and links open in a new tab', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/markdown.html');
    const rid = await startConversation(page, server.projectId, 'show me markdown');
    await server.reply(rid, 'Use **bold**, *italic* and `npm ci`:\n\n- first\n- second\n\n1. one\n2. two\n\nSee [the docs](https://docs.example/a?b=1) or https://x.example/y.');
    const reply = message(page, { direction: 'in', text: 'Use bold' });
    await reply.waitFor();
    const body = reply.locator('[data-testid=message-text]');
    assert.equal(await body.locator('strong').textContent(), 'bold');
    assert.equal(await body.locator('em').textContent(), 'italic');
    assert.equal(await body.locator('code').textContent(), 'npm ci');
    assert.deepEqual(await body.locator('ul > li').allTextContents(), ['first', 'second']);
    assert.deepEqual(await body.locator('ol > li').allTextContents(), ['one', 'two']);
    const links = await body.locator('a').evaluateAll((as) => as.map((a) => ({
      href: a.getAttribute('href'), text: a.textContent, target: a.getAttribute('target'), rel: a.getAttribute('rel'),
    })));
    assert.deepEqual(links, [
      { href: 'https://docs.example/a?b=1', text: 'the docs', target: '_blank', rel: 'noopener noreferrer' },
      { href: 'https://x.example/y', text: 'https://x.example/y', target: '_blank', rel: 'noopener noreferrer' },
    ]);
    assert.ok(!(await body.textContent()).includes('**'), 'the markers are not shown');
    assert.deepEqual(errors, []);
    await close();
  });

  it(`shows ${XSS.length} hostile texts, from an agent and from the visitor, as inert text`, { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(XSS.length >= 50);
    const { page, errors, dialogs, close } = await visit('/xss.html');
    const rid = await startConversation(page, server.projectId, 'xss start');
    // Agents' texts in four batches, one payload per paragraph.
    const batches = [];
    for (let i = 0; i < XSS.length; i += 15) batches.push(XSS.slice(i, i + 15));
    for (const [n, batch] of batches.entries()) {
      await server.reply(rid, `agent batch ${n}\n\n${batch.join('\n\n')}`);
    }
    // The visitor's own texts in two messages, sent from the composer.
    const half = Math.ceil(XSS.length / 2);
    for (const [n, part] of [XSS.slice(0, half), XSS.slice(half)].entries()) {
      await send(page, `visitor batch ${n}\n\n${part.join('\n\n')}`);
      await message(page, { direction: 'out', status: 'sent', text: `visitor batch ${n}` }).waitFor();
    }
    for (const n of batches.keys()) await message(page, { direction: 'in', text: `agent batch ${n}` }).waitFor();

    const elements = await renderedTextElements(page);
    for (const { tag, attributes } of elements) {
      assert.ok(ALLOWED_IN_TEXT.has(tag), `no <${tag.toLowerCase()}> from text: ${JSON.stringify(attributes)}`);
      for (const [name, value] of attributes) {
        assert.ok(!/^on/i.test(name) && name !== 'style' && name !== 'src', `no ${name}="${value}" on <${tag}>`);
        if (name === 'href') assert.match(value, /^(https?:|mailto:|tel:)/i, `a safe href: ${value}`);
      }
    }
    const frame = await widgetFrame(page);
    const dom = await frame.evaluate(() => ({
      xss: window.__xss,
      scripts: document.querySelectorAll(['script', 'iframe', 'img', 'svg'].map((tag) => `[data-testid=message-text] ${tag}`).join(', ')).length,
      texts: [...document.querySelectorAll('[data-testid=message-text]')].map((el) => el.textContent),
      frames: window.frames.length,
    }));
    assert.equal(dom.xss, undefined, 'no payload ran');
    assert.equal(dom.scripts, 0, 'no script, iframe, img or svg in the messages');
    assert.equal(dom.frames, 0, 'no frame created inside the widget');
    const shown = normalize(dom.texts.join(''));
    for (const payload of XSS) {
      assert.ok(shown.includes(normalize(payload)), `shown as text: ${payload}`);
    }
    // Every payload appears once per agent batch and once per visitor message.
    const stored = (await server.messages(rid)).map((m) => m.text);
    assert.equal(stored.filter((t) => t.startsWith('visitor batch')).length, 2);
    assert.deepEqual(dialogs, [], 'no dialog was opened');
    assert.deepEqual(errors, []);
    await close();
  });

  it('shows images, files, embedded apps and info lines, and refuses unsafe addresses', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, dialogs, close } = await visit('/rich.html');
    const rid = await startConversation(page, server.projectId, 'rich please');
    await server.post(rid, { text: 'a dot', type: 'image', metadata: { src: PNG, width: 120, height: 80 } });
    await server.post(rid, { text: '', type: 'file', metadata: { src: pages.url('/report.pdf'), name: 'report.pdf', size: 1536 } });
    await server.post(rid, { text: 'an app', type: 'frame', metadata: { src: pages.url('/framed.html'), height: 200 } });
    // Info messages as a Tiledesk server writes them: shown per showInfoMessage, in the visitor's words.
    await server.post(rid, { text: 'Anna has joined', attributes: { subtype: 'info/support', messagelabel: { key: 'MEMBER_JOINED_GROUP', parameters: { member_id: 'agent-anna', firstname: 'Anna' } } } });
    await server.post(rid, { text: 'Bot joined', attributes: { subtype: 'info/support', messagelabel: { key: 'MEMBER_JOINED_GROUP', parameters: { member_id: 'bot_42' } } } });
    await server.post(rid, { text: 'Lead updated', attributes: { subtype: 'info/support', messagelabel: { key: 'LEAD_UPDATED' } } });
    await server.post(rid, { text: 'unlabelled info', attributes: { subtype: 'info' } });
    await server.post(rid, { text: 'bad image', type: 'image', metadata: { src: 'javascript:alert(1)', width: 10, height: 10 } });
    await server.post(rid, { text: 'bad svg', type: 'image', metadata: { src: 'data:image/svg+xml,<svg onload=alert(1)>' } });
    await server.post(rid, { text: 'bad file', type: 'file', metadata: { src: 'javascript:alert(1)', name: 'evil.exe', size: 1 } });
    await server.post(rid, { text: 'bad frame', type: 'frame', metadata: { src: 'data:text/html,<script>alert(1)</script>' } });
    await server.post(rid, { text: 'the end' });
    await message(page, { direction: 'in', text: 'the end' }).waitFor();
    const w = widget(page);

    const image = w.locator('[data-testid=message][data-type=image] img');
    assert.equal(await image.count(), 1, 'only the safe image is shown');
    assert.equal(await image.getAttribute('src'), PNG);
    assert.equal(await image.getAttribute('width'), '120');
    assert.equal(await image.getAttribute('height'), '80');
    assert.equal(await image.getAttribute('alt'), 'a dot');

    const file = w.locator('[data-testid=message][data-type=file] a');
    assert.equal(await file.count(), 1, 'only the safe file is a link');
    assert.equal(await file.getAttribute('href'), pages.url('/report.pdf'));
    assert.equal(await file.getAttribute('download'), 'report.pdf');
    assert.equal(await file.getAttribute('target'), '_blank');
    assert.equal(await file.getAttribute('rel'), 'noopener noreferrer');
    const fileText = await file.textContent();
    assert.ok(fileText.includes('report.pdf') && fileText.includes('1.5 KB'), `name and human size: ${fileText}`);

    const frame = w.locator('[data-testid=message][data-type=frame] iframe');
    assert.equal(await frame.count(), 1, 'only the safe frame is embedded');
    assert.equal(await frame.getAttribute('src'), pages.url('/framed.html'));
    const sandbox = await frame.getAttribute('sandbox');
    // As the Tiledesk widget sandboxes embedded apps: another origin keeps its own storage.
    assert.equal(sandbox, 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    assert.equal(await frame.getAttribute('height'), '200');

    const info = w.locator('[data-testid=info]');
    assert.deepEqual(await info.allTextContents(), ['Anna joined the chat'], 'only agents joining show by default, in the visitor\'s words');
    assert.equal(await w.locator('[data-testid=message]', { hasText: 'Anna joined' }).count(), 0, 'not a bubble');

    for (const text of ['bad image', 'bad svg', 'bad file', 'bad frame']) {
      const bubble = message(page, { direction: 'in', text });
      assert.equal(await bubble.count(), 1, `${text} is shown as text`);
      assert.equal(await bubble.locator('img, iframe, a, svg').count(), 0, `${text} has nothing clickable or loaded`);
    }
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await close();
  });

  it('buttons: text and action buttons send and only last; link buttons stay; unsafe links vanish', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, dialogs, close } = await visit('/buttons.html');
    const rid = await startConversation(page, server.projectId, 'buttons please');
    const buttons = [
      { type: 'text', value: 'Yes please' },
      { type: 'url', value: 'Read the docs', link: 'https://docs.example/start', target: 'blank' },
      { type: 'url', value: 'Same tab', link: 'https://docs.example/self', target: 'self' },
      { type: 'action', value: 'Talk to sales', action: 'route_sales' },
      { type: 'action', value: 'Call me back', action: 'callback', show_echo: true },
      { type: 'url', value: 'Evil script', link: 'javascript:alert(1)' },
      { type: 'url', value: 'Evil data', link: 'data:text/html,<script>alert(1)</script>' },
    ];
    const ask = async (text) => {
      await server.post(rid, { text, attributes: { attachment: { type: 'template', buttons } } });
      const bubble = message(page, { direction: 'in', text });
      await bubble.waitFor();
      return bubble;
    };

    const first = await ask('Pick one (1)');
    const group = first.locator('[data-testid=buttons]');
    assert.deepEqual(await group.locator('button').allTextContents(), ['Yes please', 'Same tab', 'Talk to sales', 'Call me back'],
      'a self-target link opens inside the widget, from a button');
    const links = await group.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')]));
    assert.deepEqual(links, [
      ['Read the docs', 'https://docs.example/start', '_blank', 'noopener noreferrer'],
    ], 'unsafe links render nothing');
    assert.equal(await first.getByText('Evil').count(), 0);

    // Another agent message: the first one keeps only its links.
    await server.reply(rid, 'and another thing');
    await message(page, { direction: 'in', text: 'and another thing' }).waitFor();
    await waitUntil(async () => (await group.locator('button').count()) === 1, 'text and action buttons to go from an older message');
    assert.equal(await group.locator('a').count(), 1, 'link buttons stay');
    assert.equal(await group.locator('[data-testid=open-in-widget]').count(), 1, 'the self-target link stays too');

    // A text button sends its value as the visitor's message.
    const second = await ask('Pick one (2)');
    await second.locator('button', { hasText: 'Yes please' }).click();
    await message(page, { direction: 'out', status: 'sent', text: 'Yes please' }).waitFor();
    assert.equal(await second.locator('[data-testid=buttons] button:not([data-testid=open-in-widget])').count(), 0, 'no longer the last message');

    // An action button sends its label with attributes.action: as an info message the visitor does not see,
    // or shown with show_echo, as the Tiledesk widget does.
    const third = await ask('Pick one (3)');
    await third.locator('button', { hasText: 'Talk to sales' }).click();
    await waitUntil(async () => (await server.messages(rid)).some((m) => m.text === 'Talk to sales'), 'the action stored');
    const fourth = await ask('Pick one (4)');
    await fourth.locator('button', { hasText: 'Call me back' }).click();
    await message(page, { direction: 'out', status: 'sent', text: 'Call me back' }).waitFor();
    assert.equal(await message(page, { direction: 'out', text: 'Talk to sales' }).count(), 0, 'no echo without show_echo');

    const stored = await server.messages(rid);
    const yes = stored.filter((m) => m.text === 'Yes please');
    assert.equal(yes.length, 1, 'the text button\'s value, stored once');
    assert.equal(yes[0].sender, stored.find((m) => m.text === 'buttons please').sender, 'sent as the visitor');
    const sales = stored.filter((m) => m.text === 'Talk to sales');
    assert.equal(sales.length, 1, 'the action button\'s label, stored once');
    assert.equal(sales[0].attributes?.action, 'route_sales');
    assert.equal(sales[0].attributes?.subtype, 'info');
    const callback = stored.find((m) => m.text === 'Call me back');
    assert.equal(callback.attributes?.action, 'callback');
    assert.equal(callback.attributes?.subtype, undefined, 'an echoed action is a plain message');
    assert.equal(await message(page, { direction: 'out', text: 'Yes please' }).count(), 1);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await close();
  });

  it('counts agent replies on the launcher while closed, and opening clears the count', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/unread.html');
    const rid = await startConversation(page, server.projectId, 'ping me later');
    await server.reply(rid, 'an agent is here');
    await message(page, { direction: 'in', text: 'an agent is here' }).waitFor();
    await widget(page).locator('[data-testid=close]').click();
    const launcher = widget(page).locator('[data-testid=launcher]');
    await launcher.waitFor();
    assert.equal(await widget(page).locator('[data-testid=unread]').count(), 0);
    await server.reply(rid, 'first reply');
    await waitUntil(async () => (await widget(page).locator('[data-testid=unread]').textContent().catch(() => '')) === '1', 'unread 1');
    await server.reply(rid, 'second reply');
    await waitUntil(async () => (await widget(page).locator('[data-testid=unread]').textContent().catch(() => '')) === '2', 'unread 2');
    assert.match(await launcher.getAttribute('aria-label'), /^Open chat, 2 unread/);
    await launcher.click();
    await message(page, { direction: 'in', text: 'second reply' }).waitFor();
    assert.equal(await message(page, { direction: 'in', text: 'first reply' }).count(), 1);
    await widget(page).locator('[data-testid=close]').click();
    await launcher.waitFor();
    assert.equal(await widget(page).locator('[data-testid=unread]').count(), 0, 'opening cleared the count');
    assert.equal(await launcher.getAttribute('aria-label'), 'Open chat');
    assert.deepEqual(errors, []);
    await close();
  });

  it('counts a reply that arrives right after the first message, before any live update', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/unread-fast.html');
    const rid = await startConversation(page, server.projectId, 'quick question');
    await widget(page).locator('[data-testid=close]').click();
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await server.reply(rid, 'a bot answers at once');
    await waitUntil(async () => (await widget(page).locator('[data-testid=unread]').textContent().catch(() => '')) === '1', 'unread 1');
    assert.deepEqual(errors, []);
    await close();
  });

  it('shows the callout after calloutTimer, with its events; its body opens the chat', { timeout: TEST_TIMEOUT }, async () => {
    const queued = `${recorder('events')}
      Tiledesk('onOpenEyeCatcher', window.eventsListener);
      Tiledesk('onClosedEyeCatcher', window.eventsListener);
      Tiledesk('onOpen', window.eventsListener);
      Tiledesk('onInit', function () { window.initAt = performance.now(); });`;
    const { page, errors, close } = await visit('/callout.html', { settings: { calloutTimer: 1 }, queued });
    const callout = widget(page).locator('[data-testid=callout]');
    await callout.waitFor({ timeout: 5000 });
    const shownAt = await page.evaluate(() => performance.now());
    const initAt = await page.evaluate(() => window.initAt);
    assert.ok(shownAt - initAt >= 900, `shown about 1 s after start (${Math.round(shownAt - initAt)} ms)`);
    const names = async () => (await page.evaluate(() => window.events)).map((e) => e.name);
    await waitUntil(async () => (await names()).includes('onOpenEyeCatcher'), 'onOpenEyeCatcher');
    assert.ok((await callout.textContent()).includes('Need help?'));

    await widget(page).locator('[data-testid=callout-close]').click();
    await callout.waitFor({ state: 'detached' });
    await waitUntil(async () => (await names()).includes('onClosedEyeCatcher'), 'onClosedEyeCatcher');
    assert.equal(await widget(page).locator('[data-testid=panel]').count(), 0, 'dismissing does not open');

    await page.evaluate(() => window.Tiledesk('showCallout'));
    await callout.waitFor();
    await callout.locator('.tdw-callout-body').click();
    await widget(page).locator('[data-testid=panel]').waitFor();
    await waitUntil(async () => (await names()).includes('onOpen'), 'onOpen');
    assert.equal((await names()).filter((n) => n === 'onOpenEyeCatcher').length, 2);
    assert.deepEqual(errors, []);
    await close();
  });

  it('speaks the lang setting, the browser language, and each supported language', { timeout: TEST_TIMEOUT }, async () => {
    const expected = {
      en: ['Open chat', 'Type your message…', 'Close chat'],
      it: ['Apri la chat', 'Scrivi il tuo messaggio…', 'Chiudi la chat'],
      es: ['Abrir el chat', 'Escribe tu mensaje…', 'Cerrar el chat'],
      fr: ['Ouvrir le chat', 'Écrivez votre message…', 'Fermer le chat'],
      de: ['Chat öffnen', 'Schreiben Sie Ihre Nachricht…', 'Chat schließen'],
      pt: ['Abrir o chat', 'Digite sua mensagem…', 'Fechar o chat'],
    };
    const root = (page) => widget(page).locator('.tdw');
    const check = async (page, lang) => {
      const [openLabel, placeholder, closeLabel] = expected[lang];
      const launcher = widget(page).locator('[data-testid=launcher]');
      await waitUntil(async () => (await root(page).getAttribute('lang')) === lang, `lang="${lang}"`);
      assert.equal(await launcher.getAttribute('aria-label'), openLabel);
      await launcher.click();
      await widget(page).locator('[data-testid=new-conversation]').click();
      const composer = widget(page).locator('[data-testid=composer]');
      assert.equal(await composer.getAttribute('placeholder'), placeholder);
      assert.equal(await widget(page).locator('[data-testid=close]').getAttribute('aria-label'), closeLabel);
      await widget(page).locator('[data-testid=close]').click();
    };

    const italian = await visit('/lang-it.html', { settings: { lang: 'it' }, context: { locale: 'en-US' } });
    await check(italian.page, 'it');
    for (const lang of ['en', 'es', 'fr', 'de', 'pt']) {
      await italian.page.evaluate((value) => window.Tiledesk('setParameter', { key: 'lang', value }), lang);
      await check(italian.page, lang);
    }
    assert.deepEqual(italian.errors, []);
    await italian.close();

    const german = await visit('/lang-browser.html', { context: { locale: 'de-DE' } });
    await check(german.page, 'de');
    await german.close();
  });

  it('shows the welcome, keeps the header readable on a light theme, and follows dark mode', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/looks.html', {
      settings: { welcomeTitle: 'Hi there 👋', welcomeMsg: 'We usually answer in minutes.', themeColor: '#ffff00', open: true },
    });
    const welcome = widget(page).locator('[data-testid=welcome]');
    await welcome.waitFor();
    assert.equal(await welcome.locator('strong').textContent(), 'Hi there 👋');
    assert.ok((await welcome.textContent()).includes('We usually answer in minutes.'));

    const styles = () => widget(page).locator('[data-testid=panel]').evaluate((panel) => {
      const root = panel.closest('.tdw');
      return {
        onTheme: getComputedStyle(root).getPropertyValue('--tdw-on-theme').trim(),
        headerColor: getComputedStyle(panel.querySelector('header')).color,
        background: getComputedStyle(panel).backgroundColor,
      };
    });
    const light = await styles();
    assert.equal(light.onTheme, '#1a1a1a', 'dark text on a yellow theme, though the foreground defaults to white');
    assert.equal(light.headerColor, 'rgb(26, 26, 26)');
    const luminance = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    assert.ok(luminance(light.background) > 200, `a light panel by default: ${light.background}`);

    await page.emulateMedia({ colorScheme: 'dark' });
    await waitUntil(async () => luminance((await styles()).background) < 60, 'a dark panel in dark mode');
    await page.emulateMedia({ colorScheme: 'light' });
    await waitUntil(async () => luminance((await styles()).background) > 200, 'light again');
    assert.deepEqual(errors, []);
    await close();
  });

  it('works from the keyboard: Tab reaches the launcher, Enter opens, Escape closes', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/keyboard.html');
    const frame = await widgetFrame(page);
    await widget(page).locator('[data-testid=launcher]').waitFor();
    const focused = () => frame.evaluate(() => (document.hasFocus() ? document.activeElement?.getAttribute('data-testid') : null));
    await page.keyboard.press('Tab');
    await waitUntil(async () => (await focused()) === 'launcher', 'Tab to reach the launcher in the iframe');
    await page.keyboard.press('Enter');
    await widget(page).locator('[data-testid=panel]').waitFor();
    // A first visit opens on the home view, its way to a new conversation focused.
    await waitUntil(async () => (await focused()) === 'new-conversation', 'the focus on "New conversation"');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await focused()) === 'composer', 'the focus in the composer');
    await page.keyboard.type('typed from the keyboard');
    assert.equal(await widget(page).locator('[data-testid=composer]').inputValue(), 'typed from the keyboard');
    await page.keyboard.press('Escape');
    await widget(page).locator('[data-testid=panel]').waitFor({ state: 'detached' });
    await waitUntil(async () => (await focused()) === 'launcher', 'the focus back on the launcher');
    assert.deepEqual(errors, []);
    await close();
  });

  it('shows the newest page of a long history; scrolling up and the earlier button (from the keyboard) reveal older ones', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/long-history.html', { settings: { lang: 'en' } });
    const rid = await startConversation(page, server.projectId, 'the start of a long history');
    for (let i = 1; i <= 110; i++) await server.reply(rid, `history ${i}`);
    await message(page, { direction: 'in', text: /^history 110$/ }).waitFor();
    await page.reload();
    await openChat(page);
    const w = widget(page);
    const frame = await widgetFrame(page);
    const history = (n) => message(page, { direction: 'in', text: new RegExp(`^history ${n}$`) });
    const rendered = () => w.locator('[data-testid=message]').count();
    /** Resolves once the widget has drawn two more frames. */
    const twoFrames = () => frame.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    /** Where message `text` is in the widget's viewport (its top, px); with `scrollToTop`, just after scrolling the list to its top. */
    const topOf = (text, scrollToTop = false) => frame.evaluate(([text, scrollToTop]) => {
      if (scrollToTop) document.querySelector('[data-testid=messages]').scrollTop = 0;
      const texts = [...document.querySelectorAll('[data-testid=message-text]')];
      return texts.find((t) => t.textContent === text).getBoundingClientRect().top;
    }, [text, scrollToTop]);
    await history(110).waitFor();
    assert.equal(await rendered(), 50, 'the newest page only');
    assert.equal(await w.locator('[data-testid=message-text]').first().textContent(), 'history 61');
    await waitUntil(() => frame.evaluate(() => {
      const list = document.querySelector('[data-testid=messages]');
      return list.scrollTop > 0 && list.scrollTop + list.clientHeight >= list.scrollHeight - 1;
    }), 'the list scrolled to the newest');

    // Scrolling up to the top reveals a page more, and what the visitor was reading stays in place.
    const before = await topOf('history 61', true);
    await waitUntil(async () => (await rendered()) === 100, 'a page more after scrolling to the top');
    assert.ok(Math.abs((await topOf('history 61')) - before) <= 1, 'history 61 stays where it was');

    // From the composer, Shift+Tab (past the emoji button and the paperclip) reaches the button; Enter reveals the rest, down to the first message.
    const earlier = w.locator('[data-testid=earlier]');
    for (const before of ['emoji-button', 'attach']) {
      await page.keyboard.press('Shift+Tab');
      assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-testid')), before);
    }
    await page.keyboard.press('Shift+Tab');
    await waitUntil(() => frame.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'earlier'), 'the button focused');
    assert.equal(await earlier.textContent(), 'Show earlier messages');
    assert.ok((await earlier.boundingBox()).height >= 24, 'a target of at least 24 px');
    assert.notEqual(await earlier.evaluate((b) => getComputedStyle(b).outlineStyle), 'none', 'a visible focus');
    await twoFrames();
    assert.equal(await rendered(), 100, 'focusing the button (which scrolls it into view) reveals nothing by itself');
    const oldestShown = await topOf('history 11');
    await page.keyboard.press('Enter');
    const first = message(page, { direction: 'out', text: 'the start of a long history' });
    await first.waitFor({ state: 'attached' });
    await twoFrames();
    assert.equal(await rendered(), 111);
    assert.equal(await earlier.count(), 0, 'nothing older');
    assert.equal(await w.locator('[data-testid=message-text]').last().textContent(), 'history 110');
    assert.ok(Math.abs((await topOf('history 11')) - oldestShown) <= 1, 'history 11 stays where it was');
    await waitUntil(() => frame.evaluate(() => {
      const oldest = document.querySelector('[data-testid=message]');
      return document.activeElement !== document.body && document.activeElement.contains(oldest);
    }), 'the focus on the revealed messages, not lost');
    assert.equal(await w.locator('[aria-live] [data-testid=message]').count(), 50, 'revealed messages are not announced');
    assert.deepEqual(errors, []);
    await close();
  });

  describe('across server restarts', () => {
    let api, statics;

    before(async () => {
      api = await startServer();
      // The widget from a static host of its own (as a CDN serves it, no widget-config.json), another
      // site than the host page, that stays up while the API server is down.
      statics = await startHost(await dirRoutes(widgetDist(), '/widget/'), { hostname: '127.0.0.1' });
    });

    after(async () => {
      await api?.stop();
      await statics?.close();
    });

    async function visitApi(path) {
      return visit(path, {
        widgetUrl: statics.url('/widget/'),
        settings: { projectid: api.projectId, apiUrl: api.url },
      });
    }

    it('outbox: messages written during an outage survive a reload and are stored once', { timeout: TEST_TIMEOUT }, async () => {
      const { page, errors, close } = await visitApi('/outbox.html');
      const rid = await startConversation(page, api.projectId, 'before the outage');
      await api.kill();

      for (const text of ['during the outage 1', 'during the outage 2']) {
        await send(page, text);
        await message(page, { direction: 'out', text }).waitFor();
      }
      // The oldest fails and waits to be retried (with its retry button); the next waits behind it.
      const failed = message(page, { direction: 'out', status: 'failed', text: 'during the outage 1' });
      await failed.waitFor();
      assert.equal(await failed.locator('[data-testid=retry]').count(), 1, 'a retry button');
      assert.match(await message(page, { direction: 'out', text: 'during the outage 2' }).getAttribute('data-status'), /^(failed|sending)$/);

      await page.reload();
      await openChat(page);
      for (const text of ['during the outage 1', 'during the outage 2']) {
        await message(page, { direction: 'out', text }).waitFor();
        assert.equal(await message(page, { direction: 'out', text }).count(), 1, `shown once after the reload: ${text}`);
      }
      // The oldest is tried (and fails) again; the next waits behind it.
      await message(page, { direction: 'out', status: 'failed', text: 'during the outage 1' }).waitFor();
      assert.match(await message(page, { direction: 'out', text: 'during the outage 2' }).getAttribute('data-status'), /^(failed|sending)$/);

      await api.restart();
      // The browser says it is online again: the widget delivers without waiting out its back-off.
      await (await widgetFrame(page)).evaluate(() => dispatchEvent(new Event('online')));
      const texts = ['before the outage', 'during the outage 1', 'during the outage 2'];
      for (const text of texts) {
        await message(page, { direction: 'out', status: 'sent', text }).waitFor({ timeout: 40000 });
      }
      const texts_ = (await api.messages(rid)).map((m) => m.text);
      for (const text of texts) {
        assert.equal(texts_.filter((t) => t === text).length, 1, `stored once: ${text} in ${JSON.stringify(texts_)}`);
        assert.equal(await message(page, { direction: 'out', text }).count(), 1, `shown once: ${text}`);
      }
      assert.deepEqual(texts_.filter((t) => texts.includes(t)), texts, 'stored in order');
      assert.equal(await widget(page).locator('[data-testid=message]:not([data-status=sent])').count(), 0);
      assert.deepEqual(await outboxes(page, api.projectId), [], 'the outbox is empty');
      assert.deepEqual(errors, []);
      await close();
    });

    it('reconnect: an agent reply sent while the widget reconnects shows exactly once', { timeout: TEST_TIMEOUT }, async () => {
      const { page, errors, close } = await visitApi('/reconnect.html');
      const rid = await startConversation(page, api.projectId, 'stay with me');
      await api.reply(rid, 'connected');
      await message(page, { direction: 'in', text: 'connected' }).waitFor();

      await api.restart();
      await api.reply(rid, 'sent while you were away');
      await message(page, { direction: 'in', text: 'sent while you were away' }).waitFor({ timeout: 20000 });
      // Live again: a later reply arrives too, and nothing is doubled by the catch-up.
      await api.reply(rid, 'and after');
      await message(page, { direction: 'in', text: 'and after' }).waitFor({ timeout: 20000 });
      for (const text of ['connected', 'sent while you were away', 'and after']) {
        assert.equal(await message(page, { direction: 'in', text }).count(), 1, `shown once: ${text}`);
      }
      assert.equal(await message(page, { direction: 'out', text: 'stay with me' }).count(), 1);
      assert.equal(await conversationId(page, api.projectId), rid);
      assert.deepEqual(errors, []);
      await close();
    });
  });
});
