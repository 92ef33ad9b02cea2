/** The filter panel: event type (with live counts), actor, fatalities, precision, source, corridor. */
import type { App } from '../app';
import { h, replace } from '../dom';
import { count } from '../format';
import { palette } from '../style';
import { activeCount, emptyFilter, toggle } from '../state';

const colorOf = (t: string): string =>
  (palette.layers.incidents.by_event_type as Record<string, { color: string }>)[t]?.color ?? palette.layers.incidents.default.color;

function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

export function mountFilters(app: App, root: HTMLElement): void {
  const typesBox = h('div', { class: 'types', id: 'filter-types' });
  const num = (v: string): number | null => (v.trim() === '' ? null : Number(v));
  const input = (id: string, ph: string, type = 'text') => {
    const el = h('input', { id, placeholder: ph, type });
    return el;
  };
  const actor = input('filter-actor', 'e.g. Taliban, Military Forces of Pakistan');
  const source = input('filter-source', 'outlet name');
  const fmin = input('filter-fat-min', 'min', 'number');
  const fmax = input('filter-fat-max', 'max', 'number');
  const corridor = input('filter-corridor', 'km (blank = everywhere)', 'number');
  const prec = h('div', { class: 'precision' });
  const labels = ['1 exact', '2 near / district', '3 province / region'];
  const precBoxes = [1, 2, 3].map((p, i) => {
    const cb = h('input', { type: 'checkbox', id: `filter-prec-${p}` });
    cb.checked = true;
    cb.addEventListener('change', () => {
      const on = precBoxes.map((b, j) => (b.checked ? j + 1 : 0)).filter((v) => v > 0);
      if (on.length === 0) {
        cb.checked = true; // at least one precision stays shown
        return;
      }
      void app.update({ geoPrecision: on.length === 3 ? [] : on });
    });
    prec.appendChild(h('label', {}, cb, labels[i]));
    return cb;
  });
  const text = debounce(() => {
    void app.update({
      actor: actor.value,
      source: source.value,
      fatalitiesMin: num(fmin.value),
      fatalitiesMax: num(fmax.value),
      borderKm: num(corridor.value),
    });
  }, 250);
  for (const el of [actor, source, fmin, fmax, corridor]) el.addEventListener('input', text);
  const reset = h('button', {
    id: 'filter-reset',
    onclick: () => {
      for (const el of [actor, source, fmin, fmax, corridor]) el.value = '';
      precBoxes.forEach((b) => (b.checked = true));
      void app.update({ ...emptyFilter(), from: app.filter.from, to: app.filter.to });
    },
  }, 'Reset filters');
  /** Show the applied filter in the fields (after a project opens, or any change made
   * elsewhere); the field being typed in is left alone. */
  const showApplied = () => {
    const f = app.filter;
    const numText = (v: number | null) => (v === null || !Number.isFinite(v) ? '' : String(v));
    const fields: [HTMLInputElement, string, (v: string) => boolean][] = [
      [actor, f.actor, (v) => v === f.actor],
      [source, f.source, (v) => v === f.source],
      [fmin, numText(f.fatalitiesMin), (v) => num(v) === f.fatalitiesMin],
      [fmax, numText(f.fatalitiesMax), (v) => num(v) === f.fatalitiesMax],
      [corridor, numText(f.borderKm), (v) => num(v) === f.borderKm],
    ];
    for (const [el, text, same] of fields) {
      if (el !== document.activeElement && !same(el.value)) el.value = text;
    }
    precBoxes.forEach((b, i) => (b.checked = f.geoPrecision.length === 0 || f.geoPrecision.includes(i + 1)));
  };
  app.on('filter', showApplied);
  const summary = h('p', { class: 'summary', id: 'filter-summary' });
  replace(
    root,
    summary,
    h('h4', {}, 'Event type'),
    typesBox,
    h('h4', {}, 'Actor'),
    actor,
    h('h4', {}, 'Fatalities (as recorded)'),
    h('div', { class: 'row' }, fmin, h('span', {}, '–'), fmax),
    h('p', { class: 'hint' }, 'A fatalities range hides events with no recorded figure.'),
    h('h4', {}, 'Geo precision'),
    prec,
    h('h4', {}, 'Source'),
    source,
    h('h4', {}, 'Border corridor'),
    corridor,
    reset,
  );

  const renderTypes = () => {
    const all = app.info?.event_types.map(([t]) => t) ?? [];
    const by = new Map(app.counts?.by_event_type ?? []);
    replace(typesBox);
    for (const t of all) {
      const cb = h('input', { type: 'checkbox', dataset: { type: t } });
      cb.checked = app.filter.eventTypes.length === 0 || app.filter.eventTypes.includes(t);
      cb.addEventListener('change', () => {
        // No types ticked = all; unticking from "all" keeps the rest.
        const cur = app.filter.eventTypes.length ? app.filter.eventTypes : all;
        let next = toggle(cur, t);
        if (next.length === 0) {
          cb.checked = true; // at least one type stays shown
          return;
        }
        if (next.length === all.length) next = [];
        void app.update({ eventTypes: next });
      });
      typesBox.appendChild(
        h('label', { class: 'type' }, cb, h('span', { class: 'swatch', title: t }), h('span', { class: 'name' }, t), h('span', { class: 'n' }, count(by.get(t) ?? 0))),
      );
      const sw = typesBox.lastElementChild?.querySelector('.swatch') as HTMLElement | null;
      if (sw) sw.style.background = colorOf(t);
    }
  };
  app.on('info', renderTypes);
  app.on('filter', renderTypes);
  app.on('counts', () => {
    renderTypes();
    const c = app.counts;
    const n = activeCount(app.filter);
    replace(summary, c ? `${count(c.total)} incidents match` : '', n ? ` · ${n} filter${n > 1 ? 's' : ''} active` : '');
  });
}
