import { describe, expect, it } from 'vitest';
import type { Map as MlMap } from 'maplibre-gl';
import { App } from '../src/app';
import { mountFilters } from '../src/panels/filters';
import { fromEngineFilter } from '../src/project-state';
import { emptyFilter } from '../src/state';

const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
const checked = (id: string) => (document.getElementById(id) as HTMLInputElement).checked;

describe('filters panel', () => {
  it('shows a filter replaced from outside (a project opened) in every field', () => {
    document.body.innerHTML = '<div id="root"></div>';
    const app = new App({} as MlMap);
    mountFilters(app, document.getElementById('root') as HTMLElement);
    // A field the researcher had typed in before opening the project.
    (document.getElementById('filter-actor') as HTMLInputElement).value = 'old actor';
    (document.getElementById('filter-fat-min') as HTMLInputElement).value = '99';
    app.replaceFilter(
      fromEngineFilter({ actor: 'TTP', fatalities_min: 2, fatalities_max: 10, geo_precision: [1, 3], source: 'Dawn', border_km_max: 25 }),
    );
    expect(value('filter-actor')).toBe('TTP');
    expect(value('filter-fat-min')).toBe('2');
    expect(value('filter-fat-max')).toBe('10');
    expect(value('filter-source')).toBe('Dawn');
    expect(value('filter-corridor')).toBe('25');
    expect([1, 2, 3].map((p) => checked(`filter-prec-${p}`))).toEqual([true, false, true]);
    // A project without these filters clears them.
    app.replaceFilter(emptyFilter());
    expect(value('filter-actor')).toBe('');
    expect(value('filter-fat-min')).toBe('');
    expect(value('filter-corridor')).toBe('');
    expect([1, 2, 3].map((p) => checked(`filter-prec-${p}`))).toEqual([true, true, true]);
  });

  it('leaves the field being typed in alone', () => {
    document.body.innerHTML = '<div id="root"></div>';
    const app = new App({} as MlMap);
    mountFilters(app, document.getElementById('root') as HTMLElement);
    const actor = document.getElementById('filter-actor') as HTMLInputElement;
    actor.focus();
    actor.value = 'Tali';
    app.replaceFilter({ ...emptyFilter(), source: 'Dawn' });
    expect(actor.value).toBe('Tali');
    expect(value('filter-source')).toBe('Dawn');
  });
});
