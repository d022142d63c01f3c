// An actor: its Start form, its builds, and its recent runs (live).

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {megabytes, timeout as timeoutText} from '../format.js';
import {poll} from '../poll.js';
import {runSizes, startForm} from '../parts/start-form.js';
import {runsTable} from './runs.js';
import {card, emptyState, errorBox, loading, mono, pageHeader, timeAgo} from '../ui.js';

const RECENT = 8;

export function renderActor(el, actorId) {
  let alive = true;
  let poller = null;
  replace(el, loading());
  const path = 'v2/acts/' + encodeURIComponent(actorId);

  Promise.all([api(path), api(path + '/builds', {query: {desc: 1, limit: 100}}), runSizes()]).then(([actor, builds, sizes]) => {
    if (!alive) return;
    const recent = h('div', {class: 'card-body-flush'}, loading());
    replace(el,
      pageHeader({
        crumbs: [h('a', {href: '#/actors', class: 'link'}, 'Actors'), h('span', {class: 'crumb-sep'}, '/')],
        title: actor.title || actor.name,
        subtitle: [h('span', `${actor.username}/${actor.name}`), h('span', {class: 'sep'}, '·'), mono(actor.id)],
      }),
      actor.description ? h('p', {class: 'lead'}, actor.description) : null,
      h('div', {class: 'grid-2'},
        card('Start a run', startForm({actor, builds: builds.items, sizes, onStarted: (run) => {
          location.hash = '#/runs/' + encodeURIComponent(run.id);
        }})),
        h('div', {class: 'stack'},
          card('Builds', buildsTable(actor, builds.items)),
          card('Default run options', defaultsList(actor.defaultRunOptions)))),
      h('section', {class: 'card card-flush'},
        h('div', {class: 'card-head'}, h('h2', {class: 'card-title'}, 'Recent runs'),
          h('a', {class: 'link small', href: '#/runs?actor=' + encodeURIComponent(actor.id)}, 'All runs of this actor ›')),
        recent));

    poller = poll(async () => {
      try {
        const page = await api(path + '/runs', {query: {desc: 1, limit: RECENT}});
        if (!alive) return;
        replace(recent, page.items.length
          ? runsTable(page.items, null, {showActor: false})
          : emptyState('No runs yet.', 'Start the first one above.'));
      } catch (e) {
        if (alive) replace(recent, h('div', {class: 'card-pad'}, errorBox(e, {compact: true})));
      }
    }, 3000);
  }, (e) => {
    if (!alive) return;
    replace(el,
      pageHeader({crumbs: [h('a', {href: '#/actors', class: 'link'}, 'Actors'), h('span', {class: 'crumb-sep'}, '/')],
        title: 'Actor ' + actorId}),
      errorBox(e, {actions: h('a', {class: 'btn', href: '#/actors'}, 'Back to actors')}));
  });

  return () => {
    alive = false;
    if (poller) poller.stop();
  };
}

function buildsTable(actor, builds) {
  if (builds.length === 0) return emptyState('No builds yet.', 'An admin creates one with actorctl builds create.');
  const tagsOf = {};
  for (const [tag, b] of Object.entries(actor.taggedBuilds || {})) (tagsOf[b.buildId] = tagsOf[b.buildId] || []).push(tag);
  return h('table', {class: 'table table-compact'},
    h('thead', h('tr', h('th', 'Build'), h('th', 'Tags'), h('th', 'Created'))),
    h('tbody', builds.map(b => h('tr',
      h('td', h('span', {class: 'strong'}, b.buildNumber),
        b.command && b.command.length ? h('div', {class: 'muted small mono-wrap', title: b.command.join(' ')}, b.command.join(' ')) : null),
      h('td', [...new Set([...(b.tags || []), ...(tagsOf[b.id] || [])])].map(t => h('span', {class: 'tag'}, t))),
      h('td', timeAgo(b.finishedAt || b.startedAt))))));
}

function defaultsList(options) {
  if (!options) return emptyState('None set.');
  return h('dl', {class: 'facts facts-compact'},
    h('div', h('dt', 'Build'), h('dd', options.build)),
    h('div', h('dt', 'Memory'), h('dd', megabytes(options.memoryMbytes))),
    h('div', h('dt', 'Timeout'), h('dd', timeoutText(options.timeoutSecs))));
}
