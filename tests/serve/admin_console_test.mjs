// SPDX-License-Identifier: Apache-2.0
// Runs examples/admin-console/start-run.mjs against a real `pipewright serve`:
// a run with the user's parameters to success, and a bad value refused with
// the parameter named.
//
// node admin_console_test.mjs PIPEWRIGHT EXAMPLE EXAMPLES COMPONENTS
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from './browser/serveprocess.mjs';

const [pipewright, example, examples, components] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'pw-admin-'));
cpSync(examples, join(work, 'examples'), { recursive: true });
cpSync(components, join(work, 'components'), { recursive: true });
const server = await startServe(pipewright, join(work, 'examples'));

const runExample = (...args) => new Promise((resolve) => {
  execFile(process.execPath, [example, ...args], {
    env: { ...process.env, PIPEWRIGHT_URL: server.base, PIPEWRIGHT_TOKEN: server.token },
  }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
});

let failed = false;
const check = (ok, message, detail) => {
  if (!ok) {
    failed = true;
    console.error(`FAIL: ${message}\n${detail || ''}`);
  }
};
try {
  const good = await runExample('tfx-training', 'epochs=20', 'learning_rate=0.5');
  check(good.code === 0, 'the run should succeed', good.stdout + good.stderr);
  check(/trainer: succeeded/.test(good.stdout), 'the task events should be printed', good.stdout);
  check(/metric evaluator\.auc = /.test(good.stdout), 'the metrics should be printed', good.stdout);
  const id = /started run (\S+)/.exec(good.stdout)?.[1];
  const run = await server.api(`/api/v1/runs/${id}`);
  check(run.parameters.epochs === 20 && run.parameters.learning_rate === 0.5,
    'the run should have the typed parameters', JSON.stringify(run.parameters));

  const bad = await runExample('tfx-training', 'epochs=lots');
  check(bad.code === 2, 'a bad value should be refused', bad.stdout + bad.stderr);
  check(/parameters\.epochs/.test(bad.stderr), 'the refusal should name the parameter', bad.stderr);

  const wrongToken = await new Promise((resolve) => execFile(process.execPath, [example, 'tfx-training'], {
    env: { ...process.env, PIPEWRIGHT_URL: server.base, PIPEWRIGHT_TOKEN: 'wrong' },
  }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stderr })));
  check(wrongToken.code === 2 && /401 unauthorized/.test(wrongToken.stderr), 'a wrong token should be refused', wrongToken.stderr);
} finally {
  server.stop();
}
if (!failed)
  console.log('admin console example: run succeeded, bad value and wrong token refused');
process.exit(failed ? 1 : 0);
