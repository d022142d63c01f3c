// A run: status, timings, resources, exit code and status message; Abort / Abort gracefully / Resurrect as its
// status allows; the CPU and memory chart; the live log; its key-value store and dataset. Refreshed every second
// while it is active and every 5 s after (someone else may resurrect it).

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {actorName, actorsById} from '../actors.js';
import {bytes, cores, dateTime, duration, isTerminal, megabytes, timeout as timeoutText} from '../format.js';
import {poll} from '../poll.js';
import {logView} from '../parts/log-view.js';
import {usageChart} from '../parts/usage-chart.js';
import {datasetPanel, keyValuePanel} from '../parts/storages.js';
import {runSizes} from '../parts/start-form.js';
import {runDuration} from './runs.js';
import {errorBox, loading, mono, pageHeader, statusBadge, timeAgo} from '../ui.js';

const ACTIVE_REFRESH_MS = 1000;
const IDLE_REFRESH_MS = 5000;

/** Which actions a status allows (the daemon's state machine decides; this only avoids asking in vain). */
export function allowedActions(status) {
  return {
    abort: ['READY', 'RUNNING', 'TIMING-OUT'].includes(status),
    abortGracefully: ['RUNNING', 'TIMING-OUT'].includes(status),
    resurrect: isTerminal(status),
  };
}

