/**
 * Start-up helpers: what the first map frame can do without, and the milestones
 * `tests/e2e/startup.py` prints (performance marks named `atlas:…`).
 */
import type { Map as MlMap } from 'maplibre-gl';

/** Context files whose features the first frame does not draw, by source id: the style gets
 * them empty, the map gets them after its first frame. */
const DEFERRED: Record<string, string> = { 'provinces.geojson': 'provinces' };

export function deferredSources(data: Record<string, GeoJSON.FeatureCollection>): {
  now: Record<string, GeoJSON.FeatureCollection>;
  after: [string, GeoJSON.FeatureCollection][];
} {
  const now = { ...data };
  const after: [string, GeoJSON.FeatureCollection][] = [];
  for (const [file, id] of Object.entries(DEFERRED)) {
    const fc = data[file];
    if (!fc) continue;
    now[file] = { type: 'FeatureCollection', features: [] };
    after.push([id, fc]);
  }
  return { now, after };
}

/** Mark the style, the first frame drawn and each source's first complete data. */
export function markStartup(map: MlMap): void {
  map.once('styledata', () => performance.mark('atlas:style'));
  map.once('render', () => performance.mark('atlas:first-render'));
  const seen = new Set<string>();
  map.on('sourcedata', (e) => {
    if (!e.isSourceLoaded || seen.has(e.sourceId) || seen.size > 20) return;
    seen.add(e.sourceId);
    performance.mark(`atlas:source-${e.sourceId}`);
  });
}
