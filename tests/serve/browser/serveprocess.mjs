// SPDX-License-Identifier: Apache-2.0
// A real `pipewright serve` for the browser and Node tests: its own data and
// configuration folders, a free loopback port, the token it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startServe(binary, pipelinesDir) {
  const home = mkdtempSync(join(tmpdir(), 'pw-serve-'));
  const env = Object.assign({}, process.env, {
    PIPEWRIGHT_CONFIG_DIR: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
  });
  const proc = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--pipelines', pipelinesDir],
    { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const { base, token } = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/open (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)\n/);
      if (m)
        resolve({ base: m[1], token: m[2] });
    });
    proc.on('exit', (code) => reject(new Error(`pipewright serve exited (${code}): ${out}`)));
  });
  const api = async (path, body) => {
    const r = await fetch(base + path, {
      method: body ? 'POST' : 'GET',
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await r.json();
    if (!r.ok)
      throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
  // Waits for the run's end event on its event stream; returns the final state.
  const waitForEnd = async (id) => {
    const r = await fetch(`${base}/api/v1/runs/${id}/events`, { headers: { Authorization: 'Bearer ' + token } });
    const text = await r.text(); // the stream ends with the run
    const m = text.match(/event: end\ndata: (.*)\n/);
    return m ? JSON.parse(m[1]).state : 'no end event';
  };
  return { base, token, api, waitForEnd, home, pid: proc.pid, stop: () => proc.kill('SIGTERM') };
}
