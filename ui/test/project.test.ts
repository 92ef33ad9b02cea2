import { describe, expect, it } from 'vitest';
import { annotationsGeoJSON, boundsOf, dedupe, geometryFor, kindText } from '../src/annotations';
import { fromEngineFilter, projectName, snapshotOf, viewOf, windowTitle, withPreset } from '../src/project-state';
import { emptyFilter, toEngineFilter } from '../src/state';
import type { Annotation } from '../src/api';

const camera = (lng: number, lat: number, zoom: number) => ({
  getCenter: () => ({ lng, lat }),
  getZoom: () => zoom,
  getBearing: () => 0,
  getPitch: () => 0,
  getBounds: () => ({ getWest: () => lng - 1, getSouth: () => lat - 1, getEast: () => lng + 1, getNorth: () => lat + 1 }),
});

describe('project state', () => {
  it('titles the window with the name and a dot for unsaved changes', () => {
    expect(windowTitle('study', false)).toBe('Border Atlas — study');
    expect(windowTitle('study', true)).toBe('Border Atlas — study •');
  });

  it('round-trips the filter through the engine form', () => {
    const s = { ...emptyFilter(), from: 20000, to: 20100, eventTypes: ['Battles'], actor: 'TTP', fatalitiesMin: 1, geoPrecision: [1, 2], borderKm: 10 };
    expect(fromEngineFilter(toEngineFilter(s))).toEqual(s);
    expect(fromEngineFilter({})).toEqual(emptyFilter());
  });

  it('drops what a hand-edited project should not carry into the page', () => {
    const f = fromEngineFilter({ event_types: ['A', 3 as unknown as string], geo_precision: [1, 9], from: Number.NaN, actor: null });
    expect(f.eventTypes).toEqual(['A']);
    expect(f.geoPrecision).toEqual([1]);
    expect(f.from).toBeNull();
    expect(f.actor).toBe('');
  });

  it('snapshots the view, clamped to what the backend accepts', () => {
    const v = viewOf(camera(71, 34, 30));
    expect(v.center).toEqual([71, 34]);
    expect(v.zoom).toBe(24);
    expect(v.bounds).toEqual([70, 33, 72, 35]);
    const s = snapshotOf({ ...emptyFilter(), from: 5 }, camera(0, 0, 3));
    expect(s.filter.from).toBe(5);
    expect(s.filter.bbox).toBeNull();
  });

  it('keeps export presets: sent only when known, the dialog settings as the first', () => {
    expect(snapshotOf(emptyFilter(), camera(0, 0, 3)).export_presets).toBeUndefined();
    const kept = { name: 'other', paper: 'a3-portrait', dpi: 300, format: 'pdf', title: '', subtitle: '', notes: '' };
    const first = { ...kept, name: 'report', paper: 'a4-portrait' };
    const dialog = { paper: 'custom', dpi: 150, format: 'mp4', title: 'T', subtitle: 'S', notes: 'Line one\nLine two' };
    const p = withPreset([first, kept], dialog);
    expect(p).toEqual([{ ...dialog, name: 'report', paper: 'a4-portrait' }, kept]);
    expect(withPreset([], { ...dialog, paper: 'a4-landscape' })[0].name).toBe('default');
    expect(snapshotOf(emptyFilter(), camera(0, 0, 3), p).export_presets?.[0].notes).toBe('Line one\nLine two');
  });

  it('names projects from their paths', () => {
    expect(projectName('/r/study.atlas.json')).toBe('study');
    expect(projectName('C:\\r\\Kurram 2025.ATLAS.json')).toBe('Kurram 2025');
  });
});

describe('annotations', () => {
  it('makes geometries only from enough points', () => {
    expect(geometryFor('point', [])).toBeNull();
    expect(geometryFor('point', [[1, 2]])).toEqual({ type: 'Point', coordinates: [1, 2] });
    expect(geometryFor('line', [[1, 2]])).toBeNull();
    expect(geometryFor('line', [[1, 2], [3, 4]])).toEqual({ type: 'LineString', coordinates: [[1, 2], [3, 4]] });
    expect(geometryFor('polygon', [[0, 0], [1, 0]])).toBeNull();
    expect(geometryFor('polygon', [[0, 0], [1, 0], [1, 1]])).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] });
  });

  it('drops the point a double-click repeats', () => {
    expect(dedupe([[0, 0], [1, 1], [1, 1], [2, 2]])).toEqual([[0, 0], [1, 1], [2, 2]]);
  });

  it('describes and bounds geometries', () => {
    const poly = geometryFor('polygon', [[70, 33], [71, 33], [71, 34]])!;
    expect(kindText(poly)).toBe('Polygon (3 corners)');
    expect(boundsOf(poly)).toEqual([70, 33, 71, 34]);
    expect(kindText({ type: 'Point', coordinates: [1, 2] })).toBe('Point');
  });

  it('draws annotations as features with their title as text', () => {
    const a: Annotation = { id: 7, geometry: { type: 'Point', coordinates: [71, 34] }, title: '<img src=x onerror=alert(1)>', note: '', created: '', modified: '' };
    const fc = annotationsGeoJSON([a], 7);
    expect(fc.features[0].id).toBe(7);
    expect(fc.features[0].properties).toEqual({ id: 7, title: '<img src=x onerror=alert(1)>', selected: true });
  });
});

describe('annotation dialog', () => {
  it('keeps titles and notes as text and resolves with what was typed', async () => {
    document.body.replaceChildren(Object.assign(document.createElement('div'), { id: 'modal', hidden: true }));
    const { editDialog } = await import('../src/annotations');
    const p = editDialog('Edit', '<img src=x onerror=alert(1)>', 'a <b>note</b>');
    const modal = document.getElementById('modal')!;
    expect(modal.hidden).toBe(false);
    expect(modal.querySelector('img')).toBeNull();
    expect((modal.querySelector('#annotation-title') as HTMLInputElement).value).toBe('<img src=x onerror=alert(1)>');
    (modal.querySelector('#annotation-note') as HTMLTextAreaElement).value = 'changed';
    (modal.querySelector('#annotation-ok') as HTMLButtonElement).click();
    expect(await p).toEqual({ title: '<img src=x onerror=alert(1)>', note: 'changed' });
    expect(modal.hidden).toBe(true);
  });

  it('resolves null on Escape', async () => {
    document.body.replaceChildren(Object.assign(document.createElement('div'), { id: 'modal', hidden: true }));
    const { editDialog } = await import('../src/annotations');
    const p = editDialog('New point', '', '');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(await p).toBeNull();
  });
});
