// SPDX-License-Identifier: Apache-2.0
// Figures for docs/api.md, not a test: request latency, the pipelines list
// under concurrent load, the server's memory, and a TFX run followed by 1 and
// by 50 event clients; then a task log of 300,000 lines followed to its end.
//
// node tests/serve/measure_serve.mjs build/bin/pipewright resources/examples resources/components tests/data/serve/gated.pipewright.yaml
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from './browser/serveprocess.mjs';

const [pipewright, examples, components, gated] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'pw-measure-'));
cpSync(examples, join(work, 'examples'), { recursive: true });
cpSync(components, join(work, 'components'), { recursive: true });
cpSync(gated, join(work, 'examples', 'gated.pipewright.yaml'));
const s = await startServe(pipewright, join(work, 'examples'));
const h = { Authorization: 'Bearer ' + s.token };
const rss = () => readFileSync(`/proc/${s.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1] + ' kB';
try {
  let t = performance.now();
  for (let i = 0; i < 1000; ++i)
    await (await fetch(s.base + '/api/v1/backends', { headers: h })).text();
  console.log(`GET /api/v1/backends, 1000 in a row: ${((performance.now() - t) / 1000).toFixed(2)} ms each`);
  t = performance.now();
  await Promise.all(Array.from({ length: 200 }, () => fetch(s.base + '/api/v1/pipelines', { headers: h }).then((r) => r.text())));
  console.log(`GET /api/v1/pipelines, 200 at once (each loads every document): ${(performance.now() - t).toFixed(0)} ms for all`);
  console.log(`server memory (RSS) idle: ${rss()}`);
  for (const clients of [1, 50]) {
    const run = await s.api('/api/v1/runs', { pipeline: 'tfx-training', cache: false });
    t = performance.now();
    const texts = await Promise.all(Array.from({ length: clients },
      () => fetch(`${s.base}/api/v1/runs/${run.id}/events`, { headers: h }).then((r) => r.text())));
    const ok = texts.every((x) => /event: end\ndata: .*"succeeded"/.test(x));
    console.log(`TFX example (no cache) with ${clients} event clients: ${(performance.now() - t).toFixed(0)} ms until every client had the end event (all succeeded: ${ok}); RSS after: ${rss()}`);
  }
  writeFileSync(join(work, 'gate'), 'open');
  const run = await s.api('/api/v1/runs', { pipeline: 'gated', parameters: { gate: join(work, 'gate'), chatter: 300000 } });
  t = performance.now();
  const log = await (await fetch(`${s.base}/api/v1/runs/${run.id}/logs/wait?follow=1`, { headers: h })).text();
  const lines = log.split('\n').filter(Boolean).length;
  console.log(`a followed log of ${lines} lines (${(log.length / 1e6).toFixed(1)} MB): ${(performance.now() - t).toFixed(0)} ms from submit to its end`);
} finally {
  s.stop();
}
