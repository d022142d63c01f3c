// The tasks list: each task (an actor's saved input and run options) with its actor, how many runs it has, and a
// button that starts it with its saved input.

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {actorName, actorsById} from '../actors.js';
import {emptyState, errorBox, loading, mono, pageHeader, timeAgo} from '../ui.js';

export function renderTasks(el) {
  const body = h('div', {class: 'card card-flush'}, loading());
  replace(el, pageHeader({title: 'Tasks', subtitle: 'Actors with saved input and run options. Start one to run it as saved.'}), body);
  let alive = true;

  Promise.all([api('v2/actor-tasks', {query: {limit: 1000}}), actorsById()]).then(([page, actors]) => {
    if (!alive) return;
    if (page.items.length === 0) {
      replace(body, emptyState('No tasks yet.', 'Create one with actorctl tasks create NAME --actor ACTOR --input JSON, or with apify-client\'s tasks().create().'));
      return;
    }
    replace(body, h('table', {class: 'table table-tasks'},
      h('thead', h('tr', h('th', 'Task'), h('th', 'Actor'), h('th', {class: 'hide-narrow'}, 'Runs'),
        h('th', 'Modified'), h('th', ''))),
      h('tbody', page.items.map(t => h('tr', {},
        h('td', h('span', {class: 'strong'}, t.title || t.name),
          h('div', {class: 'muted small'}, `${t.username}/${t.name}`), h('div', {class: 'muted small'}, mono(t.id))),
        h('td', h('a', {href: '#/actors/' + encodeURIComponent(t.actId), class: 'link'}, actorName(actors, t.actId))),
        h('td', {class: 'hide-narrow'}, String(t.stats ? t.stats.totalRuns : 0)),
        h('td', timeAgo(t.modifiedAt)),
        h('td', startButton(t, body)))))));
  }, (e) => {
    if (alive) replace(body, h('div', {class: 'card-pad'}, errorBox(e)));
  });
  return () => {
    alive = false;
  };
}

function startButton(task, body) {
  return h('button', {class: 'btn btn-small', type: 'button', onclick: async (e) => {
    e.target.disabled = true;
    try {
      const run = await api(`v2/actor-tasks/${encodeURIComponent(task.id)}/runs`, {method: 'POST'});
      location.hash = '#/runs/' + encodeURIComponent(run.id);
    } catch (error) {
      e.target.disabled = false;
      body.prepend(h('div', {class: 'card-pad'}, errorBox(error, {compact: true})));
    }
  }}, 'Start');
}
