// Builds loader/launch.js (what dist/ ships) from the readable loader/launch.src.js: `npm run loader` in e2e/.
// The loader budget is 2.5 KB gzip (no header comment fits: the README points to the source);
// tests/loader-source.test.mjs fails when launch.js is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { minify } from 'terser';

const SOURCE = new URL('../loader/launch.src.js', import.meta.url);
const TARGET = new URL('../loader/launch.js', import.meta.url);

/** The minified loader for the readable source `code`. */
export async function minifyLoader(code) {
  const out = await minify(code, { ecma: 2017, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  return out.code + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(TARGET, await minifyLoader(await readFile(SOURCE, 'utf8')));
  console.log('wrote loader/launch.js');
}
