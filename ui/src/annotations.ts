/**
 * Annotations on the map: the researcher's points, lines and polygons with a title and
 * a note. Drawn from a small GeoJSON source (annotations are few and hand-made); the
 * drawing tool adds a point with a click, a line or polygon with clicks (double-click or
 * Enter finishes, Esc cancels); the title/note dialog is in-page and text only.
 */
import type { ExpressionSpecification, GeoJSONSource, Map as MlMap, MapMouseEvent } from 'maplibre-gl';
import type { Annotation, AnnotationGeometry } from './api';
import { h } from './dom';
import { modalDialog } from './confirm';

export type DrawMode = 'point' | 'line' | 'polygon';
type Pos = [number, number];

export const ANNOTATION_SOURCE = 'annotations';
const DRAFT_SOURCE = 'annotations-draft';
export const ANNOTATION_LAYERS = ['annotations-fill', 'annotations-line', 'annotations-point', 'annotations-label'];
const COLOR = '#6a1b9a';

/** The geometry a finished drawing makes, or null when it has too few points. */
export function geometryFor(mode: DrawMode, pts: Pos[]): AnnotationGeometry | null {
  if (mode === 'point') return pts.length >= 1 ? { type: 'Point', coordinates: pts[0] } : null;
  if (mode === 'line') return pts.length >= 2 ? { type: 'LineString', coordinates: pts } : null;
  return pts.length >= 3 ? { type: 'Polygon', coordinates: [[...pts, pts[0]]] } : null;
}

/** Drop a point repeated by the two clicks of a double-click (closer than `eps` degrees). */
export function dedupe(pts: Pos[], eps = 1e-9): Pos[] {
  return pts.filter((p, i) => i === 0 || Math.abs(p[0] - pts[i - 1][0]) > eps || Math.abs(p[1] - pts[i - 1][1]) > eps);
}

/** `[west, south, east, north]` of a geometry. */
export function boundsOf(g: AnnotationGeometry): [number, number, number, number] {
  const pts: Pos[] = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates.flat();
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return b;
}

/** `Point`, `Line (3 points)`, `Polygon (4 corners)`. */
export function kindText(g: AnnotationGeometry): string {
  if (g.type === 'Point') return 'Point';
  if (g.type === 'LineString') return `Line (${g.coordinates.length} points)`;
  return `Polygon (${Math.max(0, (g.coordinates[0]?.length ?? 1) - 1)} corners)`;
}

/** The annotations as a FeatureCollection for the map (title as a label). */
export function annotationsGeoJSON(items: Annotation[], selected: number | null = null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map((a) => ({
      type: 'Feature',
      id: a.id,
      geometry: a.geometry as GeoJSON.Geometry,
      properties: { id: a.id, title: a.title, selected: a.id === selected },
    })),
  };
}

function draftGeoJSON(mode: DrawMode | null, pts: Pos[], cursor: Pos | null): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = pts.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: p }, properties: {} }));
  const line = cursor ? [...pts, cursor] : pts;
  if (mode && mode !== 'point' && line.length >= 2) {
    const coords = mode === 'polygon' && line.length >= 3 ? [...line, line[0]] : line;
    features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: coords }, properties: {} });
  }
  return { type: 'FeatureCollection', features };
}

