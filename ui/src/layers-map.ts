/**
 * The researcher's layers on the map: one vector-tile source per layer, cut by the engine
 * (`tiles://localhost/layer/{id}/{revision}/{z}/{x}/{y}.pbf`: source layers `features` for
 * lines and polygons, `points` and `point_clusters` for points), and MapLibre layers whose
 * paint follows the layer's style — one colour, categories of a text property, or graduated
 * classes of a number. The same style object is saved in projects and drawn by exports.
 */
import type { ExpressionSpecification, Map as MlMap, LayerSpecification } from 'maplibre-gl';
import type { LayerInfo, LayerStyle } from './api';
import { tilesBase } from './api';

/** MapLibre layer ids drawn for a layer (bottom to top). */
export function mapLayerIds(id: number): string[] {
  return ['fill', 'line', 'cluster', 'cluster-count', 'point'].map((k) => `ul-${id}-${k}`);
}

export function layerTileUrl(base: string, id: number, revision: number): string {
  return `${base.replace(/\/$/, '')}/layer/${id}/${revision}/{z}/{x}/{y}.pbf`;
}

/** Colour expression for a style. */
export function colorExpression(s: LayerStyle): ExpressionSpecification | string {
  const by = s.by_attribute;
  if (!by) return s.color;
  if (by.mode === 'categorical') {
    const pairs = Object.entries(by.colors).flat();
    if (pairs.length === 0) return by.other;
    return ['match', ['to-string', ['get', by.property]], ...pairs, by.other] as unknown as ExpressionSpecification;
  }
  if (by.colors.length === 0) return s.color;
  const steps: unknown[] = ['step', ['to-number', ['get', by.property], -1e300], by.colors[0]];
  by.breaks.forEach((b, i) => steps.push(b, by.colors[i + 1] ?? by.colors[by.colors.length - 1]));
  return steps as ExpressionSpecification;
}

/** The MapLibre layers of one researcher layer. */
export function layerSpecs(l: LayerInfo): LayerSpecification[] {
  const s = l.meta.style;
  const src = `ul-${l.id}`;
  const vis = s.visible ? 'visible' : 'none';
  const color = colorExpression(s);
  const [fill, line, cluster, clusterCount, point] = mapLayerIds(l.id);
  const fillColor = s.by_attribute ? color : (s.fill ?? s.color);
  return [
    {
      id: fill,
      type: 'fill',
      source: src,
      'source-layer': 'features',
      filter: ['==', ['geometry-type'], 'Polygon'],
      layout: { visibility: s.fill !== null || s.by_attribute ? vis : 'none' },
      paint: { 'fill-color': fillColor as never, 'fill-opacity': s.opacity },
    },
    {
      id: line,
      type: 'line',
      source: src,
      'source-layer': 'features',
      layout: { visibility: vis, 'line-join': 'round', 'line-cap': 'round' },
      paint: { 'line-color': color as never, 'line-width': s.size, 'line-opacity': Math.min(1, s.opacity + 0.3) },
    },
    {
      id: cluster,
      type: 'circle',
      source: src,
      'source-layer': 'point_clusters',
      layout: { visibility: vis },
      paint: {
        'circle-color': s.color,
        'circle-opacity': 0.75,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 9, 100, 16, 10000, 26],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: clusterCount,
      type: 'symbol',
      source: src,
      'source-layer': 'point_clusters',
      layout: { visibility: vis, 'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['Noto Sans Bold'], 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: point,
      type: 'circle',
      source: src,
      'source-layer': 'points',
      layout: { visibility: vis },
      paint: {
        'circle-color': color as never,
        'circle-radius': s.size,
        'circle-opacity': s.opacity,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
  ];
}

/** Make the map's researcher layers match `layers` (bottom to top), below the incidents. */
export function syncLayers(map: MlMap, layers: LayerInfo[], beforeId: string | undefined): void {
  const base = tilesBase();
  const wanted = new Set(layers.map((l) => `ul-${l.id}`));
  // Remove layers and sources that are gone.
  for (const ml of map.getStyle().layers ?? []) {
    const m = /^ul-(\d+)-/.exec(ml.id);
    if (m && !wanted.has(`ul-${m[1]}`)) map.removeLayer(ml.id);
  }
  for (const id of Object.keys(map.getStyle().sources ?? {})) if (id.startsWith('ul-') && !wanted.has(id)) map.removeSource(id);
  for (const l of layers) {
    const srcId = `ul-${l.id}`;
    const url = layerTileUrl(base, l.id, l.meta.revision);
    const src = map.getSource(srcId) as { setTiles?: (t: string[]) => void; tiles?: string[] } | undefined;
    if (!src) map.addSource(srcId, { type: 'vector', tiles: [url], minzoom: 0, maxzoom: 16 });
    else if (src.tiles?.[0] !== url) src.setTiles?.([url]);
    for (const spec of layerSpecs(l)) {
      if (map.getLayer(spec.id)) map.removeLayer(spec.id);
      map.addLayer(spec, beforeId && map.getLayer(beforeId) ? beforeId : undefined);
    }
  }
}
