// Headless Debian Chromium driven by playwright-core (never a downloaded browser build).
import { chromium } from 'playwright-core';

/** Flags that keep Chromium quiet and working as root on a machine without internet. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium), with `args` besides the usual flags. */
export function launchBrowser(args = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  });
}

/** Polls `check` (sync or async) until it returns a truthy value; throws `message` after `timeout` ms. */
export async function waitUntil(check, message, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms: ${message}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
