/**
 * The MapLibre style, built from the one palette shared with the Rust exporter
 * (src/style/atlas-style.json): colours, widths and radii live there only.
 */
import type { StyleSpecification, LayerSpecification, ExpressionSpecification } from 'maplibre-gl';
import palette from './style/atlas-style.json';

export type Palette = typeof palette;
export { palette };

export const BORDER_LABEL = 'Afghanistan–Pakistan border (Durand Line)';
const FONT = ['Noto Sans Regular'];
const FONT_BOLD = ['Noto Sans Bold'];
const FONT_ITALIC = ['Noto Sans Italic'];

/** `match` expression colouring incidents by event type. */
export function eventTypeColor(p: Palette = palette): ExpressionSpecification {
  const m: unknown[] = ['match', ['get', 'event_type']];
  for (const [t, v] of Object.entries(p.layers.incidents.by_event_type)) m.push(t, v.color);
  m.push(p.layers.incidents.default.color);
  return m as ExpressionSpecification;
}

/** Layer ids the app queries for clicks. */
export const INCIDENT_LAYERS = ['incidents-precise', 'incidents-approx'];
export const CLUSTER_LAYER = 'clusters';

/**
 * The style. `data` maps a bundled file name (e.g. "border.geojson") to its parsed
 * GeoJSON; layers whose file is absent are left out.
 */
