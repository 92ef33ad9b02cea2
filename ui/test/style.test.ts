import { describe, expect, it } from 'vitest';
import { BORDER_LABEL, buildStyle, eventTypeColor, palette, southernmost } from '../src/style';

const line = (coords: number[][]): GeoJSON.FeatureCollection => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } }],
});
const pts: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

describe('map style', () => {
  it('only has layers for the files present, incidents always', () => {
    const s = buildStyle({}, 'g/{fontstack}/{range}.pbf', 'tiles://localhost/1/{z}/{x}/{y}.pbf');
    const ids = s.layers.map((l) => l.id);
    expect(ids).toContain('incidents-precise');
    expect(ids).toContain('clusters');
    expect(ids).not.toContain('border');
    expect(s.sources.incidents).toMatchObject({ type: 'vector', tiles: ['tiles://localhost/1/{z}/{x}/{y}.pbf'] });
  });

  it('labels the border neutrally and draws it from the shared palette', () => {
    const s = buildStyle(
      { 'border.geojson': line([[70, 35], [66, 29.5], [62, 29.8]]), 'crossings.geojson': pts, 'places.geojson': pts },
      'g',
      't',
    );
    const border = s.layers.find((l) => l.id === 'border') as { paint: Record<string, unknown> };
    expect(border.paint['line-color']).toBe(palette.layers.border.stroke);
    const labels = s.layers.filter((l) => l.id.startsWith('border-label')) as { layout: Record<string, unknown> }[];
    expect(labels.length).toBe(2);
    for (const l of labels) expect(l.layout['text-field']).toBe(BORDER_LABEL);
    expect(BORDER_LABEL).toBe('Afghanistan–Pakistan border (Durand Line)');
    // Precision 2–3 drawn hollow with a ring; precision 1 filled.
    const ids = s.layers.map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['incidents-approx-ring', 'incidents-approx', 'crossings-label', 'places-label']));
  });

  it('colours every event type of the palette', () => {
    const e = eventTypeColor() as unknown[];
    for (const [t, v] of Object.entries(palette.layers.incidents.by_event_type)) {
      const i = e.indexOf(t);
      expect(i).toBeGreaterThan(1);
      expect(e[i + 1]).toBe(v.color);
    }
    expect(e[e.length - 1]).toBe(palette.layers.incidents.default.color);
  });

  it('finds the southernmost vertex', () => {
    expect(southernmost(line([[70, 35], [66, 29.5], [62, 29.8]]))).toEqual([66, 29.5]);
    expect(southernmost(undefined)).toBeNull();
  });
});
