/** Formatting of numbers, distances, coordinates and day numbers for display. */

const MS_PER_DAY = 86_400_000;

/** Day number (days since 1970-01-01, as the engine counts) of an ISO date `YYYY-MM-DD`. */
export function dayOf(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d) return null;
  return Math.round(t / MS_PER_DAY);
}

/** ISO date of a day number. */
export function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** "12 Oct 2025". */
export function longDate(day: number): string {
  const d = new Date(day * MS_PER_DAY);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Distance in km: "850 m", "4.2 km", "37 km". */
export function km(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v < 1) return `${Math.round(v * 1000)} m`;
  if (v < 10) return `${v.toFixed(1)} km`;
  return `${Math.round(v).toLocaleString('en-GB')} km`;
}

/** Coordinates as "34.1200° N, 71.0900° E". */
export function lonLat(lon: number, lat: number, digits = 4): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(digits)}° ${ns}, ${Math.abs(lon).toFixed(digits)}° ${ew}`;
}

/** Integer with thousands separators. */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

/** Plural helper: "1 incident", "3 incidents". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** ACLED geo precision in words. */
export function geoPrecision(p: number): string {
  return p === 1 ? 'exact place' : p === 2 ? 'near a place / district' : p === 3 ? 'province or region' : `unknown (${p})`;
}

/** ACLED time precision in words. */
export function timePrecision(p: number): string {
  return p === 1 ? 'day' : p === 2 ? 'week or range' : p === 3 ? 'month or longer' : `unknown (${p})`;
}
