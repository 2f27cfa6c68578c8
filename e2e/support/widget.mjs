// Helpers for driving the real widget inside its iframe and recording the events it fires on the host page.

/** The widget's iframe on the host page, as a Playwright FrameLocator. */
export function widget(page) {
  return page.frameLocator('#tiledeskiframe');
}

/** Page script that records every event `name` it is registered for into `window[store]`. */
export function recorder(store) {
  return `window.${store} = [];
  window.${store}Listener = function (e) {
    window.${store}.push({
      name: e.type,
      custom: e instanceof CustomEvent,
      detail: JSON.parse(JSON.stringify(e.detail === undefined ? null : e.detail)),
    });
  };`;
}

/**
 * Opens the chat panel, clicking the launcher unless the panel is already open; a visitor without a current
 * conversation sees the home view first (`startFromHome`, Tiledesk's default), and goes on to a new conversation.
 */
export async function openChat(page) {
  const frame = widget(page);
  await frame.locator('[data-testid=launcher], [data-testid=panel]').first().waitFor();
  if (!(await frame.locator('[data-testid=panel]').isVisible())) {
    await frame.locator('[data-testid=launcher]').click();
  }
  await frame.locator('[data-testid=panel]').waitFor();
  if (await frame.locator('[data-testid=home]').isVisible()) {
    await frame.locator('[data-testid=new-conversation]').click();
  }
}

/** The message bubbles with `direction` ('in' | 'out') and `status` (optional) containing `text`. */
export function message(page, { direction, status, text }) {
  const status_ = status ? `[data-status=${status}]` : '';
  return widget(page)
    .locator(`[data-testid=message][data-direction=${direction}]${status_}`)
    .filter({ has: widget(page).locator('[data-testid=message-text]', { hasText: text }) });
}

/** Sends `text` from the composer with the Enter key. */
export async function send(page, text) {
  const composer = widget(page).locator('[data-testid=composer]');
  await composer.fill(text);
  await composer.press('Enter');
}

/** The iframe's box on the host page (null when not displayed). */
export function frameBox(page) {
  return page.locator('#tiledeskiframe').boundingBox();
}

/** The widget's own frame (a Playwright Frame, for evaluating inside it), once it has loaded. */
export async function widgetFrame(page) {
  return (await page.waitForSelector('#tiledeskiframe', { state: 'attached' })).contentFrame();
}

/** The widget's value `name` of `projectId` as the loader keeps it, in the host page's `area` storage. */
export function stored(page, projectId, name, area = 'localStorage') {
  return page.evaluate(([key, area]) => window[area].getItem(key), [`widget_sv5_${projectId}_${name}`, area]);
}

/** Every message waiting in `projectId`'s outboxes (one per tab) in the host page's localStorage. */
export function outboxes(page, projectId) {
  return page.evaluate((prefix) => Object.keys(localStorage).filter((k) => k.startsWith(prefix))
    .flatMap((k) => JSON.parse(localStorage.getItem(k) || '[]')), `widget_sv5_${projectId}_outbox_`);
}

/** The conversation the widget is showing (its stored recipientId, in the host page's storage). */
export async function conversationId(page, projectId) {
  const stored_ = await stored(page, projectId, 'recipientId');
  return /support-group-[A-Za-z0-9-]+/.exec(stored_ || '')?.[0] || null;
}

/** Opens the chat, sends `text` and waits until it is stored; resolves to the conversation id. */
export async function startConversation(page, projectId, text) {
  await openChat(page);
  await send(page, text);
  await message(page, { direction: 'out', status: 'sent', text }).waitFor();
  return conversationId(page, projectId);
}

/** Ends the open conversation as a visitor does: the header's options menu, then yes to the confirmation. */
export async function endConversation(frame) {
  await frame.locator('[data-testid=options]').click();
  await frame.locator('[data-testid=end-conversation]').click();
  await frame.locator('[data-testid=confirm-end-yes]').click();
}
