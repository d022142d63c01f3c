// CPU and memory over the run's life, from the daemon's samples (GET /v2/actord/runs/{id}/samples): two small SVG
// line charts drawn at the panel's real width (redrawn when it changes), each with the run's limit when it is in
// sight.

import {h, replace, s} from '../dom.js';
import {bytes, cores, duration, megabytes, percent} from '../format.js';

const HEIGHT = 128;
const MB = 1024 * 1024;
const PAD = {top: 10, right: 8, bottom: 20, left: 48};

/** A round axis maximum at or above v: 1, 2, 2.5, 5 × 10^n. */
function niceCeil(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function panel(kind, title) {
  const value = h('span', {class: 'chart-value'});
  const detail = h('span', {class: 'chart-detail muted small'});
  const plot = h('div', {class: 'chart-plot'});
  return {
    value, detail, plot,
    el: h('figure', {class: `chart chart-${kind}`, id: `chart-${kind}`},
      h('figcaption', {class: 'chart-head'}, h('span', {class: 'chart-title'}, title), value, detail), plot),
  };
}

/**
 * Draws one series into a panel.
 * @param points [{t: ms since the run started, v}]
 * @param span the time the x axis covers (the run's life so far), ms
 * @param limit the run's limit in the same unit (drawn when within reach of the data), or null
 */
function draw(p, points, {span, limit, label, floor}) {
  const width = Math.max(160, Math.floor(p.plot.clientWidth || 300));
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const dataMax = Math.max(0, ...points.map(q => q.v));
  let top = Math.max(dataMax * 1.2, floor);
  const showLimit = limit && limit <= top * 2.5;
  if (showLimit) top = Math.max(top, limit * 1.08);
  top = niceCeil(top);
  span = Math.max(1000, span, points.length ? points[points.length - 1].t : 0);
  const x = t => PAD.left + (t / span) * innerW;
  const y = v => PAD.top + innerH - (v / top) * innerH;

  const grid = [0, 0.5, 1].map(f => {
    const gy = y(top * f);
    return s('g', {class: 'chart-grid'},
      s('line', {x1: PAD.left, x2: width - PAD.right, y1: gy, y2: gy}),
      s('text', {x: PAD.left - 6, y: gy + 4, 'text-anchor': 'end'}, label(top * f)));
  });
  const xLabels = [
    s('text', {x: PAD.left, y: HEIGHT - 4, 'text-anchor': 'start'}, '0 s'),
    s('text', {x: width - PAD.right, y: HEIGHT - 4, 'text-anchor': 'end'}, duration(span, {coarse: true})),
  ];
  const parts = [...grid, ...xLabels];
  if (points.length > 1) {
    const line = points.map((q, i) => `${i ? 'L' : 'M'}${x(q.t).toFixed(1)},${y(q.v).toFixed(1)}`).join('');
    const area = `${line}L${x(points[points.length - 1].t).toFixed(1)},${y(0)}L${x(points[0].t).toFixed(1)},${y(0)}Z`;
    parts.push(s('path', {class: 'chart-area', d: area}), s('path', {class: 'chart-line', d: line}));
  } else if (points.length === 1) {
    parts.push(s('circle', {class: 'chart-dot', cx: x(points[0].t), cy: y(points[0].v), r: 3}));
  }
  if (showLimit) {
    const ly = y(limit);
    parts.push(s('line', {class: 'chart-limit', x1: PAD.left, x2: width - PAD.right, y1: ly, y2: ly}),
      s('text', {class: 'chart-limit-label', x: width - PAD.right - 4, y: ly - 4, 'text-anchor': 'end'}, 'limit'));
  }
  replace(p.plot, s('svg', {width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
    'aria-label': p.el.querySelector('.chart-title').textContent + ' over time'}, parts));
}

export function usageChart() {
  const cpu = panel('cpu', 'CPU');
  const mem = panel('memory', 'Memory');
  const empty = h('p', {class: 'chart-empty muted', hidden: true});
  const pair = h('div', {class: 'chart-pair'}, cpu.el, mem.el);
  const el = h('div', {class: 'charts'}, empty, pair);
  let last = null;

  function render() {
    if (!last || !last.samples.length) return;
    const {samples, run, size} = last;
    const t0 = new Date(run.startedAt).getTime();
    const span = (run.finishedAt ? new Date(run.finishedAt).getTime() : Date.now()) - t0;
    const at = q => Math.max(0, new Date(q.createdAt).getTime() - t0);
    const cpuLimit = size ? size.cpuCores * 100 : null;
    const memLimit = run.options ? run.options.memoryMbytes * 1024 * 1024 : null;
    const current = samples.length ? samples[samples.length - 1] : null;
    const active = !run.finishedAt;
    cpu.value.textContent = active && current ? percent(current.cpuCurrentUsage) : `max ${percent(run.stats ? run.stats.cpuMaxUsage : 0)}`;
    cpu.detail.textContent = size ? `of ${cores(size.cpuCores)} (${percent(cpuLimit)})` : '';
    mem.value.textContent = active && current ? bytes(current.memCurrentBytes) : `max ${bytes(run.stats ? run.stats.memMaxBytes : 0)}`;
    mem.detail.textContent = memLimit ? `of ${megabytes(run.options.memoryMbytes)}` : '';
    draw(cpu, samples.map(q => ({t: at(q), v: q.cpuCurrentUsage})), {span, limit: cpuLimit, floor: 5,
      label: v => (Number.isInteger(v) ? v : v.toFixed(1)) + '%'});
    // Memory is drawn in MB, so the axis gets round numbers of MB.
    draw(mem, samples.map(q => ({t: at(q), v: q.memCurrentBytes / MB})), {span, limit: memLimit && memLimit / MB,
      label: v => bytes(v * MB), floor: 4});
  }

  const resize = new ResizeObserver(() => render());
  resize.observe(el);

  return {
    el,
    /** Redraws from the run's samples, its Run object and its size ({cpuCores, ...}, may be undefined). */
    update(samples, run, size) {
      last = {samples, run, size};
      empty.hidden = samples.length > 0;
      pair.hidden = samples.length === 0;
      if (!samples.length) {
        empty.textContent = run.finishedAt
          ? 'No samples of this run: the daemon keeps them in memory, and it has restarted since the run.'
          : 'Waiting for the first samples…';
      }
      render();
    },
    stop() {
      resize.disconnect();
    },
  };
}