export function buildStyle(
  data: Record<string, GeoJSON.FeatureCollection>,
  glyphs: string,
  tiles: string,
  p: Palette = palette,
): StyleSpecification {
  const L = p.layers;
  const sources: StyleSpecification['sources'] = {};
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': p.background } }];
  const has = (f: string) => f in data;
  const src = (id: string, f: string) => {
    sources[id] = { type: 'geojson', data: data[f] } as never;
  };
  if (has('neighbours.geojson')) {
    src('neighbours', 'neighbours.geojson');
    layers.push(
      { id: 'neighbours-fill', type: 'fill', source: 'neighbours', paint: { 'fill-color': L.neighbours.fill } },
      { id: 'neighbours-line', type: 'line', source: 'neighbours', paint: { 'line-color': L.neighbours.stroke, 'line-width': L.neighbours.width } },
    );
  }
  if (has('countries.geojson')) {
    src('countries', 'countries.geojson');
    layers.push(
      { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': L.countries.fill } },
      { id: 'countries-line', type: 'line', source: 'countries', paint: { 'line-color': L.countries.stroke, 'line-width': L.countries.width } },
    );
  }
  if (has('provinces.geojson')) {
    src('provinces', 'provinces.geojson');
    layers.push({
      id: 'provinces-fill',
      type: 'fill',
      source: 'provinces',
      paint: { 'fill-color': '#000000', 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.04, 0] },
    });
  }
  if (has('province-lines.geojson')) {
    src('province-lines', 'province-lines.geojson');
    layers.push({
      id: 'province-lines',
      type: 'line',
      source: 'province-lines',
      paint: { 'line-color': L.province_lines.stroke, 'line-width': L.province_lines.width, 'line-dasharray': L.province_lines.dash },
    });
  }
  if (has('rivers.geojson')) {
    src('rivers', 'rivers.geojson');
    layers.push({ id: 'rivers', type: 'line', source: 'rivers', paint: { 'line-color': L.rivers.stroke, 'line-width': L.rivers.width } });
  }
  if (has('border-ne.geojson')) {
    src('border-ne', 'border-ne.geojson');
    layers.push({
      id: 'border-ne',
      type: 'line',
      source: 'border-ne',
      minzoom: 9,
      paint: { 'line-color': L.border_ne.stroke, 'line-width': L.border_ne.width, 'line-dasharray': L.border_ne.dash, 'line-opacity': L.border_ne.opacity },
    });
  }
  if (has('border.geojson')) {
    src('border', 'border.geojson');
    layers.push(
      { id: 'border-halo', type: 'line', source: 'border', layout: { 'line-join': 'round' }, paint: { 'line-color': L.border.halo, 'line-width': L.border.width + 2 * L.border.halo_width } },
      { id: 'border', type: 'line', source: 'border', layout: { 'line-join': 'round' }, paint: { 'line-color': L.border.stroke, 'line-width': L.border.width } },
    );
  }
  // The neutral label: one centred label on the simplified line at small scales (it
  // fits where the detailed line's kinks would not), repeated along the detailed line
  // when zoomed in.
  const borderLabel = (id: string, source: string, minzoom: number, maxzoom: number, placement: 'line' | 'line-center') =>
    layers.push({
      id,
      type: 'symbol',
      source,
      minzoom,
      maxzoom,
      layout: {
        'symbol-placement': placement,
        'symbol-spacing': 380,
        'text-field': BORDER_LABEL,
        'text-font': FONT_ITALIC,
        'text-size': ['interpolate', ['linear'], ['zoom'], 4, 10.5, 9, 13],
        'text-offset': [0, -0.9],
        'text-max-angle': placement === 'line-center' ? 85 : 40,
        'text-padding': 2,
        'text-keep-upright': true,
      },
      paint: { 'text-color': L.border.stroke, 'text-halo-color': '#ffffff', 'text-halo-width': 1.8 },
    });
  // At small scales the wiggly line is too short in pixels for the label to follow it:
  // a horizontal label sits just south of the line's southernmost vertex instead (a
  // quiet stretch), and the line-following label takes over from zoom 6.5.
  const anchor = southernmost(data['border.geojson'] ?? data['border-ne.geojson']);
  if (anchor) {
    sources['border-anchor'] = { type: 'geojson', data: { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: anchor } } };
    layers.push({
      id: 'border-label-small',
      type: 'symbol',
      source: 'border-anchor',
      maxzoom: 6.5,
      layout: {
        'text-field': BORDER_LABEL,
        'text-font': FONT_ITALIC,
        'text-size': 11,
        'text-anchor': 'top-left',
        'text-offset': [2, 2.9],
        'text-max-width': 12,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': L.border.stroke, 'text-halo-color': '#ffffff', 'text-halo-width': 1.8 },
    });
  }
  if (has('border.geojson')) borderLabel('border-label', 'border', anchor ? 6.5 : 0, 24, 'line');
  if (has('provinces.geojson')) {
    layers.push({
      id: 'province-labels',
      type: 'symbol',
      source: 'provinces',
      minzoom: 5.5,
      layout: { 'text-field': ['get', 'name'], 'text-font': FONT_ITALIC, 'text-size': 11, 'text-transform': 'uppercase', 'text-letter-spacing': 0.08, 'text-padding': 6 },
      paint: { 'text-color': '#8a7f6a', 'text-halo-color': '#ffffff', 'text-halo-width': 1 },
    });
  }
  if (has('places.geojson')) {
    src('places', 'places.geojson');
    const rank: ExpressionSpecification = ['coalesce', ['get', 'rank'], 9];
    layers.push(
      {
        id: 'places-dot',
        type: 'circle',
        source: 'places',
        filter: ['<=', rank, ['step', ['zoom'], 1, 5.5, 2, 6.5, 3, 7.5, 4, 8.5, 9]],
        paint: { 'circle-radius': L.places.radius, 'circle-color': L.places.color, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.8 },
      },
      {
        id: 'places-label',
        type: 'symbol',
        source: 'places',
        filter: ['<=', rank, ['step', ['zoom'], 1, 5.5, 2, 6.5, 3, 7.5, 4, 8.5, 9]],
        layout: {
          'text-field': ['get', 'name'],
          'text-font': ['case', ['<=', rank, 1], ['literal', FONT_BOLD], ['literal', FONT]],
          'text-size': ['interpolate', ['linear'], rank, 1, L.places.text_size + 2, 5, L.places.text_size],
          'symbol-sort-key': rank,
          'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
          'text-radial-offset': 0.5,
          'text-padding': 3,
        },
        paint: { 'text-color': L.places.text, 'text-halo-color': L.places.halo, 'text-halo-width': 1.3 },
      },
    );
  }
  // Incidents: vector tiles cut by the engine for the current filter.
  const I = L.incidents;
  sources.incidents = { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: 14 };
  const color = eventTypeColor(p);
  layers.push(
    {
      id: CLUSTER_LAYER,
      type: 'circle',
      source: 'incidents',
      'source-layer': 'clusters',
      paint: {
        'circle-color': '#37474f',
        'circle-opacity': 0.82,
        'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 11, 50, 17, 500, 24, 5000, 32],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'cluster-count',
      type: 'symbol',
      source: 'incidents',
      'source-layer': 'clusters',
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': FONT_BOLD, 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    // Approximate locations (geo precision 2–3): a hollow ring of uncertainty, not a dot.
    {
      id: 'incidents-approx-ring',
      type: 'circle',
      source: 'incidents',
      'source-layer': 'incidents',
      filter: ['>=', ['get', 'geo_precision'], 2],
      paint: {
        'circle-radius': ['interpolate', ['exponential', 2], ['zoom'], 5, ['match', ['get', 'geo_precision'], 2, 8, 14], 10, ['match', ['get', 'geo_precision'], 2, 40, 90]],
        'circle-color': color,
        'circle-opacity': 0.07,
        'circle-stroke-color': color,
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.45,
      },
    },
    {
      id: 'incidents-approx',
      type: 'circle',
      source: 'incidents',
      'source-layer': 'incidents',
      filter: ['>=', ['get', 'geo_precision'], 2],
      paint: { 'circle-radius': I.radius + 1, 'circle-color': '#ffffff', 'circle-stroke-color': color, 'circle-stroke-width': I.ring_width + 0.6 },
    },
    {
      id: 'incidents-precise',
      type: 'circle',
      source: 'incidents',
      'source-layer': 'incidents',
      filter: ['<', ['get', 'geo_precision'], 2],
      paint: { 'circle-radius': I.radius + 1, 'circle-color': color, 'circle-opacity': I.opacity, 'circle-stroke-color': I.stroke, 'circle-stroke-width': I.width + 0.4 },
    },
    {
      id: 'incident-selected',
      type: 'circle',
      source: 'incidents',
      'source-layer': 'incidents',
      filter: ['==', ['get', 'event_id'], ''],
      paint: { 'circle-radius': I.radius + 6, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111111', 'circle-stroke-width': 2 },
    },
  );
  if (has('crossings.geojson')) {
    src('crossings', 'crossings.geojson');
    layers.push(
      {
        id: 'crossings',
        type: 'circle',
        source: 'crossings',
        paint: { 'circle-radius': L.crossings.radius, 'circle-color': L.crossings.color, 'circle-stroke-color': L.crossings.stroke, 'circle-stroke-width': L.crossings.width },
      },
      {
        id: 'crossings-icon',
        type: 'circle',
        source: 'crossings',
        paint: { 'circle-radius': 1.8, 'circle-color': L.crossings.stroke },
      },
      {
        id: 'crossings-label',
        type: 'symbol',
        source: 'crossings',
        layout: {
          'text-field': ['get', 'name'],
          'text-font': FONT_BOLD,
          'text-size': L.crossings.text_size,
          'text-variable-anchor': ['top', 'bottom', 'left', 'right'],
          'text-radial-offset': 0.9,
          'symbol-sort-key': 0,
        },
        paint: { 'text-color': L.crossings.text, 'text-halo-color': L.crossings.halo, 'text-halo-width': 1.5 },
      },
    );
  }
  return { version: 8, glyphs, sources, layers };
}

/** The southernmost vertex of a line collection (where the small-scale border label goes). */
export function southernmost(fc: GeoJSON.FeatureCollection | undefined): [number, number] | null {
  let best: [number, number] | null = null;
  for (const f of fc?.features ?? []) {
    const g = f.geometry;
    const lines = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
    for (const l of lines) for (const [x, y] of l) if (best === null || y < best[1]) best = [x, y];
  }
  return best;
}
