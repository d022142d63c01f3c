// A run's live log: GET /v2/actor-runs/{id}/log?stream=1 sends the log so far, follows it, and ends when the run
// ends. Read with fetch (not EventSource) so the token goes in a header. Lines keep their ISO timestamp, shown
// dimmed; the view follows the end while the reader is at the bottom.

import {h, replace} from '../dom.js';
import {download, request} from '../api.js';
import {isTerminal} from '../format.js';
import {errorBox} from '../ui.js';

const MAX_LINES = 5000;
const RESTREAM_AFTER_MS = 2000;
const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z) ?/;

export function logView(runId) {
  const lines = h('div', {class: 'log-lines', id: 'run-log', role: 'log', 'aria-label': 'Run log', tabIndex: 0});
  const state = h('span', {class: 'log-state muted small', id: 'run-log-state'}, 'Connecting…');
  const error = h('div');
  const cut = h('p', {class: 'log-cut muted small', hidden: true}, 'Earlier lines are not shown here; download the log for all of it.');
  const el = h('div', {class: 'log'},
    h('div', {class: 'panel-toolbar'},
      state,
      h('button', {class: 'btn btn-small', type: 'button', onclick: () => download(`v2/actor-runs/${encodeURIComponent(runId)}/log`, runId + '.log')},
        'Download')),
    error, cut, lines);

  let controller = null;
  let streaming = false;
  let stopped = false;
  let partial = '';
  let endedAt = 0;

  function atBottom() {
    return lines.scrollHeight - lines.scrollTop - lines.clientHeight < 32;
  }

  function addLine(text) {
    const m = STAMP.exec(text);
    const row = h('div', {class: 'log-line'});
    if (m) {
      const t = new Date(m[1]);
      row.append(h('span', {class: 'log-time', title: m[1]}, t.toLocaleTimeString(undefined, {hour12: false})),
        text.slice(m[0].length));
    } else {
      row.append(text);
    }
    lines.append(row);
  }

  function append(chunk) {
    const follow = atBottom();
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    for (const line of parts) addLine(line);
    while (lines.childElementCount > MAX_LINES) {
      lines.firstElementChild.remove();
      cut.hidden = false;
    }
    if (follow) lines.scrollTop = lines.scrollHeight;
  }

  async function stream() {
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    streaming = true;
    partial = '';
    lines.replaceChildren();
    cut.hidden = true;
    replace(error);
    state.textContent = 'Connecting…';
    try {
      const res = await request(`v2/actor-runs/${encodeURIComponent(runId)}/log`, {query: {stream: 1}, signal: mine.signal});
      state.textContent = 'Live';
      state.classList.add('log-live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        append(value);
      }
      if (partial) {
        append('\n');
      }
      if (!lines.childElementCount) lines.append(h('div', {class: 'log-empty muted'}, 'The log is empty.'));
      state.textContent = 'Ended with the run';
    } catch (e) {
      if (e.name === 'AbortError') return;
      replace(error, errorBox(e, {compact: true}));
      state.textContent = 'Disconnected';
    } finally {
      if (mine === controller) {
        streaming = false;
        endedAt = Date.now();
        state.classList.remove('log-live');
      }
    }
  }

  return {
    el,
    /**
     * Tells the view the run's status (on every refresh). The stream ends when the run ends; a run that is
     * active again without one (resurrected, or the stream was cut) is followed again from the start.
     */
    status(status) {
      if (stopped) return;
      if (!controller || (!streaming && !isTerminal(status) && Date.now() - endedAt > RESTREAM_AFTER_MS)) stream();
    },
    stop() {
      stopped = true;
      if (controller) controller.abort();
    },
  };
}
