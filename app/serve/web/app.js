// SPDX-License-Identifier: Apache-2.0
// The pages: sign-in, pipelines (with their DAG and a form to start a run),
// the runs list with filters; the run page is in runpage.js. Routes live in
// the address's fragment (#/pipelines, #/runs, #/runs/BACKEND/ID).
'use strict';

const h = pw.h;
const main = document.getElementById('main');
let leavePage = () => {};

pw.onUnauthorized = () => {
  sessionStorage.removeItem(pw.tokenKey);
  showSignIn('The server did not accept the token. Paste the one it printed when it started.');
};

function page(title, ...content) {
  leavePage();
  leavePage = () => {};
  document.title = title + ' – Pipewright';
  pw.say('');
  main.replaceChildren(h('h1', {}, title), ...content);
  const section = (location.hash.split('/')[1] || 'pipelines');
  document.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === section)
      a.setAttribute('aria-current', 'page');
    else
      a.removeAttribute('aria-current');
  });
  document.getElementById('sign-out').hidden = !pw.token();
}

function showError(where, error) {
  where.replaceChildren(h('p', { class: 'error', role: 'alert' }, error.message || String(error)));
}

function showSignIn(message) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, size: 48 });
  const form = h('form', { class: 'card', onsubmit: (e) => {
    e.preventDefault();
    sessionStorage.setItem(pw.tokenKey, input.value.trim());
    location.hash = '#/pipelines';
    route();
  } },
  h('p', {}, message || 'Open the address `pipewright serve` printed (it signs this tab in), or paste its token.'),
  h('label', { for: 'token' }, 'Token'), ' ', input, ' ', h('button', { type: 'submit' }, 'Sign in'));
  page('Sign in', form);
  input.focus();
}

async function pipelinesPage() {
  const list = h('ul', { class: 'pipelines' });
  const detail = h('section', { class: 'detail', 'aria-live': 'polite' });
  page('Pipelines', h('div', { class: 'split' }, h('nav', { 'aria-label': 'Pipelines' }, list), detail));
  const name = decodeURIComponent(location.hash.split('/')[2] || '');
  try {
    const { pipelines } = await pw.get('/api/v1/pipelines');
    if (!pipelines.length)
      list.append(h('li', {}, 'No pipelines: start the server with --pipelines DIR.'));
    for (const p of pipelines) {
      const current = p.name === (name || pipelines[0].name);
      list.append(h('li', {}, h('a', { href: '#/pipelines/' + pw.enc(p.name), 'aria-current': current ? 'page' : null },
        h('strong', {}, p.displayName || p.name), h('br'),
        h('span', { class: 'muted' }, p.error ? 'does not load: ' + p.error
          : p.parameters.map((x) => x.name + ': ' + x.type).join(', ') || 'no parameters'))));
    }
    if (pipelines.length)
      await pipelineDetail(detail, name || pipelines[0].name);
  } catch (e) {
    showError(detail, e);
  }
}

// A form field typed by the parameter; values go to the server as typed and
// are checked there exactly as `pipewright run --param` checks them.
function parameterField(p) {
  const id = 'param-' + p.name;
  const help = p.description ? h('span', { class: 'help', id: id + '-help' }, p.description) : null;
  const hasDefault = p.default !== undefined;
  const text = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
  let input;
  if (p.type === 'Boolean') {
    input = h('select', { id, name: p.name },
      h('option', { value: 'true', selected: p.default === true }, 'true'),
      h('option', { value: 'false', selected: p.default === false }, 'false'));
  } else if (p.type === 'List' || p.type === 'Struct') {
    input = h('textarea', { id, name: p.name, rows: 3, spellcheck: 'false' });
    input.value = hasDefault ? JSON.stringify(p.default, null, 1) : '';
  } else {
    const numeric = p.type === 'Integer' || p.type === 'Float';
    input = h('input', { id, name: p.name, type: numeric ? 'number' : 'text', step: p.type === 'Float' ? 'any' : null });
    input.value = hasDefault ? text(p.default) : '';
  }
  if (help)
    input.setAttribute('aria-describedby', id + '-help');
  if (p.required)
    input.setAttribute('required', '');
  const error = h('span', { class: 'field-error', id: id + '-error', role: 'alert' });
  return h('div', { class: 'field' },
    h('label', { for: id }, p.name, ' ', h('span', { class: 'type' }, p.type), p.required ? h('span', { class: 'req' }, ' required') : ''),
    input, help, error);
}

