/**
 * The researcher's filter state, and its translation to the engine's `Filter`
 * (crates/atlas/src/filter.rs: snake_case fields, days since 1970-01-01).
 */

export interface FilterState {
  /** Inclusive day window; null = no restriction. */
  from: number | null;
  to: number | null;
  /** Event types shown; empty = all. */
  eventTypes: string[];
  actor: string;
  fatalitiesMin: number | null;
  fatalitiesMax: number | null;
  /** Geo precisions shown; empty = all. */
  geoPrecision: number[];
  source: string;
  /** Border corridor in km; null = everywhere. */
  borderKm: number | null;
}

/** The engine's filter as JSON. */
export interface EngineFilter {
  bbox?: [number, number, number, number] | null;
  from?: number | null;
  to?: number | null;
  event_types?: string[];
  actor?: string | null;
  fatalities_min?: number | null;
  fatalities_max?: number | null;
  geo_precision?: number[];
  source?: string | null;
  border_km_max?: number | null;
}

export function emptyFilter(): FilterState {
  return {
    from: null,
    to: null,
    eventTypes: [],
    actor: '',
    fatalitiesMin: null,
    fatalitiesMax: null,
    geoPrecision: [],
    source: '',
    borderKm: null,
  };
}

const nonNegInt = (v: number | null): number | null =>
  v === null || !Number.isFinite(v) || v < 0 ? null : Math.floor(v);

/** Translate to the engine's filter; blank text and invalid numbers mean "no restriction". */
export function toEngineFilter(s: FilterState, bbox?: [number, number, number, number]): EngineFilter {
  let min = nonNegInt(s.fatalitiesMin);
  let max = nonNegInt(s.fatalitiesMax);
  if (min !== null && max !== null && min > max) [min, max] = [max, min];
  let from = s.from;
  let to = s.to;
  if (from !== null && to !== null && from > to) [from, to] = [to, from];
  const km = s.borderKm !== null && Number.isFinite(s.borderKm) && s.borderKm >= 0 ? s.borderKm : null;
  return {
    bbox: bbox ?? null,
    from,
    to,
    event_types: [...s.eventTypes],
    actor: s.actor.trim() || null,
    fatalities_min: min,
    fatalities_max: max,
    geo_precision: s.geoPrecision.filter((p) => p >= 1 && p <= 3),
    source: s.source.trim() || null,
    border_km_max: km,
  };
}

/** Toggle a value in a list (immutable). */
export function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

/** How many restrictions are active (for the summary), counted on what the engine gets. */
export function activeCount(s: FilterState): number {
  const f = toEngineFilter(s);
  return (
    (f.from !== null || f.to !== null ? 1 : 0) +
    (f.event_types?.length ? 1 : 0) +
    (f.actor ? 1 : 0) +
    (f.fatalities_min !== null || f.fatalities_max !== null ? 1 : 0) +
    (f.geo_precision?.length ? 1 : 0) +
    (f.source ? 1 : 0) +
    (f.border_km_max !== null ? 1 : 0)
  );
}

/**
 * The vector-tile URL template for a filter generation. `base` is what
 * `convertFileSrc('', 'tiles')` gives (`tiles://localhost/` on Linux and macOS,
 * `http://tiles.localhost/` on Windows). Built by string joining: `new URL()` would
 * percent-encode the braces.
 */
export function tileUrl(base: string, generation: number): string {
  const b = base.endsWith('/') ? base : `${base}/`;
  if (!Number.isInteger(generation) || generation < 0) throw new Error(`bad generation ${generation}`);
  return `${b}${generation}/{z}/{x}/{y}.pbf`;
}

/** Glyph URL template for MapLibre, relative to the page. */
export function glyphsUrl(pageBase: string): string {
  const b = pageBase.replace(/[^/]*$/, '');
  return `${b}glyphs/{fontstack}/{range}.pbf`;
}
