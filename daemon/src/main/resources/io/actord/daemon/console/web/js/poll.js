// Live updates by polling: the next call starts a fixed time after the previous one ended, so a slow daemon is
// never asked twice at once, and nothing is asked while the tab is hidden.

/**
 * Calls fn now and then every interval ms (a number, or a function returning one, asked each time).
 * Returns {stop(), now()}: now() refreshes at once (after an action; if a
 * refresh is under way, another follows it, since that one may have started before the action).
 */
export function poll(fn, interval) {
  let timer = null;
  let stopped = false;
  let running = false;
  let again = false;

  async function tick() {
    timer = null;
    if (stopped || running) return;
    if (document.hidden) return;
    running = true;
    try {
      await fn();
    } catch (e) {
      console.warn('refresh failed', e);
    } finally {
      running = false;
      if (!stopped) timer = setTimeout(tick, again ? 0 : typeof interval === 'function' ? interval() : interval);
      again = false;
    }
  }

  function onVisibility() {
    if (!document.hidden && !running) {
      clearTimeout(timer);
      tick();
    }
  }

  document.addEventListener('visibilitychange', onVisibility);
  tick();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    },
    now() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      clearTimeout(timer);
      tick();
    },
  };
}
