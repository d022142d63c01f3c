// Actor names for pages that show runs (a run carries only its actor's id): fetched once, again when an id
// is not known yet (a new actor), at most every few seconds.

import {api} from './api.js';

const REFETCH_MS = 5000;
let cache = null;
let fetchedAt = 0;
let pending = null;

async function fetchAll() {
  const page = await api('v2/acts', {query: {limit: 1000}});
  cache = new Map(page.items.map(a => [a.id, a]));
  fetchedAt = Date.now();
  return cache;
}

/** All actors by id; refetched when one of `ids` is missing and the last fetch is not too recent. */
export async function actorsById(ids = []) {
  const stale = !cache || (ids.some(id => !cache.has(id)) && Date.now() - fetchedAt > REFETCH_MS);
  if (stale) {
    pending = pending || fetchAll().finally(() => {
      pending = null;
    });
    await pending;
  }
  return cache;
}

/** "title" or "name" of an actor, else its id. */
export function actorName(actors, id) {
  const a = actors && actors.get(id);
  return a ? a.title || a.name : id;
}