async function pipelineDetail(where, name) {
  const p = await pw.get('/api/v1/pipelines/' + pw.enc(name));
  const { backends } = await pw.get('/api/v1/backends');
  const nodes = p.dag.tasks.map((t) => ({ id: t.id, label: t.label, sub: t.component, dependsOn: t.dependsOn }));
  const fields = p.parameters.filter((x) => !x.artifact).map(parameterField);
  const backend = h('select', { id: 'run-backend' }, backends.map((b) => h('option', { value: b.name }, b.name + ' (' + b.kind + ')')));
  const runName = h('input', { id: 'run-name', type: 'text', placeholder: 'chosen by the backend' });
  const problem = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'card run-form', 'aria-label': 'Start a run', onsubmit: async (e) => {
    e.preventDefault();
    problem.textContent = '';
    form.querySelectorAll('.field-error').forEach((x) => { x.textContent = ''; });
    const parameters = {};
    for (const x of p.parameters.filter((y) => !y.artifact)) {
      const value = form.elements[x.name].value;
      if (value !== '' || x.required)
        parameters[x.name] = value;
    }
    const body = { pipeline: p.name, parameters, backend: backend.value };
    if (runName.value.trim())
      body.name = runName.value.trim();
    try {
      const run = await pw.post('/api/v1/runs', body);
      pw.say('Run started');
      location.hash = '#/runs/' + pw.enc(run.backend) + '/' + pw.enc(run.id);
    } catch (err) {
      const param = err.field && err.field.startsWith('parameters.') ? err.field.slice(11) : '';
      const slot = param && document.getElementById('param-' + param + '-error');
      if (slot) {
        slot.textContent = err.message;
        document.getElementById('param-' + param).focus();
      } else {
        problem.textContent = err.message;
      }
    }
  } },
  h('h3', {}, 'Start a run'), fields,
  h('div', { class: 'field' }, h('label', { for: 'run-backend' }, 'Backend'), backend),
  h('div', { class: 'field' }, h('label', { for: 'run-name' }, 'Run name'), runName),
  problem, h('button', { type: 'submit' }, 'Start run'));
  where.replaceChildren(
    h('h2', {}, p.displayName || p.name),
    p.description ? h('p', {}, p.description) : '',
    h('p', { class: 'muted' }, p.kind + ' · ', h('a', { href: '#/runs?pipeline=' + pw.enc(p.pipelineName || p.name) }, 'its runs')),
    h('div', { class: 'run-grid' }, h('div', { class: 'dag-box' }, pw.drawDag(nodes, { label: 'Tasks of ' + p.name })), form));
}

async function runsPage() {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  const [{ backends }, { pipelines }] = await Promise.all([pw.get('/api/v1/backends'), pw.get('/api/v1/pipelines')]);
  const select = (id, label, values, current) => h('label', { for: id }, label, ' ',
    h('select', { id, onchange: apply }, h('option', { value: '' }, 'any'),
      values.map((v) => h('option', { value: v, selected: v === current }, v))));
  const states = ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];
  const filters = h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: (e) => e.preventDefault() },
    select('f-backend', 'Backend', backends.map((b) => b.name), query.get('backend')),
    select('f-pipeline', 'Pipeline', [...new Set(pipelines.map((p) => p.pipelineName || p.name))], query.get('pipeline')),
    select('f-state', 'State', states, query.get('state')));
  const table = h('table', { class: 'runs' });
  page('Runs', filters, table);
  function apply() {
    const q = new URLSearchParams();
    for (const [k, id] of [['backend', 'f-backend'], ['pipeline', 'f-pipeline'], ['state', 'f-state']])
      if (document.getElementById(id).value)
        q.set(k, document.getElementById(id).value);
    history.replaceState(null, '', '#/runs' + (q.toString() ? '?' + q : ''));
    refresh();
  }
  async function refresh() {
    const q = new URLSearchParams(location.hash.split('?')[1] || '');
    try {
      const { runs } = await pw.get('/api/v1/runs?' + q);
      table.replaceChildren(h('caption', {}, runs.length + ' runs'),
        h('thead', {}, h('tr', {}, ['Run', 'Pipeline', 'State', 'Created', 'Took', 'Backend'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, runs.map((r) => h('tr', {},
          h('td', {}, h('a', { href: '#/runs/' + pw.enc(r.backend) + '/' + pw.enc(r.id) }, r.name || r.id)),
          h('td', {}, r.pipeline), h('td', {}, h('span', { class: 'badge state-' + r.state }, r.state)),
          h('td', {}, pw.when(r.createdMs)), h('td', {}, pw.took(r.createdMs, r.finishedMs)), h('td', {}, r.backend)))));
    } catch (e) {
      showError(table, e);
    }
  }
  await refresh();
  const timer = setInterval(refresh, 3000);
  leavePage = () => clearInterval(timer);
}

async function route() {
  pw.takeTokenFromAddress(); // also when a #token= link is opened in a tab already on this page
  if (!pw.token())
    return showSignIn();
  const parts = location.hash.replace(/\?.*$/, '').split('/');
  try {
    if (parts[1] === 'runs' && parts.length >= 4)
      leavePage = await pw.runPage(decodeURIComponent(parts[2]), decodeURIComponent(parts[3]), page);
    else if (parts[1] === 'runs')
      await runsPage();
    else
      await pipelinesPage();
  } catch (e) {
    if (!(e instanceof pw.ApiError && e.status === 401))
      showError(main, e);
  }
  main.focus({ preventScroll: true });
}

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(pw.tokenKey);
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', route);
route();
