// SPDX-License-Identifier: Apache-2.0
// One run, live: the DAG with task states from the run's event stream, a
// timeline, and the selected task's log (followed), metrics, visualizations
// (the run report's own HTML, in a sandboxed frame) and artifacts; cancel,
// retry and re-run.
'use strict';

pw.runPage = async (backend, id, page) => {
  const h = pw.h;
  const q = '?backend=' + pw.enc(backend);
  const base = '/api/v1/runs/' + pw.enc(id);
  const stop = new AbortController();
  let run = await pw.get(base + q);
  const caps = ((await pw.get('/api/v1/backends')).backends.find((b) => b.name === backend) || {}).capabilities || [];
  // #/runs/BACKEND/ID?task=TASK opens with that task selected.
  let selected = new URLSearchParams(location.hash.split('?')[1] || '').get('task') || '';
  let logStop = null;

  const state = h('span', { class: 'badge', id: 'run-state' });
  const facts = h('p', { class: 'muted' });
  const actions = h('div', { class: 'actions' });
  const dagBox = h('div', { class: 'dag-box', id: 'run-dag' });
  const timeline = h('div', { class: 'timeline', role: 'list', 'aria-label': 'Timeline' });
  const taskBox = h('section', { class: 'task card', 'aria-label': 'Selected task' });
  page(run.name || id, h('p', {}, state, ' ', facts), actions,
    h('div', { class: 'run-grid' }, dagBox, taskBox), h('h2', {}, 'Timeline'), timeline);
  const leave = () => {
    stop.abort();
    if (logStop)
      logStop.abort();
  };

  const act = (label, path, after) => h('button', { type: 'button', onclick: async (e) => {
    e.target.disabled = true;
    try {
      const r = await pw.post(base + '/' + path + q, {});
      pw.say(label + ': ' + (r.state || 'done'));
      if (after)
        after(r);
    } catch (err) {
      pw.say(label + ' failed: ' + err.message);
    }
    e.target.disabled = false;
  } }, label);

  const ended = () => ['succeeded', 'failed', 'cancelled', 'interrupted', 'skipped'].includes(run.state);

  function renderHead() {
    state.textContent = run.state;
    state.className = 'badge state-' + run.state;
    facts.textContent = `${run.pipeline} · ${backend} · started ${pw.when(run.createdMs)} · took ${pw.took(run.createdMs, run.finishedMs)}` +
      (run.message ? ' · ' + run.message : '');
    const buttons = [];
    if (!ended() && caps.includes('cancel'))
      buttons.push(act('Cancel', 'cancel'));
    if (ended() && run.state !== 'succeeded' && caps.includes('retry'))
      buttons.push(act('Retry', 'retry', () => follow()));
    if (ended() && (caps.includes('clone') || caps.includes('resubmit')))
      buttons.push(act('Re-run', 'rerun', (r) => { location.hash = '#/runs/' + pw.enc(r.backend) + '/' + pw.enc(r.id); }));
    actions.replaceChildren(...buttons);
  }

  function renderDag() {
    const nodes = run.tasks.map((t) => ({ id: t.id, label: t.displayName || t.name || t.id, dependsOn: t.dependsOn, state: t.state }));
    // Live updates redraw the graph; a keyboard user keeps their place in it.
    const focused = dagBox.contains(document.activeElement) ? document.activeElement.dataset.taskId : '';
    dagBox.replaceChildren(pw.drawDag(nodes, { label: 'Tasks of run ' + (run.name || id), selected, onSelect: select }));
    if (focused)
      dagBox.querySelector(`[data-task-id="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }

  function renderTimeline() {
    const from = run.createdMs || Math.min(...run.tasks.map((t) => t.startedMs || Infinity));
    const to = Math.max(run.finishedMs || Date.now(), ...run.tasks.map((t) => t.finishedMs || 0));
    const span = Math.max(1, to - from);
    const rows = run.tasks.filter((t) => t.startedMs).sort((a, b) => a.startedMs - b.startedMs).map((t) => {
      const left = ((t.startedMs - from) / span) * 100;
      const width = Math.max(0.5, (((t.finishedMs || Date.now()) - t.startedMs) / span) * 100);
      return h('div', { class: 'row', role: 'listitem' },
        h('span', { class: 'name' }, t.id),
        h('span', { class: 'track' }, h('span', { class: 'bar state-' + t.state, style: `left:${left}%;width:${width}%` })),
        h('span', { class: 'took' }, pw.took(t.startedMs, t.finishedMs)));
    });
    timeline.replaceChildren(...(rows.length ? rows : [h('p', { class: 'muted' }, 'No task has started yet.')]));
  }

  function renderTask() {
    const t = run.tasks.find((x) => x.id === selected);
    if (!t) {
      taskBox.replaceChildren(h('p', { class: 'muted' }, 'Select a task in the graph (Tab to it, Enter) to see its log, metrics and outputs.'));
      return;
    }
    const log = h('pre', { class: 'log', id: 'task-log', tabindex: '0', 'aria-label': 'Log of ' + t.id });
    const metrics = run.metrics.filter((m) => m.task === t.id);
    const artifacts = run.artifacts.filter((a) => a.task === t.id);
    // One frame per artifact: the server renders all the visualizations it holds.
    const vis = artifacts.filter((a, i) => a.visualization && artifacts.findIndex((x) => x.name === a.name && x.visualization) === i);
    const files = artifacts.filter((a) => !a.visualization);
    const visBox = h('div', { class: 'visualizations' });
    taskBox.replaceChildren(
      h('h2', {}, t.displayName || t.id, ' ', h('span', { class: 'badge state-' + t.state }, t.state)),
      t.message && t.state !== 'succeeded' ? h('p', { class: 'error' }, t.message) : '',
      metrics.length ? h('table', { class: 'metrics' }, h('caption', {}, 'Metrics'),
        h('tbody', {}, metrics.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.name),
          h('td', {}, m.format === 'PERCENTAGE' ? (m.value * 100).toFixed(1) + ' %' : String(m.value)))))) : '',
      vis.length ? h('h3', {}, 'Visualizations') : '', visBox,
      files.length ? h('h3', {}, 'Artifacts') : '',
      files.length ? h('ul', {}, files.map((a) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => download(a) }, a.name),
        ' ', h('span', { class: 'muted' }, a.type || '')))) : '',
      h('h3', {}, 'Log'), log);
    for (const a of vis)
      showVisualization(visBox, a);
    followLog(t, log);
  }

  async function showVisualization(box, a) {
    const frame = h('iframe', { sandbox: '', title: a.name + ' of ' + a.task, class: 'vis', 'data-artifact': a.name });
    frame.addEventListener('load', () => { frame.dataset.loaded = frame.srcdoc ? 'yes' : ''; });
    box.append(frame);
    try {
      const reply = await pw.fetch(base + '/artifacts/' + pw.enc(a.task) + '/' + pw.enc(a.name) + q);
      frame.srcdoc = await reply.text();
    } catch (e) {
      frame.replaceWith(h('p', { class: 'error' }, e.message));
    }
  }

  async function download(a) {
    try {
      const reply = await pw.fetch(base + '/artifacts/' + pw.enc(a.task) + '/' + pw.enc(a.name) + q);
      const url = URL.createObjectURL(await reply.blob());
      const link = h('a', { href: url, download: a.name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      pw.say('Download failed: ' + e.message);
    }
  }

  function followLog(t, pre) {
    if (logStop)
      logStop.abort();
    logStop = new AbortController();
    const live = !ended() && t.state !== 'succeeded' && t.state !== 'failed';
    const path = base + '/logs/' + pw.enc(t.id) + q + (live ? '&follow=1' : '');
    pw.textStream(path, (text) => {
      const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      pre.append(text);
      if (atEnd)
        pre.scrollTop = pre.scrollHeight;
    }, logStop.signal).catch((e) => { if (e.name !== 'AbortError') pre.append('\n[' + e.message + ']'); });
  }

  function select(taskId) {
    selected = taskId;
    renderDag();
    renderTask();
    const node = dagBox.querySelector(`[data-task-id="${CSS.escape(taskId)}"]`);
    if (node)
      node.focus();
  }

  let pending = false;
  const render = (taskChanged) => {
    if (pending)
      return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      renderHead();
      renderDag();
      renderTimeline();
      if (taskChanged)
        renderTask();
    });
  };

  // Applies one event to the picture of the run (as core's apply() does).
  function apply(kind, e) {
    if (kind === 'snapshot' && e.run)
      run = e.run;
    else if (kind === 'task') {
      const i = run.tasks.findIndex((t) => t.id === e.task.id);
      if (i >= 0)
        run.tasks[i] = e.task;
      else
        run.tasks.push(e.task);
      if (e.task.id === selected && ['succeeded', 'failed', 'cancelled', 'skipped', 'cached'].includes(e.task.state))
        return render(true);
    } else if (kind === 'outputs') {
      run.artifacts = run.artifacts.filter((a) => a.task !== e.taskId).concat(e.artifacts || []);
      run.metrics = run.metrics.filter((m) => m.task !== e.taskId).concat(e.metrics || []);
      return render(e.taskId === selected);
    } else if (kind === 'run' || kind === 'end') {
      run.state = e.state || run.state;
      if (e.message)
        run.message = e.message;
      if (kind === 'end') {
        run.finishedMs = e.finishedMs || Date.now();
        pw.say('Run ' + run.state);
      }
    }
    render(false);
  }

  async function follow() {
    try {
      await pw.events(base + '/events' + q, apply, stop.signal);
      // The stream ended with the run: take the final record (outputs, times).
      run = await pw.get(base + q);
      render(true);
    } catch (e) {
      if (e.name !== 'AbortError')
        pw.say('Lost the run\'s events: ' + e.message);
    }
  }

  renderHead();
  renderDag();
  renderTimeline();
  renderTask();
  const ticker = setInterval(() => { if (!ended()) renderTimeline(); }, 1000);
  follow();
  return () => { leave(); clearInterval(ticker); };
};
