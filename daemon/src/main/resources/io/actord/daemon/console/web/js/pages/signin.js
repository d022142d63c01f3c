// Sign-in: an API token, checked with GET /v2/users/me and kept in this tab's session only.

import {h, replace} from '../dom.js';
import {session, whoAmI} from '../api.js';
import {errorBox} from '../ui.js';

export function renderSignIn(el, {message, onSignedIn}) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', class: 'input mono', autocomplete: 'current-password',
    spellcheck: false, placeholder: 'Paste your API token', required: true, 'aria-describedby': 'token-help',
  });
  const error = h('div', {class: 'form-error', 'aria-live': 'polite'});
  const submit = h('button', {class: 'btn btn-primary btn-block', type: 'submit'}, 'Sign in');
  let alive = true;

  if (message) replace(error, errorBox({message, type: 'invalid-token', status: 401}, {compact: true}));

  async function signIn(event) {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(error, errorBox({message: 'Enter an API token.'}, {compact: true}));
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const who = await whoAmI(token);
      session.signIn(token);
      onSignedIn(who);
    } catch (e) {
      if (!alive) return;
      replace(error, errorBox(e, {compact: true}));
      submit.disabled = false;
      submit.textContent = 'Sign in';
      input.select();
    }
  }

  replace(el,
    h('div', {class: 'signin'},
      h('form', {class: 'signin-card', onsubmit: signIn, novalidate: true},
        h('div', {class: 'signin-brand'}, h('span', {class: 'brand-mark brand-mark-large', 'aria-hidden': 'true'}),
          h('span', {class: 'brand-name'}, 'actord')),
        h('h1', {class: 'signin-title'}, 'Sign in to the console'),
        h('label', {class: 'label', htmlFor: 'token'}, 'API token'),
        input,
        h('p', {class: 'help', id: 'token-help'},
          'An admin creates tokens on the daemon\'s host with ', h('code', 'actorctl tokens create USER'),
          '. The token stays in this browser tab only.'),
        error,
        submit)));
  input.focus();
  return () => {
    alive = false;
  };
}
