/**
 * Pure helpers of the project: the window title, the page's snapshot (filter and map
 * view) sent with saves and syncs, and the filter state back from a saved engine filter.
 */
import type { ExportPreset, MapView, Snapshot } from './api';
import { emptyFilter, toEngineFilter, type EngineFilter, type FilterState } from './state';

/** `Border Atlas — study •` (the dot: unsaved changes). */
export function windowTitle(name: string, dirty: boolean): string {
  return `Border Atlas — ${name}${dirty ? ' •' : ''}`;
}

/** The camera as the project stores it. */
export interface CameraLike {
  getCenter(): { lng: number; lat: number };
  getZoom(): number;
  getBearing(): number;
  getPitch(): number;
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function viewOf(m: CameraLike): MapView {
  const c = m.getCenter();
  const b = m.getBounds();
  const bounds: [number, number, number, number] = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
  return {
    center: [clamp(c.lng, -180, 180), clamp(c.lat, -90, 90)],
    zoom: clamp(m.getZoom(), 0, 24),
    bearing: m.getBearing(),
    pitch: clamp(m.getPitch(), 0, 85),
    bounds: bounds.every(Number.isFinite) && bounds[0] <= bounds[2] && bounds[1] <= bounds[3] ? bounds : null,
  };
}

export function snapshotOf(filter: FilterState, m: CameraLike, presets: ExportPreset[] | null = null): Snapshot {
  const s: Snapshot = { filter: toEngineFilter(filter), view: viewOf(m) };
  if (presets) s.export_presets = presets;
  return s;
}

/** The presets with the export dialog's settings as the first (keeping its name; the rest
 * stay). A custom pixel size is no preset paper: the first preset's paper is kept. */
export function withPreset(presets: ExportPreset[], p: Omit<ExportPreset, 'name'>): ExportPreset[] {
  const first = presets[0];
  const paper = p.paper === 'custom' ? (first?.paper ?? 'a4-landscape') : p.paper;
  return [{ ...p, name: first?.name ?? 'default', paper }, ...presets.slice(1)];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The page's filter state from an engine filter (a project's): unknown values are dropped. */
export function fromEngineFilter(f: EngineFilter): FilterState {
  const s = emptyFilter();
  s.from = num(f.from);
  s.to = num(f.to);
  s.eventTypes = Array.isArray(f.event_types) ? f.event_types.filter((t): t is string => typeof t === 'string') : [];
  s.actor = text(f.actor);
  s.fatalitiesMin = num(f.fatalities_min);
  s.fatalitiesMax = num(f.fatalities_max);
  s.geoPrecision = Array.isArray(f.geo_precision) ? f.geo_precision.filter((p) => p === 1 || p === 2 || p === 3) : [];
  s.source = text(f.source);
  s.borderKm = num(f.border_km_max);
  return s;
}

/** `study` from `/home/r/study.atlas.json` (for lists). */
export function projectName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.atlas\.json$/i, '').replace(/\.json$/i, '');
}
