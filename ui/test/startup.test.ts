import { describe, expect, it } from 'vitest';
import { deferredSources } from '../src/startup';

const fc = (n: number): GeoJSON.FeatureCollection => ({
  type: 'FeatureCollection',
  features: Array.from({ length: n }, () => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [70, 34] } })),
});

describe('start-up', () => {
  it('holds back the provinces polygons until after the first frame, keeping their layers', () => {
    const data = { 'provinces.geojson': fc(40), 'border.geojson': fc(1) };
    const { now, after } = deferredSources(data);
    expect(now['provinces.geojson'].features).toEqual([]); // the style still has the source
    expect(now['border.geojson']).toBe(data['border.geojson']);
    expect(after).toEqual([['provinces', data['provinces.geojson']]]);
    expect(data['provinces.geojson'].features.length).toBe(40); // the input is untouched
    expect(deferredSources({}).after).toEqual([]);
  });
});
