// Starts the real tiledesk-local binary on a free port with a fresh data dir and the built widget, and talks REST to it.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { waitUntil } from './browser.mjs';

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test\``);
  return resolve(value);
}

/** The built widget directory (TILEDESK_WIDGET_DIST). */
export function widgetDist() {
  return requiredEnv('TILEDESK_WIDGET_DIST');
}

/**
 * Starts `tiledesk-local --addr 127.0.0.1:0 --data <fresh temp dir> --widget-dir <dist>`.
 * Resolves once it prints its listening line and has written demo.json.
 */
export async function startServer() {
  const bin = requiredEnv('TILEDESK_SERVER_BIN');
  const data = await mkdtemp(join(tmpdir(), 'tiledesk-e2e-'));
  const env = { ...process.env };
  for (const name of ['TILEDESK_ADDR', 'TILEDESK_DATA', 'TILEDESK_WIDGET_DIR']) delete env[name];
  const child = spawn(bin, ['--addr', '127.0.0.1:0', '--data', data, '--widget-dir', widgetDist()], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  let exited = null;
  const exit = new Promise((done) => child.on('exit', (code, signal) => {
    exited = signal || code;
    done();
  }));

  const url = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`tiledesk-local did not print its listening line in 30 s:\n${log.join('\n')}`)), 30000);
    child.on('error', (err) => { clearTimeout(timer); fail(err); });
    child.on('exit', () => { clearTimeout(timer); fail(new Error(`tiledesk-local exited (${exited}) before listening:\n${log.join('\n')}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) { clearTimeout(timer); done(match[1].replace(/\/$/, '') + '/'); }
    });
  });

  const demo = await waitUntil(
    async () => JSON.parse(await readFile(join(data, 'demo.json'), 'utf8')),
    `${data}/demo.json to be written`,
  );
  const auth = 'Basic ' + Buffer.from(`${demo.email}:${demo.password}`).toString('base64');

  async function rest(method, path, body) {
    const response = await fetch(url + path, {
      method,
      headers: { Authorization: auth, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /${path} -> ${response.status}: ${text}`);
    return JSON.parse(text);
  }

  return {
    url,
    origin: new URL(url).origin,
    widgetUrl: url + 'widget/',
    projectId: demo.project_id,
    email: demo.email,
    password: demo.password,
    log,
    /** Any REST call as the project owner. */
    rest,
    /** Saves the project's remote widget settings (what GET /:pid/widgets returns as project.widget). */
    setRemoteWidget: (widget) => rest('PUT', `projects/${demo.project_id}`, { widget }),
    /** Adds a department to the project. */
    addDepartment: (name) => rest('POST', `${demo.project_id}/departments`, { name }),
    /** A custom-auth JWT for visitor `id`, signed with a freshly generated project key. */
    async customToken(id) {
      const { jwtSecret } = await rest('POST', `${demo.project_id}/keys/generate`);
      const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({
        _id: id, sub: 'userexternal', aud: `https://tiledesk.com/projects/${demo.project_id}`,
        iss: 'https://e2e.example', iat: now, exp: now + 3600, firstname: 'Custom', lastname: 'Visitor',
      })}`;
      return `${body}.${createHmac('sha256', jwtSecret).update(body).digest('base64url')}`;
    },
    /** The project's requests as the owner sees them. */
    requests: async () => (await rest('GET', `${demo.project_id}/requests`)).requests,
    /** The messages of one request, oldest first. */
    messages: (requestId) => rest('GET', `${demo.project_id}/requests/${requestId}/messages`),
    /** Replies in a request as the owner (an agent). */
    reply: (requestId, text) => rest('POST', `${demo.project_id}/requests/${requestId}/messages`, { text }),
    async stop() {
      if (exited === null) {
        child.kill('SIGTERM');
        await exit;
      }
      await rm(data, { recursive: true, force: true });
    },
  };
}
