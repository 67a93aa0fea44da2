// SPDX-License-Identifier: Apache-2.0
// A pipeline's or a run's DAG as SVG: tasks in rows by depth (a task sits
// below everything it depends on), edges as curves, states as colour and
// as text. Nodes are buttons: Tab reaches them, Enter or Space selects.
'use strict';

pw.drawDag = (nodes, options = {}) => {
  const ns = 'http://www.w3.org/2000/svg';
  const W = 200, H = 50, GX = 20, GY = 34, PAD = 12;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // A task inside a group task ("if-blessed/pusher") comes after the group.
  const deps = (n) => {
    const d = (n.dependsOn || []).map((x) => (byId.has(x) ? x : null)).filter(Boolean);
    const slash = n.id.lastIndexOf('/');
    if (slash > 0 && byId.has(n.id.slice(0, slash)))
      d.push(n.id.slice(0, slash));
    return d;
  };
  const depth = new Map();
  const depthOf = (n, seen = new Set()) => {
    if (depth.has(n.id))
      return depth.get(n.id);
    if (seen.has(n.id))
      return 0;
    seen.add(n.id);
    const d = Math.max(-1, ...deps(n).map((x) => depthOf(byId.get(x), seen))) + 1;
    depth.set(n.id, d);
    return d;
  };
  nodes.forEach((n) => depthOf(n));
  const columns = [];
  for (const n of nodes) {
    const d = depth.get(n.id);
    (columns[d] = columns[d] || []).push(n);
  }
  const pos = new Map();
  // columns[d] is the row of tasks at depth d, centred under the widest row.
  const widest = Math.max(1, ...columns.map((c) => c.length));
  columns.forEach((row, d) => row.forEach((n, i) => pos.set(n.id, {
    x: PAD + ((widest - row.length) * (W + GX)) / 2 + i * (W + GX),
    y: PAD + d * (H + GY),
  })));
  const width = PAD * 2 + widest * (W + GX) - GX;
  const height = PAD * 2 + Math.max(1, columns.length) * (H + GY) - GY;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('class', 'dag');
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', options.label || 'Pipeline graph');
  const el = (tag, attrs, parent) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs))
      e.setAttribute(k, v);
    (parent || svg).append(e);
    return e;
  };
  for (const n of nodes)
    for (const d of deps(n)) {
      const a = pos.get(d), b = pos.get(n.id);
      const x1 = a.x + W / 2, y1 = a.y + H, x2 = b.x + W / 2, y2 = b.y;
      el('path', { d: `M${x1},${y1} C${x1},${y1 + GY / 2} ${x2},${y2 - GY / 2} ${x2},${y2}`, class: 'edge' });
    }
  // In reading order (row by row), so Tab moves through the graph as it is drawn.
  for (const n of columns.flat()) {
    const p = pos.get(n.id);
    const state = n.state || '';
    const g = el('g', {
      class: 'node' + (state ? ' state-' + state : '') + (options.selected === n.id ? ' selected' : ''),
      transform: `translate(${p.x},${p.y})`,
      'data-task-id': n.id,
      'data-state': state,
    });
    if (options.onSelect) {
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'button');
      g.setAttribute('aria-pressed', options.selected === n.id ? 'true' : 'false');
      g.setAttribute('aria-label', `${n.label}${state ? ', ' + state : ''}`);
      g.addEventListener('click', () => options.onSelect(n.id));
      g.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          options.onSelect(n.id);
        }
      });
    }
    el('rect', { width: W, height: H, rx: 7 }, g);
    const title = el('text', { x: 12, y: 20, class: 'label' }, g);
    title.textContent = n.label.length > 26 ? n.label.slice(0, 25) + '…' : n.label;
    const sub = el('text', { x: 12, y: 38, class: 'sub' }, g);
    sub.textContent = state || n.sub || '';
    const tip = el('title', {}, g);
    tip.textContent = n.id + (n.sub ? ' (' + n.sub + ')' : '');
  }
  return svg;
};
