// SPDX-License-Identifier: Apache-2.0
// The web view in a real Chromium: the run page of a run that is going shows
// its task states change live (from the event stream, without a reload), and
// the followed log grows. The run waits for a gate file this script creates
// only after the page showed the task running, so nothing depends on timing.
// With a screenshot folder it also keeps pictures of the pipelines page, a
// run page and a visualization (docs/screenshots).
//
// node --experimental-websocket run_page_live.mjs PIPEWRIGHT CHROMIUM GATED_DOC EXAMPLES COMPONENTS [SHOTS]
// (or PW_SERVE_SCREENSHOTS=docs/screenshots ctest -R serve.browser)
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, waitInPage } from './cdp.mjs';
import { startServe } from './serveprocess.mjs';

const [pipewright, chromium, gatedDoc, examples, components, shotsArg] = process.argv.slice(2);
const shots = shotsArg || process.env.PW_SERVE_SCREENSHOTS;
const work = mkdtempSync(join(tmpdir(), 'pw-browser-'));
const pipelines = join(work, 'pipelines', 'examples');
cpSync(examples, pipelines, { recursive: true });
cpSync(components, join(work, 'pipelines', 'components'), { recursive: true });
cpSync(gatedDoc, join(pipelines, 'gated.pipewright.yaml'));
const gate = join(work, 'gate');

const fail = (message) => {
  console.error('FAIL: ' + message);
  process.exitCode = 1;
};

const server = await startServe(pipewright, pipelines);
let browser;
try {
  const run = await server.api('/api/v1/runs', { pipeline: 'gated', parameters: { gate, greeting: 'hi' }, name: 'browser-live' });
  browser = await launchChromium(chromium, `${server.base}/#token=${server.token}&/runs/local/${run.id}?task=wait`);
  // A mark on this document: if the page reloaded to show new states, it is gone.
  await waitInPage(browser, `document.querySelector('[data-task-id="wait"]')`);
  await browser.evaluate('window.pwSameDocument = true');
  await waitInPage(browser, `document.querySelector('[data-task-id="wait"]').dataset.state === 'running'`);
  await waitInPage(browser, `document.getElementById('task-log').textContent.includes('waiting for gate')`);
  const before = await browser.evaluate(`({
    report: document.querySelector('[data-task-id="report"]').dataset.state,
    run: document.getElementById('run-state').textContent,
    token: document.body.innerHTML.includes(${JSON.stringify(server.token)}),
    address: location.href.includes(${JSON.stringify(server.token)}),
  })`);
  if (before.report === 'succeeded' || before.run === 'succeeded')
    fail('the run ended before the gate opened: ' + JSON.stringify(before));
  if (before.token || before.address)
    fail('the token shows in the page or its address: ' + JSON.stringify(before) + (await browser.evaluate('location.href')));
  writeFileSync(gate, 'open');
  await waitInPage(browser, `document.querySelector('[data-task-id="report"]').dataset.state === 'succeeded'`);
  await waitInPage(browser, `document.getElementById('run-state').textContent === 'succeeded'`);
  await waitInPage(browser, `document.getElementById('task-log').textContent.includes('gate open')`);
  if (!(await browser.evaluate('window.pwSameDocument === true')))
    fail('the page was reloaded; states must arrive live');
  const stored = await browser.evaluate(`sessionStorage.getItem('pipewright-token') === ${JSON.stringify(server.token)}`);
  if (!stored)
    fail('the token is not kept in the tab');
  console.log('live states seen: wait running -> report succeeded, log followed');

  // Keyboard: Tab from the selected task reaches the one after it; Enter selects it.
  const key = async (k, code) => {
    for (const type of ['keyDown', 'keyUp'])
      await browser.send('Input.dispatchKeyEvent', { type, key: k, code, windowsVirtualKeyCode: k === 'Tab' ? 9 : 13 });
  };
  await browser.evaluate(`document.querySelector('[data-task-id="wait"]').focus()`);
  await key('Tab', 'Tab');
  const focused = await browser.evaluate(`document.activeElement?.dataset?.taskId || ''`);
  if (focused !== 'report')
    fail('Tab from the wait task should reach the report task, reached: ' + focused);
  await key('Enter', 'Enter');
  await waitInPage(browser, `/report/i.test(document.querySelector('.task h2')?.textContent)`);
  await waitInPage(browser, `document.getElementById('task-log').textContent.includes('hi done')`);
  console.log('keyboard: Tab reached the next task, Enter showed its log');

  if (shots) {
    mkdirSync(shots, { recursive: true });
    const tfx = await server.api('/api/v1/runs', { pipeline: 'tfx-training', name: 'nightly-credit-default' });
    const end = await server.waitForEnd(tfx.id);
    if (end !== 'succeeded')
      fail('the TFX example ended ' + end);
    const shoot = async (file) => {
      const { data } = await browser.send('Page.captureScreenshot', { format: 'png' });
      writeFileSync(join(shots, file), Buffer.from(data, 'base64'));
      console.log('wrote ' + join(shots, file));
    };
    const open = async (hash, ready) => {
      await browser.evaluate(`location.hash = ${JSON.stringify(hash)}`);
      await waitInPage(browser, ready);
    };
    await open('#/pipelines/tfx-training', `document.querySelector('.run-form [name=epochs]')`);
    await shoot('serve-pipelines.png');
    await open(`#/runs/local/${tfx.id}?task=trainer`, `document.getElementById('run-state')?.textContent === 'succeeded' && document.getElementById('task-log')?.textContent.includes('epoch')`);
    await shoot('serve-run.png');
    await open(`#/runs/local/${tfx.id}?task=evaluator`, `document.querySelector('iframe.vis[data-artifact="mlpipeline_ui_metadata"]')?.dataset.loaded === 'yes'`);
    await browser.evaluate(`document.querySelector('iframe.vis[data-artifact="mlpipeline_ui_metadata"]').style.height = '620px'`);
    await browser.evaluate(`document.querySelector('iframe.vis[data-artifact="mlpipeline_ui_metadata"]').scrollIntoView()`);
    await browser.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    await shoot('serve-visualization.png');
  }
} catch (e) {
  fail(e.message);
} finally {
  if (browser)
    await browser.close();
  server.stop();
}
if (!existsSync(gate) && !process.exitCode)
  fail('the gate was never opened');
