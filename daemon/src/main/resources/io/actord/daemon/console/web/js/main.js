// The console's shell: who is signed in, the top bar, and hash routes (#/runs, #/runs/ID, #/actors, #/actors/ID,
// #/tasks, #/signin). Hash routes need no server-side fallback and cannot clash with the API's paths.

import {h, replace} from './dom.js';
import {onUnauthorized, session, whoAmI} from './api.js';
import {refreshTimes} from './ui.js';
import {renderSignIn} from './pages/signin.js';
import {renderRuns} from './pages/runs.js';
import {renderRun} from './pages/run.js';
import {renderActors} from './pages/actors.js';
import {renderActor} from './pages/actor.js';
import {renderTasks} from './pages/tasks.js';

const ROUTES = [
  {path: /^\/runs\/([^/]+)$/, nav: 'runs', render: (el, [id], query) => renderRun(el, decodeURIComponent(id), query)},
  {path: /^\/runs$/, nav: 'runs', render: (el, _, query) => renderRuns(el, query)},
  {path: /^\/actors\/([^/]+)$/, nav: 'actors', render: (el, [id]) => renderActor(el, decodeURIComponent(id))},
  {path: /^\/actors$/, nav: 'actors', render: (el) => renderActors(el)},
  {path: /^\/tasks$/, nav: 'tasks', render: (el) => renderTasks(el)},
];

const app = document.getElementById('app');
let account = null;
let disposePage = null;
let signInMessage = null;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/runs';
  const [path, search] = raw.split('?');
  return {path: path || '/runs', query: new URLSearchParams(search || '')};
}

function leavePage() {
  if (disposePage) {
    try {
      disposePage();
    } catch (e) {
      console.warn('page cleanup failed', e);
    }
    disposePage = null;
  }
}

function shell(active) {
  return [
    h('header', {class: 'topbar'},
      h('div', {class: 'topbar-inner'},
        h('a', {class: 'brand', href: '#/runs', 'aria-label': 'actord home'},
          h('span', {class: 'brand-mark', 'aria-hidden': 'true'}), h('span', {class: 'brand-name'}, 'actord')),
        h('nav', {class: 'nav', 'aria-label': 'Main'},
          h('a', {href: '#/runs', class: active === 'runs' ? 'active' : null, 'aria-current': active === 'runs' ? 'page' : null}, 'Runs'),
          h('a', {href: '#/actors', class: active === 'actors' ? 'active' : null, 'aria-current': active === 'actors' ? 'page' : null}, 'Actors'),
          h('a', {href: '#/tasks', class: active === 'tasks' ? 'active' : null, 'aria-current': active === 'tasks' ? 'page' : null}, 'Tasks')),
        h('div', {class: 'account'},
          h('span', {class: 'account-name', title: 'Signed in'}, account.user.username),
          h('button', {class: 'btn btn-ghost btn-small', type: 'button', onclick: signOut}, 'Sign out')))),
    h('main', {class: 'main', id: 'page'}),
  ];
}

function signOut() {
  session.signOut();
  account = null;
  signInMessage = null;
  location.hash = '#/signin';
}

async function route() {
  leavePage();
  const {path, query} = parseHash();
  if (path === '/signin' || !account) {
    if (account && path === '/signin') {
      location.hash = '#/runs';
      return;
    }
    const returnTo = path === '/signin' ? query.get('to') : location.hash.replace(/^#/, '');
    replace(app);
    disposePage = renderSignIn(app, {
      message: signInMessage,
      onSignedIn(who) {
        account = who;
        signInMessage = null;
        location.hash = '#' + (returnTo && !returnTo.startsWith('/signin') ? returnTo : '/runs');
      },
    });
    if (path !== '/signin') history.replaceState(null, '', '#/signin?to=' + encodeURIComponent(returnTo));
    return;
  }
  const match = ROUTES.map(r => ({r, m: path.match(r.path)})).find(x => x.m);
  if (!match) {
    location.hash = '#/runs';
    return;
  }
  replace(app, shell(match.r.nav));
  const page = document.getElementById('page');
  disposePage = match.r.render(page, match.m.slice(1), query) || null;
  window.scrollTo(0, 0);
}

async function boot() {
  onUnauthorized((error) => {
    session.signOut();
    account = null;
    signInMessage = 'Your token stopped working (' + error.message + '). Sign in again.';
    route();
  });
  if (session.token()) {
    try {
      account = await whoAmI(session.token());
    } catch (e) {
      if (e.status === 401) session.signOut();
      signInMessage = e.status === 401 ? 'Your token is not valid any more: ' + e.message : e.message;
    }
  }
  window.addEventListener('hashchange', route);
  setInterval(() => refreshTimes(), 10_000);
  route();
}

boot();
