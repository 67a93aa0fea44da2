// SPDX-License-Identifier: Apache-2.0
// What an admin console's backend does to start a pipeline run with a user's
// parameters and wait for it, using only Node's own fetch (Node 18+).
//
//   PIPEWRIGHT_URL=http://127.0.0.1:8765 PIPEWRIGHT_TOKEN=... \
//     node start-run.mjs tfx-training epochs=20 learning_rate=0.5
//
// Prints each task's progress and exits 0 when the run succeeded, 1 when it
// did not, 2 when the server refused the request (the reason names the field).

const base = process.env.PIPEWRIGHT_URL || 'http://127.0.0.1:8765';
const token = process.env.PIPEWRIGHT_TOKEN;
const [pipeline, ...assignments] = process.argv.slice(2);
if (!token || !pipeline) {
  console.error('usage: PIPEWRIGHT_TOKEN=... node start-run.mjs PIPELINE [NAME=VALUE]...');
  process.exit(2);
}
const headers = { Authorization: `Bearer ${token}` };

// Values go as typed; the server types them by the pipeline's parameters.
const parameters = {};
for (const a of assignments) {
  const eq = a.indexOf('=');
  if (eq <= 0) {
    console.error(`not NAME=VALUE: ${a}`);
    process.exit(2);
  }
  parameters[a.slice(0, eq)] = a.slice(eq + 1);
}

async function call(method, path, body) {
  const reply = await fetch(base + path, {
    method,
    headers: body ? { ...headers, 'Content-Type': 'application/json' } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await reply.json();
  if (!reply.ok) {
    const { code, message, field } = json.error;
    throw Object.assign(new Error(`${reply.status} ${code}: ${message}${field ? ` (${field})` : ''}`), { refused: true });
  }
  return json;
}

// Server-sent events over a fetch stream: one callback per event.
async function followEvents(id, onEvent) {
  const reply = await fetch(`${base}/api/v1/runs/${encodeURIComponent(id)}/events`, { headers });
  if (!reply.ok)
    throw new Error(`events: HTTP ${reply.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of reply.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const kind = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (kind && data)
        onEvent(kind, JSON.parse(data));
    }
  }
}

try {
  const run = await call('POST', '/api/v1/runs', { pipeline, parameters });
  console.log(`started run ${run.id} on ${run.backend}`);
  let final = 'unknown';
  await followEvents(run.id, (kind, e) => {
    if (kind === 'task')
      console.log(`  ${e.task.id}: ${e.task.state}`);
    else if (kind === 'end')
      final = e.state;
  });
  const done = await call('GET', `/api/v1/runs/${encodeURIComponent(run.id)}`);
  for (const m of done.metrics)
    console.log(`  metric ${m.task}.${m.name} = ${m.value}`);
  console.log(`run ${run.id} ${final}`);
  process.exit(final === 'succeeded' ? 0 : 1);
} catch (e) {
  console.error(`pipewright: ${e.message}`);
  process.exit(e.refused ? 2 : 1);
}
