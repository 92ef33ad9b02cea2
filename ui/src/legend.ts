/** Legend (event types, precision, clusters, border, crossings) and the cursor read-out. */
import type { Map as MlMap } from 'maplibre-gl';
import { api } from './api';
import { h, replace } from './dom';
import { km, lonLat } from './format';
import { BORDER_LABEL, palette } from './style';
import type { LayerInfo } from './api';
import { legendRows } from './panels/layers';

/** The legend of the visible researcher layers (below the incidents' legend). */
export function renderLayerLegend(root: HTMLElement, layers: LayerInfo[]): void {
  const rows: HTMLElement[] = [];
  for (const l of [...layers].reverse()) {
    if (!l.meta.style.visible) continue;
    rows.push(h('div', { class: 'lg-sub' }, l.meta.name));
    for (const [c, label] of legendRows(l)) {
      const s = h('span', { class: `sw ${l.kind === 'point' ? 'dot' : l.kind === 'line' ? 'line' : 'box'}` });
      Object.assign(s.style, { background: c, borderColor: c });
      rows.push(h('div', { class: 'lg' }, s, label));
    }
  }
  replace(root, ...rows);
}

export function mountLegend(root: HTMLElement, types: string[]): void {
  const P = palette.layers;
  const by = P.incidents.by_event_type as Record<string, { color: string }>;
  const sw = (cls: string, color: string, extra: Partial<CSSStyleDeclaration> = {}) => {
    const s = h('span', { class: `sw ${cls}` });
    Object.assign(s.style, { borderColor: color, background: cls === 'dot' ? color : '' }, extra);
    return s;
  };
  const rows = types.map((t) => h('div', { class: 'lg' }, sw('dot', by[t]?.color ?? P.incidents.default.color), t));
  const layerPart = root.querySelector('#legend-layers') ?? h('div', { id: 'legend-layers' });
  replace(
    root,
    h('div', { class: 'lg-title' }, 'Incidents'),
    ...rows,
    h('div', { class: 'lg' }, sw('dot', '#616161'), 'exact location (precision 1)'),
    h('div', { class: 'lg' }, sw('ring', '#616161'), 'approximate (2–3): area, not a point'),
    h('div', { class: 'lg' }, sw('cluster', '#37474f', { background: '#37474f' }), 'cluster (click to expand)'),
    h('div', { class: 'lg' }, sw('line', P.border.stroke, { background: P.border.stroke }), BORDER_LABEL),
    h('div', { class: 'lg' }, sw('dot', P.crossings.color), 'border crossing'),
    layerPart,
  );
}

export function mountCursor(map: MlMap, root: HTMLElement): void {
  let pending = false;
  let last: [number, number] | null = null;
  const show = async () => {
    if (!last) return;
    const [lon, lat] = last;
    pending = true;
    try {
      const i = await api.pointInfo(lon, lat);
      replace(
        root,
        lonLat(lon, lat),
        ' · border ',
        h('span', { id: 'cursor-border' }, km(i.border_km)),
        i.crossing ? ` · ${i.crossing} ${km(i.crossing_km)}` : '',
      );
    } catch {
      replace(root, lonLat(lon, lat));
    } finally {
      pending = false;
    }
  };
  map.on('mousemove', (e) => {
    last = [e.lngLat.lng, e.lngLat.lat];
    if (!pending) void show();
  });
}
