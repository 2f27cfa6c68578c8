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

/** Spawns tiledesk-local on `addr` with `data`; resolves to the child, its log, its exit promise and its URL. */
async function spawnServer(bin, addr, data, log = [], args = []) {
  const env = { ...process.env };
  for (const name of ['TILEDESK_ADDR', 'TILEDESK_DATA', 'TILEDESK_WIDGET_DIR']) delete env[name];
  const child = spawn(bin, ['--addr', addr, '--data', data, '--widget-dir', widgetDist(), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  createInterface({ input: child.stderr }).on('line', (line) => log.push(line));
  const proc = { child, log, exited: null };
  proc.exit = new Promise((done) => child.on('exit', (code, signal) => {
    proc.exited = signal || code;
    done();
  }));

  proc.url = await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`tiledesk-local did not print its listening line in 30 s:\n${log.join('\n')}`)), 30000);
    child.on('error', (err) => { clearTimeout(timer); fail(err); });
    child.on('exit', () => { clearTimeout(timer); fail(new Error(`tiledesk-local exited (${proc.exited}) before listening:\n${log.join('\n')}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      const match = /listening on (http:\/\/\S+)/.exec(line);
      if (match) { clearTimeout(timer); done(match[1].replace(/\/$/, '') + '/'); }
    });
  });
  return proc;
}

/**
 * Starts `tiledesk-local --addr 127.0.0.1:0 --data <fresh temp dir> --widget-dir <dist>` and `args`.
 * Resolves once it prints its listening line and has written demo.json.
 * `stop()` ends it and removes its data; `kill()` only ends it (the data and port stay for `restart()`),
 * and `restart()` starts a new process on the same port and data dir.
 */
export async function startServer({ args = [] } = {}) {
  const bin = requiredEnv('TILEDESK_SERVER_BIN');
  const data = await mkdtemp(join(tmpdir(), 'tiledesk-e2e-'));
  let proc = await spawnServer(bin, '127.0.0.1:0', data, [], args);
  const { url } = proc;
  const log = proc.log;

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

  async function kill() {
    if (proc.exited === null) {
      proc.child.kill('SIGTERM');
      await proc.exit;
    }
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
    /** Posts any message body (`{text, type, metadata, attributes}`) in a request as the owner. */
    post: (requestId, body) => rest('POST', `${demo.project_id}/requests/${requestId}/messages`, body),
    /** Ends the process, keeping its data dir and port for `restart()`. */
    kill,
    /** Starts a new process on the same port and data dir (after `kill()`; kills the running one first). */
    async restart() {
      await kill();
      const addr = new URL(url).host;
      const deadline = Date.now() + 15000;
      for (;;) {
        try {
          proc = await spawnServer(bin, addr, data, log, args);
          break;
        } catch (err) {
          // The port may take a moment to be free again.
          if (Date.now() > deadline) throw err;
          await new Promise((done) => setTimeout(done, 200));
        }
      }
    },
    async stop() {
      await kill();
      await rm(data, { recursive: true, force: true });
    },
  };
}
