// The shipped loader: generated from its readable source, within budget, and the API's TypeScript types compile.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';

import { minifyLoader } from '../minify-loader.mjs';

const read = (path) => readFile(new URL(path, import.meta.url), 'utf8');

describe('the loader source', () => {
  it('loader/launch.js is the minified loader/launch.src.js (run `npm run loader` in e2e/ after editing)', async () => {
    assert.equal(await read('../../loader/launch.js'), await minifyLoader(await read('../../loader/launch.src.js')));
  });

  // 2 KB for the bridge and the layout, half a KB more for keeping the widget's values first-party.
  it('stays within 2.5 KB gzip', async () => {
    const size = gzipSync(await read('../../loader/launch.js'), { level: 9 }).length;
    assert.ok(size <= 2560, `launch.js is ${size} bytes gzip`);
  });

  it('never writes HTML, evaluates strings or posts to any origin', async () => {
    const source = await read('../../loader/launch.src.js');
    for (const banned of ['document.write', 'innerHTML', 'outerHTML', 'insertAdjacentHTML', 'eval(', 'Function(', "'*'", 'setAttribute(\'style']) {
      assert.ok(!source.includes(banned), `launch.src.js uses ${banned}`);
    }
  });

  it('loader/tiledesk.d.ts types every method, setting and event (tsc --strict)', { timeout: 120000 }, async () => {
    const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
    const usage = fileURLToPath(new URL('../types/usage.ts', import.meta.url));
    const run = promisify(execFile)(process.execPath, [tsc, '--noEmit', '--strict', '--lib', 'es2017,dom', '--target', 'es2017', usage]);
    await assert.doesNotReject(run.catch((err) => { throw new Error(err.stdout + err.stderr); }));
  });
});
