// SPDX-License-Identifier: Apache-2.0
// A headless Chromium driven over the DevTools protocol (Node 20's WebSocket,
// started with --experimental-websocket): start it, open a page, evaluate,
// take screenshots.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Starts Chromium on about:blank and opens `url` once the protocol is connected.
export async function launchChromium(binary, url, { width = 1366, height = 900 } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'pw-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run',
    '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'];
  const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const wsUrl = await new Promise((resolve, reject) => {
    let err = '';
    proc.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m)
        resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${err}`)));
  });
  const port = new URL(wsUrl).port;
  let page;
  for (let i = 0; i < 100 && !page; ++i) {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    page = list.find((t) => t.type === 'page');
    if (!page)
      await new Promise((r) => setTimeout(r, 100));
  }
  if (!page)
    throw new Error('chromium opened no page');
  const session = await connect(page.webSocketDebuggerUrl);
  session.close = async () => {
    session.ws.close();
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
    // Chromium's helper processes may still write to the profile for a
    // moment after the browser exits; a leftover temporary folder is no failure.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
    } catch (e) {
      console.error(`note: could not remove ${profile}: ${e.message}`);
    }
  };
  // The page starts blank and goes to `url` once, from here: given on the
  // command line as well, a second navigation to it could be a fragment
  // change of the already loaded page (no load event, the token back in the
  // address), depending on which came first.
  await session.send('Page.enable');
  const loaded = session.next('Page.loadEventFired');
  await session.send('Page.navigate', { url });
  await loaded;
  return session;
}

async function connect(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('cannot reach ' + url));
  });
  let next = 0;
  const waiting = new Map();
  const eventWaiters = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.method)
      for (let i = eventWaiters.length - 1; i >= 0; --i)
        if (eventWaiters[i].method === msg.method)
          eventWaiters.splice(i, 1)[0].resolve(msg.params);
    if (msg.id && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error)
        reject(new Error(msg.error.message));
      else
        resolve(msg.result);
    }
  };
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
  // Evaluates an expression in the page (awaiting a promise) and returns its value.
  const evaluate = async (expression) => {
    const r = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails)
      throw new Error('in the page: ' + (r.exceptionDetails.exception?.description || r.exceptionDetails.text));
    return r.result.value;
  };
  // The next protocol event of this kind.
  const nextEvent = (method) => new Promise((resolve) => eventWaiters.push({ method, resolve }));
  return { ws, send, evaluate, next: nextEvent };
}

// Resolves once `predicate` (an expression) is true in the page, watching the
// DOM change rather than polling on a clock; fails after `ms`.
export function waitInPage(session, predicate, ms = 60000) {
  return session.evaluate(`new Promise((resolve, reject) => {
    const check = () => { try { return !!(${predicate}); } catch (e) { return false; } };
    if (check()) return resolve(true);
    const obs = new MutationObserver(() => { if (check()) { obs.disconnect(); clearTimeout(t); resolve(true); } });
    obs.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const t = setTimeout(() => { obs.disconnect(); reject(new Error('timed out waiting for: ' + ${JSON.stringify(predicate)})); }, ${ms});
  })`);
}
