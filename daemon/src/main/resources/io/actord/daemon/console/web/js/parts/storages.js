// A run's default storages: the key-value store's records (preview and download) and the dataset's items as a
// table with paging.

import {h, replace} from '../dom.js';
import {api, download, request} from '../api.js';
import {bytes} from '../format.js';
import {emptyState, errorBox, loading, mono, pager} from '../ui.js';

const ITEMS_PER_PAGE = 20;
const MAX_COLUMNS = 12;
const MAX_CELL = 160;
const PREVIEW_BYTES = 256 * 1024;

function extensionFor(contentType) {
  if (/json/i.test(contentType)) return '.json';
  if (/^text\/html/i.test(contentType)) return '.html';
  if (/^text\//i.test(contentType)) return '.txt';
  const image = /^image\/(png|jpeg|gif|webp)/i.exec(contentType);
  return image ? '.' + image[1].toLowerCase().replace('jpeg', 'jpg') : '';
}

/** The run's key-value store: its keys, a preview of the chosen record, and downloads. */
export function keyValuePanel(storeId) {
  const list = h('div', {class: 'kv-list'}, loading());
  const preview = h('div', {class: 'kv-preview', id: 'kv-preview', hidden: true});
  const el = h('div', {class: 'storage'},
    h('div', {class: 'panel-toolbar'},
      h('span', {class: 'muted small'}, 'Store ', mono(storeId)),
      h('button', {class: 'btn btn-small', type: 'button', onclick: () => refresh()}, 'Refresh')),
    list, preview);
  let chosen = null;
  let previewUrl = null;

  async function refresh() {
    let keys;
    try {
      keys = await api(`v2/key-value-stores/${encodeURIComponent(storeId)}/keys`, {query: {limit: 1000}});
    } catch (e) {
      replace(list, errorBox(e, {compact: true}));
      return;
    }
    if (!keys.items.length) {
      replace(list, emptyState('No records yet.', 'The run\'s INPUT and what it saves (OUTPUT, …) appear here.'));
      return;
    }
    replace(list, h('table', {class: 'table table-compact table-kv'},
      h('thead', h('tr', h('th', 'Key'), h('th', {class: 'num'}, 'Size'), h('th', {class: 'num'}, h('span', {class: 'sr-only'}, 'Actions')))),
      h('tbody', keys.items.map(item => h('tr', {class: item.key === chosen ? 'selected' : null, dataset: {key: item.key}},
        h('td', h('button', {class: 'link-button mono', type: 'button', onclick: () => show(item.key)}, item.key)),
        h('td', {class: 'num'}, bytes(item.size)),
        h('td', {class: 'num actions'},
          h('button', {class: 'btn btn-small', type: 'button', onclick: () => show(item.key)}, 'View'),
          h('button', {class: 'btn btn-small', type: 'button', onclick: () => save(item.key)}, 'Download')))))));
  }

  function recordPath(key) {
    return `v2/key-value-stores/${encodeURIComponent(storeId)}/records/${encodeURIComponent(key)}`;
  }

  async function save(key) {
    try {
      await download(recordPath(key), type => key + extensionFor(type));
    } catch (e) {
      replace(preview, errorBox(e, {compact: true}));
      preview.hidden = false;
    }
  }

  async function show(key) {
    chosen = key;
    for (const row of list.querySelectorAll('tr[data-key]')) row.classList.toggle('selected', row.dataset.key === key);
    preview.hidden = false;
    replace(preview, loading());
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    let res;
    let blob;
    try {
      res = await request(recordPath(key));
      blob = await res.blob();
    } catch (e) {
      replace(preview, errorBox(e, {compact: true}));
      return;
    }
    const type = res.headers.get('Content-Type') || 'application/octet-stream';
    let body;
    if (/^image\//i.test(type) && !/svg/i.test(type)) {
      previewUrl = URL.createObjectURL(blob);
      body = h('img', {class: 'kv-image', src: previewUrl, alt: key});
    } else if (/json|^text\/|xml|javascript/i.test(type) && blob.size <= PREVIEW_BYTES) {
      let text = await blob.text();
      if (/json/i.test(type)) {
        try {
          text = JSON.stringify(JSON.parse(text), null, 2);
        } catch {
          // Shown as stored when it does not parse.
        }
      }
      body = h('pre', {class: 'code', id: 'kv-record-text'}, text);
    } else {
      body = emptyState(`No preview for ${type}, ${bytes(blob.size)}.`, 'Download the record to open it.');
    }
    replace(preview,
      h('div', {class: 'kv-preview-head'},
        h('div', h('strong', {class: 'mono'}, key), h('span', {class: 'muted small'}, ` ${type} · ${bytes(blob.size)}`)),
        h('button', {class: 'btn btn-small', type: 'button', onclick: () => save(key)}, 'Download')),
      body);
  }

  refresh();
  return {el, refresh};
}

function cellText(value) {
  if (value === null) return h('span', {class: 'muted'}, 'null');
  if (value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_CELL ? h('span', {title: text}, text.slice(0, MAX_CELL) + '…') : text;
}

/** The run's dataset: its items as a table, a page at a time. */
export function datasetPanel(datasetId) {
  const body = h('div', {class: 'dataset-body'}, loading());
  const el = h('div', {class: 'storage'},
    h('div', {class: 'panel-toolbar'},
      h('span', {class: 'muted small'}, 'Dataset ', mono(datasetId)),
      h('button', {class: 'btn btn-small', type: 'button', onclick: () => refresh()}, 'Refresh')),
    body);
  let offset = 0;

  async function refresh() {
    let res;
    let items;
    try {
      res = await request(`v2/datasets/${encodeURIComponent(datasetId)}/items`, {query: {offset, limit: ITEMS_PER_PAGE}});
      items = await res.json();
    } catch (e) {
      replace(body, errorBox(e, {compact: true}));
      return;
    }
    const total = Number(res.headers.get('X-Apify-Pagination-Total')) || items.length;
    if (!items.length && offset > 0 && total > 0) {
      offset = Math.max(0, (Math.ceil(total / ITEMS_PER_PAGE) - 1) * ITEMS_PER_PAGE);
      return refresh();
    }
    if (!items.length) {
      replace(body, emptyState('No items yet.', 'What the run pushes to its dataset appears here.'));
      return;
    }
    const columns = [];
    for (const item of items) {
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        for (const key of Object.keys(item)) if (!columns.includes(key)) columns.push(key);
      }
    }
    const shown = columns.slice(0, MAX_COLUMNS);
    const table = columns.length
      ? h('table', {class: 'table table-compact table-items', id: 'dataset-items'},
        h('thead', h('tr', h('th', {class: 'num'}, '#'), shown.map(c => h('th', c)),
          columns.length > shown.length ? h('th', {class: 'muted'}, `+${columns.length - shown.length} more`) : null)),
        h('tbody', items.map((item, i) => h('tr',
          h('td', {class: 'num muted'}, offset + i + 1),
          shown.map(c => h('td', cellText(item && typeof item === 'object' ? item[c] : undefined))),
          columns.length > shown.length ? h('td') : null))))
      : h('table', {class: 'table table-compact table-items', id: 'dataset-items'},
        h('tbody', items.map((item, i) => h('tr', h('td', {class: 'num muted'}, offset + i + 1), h('td', cellText(item))))));
    replace(body,
      h('div', {class: 'scroll-x'}, table),
      pager({offset, limit: ITEMS_PER_PAGE, total, count: items.length}, (next) => {
        offset = next;
        refresh();
      }));
  }

  refresh();
  return {el, refresh};
}
