// How values read: statuses, times, durations, sizes, CPU shares.

export const ACTIVE_STATUSES = ['READY', 'RUNNING', 'TIMING-OUT', 'ABORTING'];
export const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED-OUT', 'ABORTED'];
export const STATUSES = [...ACTIVE_STATUSES, ...TERMINAL_STATUSES];

export function isTerminal(status) {
  return TERMINAL_STATUSES.includes(status);
}

const STATUS_LABELS = {
  READY: 'Ready', RUNNING: 'Running', SUCCEEDED: 'Succeeded', FAILED: 'Failed', 'TIMING-OUT': 'Timing out',
  'TIMED-OUT': 'Timed out', ABORTING: 'Aborting', ABORTED: 'Aborted',
};

export function statusLabel(status) {
  return STATUS_LABELS[status] || status;
}

/** The CSS class of a status's colour. */
export function statusClass(status) {
  return 'status-' + String(status).toLowerCase();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "25 s ago", "4 min ago", "3 h ago", "2 days ago", then a date. */
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return '—';
  const t = new Date(iso).getTime();
  const ago = now - t;
  if (ago < 0) return 'in ' + duration(-ago, {coarse: true});
  if (ago < 5000) return 'just now';
  if (ago < MINUTE) return Math.floor(ago / 1000) + ' s ago';
  if (ago < HOUR) return Math.floor(ago / MINUTE) + ' min ago';
  if (ago < DAY) return Math.floor(ago / HOUR) + ' h ago';
  if (ago < 7 * DAY) {
    const days = Math.floor(ago / DAY);
    return days === 1 ? 'yesterday' : days + ' days ago';
  }
  return dateTime(iso, {short: true});
}

/** A local date and time: "12 Mar 2026, 14:05:09" (or without seconds and year when short). */
export function dateTime(iso, {short = false} = {}) {
  if (!iso) return '—';
  const d = new Date(iso);
  const opts = short
    ? {day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit'}
    : {day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'};
  return d.toLocaleString(undefined, opts);
}

/** "850 ms", "12.4 s", "3 min 05 s", "2 h 10 min", "3 days 4 h"; coarse drops the smaller unit. */
export function duration(ms, {coarse = false} = {}) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < MINUTE) return (ms < 10_000 && !coarse ? (ms / 1000).toFixed(1) : Math.floor(ms / 1000)) + ' s';
  if (ms < HOUR) {
    const m = Math.floor(ms / MINUTE);
    const sec = Math.floor((ms % MINUTE) / 1000);
    return coarse ? m + ' min' : `${m} min ${String(sec).padStart(2, '0')} s`;
  }
  if (ms < DAY) {
    const hr = Math.floor(ms / HOUR);
    const m = Math.floor((ms % HOUR) / MINUTE);
    return coarse ? hr + ' h' : `${hr} h ${m} min`;
  }
  const days = Math.floor(ms / DAY);
  const hr = Math.floor((ms % DAY) / HOUR);
  return coarse ? days + (days === 1 ? ' day' : ' days') : `${days} ${days === 1 ? 'day' : 'days'} ${hr} h`;
}

/** "512 B", "3.4 KB", "118 MB", "0.98 GB" (1024-based, as memory limits are; never four digits). */
export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1000 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return (i === 0 || v >= 100 ? Math.round(v) : v.toFixed(v < 1 ? 2 : 1)) + ' ' + units[i];
}

/** Megabytes as memory or disk sizes read: "512 MB", "4 GB". */
export function megabytes(mb) {
  return mb >= 1024 && mb % 1024 === 0 ? mb / 1024 + ' GB' : mb + ' MB';
}

/** A CPU share: "1/8 core", "1 core", "2 cores". */
export function cores(n) {
  if (n > 0 && n < 1 && Number.isInteger(1 / n)) return `1/${1 / n} core`;
  return (Number.isInteger(n) ? n : n.toFixed(2)) + (n === 1 ? ' core' : ' cores');
}

/** A timeout in seconds: "No timeout", "300 s (5 min)". */
export function timeout(secs) {
  if (!secs) return 'No timeout';
  return secs < 60 ? secs + ' s' : `${secs} s (${duration(secs * 1000, {coarse: secs % 60 === 0})})`;
}

/** A percentage of one core with sensible precision: "3.2 %", "187 %". */
export function percent(p) {
  if (p === null || p === undefined) return '—';
  return (p >= 100 ? Math.round(p) : p.toFixed(1)) + ' %';
}