export function renderRun(el, runId) {
  const path = 'v2/actor-runs/' + encodeURIComponent(runId);
  let alive = true;
  let run = null;
  let sizes = [];
  let actors = null;
  let busy = false;
  let poller = null;
  let log = null;
  let chart = null;
  let kv = null;
  let dataset = null;
  let lastStatus = null;

  replace(el, loading());

  const header = h('div');
  const actionError = h('div', {class: 'action-error', id: 'run-action-error', 'aria-live': 'polite'});
  const refreshError = h('div', {id: 'run-refresh-error'});
  const facts = h('div', {class: 'card', id: 'run-facts'});
  const buttons = {
    abort: h('button', {class: 'btn btn-danger', type: 'button', id: 'run-abort', onclick: () => act('abort')}, 'Abort'),
    abortGracefully: h('button', {class: 'btn', type: 'button', id: 'run-abort-gracefully',
      onclick: () => act('abort', {gracefully: 1})}, 'Abort gracefully'),
    resurrect: h('button', {class: 'btn btn-primary', type: 'button', id: 'run-resurrect', onclick: () => act('resurrect')},
      'Resurrect'),
  };

  async function act(action, query) {
    busy = true;
    Object.values(buttons).forEach(b => {
      b.disabled = true;
    });
    replace(actionError);
    try {
      run = await api(`${path}/${action}`, {method: 'POST', query});
      render();
    } catch (e) {
      replace(actionError, errorBox(e, {compact: true, actions: h('button', {class: 'btn btn-small btn-ghost', type: 'button',
        onclick: () => replace(actionError)}, 'Dismiss')}));
    } finally {
      busy = false;
      render();
      if (poller) poller.now();
    }
  }

  function size() {
    return run && run.options ? sizes.find(x => x.memoryMbytes === run.options.memoryMbytes) : undefined;
  }

  function render() {
    if (!run) return;
    const allowed = allowedActions(run.status);
    for (const [key, button] of Object.entries(buttons)) button.disabled = busy || !allowed[key];
    replace(header, pageHeader({
      crumbs: [h('a', {href: '#/runs', class: 'link'}, 'Runs'), h('span', {class: 'crumb-sep'}, '/'),
        h('a', {href: '#/actors/' + encodeURIComponent(run.actId), class: 'link'}, actorName(actors, run.actId))],
      title: [statusBadge(run.status, {large: true}), h('span', {class: 'title-id'}, 'Run ', mono(run.id))],
      subtitle: run.statusMessage ? h('span', {class: 'status-message', id: 'run-status-message'}, run.statusMessage) : null,
      actions: [buttons.abortGracefully, buttons.abort, buttons.resurrect],
    }));
    const sz = size();
    const o = run.options || {};
    replace(facts, h('dl', {class: 'facts'},
      fact('Started', [timeAgo(run.startedAt), h('div', {class: 'muted small'}, dateTime(run.startedAt))]),
      fact('Finished', run.finishedAt ? [timeAgo(run.finishedAt), h('div', {class: 'muted small'}, dateTime(run.finishedAt))]
        : h('span', {class: 'muted'}, 'Not yet')),
      fact('Duration', duration(runDuration(run)), 'run-duration'),
      fact('Exit code', run.exitCode === null || run.exitCode === undefined ? h('span', {class: 'muted'}, '—')
        : h('span', {class: run.exitCode === 0 ? 'exit-ok' : 'exit-bad'}, String(run.exitCode)), 'run-exit-code'),
      fact('Memory', [megabytes(o.memoryMbytes), h('div', {class: 'muted small'},
        (sz ? cores(sz.cpuCores) + ' CPU · ' : '') + megabytes(o.diskMbytes || 2 * o.memoryMbytes) + ' disk')]),
      fact('Timeout', timeoutText(o.timeoutSecs)),
      fact('Network', [o.network || 'isolated', o.network === 'egress' && run.stats ? h('div', {class: 'muted small'},
        `${bytes(run.stats.netRxBytes || 0)} in · ${bytes(run.stats.netTxBytes || 0)} out`) : null], 'run-network'),
      fact('Build', [run.buildNumber || '—', o.build && o.build !== run.buildNumber ? h('div', {class: 'muted small'}, 'asked for ' + o.build) : null]),
      fact('Origin', [(run.meta && run.meta.origin) || '—',
        run.stats && run.stats.resurrectCount ? h('div', {class: 'muted small'}, `resurrected ${run.stats.resurrectCount}×`) : null]),
      run.containerUrl ? fact('Container URL', [
        h('a', {class: 'link break', href: run.containerUrl, target: '_blank', rel: 'noopener noreferrer', id: 'run-container-url'},
          run.containerUrl),
        isTerminal(run.status) ? h('div', {class: 'muted small'}, 'Answers while the run is active.') : null], null, 'fact-wide') : null));
  }

  async function refresh() {
    let next;
    try {
      next = await api(path);
    } catch (e) {
      replace(refreshError, errorBox(e, {compact: true}));
      return;
    }
    if (!alive) return;
    replace(refreshError);
    run = next;
    actors = await actorsById([run.actId]);
    if (!busy) render();
    log.status(run.status);
    const samples = await api(`v2/actord/runs/${encodeURIComponent(runId)}/samples`).catch(() => ({items: []}));
    if (!alive) return;
    chart.update(samples.items, run, size());
    if (lastStatus !== null && lastStatus !== run.status) {
      kv.refresh();
      dataset.refresh();
    }
    lastStatus = run.status;
  }

  Promise.all([api(path), runSizes().catch(() => [])]).then(async ([first, runSizesList]) => {
    if (!alive) return;
    run = first;
    sizes = runSizesList;
    actors = await actorsById([run.actId]);
    log = logView(runId);
    chart = usageChart();
    kv = keyValuePanel(run.defaultKeyValueStoreId);
    dataset = datasetPanel(run.defaultDatasetId);
    replace(el, header, actionError, refreshError, facts,
      h('section', {class: 'card'}, h('h2', {class: 'card-title'}, 'CPU and memory'), chart.el),
      tabs([
        {id: 'log', label: 'Log', el: log.el},
        {id: 'storage', label: 'Key-value store', el: kv.el},
        {id: 'dataset', label: 'Dataset', el: dataset.el},
      ]));
    render();
    poller = poll(refresh, () => (run && isTerminal(run.status) ? IDLE_REFRESH_MS : ACTIVE_REFRESH_MS));
  }, (e) => {
    if (!alive) return;
    replace(el,
      pageHeader({crumbs: [h('a', {href: '#/runs', class: 'link'}, 'Runs'), h('span', {class: 'crumb-sep'}, '/')],
        title: ['Run ', mono(runId)]}),
      errorBox(e, {actions: h('a', {class: 'btn', href: '#/runs'}, 'Back to runs')}));
  });

  return () => {
    alive = false;
    if (poller) poller.stop();
    if (log) log.stop();
    if (chart) chart.stop();
  };
}

function fact(label, value, id, cls) {
  return h('div', {class: cls || null}, h('dt', label), h('dd', {id: id || null}, value));
}

/** Tabs over panels (all made once; switching only shows another). */
function tabs(list) {
  const bar = h('div', {class: 'tabs', role: 'tablist'});
  const panels = h('div', {class: 'tab-panels'});
  const select = (id) => {
    for (const t of list) {
      t.button.setAttribute('aria-selected', String(t.id === id));
      t.button.tabIndex = t.id === id ? 0 : -1;
      t.panel.hidden = t.id !== id;
    }
  };
  for (const t of list) {
    t.button = h('button', {class: 'tab', type: 'button', role: 'tab', id: 'tab-' + t.id, 'aria-controls': 'panel-' + t.id,
      onclick: () => select(t.id)}, t.label);
    t.panel = h('div', {class: 'tab-panel', role: 'tabpanel', id: 'panel-' + t.id, 'aria-labelledby': 'tab-' + t.id}, t.el);
    bar.append(t.button);
    panels.append(t.panel);
  }
  select(list[0].id);
  return h('section', {class: 'card card-tabs'}, bar, panels);
}
