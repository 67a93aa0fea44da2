// SPDX-License-Identifier: Apache-2.0
// Talking to the server: the token kept in this tab, JSON calls, and
// server-sent events read with fetch() (EventSource cannot send the
// Authorization header).
'use strict';

const pw = {};

pw.tokenKey = 'pipewright-token';
pw.token = () => sessionStorage.getItem(pw.tokenKey) || '';

// A link opened as http://HOST:PORT/#token=... signs this tab in; the token
// leaves the address bar at once so it is not bookmarked or shared.
// "#token=T&/runs/local/ID" goes on to that page.
pw.takeTokenFromAddress = () => {
  const m = location.hash.match(/^#token=([^&]+)(?:&(\/.*))?$/);
  if (m) {
    sessionStorage.setItem(pw.tokenKey, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#' + (m[2] || '/pipelines'));
  }
};

class ApiError extends Error {
  constructor(status, error) {
    super(error.message || ('HTTP ' + status));
    this.status = status;
    this.code = error.code || '';
    this.field = error.field || '';
  }
}
pw.ApiError = ApiError;

pw.fetch = async (path, options = {}) => {
  const headers = Object.assign({}, options.headers, { Authorization: 'Bearer ' + pw.token() });
  const reply = await fetch(path, Object.assign({}, options, { headers, credentials: 'omit', cache: 'no-store' }));
  if (reply.ok)
    return reply;
  let error = { message: reply.statusText };
  try {
    error = (await reply.json()).error || error;
  } catch (e) { /* not JSON */ }
  if (reply.status === 401)
    pw.onUnauthorized();
  throw new ApiError(reply.status, error);
};

pw.get = async (path) => (await pw.fetch(path)).json();

pw.post = async (path, body) => (await pw.fetch(path, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body || {}),
})).json();

// Reads a text/event-stream; calls onEvent(kind, data) per event until the
// server ends the stream or `signal` aborts it.
pw.events = async (path, onEvent, signal) => {
  const reply = await pw.fetch(path, { signal, headers: { Accept: 'text/event-stream' } });
  const reader = reply.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done)
      return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let kind = '', data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: '))
          kind = line.slice(7);
        else if (line.startsWith('data: '))
          data += line.slice(6);
      }
      if (kind)
        onEvent(kind, JSON.parse(data));
    }
  }
};

// Reads a streamed text body; calls onText(chunk) as it arrives.
pw.textStream = async (path, onText, signal) => {
  const reply = await pw.fetch(path, { signal });
  const reader = reply.body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done)
      return;
    onText(decoder.decode(value, { stream: true }));
  }
};

// Elements from data, never from HTML strings: text stays text.
pw.h = (tag, attrs, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false)
      continue;
    if (k.startsWith('on'))
      el.addEventListener(k.slice(2), v);
    else
      el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false)
      el.append(c instanceof Node ? c : String(c));
  }
  return el;
};

pw.when = (ms) => ms > 0 ? new Date(ms).toLocaleString() : '–';
pw.took = (from, to) => {
  if (!from)
    return '–';
  const s = Math.max(0, ((to || Date.now()) - from) / 1000);
  return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
};
pw.say = (text) => { document.getElementById('status').textContent = text; };
pw.enc = encodeURIComponent;
