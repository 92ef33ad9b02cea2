import { describe, expect, it } from 'vitest';
import { count, dayOf, geoPrecision, isoOf, km, longDate, lonLat, plural } from '../src/format';
import { binFor } from '../src/app';

describe('format', () => {
  it('converts dates like the engine (days since 1970-01-01)', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(dayOf('2025-10-12')).toBe(20373);
    expect(isoOf(20373)).toBe('2025-10-12');
    expect(dayOf('2025-02-30')).toBeNull();
    expect(dayOf('12/10/2025')).toBeNull();
    expect(dayOf('2025-13-01')).toBeNull();
    expect(longDate(20373)).toBe('12 Oct 2025');
  });
  it('formats distances', () => {
    expect(km(0.85)).toBe('850 m');
    expect(km(4.24)).toBe('4.2 km');
    expect(km(1234.4)).toBe('1,234 km');
    expect(km(null)).toBe('—');
    expect(km(NaN)).toBe('—');
  });
  it('formats coordinates and counts', () => {
    expect(lonLat(71.09, 34.12)).toBe('34.1200° N, 71.0900° E');
    expect(lonLat(-1, -2, 1)).toBe('2.0° S, 1.0° W');
    expect(count(12345)).toBe('12,345');
    expect(plural(1, 'incident')).toBe('1 incident');
    expect(plural(3, 'incident')).toBe('3 incidents');
    expect(geoPrecision(3)).toBe('province or region');
  });
  it('chooses histogram bins from the range', () => {
    expect(binFor(7)).toBe('day');
    expect(binFor(365)).toBe('week');
    expect(binFor(3000)).toBe('month');
  });
});
