// Drop-in fidelity with what Tiledesk page integrations, bots and agents rely on, checked against
// tiledesk-local: the events the Tiledesk loader reports to the server, where custom attributes and
// the department go, agents' private notes, and the visitor's address.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { launchBrowser, waitUntil } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { conversationId, message, openChat, recorder, send, startConversation, stored, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 90000;

describe('drop-in fidelity', () => {
  let browser, server, pages;

  before(async () => {
    browser = await launchBrowser();
    server = await startServer();
    pages = await startHost();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  /** A host page for a project of its own (`settings` beside its id), opened in a fresh browser. */
  async function visit(path, { project = server.projectId, settings = {}, queued = '', search = '' } = {}) {
    pages.set(path, hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: project, ...settings }, queued }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    const warnings = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(pages.url(path) + search);
    return { page, context, errors, warnings, close: () => context.close() };
  }

  /** The project's events named `name`, as an agent lists them. */
  const events = async (project, name) => (await server.rest('GET', `${project}/events`)).events.filter((e) => e.name === name);

  it('tells the server of a new conversation and of sign-ins, as the Tiledesk loader does', { timeout: TEST_TIMEOUT }, async () => {
    const project = (await server.rest('POST', 'projects', { name: 'events' }))._id;
    const { page, errors, close } = await visit('/events.html', {
      project, settings: { userFullname: 'Ada', userEmail: 'ada@example.com', participants: 'bot_welcome', lang: 'it' },
    });
    const rid = await startConversation(page, project, 'hello');
    const [started] = await waitUntil(() => events(project, 'new_conversation').then((l) => l.length && l), 'new_conversation');
    assert.equal(started.attributes.request_id, rid);
    assert.deepEqual(started.attributes.participants, ['bot_welcome']);
    assert.equal(started.attributes.language, 'it');
    assert.equal(started.attributes.subtype, 'info');
    assert.equal(started.attributes.fullname, 'Ada');
    assert.equal(started.attributes.email, 'ada@example.com');
    const [signedIn] = await waitUntil(() => events(project, 'auth_state_changed').then((l) => l.length && l), 'auth_state_changed');
    assert.deepEqual([signedIn.attributes.event, signedIn.attributes.isLogged], ['online', true]);
    assert.ok(signedIn.attributes.user_id);
    assert.deepEqual(errors, []);
    await close();

    // A conversation a bot's intent starts is the bot's already: no new_conversation for it.
    const hidden = await visit('/intent.html', { project, search: '?tiledesk_hiddenMessage=start_flow' });
    await openChat(hidden.page);
    await waitUntil(async () => {
      const all = (await server.rest('GET', `${project}/requests`)).requests;
      return all.some((r) => r.first_text === '/start_flow');
    }, 'the intent stored');
    await hidden.page.waitForTimeout(500);
    assert.equal((await events(project, 'new_conversation')).length, 1, 'no new_conversation for an intent');
    await hidden.close();
  });

  it('a visitor the server refuses at auth_state_changed is hidden and removed, as with Tiledesk', { timeout: TEST_TIMEOUT }, async () => {
    const { page, context, close } = await visit('/refused.html', { queued: 'Tiledesk("onInit", function () {});' });
    await context.route(/\/events$/, (route) => route.fulfill({ status: 401, contentType: 'text/plain', body: 'Unauthorized' }));
    await widget(page).locator('[data-testid=launcher]').click();
    await waitUntil(() => page.evaluate(() => !document.getElementById('tiledeskiframe')), 'the widget removed');
    assert.equal(await page.evaluate(() => 'tiledesk' in window), false);
    await close();
  });

  it('puts custom attributes in attributes.payload and the department by id and name', { timeout: TEST_TIMEOUT }, async () => {
    const project = (await server.rest('POST', 'projects', { name: 'departments' }))._id;
    const sales = await server.rest('POST', `${project}/departments`, { name: 'Sales' });
    await server.rest('POST', `${project}/departments`, { name: 'Support' });
    const { page, close } = await visit('/routed.html', { project, settings: { departmentID: sales._id, customAttributes: { plan: 'gold' } } });
    const rid = await startConversation(page, project, 'routed');
    const [stored] = await server.rest('GET', `${project}/requests/${rid}/messages`);
    assert.deepEqual(stored.attributes.payload, { plan: 'gold' }, 'customAttributes as the payload');
    assert.equal(stored.attributes.plan, undefined, 'not spread among the attributes');
    assert.equal(stored.attributes.departmentId, sales._id);
    assert.equal(stored.attributes.departmentName, 'Sales');
    assert.ok(stored.attributes.ipAddress, 'the visitor\'s address from GET /:pid/widgets');
    await close();

    // An unknown departmentID is ignored with a warning: the visitor chooses.
    const unknown = await visit('/unknown-department.html', { project, settings: { departmentID: 'no-such-department' } });
    await openChat(unknown.page);
    await widget(unknown.page).locator('[data-testid=departments]').waitFor();
    assert.ok(unknown.warnings.some((w) => /departmentID no-such-department/.test(w)), JSON.stringify(unknown.warnings));
    await unknown.close();
  });

  it('never shows, counts or announces agents\' private notes', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/private.html', { queued: `${recorder('events')} Tiledesk('onMessageCreated', window.eventsListener);` });
    const rid = await startConversation(page, server.projectId, 'is anyone there?');
    await server.post(rid, { text: 'VIP customer, offer the discount', attributes: { subtype: 'private' } });
    await server.reply(rid, 'Hello! How can I help?');
    await message(page, { direction: 'in', text: 'Hello! How can I help?' }).waitFor();
    assert.equal(await widget(page).locator('[data-testid=message]', { hasText: 'VIP customer' }).count(), 0, 'not shown');
    await page.reload();
    await openChat(page);
    await message(page, { direction: 'in', text: 'Hello! How can I help?' }).waitFor();
    assert.equal(await widget(page).locator('[data-testid=message]', { hasText: 'VIP customer' }).count(), 0, 'nor in the history');
    const texts = await page.evaluate(() => window.events.map((e) => e.detail.message.text));
    assert.ok(!texts.some((t) => t.includes('VIP')), `no onMessageCreated for it: ${texts}`);
    await page.evaluate(() => window.tiledesk.close());
    await server.post(rid, { text: 'another private note', attributes: { subtype: 'private' } });
    await server.reply(rid, 'still there?');
    await waitUntil(async () => (await widget(page).locator('[data-testid=unread]').textContent().catch(() => '')) === '1', 'one unread');
    await page.waitForTimeout(500);
    assert.equal(await widget(page).locator('[data-testid=unread]').textContent(), '1', 'the note is not counted');
    await close();
  });

  it('message events carry the Tiledesk message model beside the REST fields', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/model.html', { queued: `${recorder('events')} Tiledesk('onMessageCreated', window.eventsListener); Tiledesk('onAfterMessageSend', window.eventsListener); Tiledesk('onNewConversation', window.eventsListener);` });
    const rid = await startConversation(page, server.projectId, 'model me');
    await server.reply(rid, 'modelled');
    await message(page, { direction: 'in', text: 'modelled' }).waitFor();
    const recorded = await waitUntil(async () => {
      const list = await page.evaluate(() => window.events);
      return list.filter((e) => e.name === 'onMessageCreated').length >= 2 && list;
    }, 'two onMessageCreated');
    const fields = ['uid', 'sender', 'sender_fullname', 'recipient', 'recipient_fullname', 'text', 'type', 'timestamp', 'status',
      'attributes', 'metadata', 'channel_type', 'isSender'];
    for (const e of recorded.filter((r) => r.name !== 'onNewConversation')) {
      for (const field of fields) assert.ok(field in e.detail.message, `${e.name} detail.message.${field}`);
      assert.equal(typeof e.detail.message.timestamp, 'number');
    }
    const created = recorded.filter((r) => r.name === 'onMessageCreated').map((r) => r.detail.message);
    assert.deepEqual(created.map((m) => [m.text, m.isSender]), [['model me', true], ['modelled', false]]);
    const started = recorded.find((r) => r.name === 'onNewConversation').detail;
    for (const field of ['newConvId', 'global', 'default_settings', 'appConfigs']) assert.ok(field in started, `onNewConversation ${field}`);
    assert.equal(started.global.recipientId, rid);
    await close();
  });

  it('restart keeps the visitor and their conversation; reInit starts a new visitor, as in Tiledesk', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/restart.html', { queued: `${recorder('events')} Tiledesk('onInit', window.eventsListener);` });
    await startConversation(page, server.projectId, 'before restart');
    const token = await stored(page, server.projectId, 'tiledeskToken');
    const inits = (await page.evaluate(() => window.events)).length;
    await page.evaluate(() => window.tiledesk.restart());
    await waitUntil(async () => (await page.evaluate(() => window.events)).length > inits, 'onInit again');
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await openChat(page);
    await message(page, { direction: 'out', text: 'before restart' }).waitFor();
    assert.equal(await stored(page, server.projectId, 'tiledeskToken'), token, 'the same visitor');

    await page.evaluate(() => window.tiledesk.reInit());
    await waitUntil(async () => (await stored(page, server.projectId, 'recipientId')) === null, 'the conversation forgotten');
    await openChat(page);
    await waitUntil(async () => {
      const now = await stored(page, server.projectId, 'tiledeskToken');
      return now && now !== token;
    }, 'a new visitor');
    assert.equal(await widget(page).locator('[data-testid=message]').count(), 0);
    await close();
  });

  it('notices live when an agent closes the conversation, over the socket and by polling, and offers the rating', { timeout: TEST_TIMEOUT }, async () => {
    for (const [how, settings, block] of [['socket', {}, false], ['polling', { nativeRating: false }, true]]) {
      const { page, context, close } = await visit(`/closed-${how}.html`, { settings });
      if (block) await context.routeWebSocket(/.*/, (ws) => ws.close());
      const rid = await startConversation(page, server.projectId, `close me (${how})`);
      await server.rest('PUT', `${server.projectId}/requests/${rid}/close`);
      await widget(page).locator('[data-testid=closed]').waitFor({ timeout: 15000 });
      assert.equal(await widget(page).locator('[data-testid=composer]').count(), 0, `${how}: the composer makes way`);
      assert.equal(await widget(page).locator('[data-testid=rate]').count(), block ? 0 : 5, `${how}: the rating per nativeRating`);
      await close();
    }
  });

  it('speaks the project\'s own labels (GET /:pid/labels/:LANG) over the built-in strings', { timeout: TEST_TIMEOUT }, async () => {
    const project = (await server.rest('POST', 'projects', { name: 'labelled' }))._id;
    await server.rest('POST', `${project}/labels`, { lang: 'IT', data: { LABEL_PLACEHOLDER: 'Scrivici pure', WELCOME_TITLE: 'Benvenuto!' } });
    const { page, close } = await visit('/labels.html', { project, settings: { lang: 'it' } });
    await openChat(page);
    await waitUntil(async () => (await widget(page).locator('[data-testid=composer]').getAttribute('placeholder')) === 'Scrivici pure',
      'the project\'s placeholder');
    assert.equal(await widget(page).locator('[data-testid=record]').getAttribute('aria-label'), 'Registra un messaggio vocale',
      'built-in where it saved none');
    assert.equal(await widget(page).locator('[data-testid=welcome] strong').textContent(), 'Benvenuto!', 'the welcome from the labels');
    await close();
  });

  it('shows only on the pages allowedOnSpecificUrlList names, as the Tiledesk widget does', { timeout: TEST_TIMEOUT }, async () => {
    const project = (await server.rest('POST', 'projects', { name: 'restricted' }))._id;
    await server.rest('PUT', `projects/${project}`, { widget: { allowedOnSpecificUrl: true, allowedOnSpecificUrlList: ['*/help*'] } });
    const allowed = await visit('/help.html', { project });
    await widget(allowed.page).locator('[data-testid=launcher]').waitFor();
    await allowed.close();
    const elsewhere = await visit('/cart.html', { project });
    await waitUntil(() => elsewhere.page.evaluate(() => !document.getElementById('tiledeskiframe')), 'the widget removed');
    await elsewhere.close();
  });

  it('every event\'s detail carries the fields the Tiledesk widget puts there', { timeout: TEST_TIMEOUT }, async () => {
    // Field lists read from the Tiledesk widget's source (app.component.ts, conversation components, triggerHandler).
    const CONTEXT = ['global', 'default_settings', 'appConfigs'];
    const MESSAGE = ['uid', 'sender', 'sender_fullname', 'recipient', 'recipient_fullname', 'text', 'type', 'timestamp', 'status',
      'attributes', 'metadata', 'channel_type', 'isSender'];
    const FIELDS = {
      onLoadParams: ['default_settings'],
      onBeforeInit: CONTEXT,
      onInit: CONTEXT,
      onAuthStateChanged: ['event', 'isLogged', 'user_id', ...CONTEXT],
      onLoggedIn: CONTEXT,
      onOpen: ['default_settings'],
      onClose: ['default_settings'],
      onOpenEyeCatcher: ['default_settings'],
      onClosedEyeCatcher: [],
      onNewConversation: ['newConvId', ...CONTEXT],
      onNewConversationComponentInit: CONTEXT,
      onBeforeMessageSend: ['message'],
      onAfterMessageSend: ['message'],
      onMessageCreated: ['message'],
      onConversationUpdated: ['conversation'],
      onBeforeDepartmentsFormRender: ['departments'],
    };
    const listen = Object.keys(FIELDS).map((name) => `Tiledesk(${JSON.stringify(name)}, window.eventsListener);`).join(' ');
    const project = (await server.rest('POST', 'projects', { name: 'contract' }))._id;
    await server.rest('POST', `${project}/departments`, { name: 'Sales' });
    await server.rest('POST', `${project}/departments`, { name: 'Support' });
    const { page, close } = await visit('/contract.html', { project, queued: `${recorder('events')} ${listen}` });
    await widget(page).locator('[data-testid=launcher]').waitFor();
    await page.evaluate(() => window.tiledesk.showCallout());
    await widget(page).locator('[data-testid=callout]').waitFor();
    await openChat(page);
    await widget(page).locator('[data-testid=department]').first().click();
    await send(page, 'contract');
    await message(page, { direction: 'out', status: 'sent', text: 'contract' }).waitFor();
    const rid = await conversationId(page, project);
    await server.rest('POST', `${project}/requests/${rid}/messages`, { text: 'agreed' });
    await message(page, { direction: 'in', text: 'agreed' }).waitFor();
    await page.evaluate(() => window.tiledesk.close());
    const seen = await waitUntil(async () => {
      const list = await page.evaluate(() => window.events);
      const names = new Set(list.map((e) => e.name));
      return Object.keys(FIELDS).every((name) => names.has(name)) && list;
    }, 'every event', 20000).catch(async (err) => {
      const names = new Set((await page.evaluate(() => window.events)).map((e) => e.name));
      throw new Error(`${err.message}; missing: ${Object.keys(FIELDS).filter((n) => !names.has(n))}`);
    });
    for (const [name, fields] of Object.entries(FIELDS)) {
      const detail = seen.find((e) => e.name === name).detail;
      for (const field of fields) assert.ok(field in detail, `${name}.detail.${field}`);
    }
    for (const name of ['onAfterMessageSend', 'onMessageCreated']) {
      const detail = seen.find((e) => e.name === name).detail;
      for (const field of MESSAGE) assert.ok(field in detail.message, `${name}.detail.message.${field}`);
    }
    const draft = seen.find((e) => e.name === 'onBeforeMessageSend').detail.message;
    for (const field of ['senderFullname', 'text', 'type', 'metadata', 'conversationWith', 'recipientFullname', 'attributes', 'projectid', 'channelType']) {
      assert.ok(field in draft, `onBeforeMessageSend.detail.message.${field}`);
    }
    const conversation = seen.find((e) => e.name === 'onConversationUpdated').detail.conversation;
    for (const field of ['uid', 'attributes', 'channel_type', 'conversation_with_fullname', 'conversation_with', 'recipient', 'recipient_fullname',
      'image', 'is_new', 'last_message_text', 'text', 'sender', 'senderAuthInfo', 'sender_fullname', 'status', 'timestamp', 'selected', 'color',
      'avatar', 'archived', 'type', 'sound']) {
      assert.ok(field in conversation, `onConversationUpdated.detail.conversation.${field}`);
    }
    await close();
  });

  it('previews the newest message above the closed launcher; its × fires onCloseMessagePreview', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/preview.html', { queued: `${recorder('events')} Tiledesk('onCloseMessagePreview', window.eventsListener);` });
    const rid = await startConversation(page, server.projectId, 'anyone?');
    await page.evaluate(() => window.tiledesk.close());
    await server.reply(rid, 'Yes, I am here: how can I help?');
    const preview = widget(page).locator('[data-testid=preview]');
    await preview.waitFor();
    assert.match(await preview.textContent(), /Yes, I am here/);
    assert.match(await preview.textContent(), /Demo/, 'with who wrote it');
    await widget(page).locator('[data-testid=preview-close]').click();
    await preview.waitFor({ state: 'detached' });
    await waitUntil(() => page.evaluate(() => window.events.some((e) => e.name === 'onCloseMessagePreview')), 'onCloseMessagePreview');
    await server.reply(rid, 'Still there?');
    await preview.waitFor();
    await preview.locator('.tdw-callout-body').click();
    await widget(page).locator('[data-testid=panel]').waitFor();
    await message(page, { direction: 'in', text: 'Still there?' }).waitFor();
    assert.equal(await preview.count(), 0, 'gone once the chat is open');
    await close();
  });
});
