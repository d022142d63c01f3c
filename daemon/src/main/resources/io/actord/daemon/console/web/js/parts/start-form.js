// The Start form, as the Apify Console's run options: build, timeout, memory (with the CPU share and disk that
// come with it) and input JSON. Everything is checked as it is typed; the daemon's refusals (402, 400, 404)
// show above the button.

import {h, replace} from '../dom.js';
import {api} from '../api.js';
import {cores, megabytes, timeout as timeoutText} from '../format.js';
import {errorBox} from '../ui.js';
import {jsonProblem} from '../json-problem.js';

let sizesPromise = null;

/** The memory sizes a run may have, with their CPU share and disk, as the daemon states them. */
export function runSizes() {
  sizesPromise = sizesPromise || api('v2/actord/run-sizes').then(d => d.items, (e) => {
    sizesPromise = null;
    throw e;
  });
  return sizesPromise;
}

function field(label, control, help, error, id) {
  return h('div', {class: 'field'},
    h('label', {class: 'label', htmlFor: id}, label),
    control,
    help,
    error);
}

/**
 * @param actor the Actor object
 * @param builds the actor's builds (newest first)
 * @param sizes from runSizes()
 * @param onStarted called with the new Run
 */
export function startForm({actor, builds, sizes, onStarted}) {
  const defaults = actor.defaultRunOptions || {build: 'latest', timeoutSecs: 0, memoryMbytes: 1024};
  const tags = Object.keys(actor.taggedBuilds || {});
  const buildOptions = [...new Set([...tags, ...builds.map(b => b.buildNumber)])];

  const buildInput = h('input', {id: 'run-build', name: 'build', class: 'input', list: 'run-build-options',
    value: defaults.build, autocomplete: 'off', spellcheck: false});
  const buildList = h('datalist', {id: 'run-build-options'}, buildOptions.map(b => h('option', {value: b})));
  const buildError = h('p', {class: 'field-error', id: 'run-build-error', 'aria-live': 'polite'});

  const timeoutInput = h('input', {id: 'run-timeout', name: 'timeout', class: 'input input-narrow', type: 'number',
    min: 0, step: 1, inputMode: 'numeric', value: defaults.timeoutSecs});
  const timeoutHelp = h('p', {class: 'help'});
  const timeoutError = h('p', {class: 'field-error', id: 'run-timeout-error', 'aria-live': 'polite'});

  const defaultIndex = Math.max(0, sizes.findIndex(s => s.memoryMbytes === defaults.memoryMbytes));
  const memorySlider = h('input', {id: 'run-memory-slider', class: 'range', type: 'range', min: 0,
    max: sizes.length - 1, step: 1, value: defaultIndex, 'aria-label': 'Memory size'});
  const memoryInput = h('input', {id: 'run-memory', name: 'memory', class: 'input input-narrow', type: 'text',
    inputMode: 'numeric', value: sizes[defaultIndex].memoryMbytes, autocomplete: 'off'});
  const memoryShare = h('p', {class: 'help resource-share', id: 'run-resources'});
  const memoryError = h('p', {class: 'field-error', id: 'run-memory-error', 'aria-live': 'polite'});

  const inputArea = h('textarea', {id: 'run-input', name: 'input', class: 'input textarea mono', rows: 8,
    spellcheck: false, value: '{}'});
  const inputError = h('p', {class: 'field-error', id: 'run-input-error', 'aria-live': 'polite'});

  const formError = h('div', {class: 'form-error', id: 'run-start-error', 'aria-live': 'polite'});
  const submit = h('button', {class: 'btn btn-primary', type: 'submit', id: 'run-start'}, 'Start');

  const problems = {};
  function setProblem(key, slot, text) {
    problems[key] = text || null;
    slot.textContent = text || '';
    submit.disabled = Object.values(problems).some(Boolean);
  }

  function checkBuild() {
    setProblem('build', buildError, buildInput.value.trim() ? null : 'Choose a build: a tag such as latest, or a number.');
  }

  function checkTimeout() {
    const raw = timeoutInput.value.trim();
    const n = Number(raw);
    const ok = raw !== '' && Number.isInteger(n) && n >= 0;
    timeoutHelp.textContent = ok ? (n === 0 ? 'No timeout: the run may take as long as it needs.' : 'Stops the run after ' + timeoutText(n) + '.') : '';
    setProblem('timeout', timeoutError, ok ? null : 'The timeout is a whole number of seconds, 0 for none.');
  }

  function showSize(size) {
    replace(memoryShare, h('span', 'CPU ', h('strong', cores(size.cpuCores))), h('span', {class: 'sep'}, '·'),
      h('span', 'Disk ', h('strong', megabytes(size.diskMbytes))));
  }

  function checkMemory(fromSlider) {
    if (fromSlider) memoryInput.value = sizes[Number(memorySlider.value)].memoryMbytes;
    const raw = memoryInput.value.trim().replace(/\s*mb$/i, '');
    const index = sizes.findIndex(s => String(s.memoryMbytes) === raw);
    if (index >= 0) {
      memorySlider.value = index;
      showSize(sizes[index]);
      setProblem('memory', memoryError, null);
      return;
    }
    const n = Number(raw);
    const nearest = Number.isFinite(n) && n > 0
      ? sizes.reduce((best, s) => Math.abs(Math.log2(s.memoryMbytes / n)) < Math.abs(Math.log2(best.memoryMbytes / n)) ? s : best)
      : null;
    replace(memoryShare);
    setProblem('memory', memoryError, `${raw || 'Nothing'} is not a memory size a run can have: a power of two from `
      + `${megabytes(sizes[0].memoryMbytes)} to ${megabytes(sizes[sizes.length - 1].memoryMbytes)}`
      + (nearest ? ` (nearest: ${nearest.memoryMbytes} MB).` : '.'));
  }

  function checkInput() {
    const text = inputArea.value;
    if (!text.trim()) {
      setProblem('input', inputError, null);
      return;
    }
    const problem = jsonProblem(text);
    setProblem('input', inputError, problem && 'The input is not valid JSON: ' + problem);
  }

  buildInput.addEventListener('input', checkBuild);
  timeoutInput.addEventListener('input', checkTimeout);
  memorySlider.addEventListener('input', () => checkMemory(true));
  memoryInput.addEventListener('input', () => checkMemory(false));
  inputArea.addEventListener('input', checkInput);
  checkBuild();
  checkTimeout();
  checkMemory(false);
  checkInput();

  async function start(event) {
    event.preventDefault();
    checkBuild();
    checkTimeout();
    checkMemory(false);
    checkInput();
    if (submit.disabled) return;
    replace(formError);
    submit.disabled = true;
    submit.textContent = 'Starting…';
    const input = inputArea.value.trim();
    try {
      const run = await api(`v2/acts/${encodeURIComponent(actor.id)}/runs`, {
        method: 'POST',
        query: {build: buildInput.value.trim(), timeout: timeoutInput.value.trim(), memory: memoryInput.value.trim()},
        ...(input ? {body: input, contentType: 'application/json'} : {}),
      });
      onStarted(run);
    } catch (e) {
      replace(formError, errorBox(e, {compact: true}));
      submit.disabled = false;
      submit.textContent = 'Start';
    }
  }

  return h('form', {class: 'start-form', id: 'start-form', onsubmit: start, novalidate: true},
    h('div', {class: 'field-row'},
      field('Build', [buildInput, buildList], h('p', {class: 'help'}, 'A tag or a build number.'), buildError, 'run-build'),
      field('Timeout (seconds)', timeoutInput, timeoutHelp, timeoutError, 'run-timeout')),
    field('Memory (MB)',
      h('div', {class: 'memory-row'}, memorySlider, memoryInput),
      memoryShare, memoryError, 'run-memory'),
    field('Input (JSON)', inputArea, h('p', {class: 'help'}, 'Stored as the run\'s INPUT record. Leave empty for none.'),
      inputError, 'run-input'),
    formError,
    h('div', {class: 'form-actions'}, submit));
}
