// Small pieces every page uses: status badges, live relative times, error boxes, empty states, a pager.

import {h} from './dom.js';
import {dateTime, relativeTime, statusClass, statusLabel} from './format.js';

export function statusBadge(status, {large = false} = {}) {
  return h('span', {class: `badge ${statusClass(status)}${large ? ' badge-large' : ''}`, 'data-status': status},
    h('span', {class: 'badge-dot', 'aria-hidden': 'true'}), statusLabel(status));
}

/** A time shown relative ("3 min ago"), kept current by refreshTimes(), with the exact time on hover. */
export function timeAgo(iso) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  return h('time', {dateTime: iso, title: dateTime(iso), dataset: {rel: ''}}, relativeTime(iso));
}

/** Updates every relative time on the page (called on a timer). */
export function refreshTimes(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll('time[data-rel]')) {
    el.textContent = relativeTime(el.dateTime, now);
  }
}

const ERROR_TITLES = {
  'actor-memory-limit-exceeded': 'Memory limit reached',
  'concurrent-runs-limit-exceeded': 'Too many runs',
  'host-capacity-exceeded': 'The host is full',
  'record-not-found': 'Not found',
  'record-or-token-not-found': 'Not found',
  'page-not-found': 'Not found',
  'run-state-conflict': 'Not possible now',
  'cannot-remove-running-run': 'The run has not finished',
  'deleting-unfinished-build': 'The build has not finished',
  'unknown-build-tag': 'No such build',
  'not-implemented': 'Not available in actord',
  'invalid-value': 'Invalid value',
  'invalid-input': 'Invalid input',
  'invalid-request': 'Invalid request',
  'run-input-body-not-valid-json': 'The input is not valid JSON',
  'token-not-provided': 'Sign-in needed',
  'invalid-token': 'Token not valid',
  'insufficient-permissions': 'Not allowed',
  'network-error': 'No answer from the daemon',
  'internal-error': 'The daemon failed',
};

/** A readable title for an ApiError. */
export function errorTitle(error) {
  return ERROR_TITLES[error.type] || (error.status ? `Request failed (${error.status})` : 'Something went wrong');
}

/**
 * An error shown where it happened: a title, the daemon's message, and (small) the status and type.
 * Anything that is not an ApiError is shown with its message only.
 */
export function errorBox(error, {compact = false, actions} = {}) {
  const status = error && error.status !== undefined ? error.status : null;
  return h('div', {class: `alert alert-error${compact ? ' alert-compact' : ''}`, role: 'alert'},
    h('div', {class: 'alert-body'},
      h('strong', {class: 'alert-title'}, error && error.type ? errorTitle(error) : 'Something went wrong'),
      h('p', {class: 'alert-message'}, (error && error.message) || String(error)),
      status ? h('p', {class: 'alert-meta'}, `HTTP ${status} · ${error.type}`) : null),
    actions ? h('div', {class: 'alert-actions'}, actions) : null);
}

export function emptyState(title, detail) {
  return h('div', {class: 'empty'}, h('p', {class: 'empty-title'}, title), detail ? h('p', {class: 'muted'}, detail) : null);
}

export function loading(text = 'Loading…') {
  return h('div', {class: 'loading'}, h('span', {class: 'spinner', 'aria-hidden': 'true'}), text);
}

/** A short, copyable id in monospace. */
export function mono(text, {title} = {}) {
  return h('code', {class: 'mono', title: title || text}, text);
}

/** "1–20 of 57" with previous and next buttons; onPage(offset) is called on a click. */
export function pager({offset, limit, total, count}, onPage) {
  const end = offset + count;
  return h('div', {class: 'pager'},
    h('span', {class: 'muted pager-range'}, total === 0 ? 'Nothing yet' : `${offset + 1}–${end} of ${total}`),
    h('div', {class: 'pager-buttons'},
      h('button', {class: 'btn btn-small', type: 'button', disabled: offset === 0, onclick: () => onPage(Math.max(0, offset - limit))},
        '‹ Previous'),
      h('button', {class: 'btn btn-small', type: 'button', disabled: end >= total, onclick: () => onPage(offset + limit)},
        'Next ›')));
}

/** A page heading with an optional line above (breadcrumb), below (subtitle) and actions on the right. */
export function pageHeader({crumbs, title, subtitle, actions}) {
  return h('header', {class: 'page-header'},
    crumbs ? h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'}, crumbs) : null,
    h('div', {class: 'page-header-row'},
      h('div', {class: 'page-title-block'}, h('h1', {class: 'page-title'}, title),
        subtitle ? h('div', {class: 'page-subtitle'}, subtitle) : null),
      actions ? h('div', {class: 'page-actions'}, actions) : null));
}

export function card(title, ...children) {
  return h('section', {class: 'card'}, title ? h('h2', {class: 'card-title'}, title) : null, ...children);
}
