// The emoji picker with the real built widget: fetched only when first opened, searched by name,
// inserted at the caret, usable from the keyboard, and absent with showEmojiFooterButton false.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { waitUntil } from '../support/browser.mjs';
import { widgetSuite } from '../support/suite.mjs';
import { openChat, widget, widgetFrame } from '../support/widget.mjs';

const TEST_TIMEOUT = 60000;

describe('the emoji picker', () => {
  const suite = widgetSuite();
  const visit = (path, settings) => suite.visit(path, { settings });

  const active = (page) => widgetFrame(page).then((f) => f.evaluate(() => ({
    id: document.activeElement?.dataset.testid, label: document.activeElement?.dataset.name,
  })));

  it('loads its list only when opened, finds by name and inserts at the caret', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, fetched, close } = await visit('/emoji.html');
    const w = widget(page);
    await openChat(page);
    const composer = w.locator('[data-testid=composer]');
    await composer.waitFor();
    assert.ok(!fetched.some((p) => p.endsWith('/emoji.json')), 'nothing fetched before the picker opens');

    await composer.fill('hello world');
    await composer.evaluate((area) => area.setSelectionRange(6, 6));
    await w.locator('[data-testid=emoji-button]').click();
    await w.locator('[data-testid=emoji-picker]').waitFor();
    await w.locator('[data-testid=emoji]').first().waitFor();
    assert.equal(fetched.filter((p) => p.endsWith('/emoji.json')).length, 1);
    assert.ok((await w.locator('[data-testid=emoji]').count()) > 300, 'hundreds of emoji');
    assert.equal((await active(page)).id, 'emoji-search', 'the search takes the focus');
    await page.keyboard.type('tears joy');
    await waitUntil(async () => (await w.locator('[data-testid=emoji]').count()) === 2, 'the two faces with tears of joy');
    assert.deepEqual(await w.locator('[data-testid=emoji]').evaluateAll((bs) => bs.map((b) => b.dataset.name)),
      ['face with tears of joy', 'cat face with tears of joy']);
    await w.locator('[data-testid=emoji][data-name="face with tears of joy"]').click();
    await w.locator('[data-testid=emoji-picker]').waitFor({ state: 'detached' });
    assert.equal(await composer.inputValue(), 'hello 😂world');
    assert.deepEqual(await composer.evaluate((a) => [a.selectionStart, document.activeElement === a]), [8, true], 'the caret after the emoji');

    // Opened again, the list comes from memory.
    await w.locator('[data-testid=emoji-button]').click();
    await w.locator('[data-testid=emoji]').first().waitFor();
    assert.equal(fetched.filter((p) => p.endsWith('/emoji.json')).length, 1);
    await page.keyboard.press('Escape');
    await w.locator('[data-testid=emoji-picker]').waitFor({ state: 'detached' });
    assert.equal((await active(page)).id, 'emoji-button', 'Escape gives the focus back');
    assert.ok(await w.locator('[data-testid=panel]').isVisible(), 'and leaves the panel open');
    assert.deepEqual(errors, []);
    await close();
  });

  it('works from the keyboard alone', { timeout: TEST_TIMEOUT }, async () => {
    const { page, errors, close } = await visit('/keys.html');
    const w = widget(page);
    await openChat(page);
    await w.locator('[data-testid=composer]').waitFor();
    await w.locator('[data-testid=emoji-button]').focus();
    await page.keyboard.press('Enter');
    await w.locator('[data-testid=emoji]').first().waitFor();
    await page.keyboard.press('Tab');
    const first = await active(page);
    assert.equal(first.id, 'emoji');
    await page.keyboard.press('ArrowRight');
    const second = await active(page);
    assert.notEqual(second.label, first.label, 'the arrows move in the grid');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    assert.equal((await active(page)).label, second.label);
    const glyph = await (await widgetFrame(page)).evaluate(() => document.activeElement.firstElementChild.textContent);
    await page.keyboard.press('Enter');
    assert.equal(await w.locator('[data-testid=composer]').inputValue(), glyph);
    assert.deepEqual(errors, []);
    await close();
  });

  it('is not offered with showEmojiFooterButton false', { timeout: TEST_TIMEOUT }, async () => {
    const { page, close } = await visit('/off.html', { showEmojiFooterButton: false });
    await openChat(page);
    await widget(page).locator('[data-testid=composer]').waitFor();
    assert.equal(await widget(page).locator('[data-testid=emoji-button]').count(), 0);
    await close();
  });
});
