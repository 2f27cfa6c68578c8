// The widget as visitors see it, at desktop (1280 × 800) and phone (390 × 844) sizes, light and dark:
// every view stays inside the viewport, and a screenshot of each is kept in target/screenshots/ for
// a reviewer to look at.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { launchBrowser } from '../support/browser.mjs';
import { hostPage, startHost } from '../support/host.mjs';
import { startServer } from '../support/server.mjs';
import { message, startConversation, widget } from '../support/widget.mjs';

const TEST_TIMEOUT = 120000;
const OUT = new URL('../../target/screenshots/', import.meta.url);
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

describe('screenshots', () => {
  let browser, server, pages;

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

  /** Asserts the iframe's box lies inside the viewport, then keeps a screenshot named `name`. */
  async function shoot(page, name, viewport) {
    const box = await page.locator('#tiledeskiframe').boundingBox();
    assert.ok(box, `${name}: the widget is shown`);
    const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
    assert.ok(inside, `${name}: inside the ${viewport.width}×${viewport.height} viewport: ${JSON.stringify(box)}`);
    await page.screenshot({ path: new URL(`${name}.png`, OUT).pathname });
  }

  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const scheme of ['light', 'dark']) {
      it(`${size}, ${scheme}: launcher, opening, home, conversation, link preview and closed conversation`, { timeout: TEST_TIMEOUT }, async () => {
        const path = `/shots-${size}-${scheme}.html`;
        pages.set(path, hostPage({
          widgetUrl: server.widgetUrl,
          settings: { projectid: server.projectId, welcomeTitle: 'Hi there 👋', welcomeMsg: 'Ask us anything', whatsappNumber: '391234567', telegramUsername: 'acme' },
        }));
        const context = await browser.newContext({ viewport, colorScheme: scheme, isMobile: size === 'phone', hasTouch: size === 'phone' });
        const page = await context.newPage();
        await page.goto(pages.url(path));
        await widget(page).locator('[data-testid=launcher]').waitFor();
        await page.waitForTimeout(300);
        await shoot(page, `${size}-${scheme}-launcher`, viewport);
        const launcher = await page.locator('#tiledeskiframe').boundingBox();
        assert.ok(viewport.width - (launcher.x + launcher.width) >= 16 && viewport.height - (launcher.y + launcher.height) >= 16,
          `the launcher keeps clear of the edges: ${JSON.stringify(launcher)}`);

        // The panel's frame, while the chat module is on its way.
        let release;
        const held = new Promise((done) => { release = done; });
        await context.route(/\/chat-[0-9a-f]{16}/, async (route) => { await held; await route.continue(); });
        await widget(page).locator('[data-testid=launcher]').click();
        await widget(page).locator('[data-testid=panel-frame]').waitFor();
        await page.waitForTimeout(300);
        await shoot(page, `${size}-${scheme}-opening`, viewport);
        release();
        await widget(page).locator('[data-testid=home] [data-testid=available-agents]').waitFor();
        await widget(page).locator('[data-testid=wait-time]').waitFor();
        await page.waitForTimeout(200);
        await shoot(page, `${size}-${scheme}-home`, viewport);

        const rid = await startConversation(page, server.projectId, 'Hello, I need help with my order');
        await server.reply(rid, 'Hi! I can help. **What is your order number?**');
        await message(page, { direction: 'in', text: 'What is your order number?' }).waitFor();
        await shoot(page, `${size}-${scheme}-conversation`, viewport);

        await server.post(rid, { type: 'url_preview', text: JSON.stringify([
          { source_name: 'https://help.example/orders', source_file_name: 'Finding your order number', source_description: 'It is in the confirmation e-mail and under My orders.' },
          { source_name: 'https://help.example/shipping', source_file_name: 'Shipping times', source_description: 'Most orders arrive in two to four working days.' },
          { source_name: 'https://www.example.com/returns', source_file_name: 'Returns' },
          { source_name: 'https://www.example.com/contact', source_file_name: 'Contact us' },
        ]) });
        await widget(page).locator('.tdw-sources').waitFor();
        await shoot(page, `${size}-${scheme}-sources`, viewport);

        await server.rest('PUT', `${server.projectId}/requests/${rid}/close`);
        await widget(page).locator('[data-testid=closed]').waitFor({ timeout: 15000 });
        await shoot(page, `${size}-${scheme}-closed`, viewport);
        await context.close();
      });
    }
  }
});
