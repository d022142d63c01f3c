// The actors list.

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {emptyState, errorBox, loading, mono, pageHeader, timeAgo} from '../ui.js';

export function renderActors(el) {
  const body = h('div', {class: 'card card-flush'}, loading());
  replace(el, pageHeader({title: 'Actors', subtitle: 'The programs this daemon runs. Open one to start a run.'}), body);
  let alive = true;

  api('v2/acts', {query: {limit: 1000}}).then((page) => {
    if (!alive) return;
    if (page.items.length === 0) {
      replace(body, emptyState('No actors yet.', 'An admin adds them on the daemon\'s host: actorctl actors create NAME, then actorctl builds create NAME.'));
      return;
    }
    const sorted = [...page.items].sort((a, b) => (a.title || a.name).localeCompare(b.title || b.name));
    replace(body, h('table', {class: 'table table-actors'},
      h('thead', h('tr', h('th', 'Actor'), h('th', {class: 'hide-narrow'}, 'ID'), h('th', 'Modified'))),
      h('tbody', sorted.map(a => {
        const href = '#/actors/' + encodeURIComponent(a.id);
        return h('tr', {class: 'row-link', onclick: (e) => {
          if (!e.target.closest('a')) location.hash = href;
        }},
        h('td', h('a', {href, class: 'link strong'}, a.title || a.name),
          h('div', {class: 'muted small'}, `${a.username}/${a.name}`)),
        h('td', {class: 'hide-narrow'}, mono(a.id)),
        h('td', timeAgo(a.modifiedAt)));
      }))));
  }, (e) => {
    if (alive) replace(body, h('div', {class: 'card-pad'}, errorBox(e)));
  });
  return () => {
    alive = false;
  };
}
