// The runs list: live statuses (refreshed every 2 s), filters by status and actor kept in the URL, paging.

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {actorName, actorsById} from '../actors.js';
import {ACTIVE_STATUSES, STATUSES, duration, isTerminal, megabytes, statusLabel} from '../format.js';
import {poll} from '../poll.js';
import {emptyState, errorBox, loading, mono, pageHeader, pager, statusBadge, timeAgo} from '../ui.js';

const LIMIT = 20;
const REFRESH_MS = 2000;

/** How long a run has taken: its stats when it has them, else counted from its start. */
export function runDuration(run, now = Date.now()) {
  if (run.stats && run.stats.durationMillis > 0 && isTerminal(run.status)) return run.stats.durationMillis;
  const end = run.finishedAt ? new Date(run.finishedAt).getTime() : now;
  return Math.max(0, end - new Date(run.startedAt).getTime());
}

export function renderRuns(el, query) {
  const state = {
    status: query.get('status') || '',
    actor: query.get('actor') || '',
    offset: Math.max(0, Number(query.get('offset')) || 0),
  };
  const statusSelect = h('select', {class: 'select', id: 'filter-status', 'aria-label': 'Status', onchange: () => {
    state.status = statusSelect.value;
    state.offset = 0;
    changed();
  }},
  h('option', {value: ''}, 'All statuses'),
  h('option', {value: ACTIVE_STATUSES.join(',')}, 'Active (not finished)'),
  STATUSES.map(s => h('option', {value: s}, statusLabel(s))));
  statusSelect.value = state.status;
  const actorSelect = h('select', {class: 'select', id: 'filter-actor', 'aria-label': 'Actor', onchange: () => {
    state.actor = actorSelect.value;
    state.offset = 0;
    changed();
  }}, h('option', {value: ''}, 'All actors'));
  const live = h('span', {class: 'live', title: 'This list refreshes by itself'}, h('span', {class: 'live-dot'}), 'Live');
  const body = h('div', {class: 'card card-flush'}, loading());

  replace(el,
    pageHeader({title: 'Runs', subtitle: 'Every run of your actors, newest first.'}),
    h('div', {class: 'toolbar'},
      h('div', {class: 'filters'}, statusSelect, actorSelect),
      live),
    body);

  function changed() {
    const q = new URLSearchParams();
    if (state.status) q.set('status', state.status);
    if (state.actor) q.set('actor', state.actor);
    if (state.offset) q.set('offset', state.offset);
    const search = q.toString();
    history.replaceState(null, '', '#/runs' + (search ? '?' + search : ''));
    replace(body, loading());
    poller.now();
  }

  let actorOptionsFor = null;
  function fillActorSelect(actors) {
    const key = [...actors.keys()].join(',');
    if (key === actorOptionsFor) return;
    actorOptionsFor = key;
    const sorted = [...actors.values()].sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name));
    replace(actorSelect, h('option', {value: ''}, 'All actors'),
      sorted.map(a => h('option', {value: a.id}, a.title || a.name)));
    actorSelect.value = state.actor;
  }

  async function refresh() {
    const path = state.actor ? `v2/acts/${encodeURIComponent(state.actor)}/runs` : 'v2/actor-runs';
    let page;
    try {
      page = await api(path, {query: {desc: 1, limit: LIMIT, offset: state.offset, status: state.status}});
    } catch (e) {
      replace(body, h('div', {class: 'card-pad'}, errorBox(e)));
      live.classList.add('live-off');
      return;
    }
    live.classList.remove('live-off');
    const actors = await actorsById(page.items.map(r => r.actId));
    fillActorSelect(actors);
    if (page.items.length === 0) {
      replace(body, state.status || state.actor
        ? emptyState('No runs match these filters.', 'Choose another status or actor.')
        : emptyState('No runs yet.', 'Start one from an actor\'s page.'));
      return;
    }
    replace(body,
      runsTable(page.items, actors),
      pager({offset: state.offset, limit: LIMIT, total: page.total, count: page.items.length}, (offset) => {
        state.offset = offset;
        changed();
      }));
  }

  const poller = poll(refresh, REFRESH_MS);
  return () => poller.stop();
}

/** A table of runs; rows open the run. */
export function runsTable(runs, actors, {showActor = true} = {}) {
  const now = Date.now();
  return h('table', {class: 'table table-runs'},
    h('thead', h('tr',
      h('th', 'Status'), showActor ? h('th', 'Actor') : null, h('th', 'Run'), h('th', 'Started'),
      h('th', {class: 'num'}, 'Duration'), h('th', {class: 'num hide-narrow'}, 'Memory'),
      h('th', {class: 'hide-narrow'}, 'Build'))),
    h('tbody', runs.map(run => {
      const href = '#/runs/' + encodeURIComponent(run.id);
      return h('tr', {class: 'row-link', dataset: {runId: run.id}, onclick: (e) => {
        if (!e.target.closest('a')) location.hash = href;
      }},
      h('td', {class: 'cell-status'}, statusBadge(run.status)),
      showActor ? h('td', {class: 'cell-actor'}, h('span', {class: 'strong'}, actorName(actors, run.actId))) : null,
      h('td', {class: 'cell-id'}, h('a', {href, class: 'link'}, mono(run.id))),
      h('td', {class: 'cell-started'}, timeAgo(run.startedAt)),
      h('td', {class: 'num cell-duration'}, duration(runDuration(run, now))),
      h('td', {class: 'num hide-narrow'}, run.options ? megabytes(run.options.memoryMbytes) : '—'),
      h('td', {class: 'hide-narrow'}, run.buildNumber || '—'));
    })));
}
