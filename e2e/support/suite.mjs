// The setting most widget suites share: one browser, one tiledesk-local and one host site for the
// suite, and `visit(path, …)`, a host page embedding the widget opened in a fresh browser context.
import { after, before } from 'node:test';

import { launchBrowser } from './browser.mjs';
import { hostPage, startHost } from './host.mjs';
import { startServer } from './server.mjs';

/**
 * Starts the browser, server and host before the suite and stops them after it. `visit(path, { settings,
 * context })` serves a page embedding the widget with `settings` (`projectid` and `lang: 'en'` by default) and
 * opens it in a new 1280×800 context (`context` adds options); it resolves to the page, its context, the page
 * errors, dialogs and fetched paths it records, and `close()`. `browserArgs` go to Chromium, `serverArgs`
 * to tiledesk-local.
 */
export function widgetSuite({ browserArgs = [], serverArgs = [] } = {}) {
  const suite = {};
  before(async () => {
    suite.browser = await launchBrowser(browserArgs);
    suite.server = await startServer({ args: serverArgs });
    suite.pages = await startHost();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    await suite.pages?.close();
  });
  suite.visit = async (path, { settings = {}, context: options = {} } = {}) => {
    const { browser, server, pages } = suite;
    pages.set(path, hostPage({ widgetUrl: server.widgetUrl, settings: { projectid: server.projectId, lang: 'en', ...settings } }));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
    const page = await context.newPage();
    const errors = [];
    const dialogs = [];
    const fetched = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
    context.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await page.goto(pages.url(path));
    return { page, context, errors, dialogs, fetched, close: () => context.close() };
  };
  return suite;
}