/** Add the annotation sources and layers (on top of everything). */
export function addAnnotationLayers(map: MlMap): void {
  const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
  if (!map.getSource(ANNOTATION_SOURCE)) map.addSource(ANNOTATION_SOURCE, { type: 'geojson', data: empty });
  if (!map.getSource(DRAFT_SOURCE)) map.addSource(DRAFT_SOURCE, { type: 'geojson', data: empty });
  const sel: ExpressionSpecification = ['boolean', ['get', 'selected'], false];
  map.addLayer({ id: 'annotations-fill', type: 'fill', source: ANNOTATION_SOURCE, filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': COLOR, 'fill-opacity': 0.15 } });
  map.addLayer({
    id: 'annotations-line',
    type: 'line',
    source: ANNOTATION_SOURCE,
    filter: ['!=', ['geometry-type'], 'Point'],
    paint: { 'line-color': COLOR, 'line-width': ['case', sel, 4, 2.5], 'line-dasharray': [3, 1.5] },
  });
  map.addLayer({
    id: 'annotations-point',
    type: 'circle',
    source: ANNOTATION_SOURCE,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-color': '#ffffff', 'circle-radius': ['case', sel, 8, 6], 'circle-stroke-color': COLOR, 'circle-stroke-width': 3 },
  });
  map.addLayer({
    id: 'annotations-label',
    type: 'symbol',
    source: ANNOTATION_SOURCE,
    layout: { 'text-field': ['get', 'title'], 'text-font': ['Noto Sans Regular'], 'text-size': 12, 'text-offset': [0, 1.2], 'text-anchor': 'top', 'text-optional': true },
    paint: { 'text-color': COLOR, 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
  });
  map.addLayer({ id: 'annotations-draft-line', type: 'line', source: DRAFT_SOURCE, filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': COLOR, 'line-width': 2, 'line-dasharray': [1, 1] } });
  map.addLayer({ id: 'annotations-draft-point', type: 'circle', source: DRAFT_SOURCE, filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-color': COLOR, 'circle-radius': 4 } });
}

export function drawAnnotations(map: MlMap, items: Annotation[], selected: number | null = null): void {
  (map.getSource(ANNOTATION_SOURCE) as GeoJSONSource | undefined)?.setData(annotationsGeoJSON(items, selected));
}

export interface DrawHooks {
  /** A drawing was finished with enough points. */
  finished(mode: DrawMode, g: AnnotationGeometry): void;
  /** The tool started (mode) or stopped (null). */
  changed(mode: DrawMode | null): void;
}

/** The drawing tool. */
export class DrawTool {
  private mode: DrawMode | null = null;
  private pts: Pos[] = [];
  private cursor: Pos | null = null;
  private stoppedAt = -Infinity;

  constructor(
    private readonly map: MlMap,
    private readonly hooks: DrawHooks,
  ) {
    map.on('click', (e: MapMouseEvent) => {
      if (!this.mode) return;
      this.pts.push([e.lngLat.lng, e.lngLat.lat]);
      if (this.mode === 'point') this.finish();
      else this.redraw();
    });
    map.on('dblclick', (e: MapMouseEvent) => {
      if (!this.mode) return;
      e.preventDefault();
      this.finish();
    });
    map.on('mousemove', (e: MapMouseEvent) => {
      if (!this.mode || this.mode === 'point') return;
      this.cursor = [e.lngLat.lng, e.lngLat.lat];
      this.redraw();
    });
    document.addEventListener(
      'keydown',
      (e) => {
        if (!this.mode) return;
        const t = e.target as HTMLElement | null;
        if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
        if (e.key === 'Escape') {
          e.stopPropagation();
          e.preventDefault();
          this.cancel();
        } else if (e.key === 'Enter') {
          e.stopPropagation();
          e.preventDefault();
          this.finish();
        }
      },
      true,
    );
  }

  active(): DrawMode | null {
    return this.mode;
  }

  /** Drawing, or just finished (the click that finished it must not open anything). */
  busy(): boolean {
    return this.mode !== null || performance.now() - this.stoppedAt < 400;
  }

  start(mode: DrawMode): void {
    this.mode = mode;
    this.pts = [];
    this.cursor = null;
    this.map.doubleClickZoom.disable();
    this.map.getCanvas().style.cursor = 'crosshair';
    document.body.dataset.drawing = mode;
    this.redraw();
    this.hooks.changed(mode);
  }

  cancel(): void {
    if (!this.mode) return;
    this.stop();
  }

  /** Finish the drawing (too few points: cancelled). */
  finish(): void {
    const mode = this.mode;
    if (!mode) return;
    const g = geometryFor(mode, dedupe(this.pts));
    this.stop();
    if (g) this.hooks.finished(mode, g);
  }

  private stop(): void {
    this.stoppedAt = performance.now();
    this.mode = null;
    this.pts = [];
    this.cursor = null;
    this.redraw();
    this.map.getCanvas().style.cursor = '';
    delete document.body.dataset.drawing;
    // Re-enable after this event's double-click has been handled.
    setTimeout(() => this.map.doubleClickZoom.enable(), 0);
    this.hooks.changed(null);
  }

  private redraw(): void {
    (this.map.getSource(DRAFT_SOURCE) as GeoJSONSource | undefined)?.setData(draftGeoJSON(this.mode, this.pts, this.cursor));
  }
}

/** The title and note dialog (text only). Resolves null on Cancel or Esc. */
export function editDialog(heading: string, title: string, note: string): Promise<{ title: string; note: string } | null> {
  return modalDialog<{ title: string; note: string } | null>(null, (done) => {
    const t = h('input', { id: 'annotation-title', value: title, ariaLabel: 'Title', placeholder: 'Title' });
    t.maxLength = 200;
    const n = h('textarea', { id: 'annotation-note', ariaLabel: 'Note', placeholder: 'Note (sources, uncertainty, what was seen)' });
    n.value = note;
    n.maxLength = 10000;
    n.rows = 6;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && e.target === t) {
        e.preventDefault();
        done({ title: t.value, note: n.value });
      }
    };
    const el = h(
      'div',
      { class: 'dialog annotation-dialog', role: 'dialog', id: 'annotation-dialog' },
      h('h3', {}, heading),
      h('label', { class: 'field' }, 'Title', t),
      h('label', { class: 'field' }, 'Note', n),
      h(
        'div',
        { class: 'actions' },
        h('button', { id: 'annotation-cancel', onclick: () => done(null) }, 'Cancel'),
        h('button', { class: 'primary', id: 'annotation-ok', onclick: () => done({ title: t.value, note: n.value }) }, 'Save'),
      ),
    );
    return { el, focus: t, onKey };
  });
}
