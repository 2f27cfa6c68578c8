// A tiny Node http server for host pages (and fake frames, and the widget's files as a CDN would serve them).
// Host pages are on `localhost`, another *site* than the widget and API on `127.0.0.1`, as in every real
// deployment: the browser treats the widget's iframe as third-party there (its own storage blocked).
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const TYPES = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  wasm: 'application/wasm',
  png: 'image/png',
  pdf: 'application/pdf',
};

/**
 * Serves `routes`: path -> HTML string, or `{ type: 'js' | 'html' | 'wasm' | …, body (string or Buffer), headers? }`. Routes can be added later with `set`.
 * `hostname` names the site in the URLs it gives: `localhost` (host pages) or `127.0.0.1` (the widget's site);
 * it listens on `address` (another loopback address stands for another public site).
 * Resolves to `{ origin, url(path), set(path, page), close() }`.
 */
export async function startHost(routes = {}, { hostname = 'localhost', address = '127.0.0.1' } = {}) {
  const table = new Map(Object.entries(routes));
  const server = createServer((req, res) => {
    const page = table.get(new URL(req.url, 'http://host').pathname);
    if (page === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const { type, body, headers } = typeof page === 'string' ? { type: 'html', body: page } : page;
    res.writeHead(200, { 'Content-Type': TYPES[type || 'html'], 'Cache-Control': 'no-store', ...headers });
    res.end(body);
  });
  await new Promise((done) => server.listen(0, address, done));
  const origin = `http://${hostname}:${server.address().port}`;
  return {
    origin,
    url: (path) => origin + path,
    set: (path, page) => table.set(path, page),
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(done);
    }),
  };
}

/**
 * A host page with the standard Tiledesk embed snippet loading `${widgetUrl}launch.js`.
 * `prelude` runs just before the snippet and `queued` right after it, in the same script, so the
 * calls in `queued` land in the pre-load queue `window.Tiledesk.q`; `head` and `body` are extra markup.
 */
export function hostPage({ widgetUrl, settings, prelude = '', queued = '', head = '', body = '', nonce = '' }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Host page</title>
${head}
</head>
<body>
<h1>A website that embeds the chat</h1>
${body}
<script${nonce ? ` nonce="${nonce}"` : ''}>
  ${prelude}
  window.tiledeskSettings = ${JSON.stringify(settings)};
  ${snippet(widgetUrl)}
  ${queued}
</script>
</body>
</html>
`;
}

/** The standard Tiledesk embed snippet (without the settings line) loading `${widgetUrl}launch.js`. */
export function snippet(widgetUrl) {
  return `(function (d, s, id) {
    var w = window, f = function () { f.c(arguments) }; f.q = []; f.c = function (a) { f.q.push(a) };
    w.Tiledesk = f;
    var js, fjs = d.getElementsByTagName(s)[0]; if (d.getElementById(id)) return;
    js = d.createElement(s); js.id = id; js.async = true; js.src = ${JSON.stringify(widgetUrl + 'launch.js')};
    fjs.parentNode.insertBefore(js, fjs);
  })(document, "script", "tiledesk-jssdk");`;
}

/**
 * Routes serving every file of `dir` (a built widget's dist/) under `prefix` (e.g. '/widget/'), `index.html` also
 * at `prefix` itself: the widget from a static host that stays up while the API server is down.
 */
export async function dirRoutes(dir, prefix) {
  const routes = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const { name } = entry;
    const ext = name.split('.').pop();
    const page = { type: TYPES[ext] ? ext : 'html', body: await readFile(join(dir, name)) };
    routes[prefix + name] = page;
    if (name === 'index.html') routes[prefix] = page;
  }
  return routes;
}
