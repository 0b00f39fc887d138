/* Figures and names as the page shows them; a null figure is one the API suppressed. */

export const NUMBER = new Intl.NumberFormat('en');
const PERCENT = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const REGION = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'region' }) : null;

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? 'suppressed' : NUMBER.format(value);
}

export function formatShare(value: number | null | undefined): string {
  return value === null || value === undefined ? 'suppressed' : PERCENT.format(value);
}

/** Seconds in the two largest units that matter: "4 min 10 s", "2 d 3 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return 'not enough data';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return rest ? `${m} min ${rest} s` : `${m} min`;
  }
  if (s < 86400) {
    const h = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${h} h ${m} min` : `${h} h`;
  }
  const d = Math.floor(s / 86400);
  const h = Math.round((s % 86400) / 3600);
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** An API key in words: not_spam → "Not spam". */
export function humanise(key: string): string {
  const text = String(key).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "France (FR)" where the browser knows the code; ZZ is the API's unknown country. */
export function countryName(code: string): string {
  if (!code || code === 'ZZ') return 'Unknown';
  try {
    const name = REGION && REGION.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
