// The agent console against the real tiledesk-local and the real widget: a visitor (the widget on a host page on
// `localhost`) and an agent (the console on `127.0.0.1`) in two browser contexts. The visitor starts a chat, the agent
// sees it live (sound, desktop notification, announcement), takes it, replies with markdown and quick replies, writes a
// private note the visitor never sees, sends an image (the visitor sends a PDF), switches availability (the widget shows
// agents offline), invites a teammate, assigns, closes (the visitor rates it) and reopens; keyboard-only reply; axe in
// light and dark; screenshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { audit, describeRules } from '../support/axe.mjs';
import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { message, openChat, send, startConversation, widget } from '../support/widget.mjs';

const TIMEOUT = 120000;
const OUT = new URL('../../target/screenshots/', import.meta.url);

/** Records desktop notifications and beeps (oscillators started) the console makes. */
function recordAlerts() {
  window.__notes = [];
  window.__beeps = 0;
  const Native = window.Notification;
  class Recorded extends Native {
    constructor(title, options) {
      window.__notes.push({ title, body: options?.body });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Native.permission });
  Recorded.requestPermission = Native.requestPermission.bind(Native);
  window.Notification = Recorded;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__beeps += 1;
    return start.apply(this, args);
  };
}

describe('agent console', () => {
  let browser, server, pages, agent, visitor, rid;

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    pages = await startHost();
    await mkdir(OUT, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  async function consolePage(viewport = { width: 1280, height: 800 }, colorScheme = 'light') {
    const context = await browser.newContext({ viewport, colorScheme, permissions: ['notifications'] });
    await context.grantPermissions(['notifications'], { origin: server.origin });
    await context.addInitScript(recordAlerts);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(server.url + 'console/');
    return { page, errors, context };
  }

  async function signIn(page) {
    await page.locator('[data-testid=email]').fill(server.email);
    await page.locator('[data-testid=password]').fill(server.password);
    await page.locator('[data-testid=password]').press('Enter');
    await page.locator('[data-testid=availability]').waitFor();
    await page.locator('[data-testid=connection][data-connected=true]').waitFor();
  }

  async function visit(path) {
    pages.set(path, hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, lang: 'en' } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(pages.url(path));
    return { page, context };
  }

  const row = (page, id) => page.locator(`[data-testid=conversation][data-request="${id}"]`);
  const agentMessage = (text) => agent.page.locator('[data-testid=message]', { hasText: text });
  const request = () => server.rest('GET', `${server.projectId}/requests/${rid}`);

  it('signs in with the demo owner and keeps the session', { timeout: TIMEOUT }, async () => {
    agent = await consolePage();
    const a11y = await audit(agent.page.mainFrame());
    assert.deepEqual(a11y.violations, [], describeRules('sign-in', a11y.violations));
    await agent.page.locator('[data-testid=password]').fill('wrong password');
    await agent.page.locator('[data-testid=email]').fill(server.email);
    await agent.page.locator('[data-testid=signin-submit]').click();
    await agent.page.locator('[data-testid=signin-error]', { hasText: /password|Refused/ }).waitFor();
    await signIn(agent.page);
    const kept = await agent.page.evaluate(() => JSON.parse(localStorage.getItem('tiledesk_console_session')));
    assert.ok(kept.token.startsWith('JWT '));
    await agent.page.reload();
    await agent.page.locator('[data-testid=availability]').waitFor();
  });

  it('a new conversation appears live with a sound, a notification and its unread count', { timeout: TIMEOUT }, async () => {
    await agent.page.locator('[data-testid=connection][data-connected=true]').waitFor();
    visitor = await visit('/visitor.html');
    rid = await startConversation(visitor.page, server.projectId, 'Hello, I need help with my order');
    await row(agent.page, rid).waitFor();
    await waitUntil(async () => (await row(agent.page, rid).locator('[data-testid=unread]').textContent())?.startsWith('1'), 'one unread');
    const notes = await agent.page.evaluate(() => window.__notes);
    assert.ok(notes.some((n) => n.title.startsWith('New conversation')), JSON.stringify(notes));
    assert.ok(await agent.page.evaluate(() => window.__beeps) > 0, 'a beep');
    await agent.page.locator('[data-testid=announcement]', { hasText: 'help with my order' }).waitFor();

    await row(agent.page, rid).click();
    await agentMessage('help with my order').waitFor();
    await row(agent.page, rid).locator('[data-testid=unread]').waitFor({ state: 'detached' });
    const details = agent.page.locator('[data-testid=details]');
    await details.getByText(pages.url('/visitor.html')).waitFor();
    await details.getByText(/Chrome \d+ on Linux/).waitFor();
  });

  it('takes it and replies with markdown and quick replies; the visitor answers with a button', { timeout: TIMEOUT }, async () => {
    await agent.page.locator('[data-testid=take]').click();
    await agent.page.locator('[data-testid=assignees]', { hasText: 'With Demo Agent' }).waitFor();
    assert.equal((await request()).status, 200);

    const composer = agent.page.locator('[data-testid=composer]');
    await composer.fill('Sure, **what is your order number?**');
    await composer.press('Enter');
    await message(visitor.page, { direction: 'in', text: 'what is your order number?' }).waitFor();
    assert.equal(await message(visitor.page, { direction: 'in', text: 'order number' }).locator('strong').count(), 1, 'markdown is rendered');
    assert.equal(await agentMessage('what is your order number?').locator('strong').count(), 1);

    await agent.page.locator('[data-testid=with-buttons]').check();
    await agent.page.locator('[data-testid=buttons]').fill('It arrived\nIt did not arrive');
    await composer.fill('Did your parcel arrive?');
    await agent.page.locator('[data-testid=send]').click();
    await agentMessage('Did your parcel arrive?').locator('[data-testid=quick-replies]', { hasText: 'It did not arrive' }).waitFor();
    const buttons = widget(visitor.page).locator('[data-testid=buttons]');
    await buttons.getByText('It did not arrive').click();
    await agent.page.locator('[data-testid=message][data-direction=in]', { hasText: 'It did not arrive' }).waitFor();
  });

  it('each side sees the other typing, and read state goes from delivered to seen', { timeout: TIMEOUT }, async () => {
    const w = widget(visitor.page);
    // The visitor types: the agent sees it, and then not once the visitor stops.
    await w.locator('[data-testid=composer]').fill('My order number is');
    await agent.page.locator('[data-testid=typing]', { hasText: /typing/ }).waitFor();
    await w.locator('[data-testid=composer]').fill('');
    await waitUntil(async () => !(await agent.page.locator('[data-testid=typing]').textContent())?.includes('typing'),
      'the agent sees the visitor stop');
    // The agent types: the widget shows the dots and tells screen readers who writes.
    const composer = agent.page.locator('[data-testid=composer]');
    await composer.fill('Let me check');
    await w.locator('[data-testid=typing]').waitFor();
    assert.match(await w.locator('[data-testid=typing-status]').textContent(), /is writing/);
    await composer.press('Enter');
    await message(visitor.page, { direction: 'in', text: 'Let me check' }).waitFor();
    await w.locator('[data-testid=typing]').waitFor({ state: 'detached' });

    // The visitor's panel is open on a visible page: the agent's message is seen.
    await agentMessage('Let me check').locator('[data-testid=receipt][data-receipt=Seen]').waitFor();
    // With the panel closed it is only delivered, and seen once the visitor opens it again.
    await w.locator('[data-testid=close]').click();
    await composer.fill('Found it');
    await composer.press('Enter');
    await agentMessage('Found it').locator('[data-testid=receipt][data-receipt=Delivered]').waitFor();
    await w.locator('[data-testid=launcher]').click();
    await agentMessage('Found it').locator('[data-testid=receipt][data-receipt=Seen]').waitFor();

    // The visitor's own message: one tick once stored, read ("Read") once the agent has it open.
    await send(visitor.page, 'Thanks!');
    const thanks = message(visitor.page, { direction: 'out', status: 'read', text: 'Thanks!' });
    await thanks.waitFor();
    assert.equal(await thanks.locator('[data-testid=tick]').getAttribute('aria-label'), 'Read');
  });

  it('writes a private note the visitor never sees', { timeout: TIMEOUT }, async () => {
    await agent.page.locator('[data-testid=mode-note]').check();
    const composer = agent.page.locator('[data-testid=composer]');
    await composer.fill('VIP customer, refund without asking');
    await composer.press('Enter');
    const note = agent.page.locator('[data-testid=message][data-private=true]', { hasText: 'VIP customer' });
    await note.waitFor();
    assert.match(await note.textContent(), /Private note, only agents see it/);
    await agent.page.locator('[data-testid=mode-reply]').check();
    await composer.fill('A refund is on its way.');
    await composer.press('Enter');
    await message(visitor.page, { direction: 'in', text: 'refund is on its way' }).waitFor();
    assert.equal(await widget(visitor.page).getByText('VIP customer').count(), 0, 'the note never reaches the visitor');
  });

  it('sends an image with a caption the visitor sees inline, and shows the PDF the visitor sends', { timeout: TIMEOUT }, async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4z8AARAAI/gH/xp559wAAAABJRU5ErkJggg==', 'base64');
    await agent.page.locator('[data-testid=attach-input]').setInputFiles({ name: 'label.png', mimeType: 'image/png', buffer: png });
    const preview = agent.page.locator('[data-testid=attachment]');
    await preview.waitFor();
    assert.match(await preview.textContent(), /label\.png · \d+ B/);
    await waitUntil(() => preview.locator('img').evaluate((img) => img.naturalWidth === 2), 'the thumbnail');
    // In note mode no file is taken: the note mode is off while one is attached.
    assert.ok(await agent.page.locator('[data-testid=mode-note]').isDisabled(), 'no private note with a file');
    const composer = agent.page.locator('[data-testid=composer]');
    await composer.fill('Your **shipping label**');
    await agent.page.locator('[data-testid=send]').click();
    await preview.waitFor({ state: 'detached' });
    assert.equal(await composer.inputValue(), '');
    const mine = agent.page.locator('[data-testid=message][data-direction=out] [data-testid=attachment-image]');
    await waitUntil(() => mine.evaluate((img) => img.complete && img.naturalWidth === 2), 'the console shows the sent image');
    assert.equal(await mine.getAttribute('width'), '2');

    const seen = widget(visitor.page).locator('[data-testid=message][data-direction=in][data-type=image]');
    await seen.waitFor();
    await waitUntil(() => seen.locator('img').evaluate((img) => img.complete && img.naturalWidth === 2), 'the visitor sees the image');
    assert.match(await seen.textContent(), /shipping label/);
    assert.equal(await seen.locator('strong').count(), 1, 'the caption is markdown');
    const stored = (await server.rest('GET', `${server.projectId}/requests/${rid}/messages`)).filter((m) => m.type === 'image').at(-1);
    assert.deepEqual([stored.metadata.name, stored.metadata.width, stored.metadata.height], ['label.png', 2, 1]);

    const w = widget(visitor.page);
    await w.locator('[data-testid=file-input]').setInputFiles({ name: 'order.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await w.locator('[data-testid=attachment]', { hasText: 'order.pdf' }).waitFor();
    await w.locator('[data-testid=send]').click();
    const file = agent.page.locator('[data-testid=message][data-direction=in] [data-testid=attachment-file]', { hasText: 'order.pdf' });
    await file.waitFor();
    assert.equal(await file.getAttribute('download'), 'order.pdf');
    assert.match(await file.getAttribute('href'), /files\?path=uploads%2F/);
    assert.match(await file.textContent(), /order\.pdf · 15 B/);
    assert.deepEqual(agent.errors, []);
  });

  it('availability off shows the widget offline; on again shows it online', { timeout: TIMEOUT }, async () => {
    const toggle = agent.page.locator('[data-testid=availability]');
    await toggle.click();
    await agent.page.locator('[data-testid=availability][aria-checked=false]').waitFor();
    const config = await server.rest('GET', `${server.projectId}/widgets`);
    assert.deepEqual(config.user_available, []);
    const other = await visit('/offline.html');
    await openChat(other.page);
    await widget(other.page).locator('[data-testid=offline]').waitFor();
    await other.context.close();
    await toggle.click();
    await agent.page.locator('[data-testid=availability][aria-checked=true]').waitFor();
    assert.equal((await server.rest('GET', `${server.projectId}/widgets`)).user_available.length, 1);
  });

  it('invites a teammate, assigns to them with the keyboard menu, and takes it back', { timeout: TIMEOUT }, async () => {
    const signup = await fetch(server.url + 'auth/signup', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'mia@example.com', password: 'a long password', firstname: 'Mia', lastname: 'Rossi' }),
    });
    assert.equal(signup.status, 200);
    await agent.page.locator('[data-testid=nav-team]').click();
    await agent.page.locator('[data-testid=invite-email]').fill('mia@example.com');
    await agent.page.locator('[data-testid=invite-role]').selectOption('agent');
    await agent.page.locator('[data-testid=invite-submit]').click();
    await agent.page.locator('[data-testid=invite-outcome]', { hasText: 'is now a member' }).waitFor();
    await agent.page.locator('[data-testid=member]', { hasText: 'Mia Rossi' }).waitFor();
    const team = await audit(agent.page.mainFrame());
    assert.deepEqual(team.violations, [], describeRules('team', team.violations));

    await agent.page.locator('[data-testid=nav-inbox]').click();
    await agent.page.locator('[data-testid=filter-open]').click();
    await row(agent.page, rid).click();
    const opener = agent.page.locator('[data-testid=assign]');
    await opener.focus();
    await agent.page.keyboard.press('Enter');
    await agent.page.locator('[role=menu]').waitFor();
    await agent.page.keyboard.press('Escape');
    await agent.page.locator('[role=menu]').waitFor({ state: 'detached' });
    assert.equal(await opener.evaluate((el) => el === document.activeElement), true, 'Escape returns focus to the menu button');
    await opener.click();
    await agent.page.locator('[data-testid=assign-agent]', { hasText: 'Mia Rossi' }).click();
    await agent.page.locator('[data-testid=assignees]', { hasText: 'With Mia Rossi' }).waitFor();
    assert.equal((await request()).participants.length, 1);
    await agent.page.locator('[data-testid=take]').click();
    await agent.page.locator('[data-testid=assignees]', { hasText: 'With Demo Agent' }).waitFor();
  });

  it('replies with the keyboard only', { timeout: TIMEOUT }, async () => {
    await row(agent.page, rid).focus();
    await agent.page.keyboard.press('Enter');
    assert.equal(await row(agent.page, rid).evaluate((el) => el.matches(':focus-visible')), true, 'visible focus');
    for (let i = 0; i < 30; i += 1) {
      if (await agent.page.evaluate(() => document.activeElement?.dataset?.testid === 'composer')) break;
      await agent.page.keyboard.press('Tab');
    }
    assert.equal(await agent.page.evaluate(() => document.activeElement?.dataset?.testid), 'composer');
    await agent.page.keyboard.type('Typed with the keyboard only');
    await agent.page.keyboard.press('Enter');
    await message(visitor.page, { direction: 'in', text: 'Typed with the keyboard only' }).waitFor();
  });

  it('is axe-clean in light and dark, and keeps screenshots', { timeout: TIMEOUT }, async () => {
    for (const scheme of ['light', 'dark']) {
      await agent.page.emulateMedia({ colorScheme: scheme });
      const results = await audit(agent.page.mainFrame());
      assert.deepEqual(results.violations, [], describeRules(`conversation (${scheme})`, results.violations));
    }
    await agent.page.emulateMedia({ colorScheme: 'light' });
    for (const [size, viewport] of Object.entries({ desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } })) {
      for (const scheme of ['light', 'dark']) {
        const shot = await consolePage(viewport, scheme);
        await signIn(shot.page);
        await shot.page.locator('[data-testid=filter-open]').click();
        await row(shot.page, rid).click();
        await shot.page.locator('[data-testid=message]').first().waitFor();
        await shot.page.waitForTimeout(300);
        await shot.page.screenshot({ path: new URL(`console-${size}-${scheme}.png`, OUT).pathname });
        assert.deepEqual(shot.errors, []);
        await shot.context.close();
      }
    }
  });

  it('closes it, the visitor rates it, and the agent reopens it', { timeout: TIMEOUT }, async () => {
    await agent.page.locator('[data-testid=close]').click();
    await agent.page.locator('[data-testid=reopen]').waitFor();
    const w = widget(visitor.page);
    await w.locator('[data-testid=closed]').waitFor({ timeout: 15000 });
    await w.locator('[data-testid=rate]').nth(4).click();
    await w.locator('[data-testid=rated]').waitFor();
    assert.equal((await request()).rating, 5);
    await agent.page.locator('[data-testid=filter-closed]').click();
    await row(agent.page, rid).waitFor();
    await agent.page.locator('[data-testid=reopen]').click();
    await agent.page.locator('[data-testid=close]').waitFor();
    assert.equal((await request()).status, 200);
    await row(agent.page, rid).waitFor({ state: 'detached' });
    await agent.page.locator('[data-testid=filter-mine]').click();
    await row(agent.page, rid).waitFor();
    assert.deepEqual(agent.errors, []);
  });
});
