import { describe, expect, it } from 'vitest';
import { problemLine, progressText, fraction } from '../src/imports';
import { colorExpression, layerTileUrl, layerSpecs, mapLayerIds } from '../src/layers-map';
import { legendRows, styleByFor } from '../src/panels/layers';
import type { JobStatus, LayerInfo, LayerStyle } from '../src/api';

const style = (over: Partial<LayerStyle> = {}): LayerStyle => ({
  color: '#1b9e77',
  size: 2,
  opacity: 0.5,
  fill: '#1b9e77',
  visible: true,
  order: 0,
  by_attribute: null,
  ...over,
});
const layer = (s: LayerStyle): LayerInfo => ({
  id: 3,
  meta: { name: 'Zones', style: s, revision: 2 },
  kind: 'polygon',
  geometry_types: [['Polygon', 6]],
  features: 6,
  bbox: [70, 33, 72, 35],
  path: null,
  properties: [],
});

describe('import progress and problems', () => {
  it('formats a located problem with its record', () => {
    expect(problemLine({ file: 'a', line: 12, column: 7, record: { kind: 'feature', index: 3 }, message: 'latitude 95.2 out of range [-90, 90]' })).toBe(
      '12:7 — latitude 95.2 out of range [-90, 90] (feature 3)',
    );
    expect(problemLine({ file: 'a', line: 4, column: null, record: { kind: 'csv_row', index: 3 }, message: 'bad date' })).toBe('4 — bad date (CSV row 3)');
    expect(problemLine({ file: 'a', line: null, column: null, record: null, message: 'empty file' })).toBe('empty file');
  });
  it('reports bytes, records and time', () => {
    const j: JobStatus = { id: 1, name: 'x', bytes_read: 12_500_000, bytes_total: 518_000_000, records: 240000, elapsed_ms: 1234, outcome: { state: 'running' } };
    expect(progressText(j)).toBe('12.5 of 518.0 MB · 240,000 records · 1.2 s');
    expect(fraction(j)).toBeCloseTo(0.0241, 3);
    expect(fraction({ ...j, bytes_total: 0 })).toBe(0);
  });
});

describe('layer styles', () => {
  it('one colour, categories and graduated classes', () => {
    expect(colorExpression(style())).toBe('#1b9e77');
    const cat = styleByFor({ name: 'category', kind: 'text', values: ['north', 'south'], min: null, max: null });
    expect(cat).toEqual({ mode: 'categorical', property: 'category', colors: { north: '#e41a1c', south: '#377eb8' }, other: '#9e9e9e' });
    expect(colorExpression(style({ by_attribute: cat }))).toEqual(['match', ['to-string', ['get', 'category']], 'north', '#e41a1c', 'south', '#377eb8', '#9e9e9e']);
    const grad = styleByFor({ name: 'population', kind: 'number', values: [], min: 0, max: 500 });
    expect(grad.mode).toBe('graduated');
    if (grad.mode !== 'graduated') return;
    expect(grad.breaks).toEqual([100, 200, 300, 400]);
    expect(grad.colors).toHaveLength(5);
    const e = colorExpression(style({ by_attribute: grad })) as unknown[];
    expect(e[0]).toBe('step');
    expect(e.slice(3, 5)).toEqual([100, '#fecc5c']);
    const rows = legendRows(layer(style({ by_attribute: grad })));
    expect(rows[0][1]).toBe('population < 100');
    expect(rows[4][1]).toBe('population ≥ 400');
  });
  it('a constant property gives one class, not a division by zero', () => {
    const g = styleByFor({ name: 'n', kind: 'number', values: [], min: 5, max: 5 });
    expect(g).toEqual({ mode: 'graduated', property: 'n', breaks: [], colors: ['#ffffb2'] });
  });
  it('map layers follow visibility and the tile URL carries the revision', () => {
    expect(layerTileUrl('tiles://localhost/', 3, 2)).toBe('tiles://localhost/layer/3/2/{z}/{x}/{y}.pbf');
    const specs = layerSpecs(layer(style({ visible: false })));
    expect(specs.map((s) => s.id)).toEqual(mapLayerIds(3));
    expect(specs.every((s) => (s.layout as { visibility?: string }).visibility === 'none')).toBe(true);
    const shown = layerSpecs(layer(style({ fill: null })));
    expect((shown[0].layout as { visibility: string }).visibility).toBe('none');
    expect((shown[1].layout as { visibility: string }).visibility).toBe('visible');
  });
});

import { clampDpi, pixelSize } from '../src/panels/export';
describe('export dialog', () => {
  it('gives the pixel size of a paper at a DPI', () => {
    expect(pixelSize('a4-landscape', 300)).toEqual([3508, 2480]);
    expect(pixelSize('a4-portrait', 300)).toEqual([2480, 3508]);
    expect(pixelSize('custom', 300)).toBeNull();
  });
  it('keeps the DPI within 72–600', () => {
    expect(clampDpi(30)).toBe(72);
    expect(clampDpi(1200)).toBe(600);
    expect(clampDpi(Number.NaN)).toBe(300);
  });
});

import { countStyle } from '../src/panels/layers';
describe('join choropleth', () => {
  it('classes counts from zero to the maximum', () => {
    const t = { rows: [0, 3, 8, 20].map((c, i) => ({ feature: i, id: null, name: null, count: c, fatalities: 0, unknown_fatalities: 0 })), outside: 0, unmapped: 0 };
    const s = countStyle(t);
    expect(s).toEqual({ mode: 'graduated', property: 'incidents', breaks: [1, 6, 11, 16], colors: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] });
    expect(countStyle({ rows: [], outside: 0, unmapped: 0 }).mode).toBe('graduated');
  });
});
