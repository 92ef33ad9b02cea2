/** Measure tool: click points on the map; legs and total are geodesic km computed in Rust. */
import type { Map as MlMap, GeoJSONSource, MapMouseEvent } from 'maplibre-gl';
import { api } from './api';
import { h, replace } from './dom';
import { km } from './format';

export function mountMeasure(map: MlMap, box: HTMLElement, button: HTMLElement): { toggle(): void; active(): boolean } {
  let on = false;
  let pts: [number, number][] = [];
  const data = (): GeoJSON.FeatureCollection => ({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: pts } },
      ...pts.map((p) => ({ type: 'Feature' as const, properties: {}, geometry: { type: 'Point' as const, coordinates: p } })),
    ],
  });
  const ensure = () => {
    if (map.getSource('measure')) return;
    map.addSource('measure', { type: 'geojson', data: data() });
    map.addLayer({ id: 'measure-line', type: 'line', source: 'measure', paint: { 'line-color': '#111', 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'measure-pts', type: 'circle', source: 'measure', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 4, 'circle-color': '#fff', 'circle-stroke-color': '#111', 'circle-stroke-width': 2 } });
  };
  const update = async () => {
    ensure();
    (map.getSource('measure') as GeoJSONSource).setData(data());
    if (pts.length < 2) {
      replace(box, h('strong', {}, 'Measure'), h('div', {}, 'Click on the map to add points. Esc ends, Backspace removes the last.'));
      return;
    }
    const m = await api.measure(pts);
    replace(
      box,
      h('strong', { id: 'measure-total' }, `Total ${km(m.total_km)}`),
      h('div', { class: 'hint' }, `${m.legs_km.length} leg${m.legs_km.length > 1 ? 's' : ''}: `, m.legs_km.map((l) => km(l)).join(' + ')),
      h('div', { class: 'hint' }, 'Geodesic distance on the WGS84 ellipsoid.'),
    );
  };
  const onClick = (e: MapMouseEvent) => {
    pts.push([e.lngLat.lng, e.lngLat.lat]);
    void update();
  };
  const onKey = (e: KeyboardEvent) => {
    if (!on) return;
    if (e.key === 'Backspace' && (e.target as HTMLElement)?.tagName !== 'INPUT') {
      pts.pop();
      void update();
    }
  };
  document.addEventListener('keydown', onKey);
  const toggle = () => {
    on = !on;
    button.classList.toggle('on', on);
    box.hidden = !on;
    map.getCanvas().style.cursor = on ? 'crosshair' : '';
    if (on) {
      pts = [];
      map.on('click', onClick);
      void update();
    } else {
      map.off('click', onClick);
      pts = [];
      if (map.getSource('measure')) (map.getSource('measure') as GeoJSONSource).setData(data());
    }
  };
  return { toggle, active: () => on };
}
