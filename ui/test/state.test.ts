import { describe, expect, it } from 'vitest';
import { activeCount, emptyFilter, glyphsUrl, tileUrl, toEngineFilter, toggle } from '../src/state';

describe('filter state', () => {
  it('an empty filter restricts nothing', () => {
    const f = toEngineFilter(emptyFilter());
    expect(f).toEqual({
      bbox: null,
      from: null,
      to: null,
      event_types: [],
      actor: null,
      fatalities_min: null,
      fatalities_max: null,
      geo_precision: [],
      source: null,
      border_km_max: null,
    });
    expect(activeCount(emptyFilter())).toBe(0);
  });

  it('cleans what the inputs give', () => {
    const s = {
      ...emptyFilter(),
      from: 20100,
      to: 20000,
      actor: '  Taliban ',
      source: '   ',
      fatalitiesMin: 10,
      fatalitiesMax: 2.7,
      geoPrecision: [1, 4, 2],
      borderKm: -5,
      eventTypes: ['Battles'],
    };
    const f = toEngineFilter(s, [60, 25, 75, 38]);
    expect(f.from).toBe(20000);
    expect(f.to).toBe(20100);
    expect(f.actor).toBe('Taliban');
    expect(f.source).toBeNull();
    expect([f.fatalities_min, f.fatalities_max]).toEqual([2, 10]);
    expect(f.geo_precision).toEqual([1, 2]);
    expect(f.border_km_max).toBeNull();
    expect(f.bbox).toEqual([60, 25, 75, 38]);
    expect(f.event_types).toEqual(['Battles']);
    expect(f.event_types).not.toBe(s.eventTypes);
    expect(activeCount(s)).toBe(5);
  });

  it('NaN numbers mean no restriction', () => {
    const f = toEngineFilter({ ...emptyFilter(), fatalitiesMin: NaN, borderKm: NaN });
    expect(f.fatalities_min).toBeNull();
    expect(f.border_km_max).toBeNull();
  });

  it('toggles values immutably', () => {
    const a = ['x', 'y'];
    expect(toggle(a, 'x')).toEqual(['y']);
    expect(toggle(a, 'z')).toEqual(['x', 'y', 'z']);
    expect(a).toEqual(['x', 'y']);
  });
});

describe('URLs', () => {
  it('builds the tile template without encoding the braces', () => {
    expect(tileUrl('tiles://localhost/', 7)).toBe('tiles://localhost/7/{z}/{x}/{y}.pbf');
    expect(tileUrl('http://tiles.localhost', 0)).toBe('http://tiles.localhost/0/{z}/{x}/{y}.pbf');
    expect(() => tileUrl('tiles://localhost/', -1)).toThrow();
    expect(() => tileUrl('tiles://localhost/', 1.5)).toThrow();
  });
  it('puts glyphs beside the page', () => {
    expect(glyphsUrl('tauri://localhost/index.html')).toBe('tauri://localhost/glyphs/{fontstack}/{range}.pbf');
    expect(glyphsUrl('http://localhost:5173/')).toBe('http://localhost:5173/glyphs/{fontstack}/{range}.pbf');
  });
});
