/** Incidents in the current view: sortable, with distance to the border and the nearest crossing. */
import type { App } from '../app';
import { api, type ListRow } from '../api';
import { h, replace } from '../dom';
import { count, km } from '../format';
import { toEngineFilter } from '../state';

const SORTS: [string, string][] = [
  ['-date', 'Newest'],
  ['date', 'Oldest'],
  ['border', 'Nearest the border'],
  ['crossing', 'Nearest a crossing'],
  ['fatalities', 'Most fatalities'],
  ['type', 'Event type'],
];

export function mountList(app: App, root: HTMLElement, onPick: (r: ListRow) => void): { refresh(): void } {
  const sort = h('select', { id: 'list-sort', ariaLabel: 'Sort' });
  for (const [v, t] of SORTS) {
    const o = h('option', {}, t);
    o.value = v;
    sort.appendChild(o);
  }
  const head = h('p', { class: 'summary', id: 'list-summary' });
  const body = h('ol', { class: 'list', id: 'list-rows' });
  replace(root, h('div', { class: 'row' }, head, sort), body);
  let seq = 0;
  const refresh = async () => {
    const my = ++seq;
    try {
      const res = await api.inView(toEngineFilter(app.filter, app.viewBox()), sort.value, 300);
      if (my !== seq) return;
      replace(head, res.total > res.rows.length ? `${count(res.rows.length)} of ${count(res.total)} in view` : `${count(res.total)} in view`);
      replace(body);
      for (const r of res.rows) {
        const li = h(
          'li',
          { tabindex: '0', dataset: { id: r.event_id }, onclick: () => onPick(r) },
          h('div', { class: 'l1' }, h('span', { class: 'date' }, r.date), h('span', { class: 'type' }, r.event_type)),
          h('div', { class: 'l2' }, r.location || r.event_id, r.geo_precision > 1 ? ' (approx.)' : ''),
          h(
            'div',
            { class: 'l3' },
            `border ${km(r.border_km)}`,
            r.crossing ? ` · ${r.crossing} ${km(r.crossing_km)}` : '',
            r.fatalities !== null ? ` · fatalities ${r.fatalities}` : '',
          ),
        );
        li.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') onPick(r);
        });
        if (r.event_id === app.selected) li.classList.add('selected');
        body.appendChild(li);
      }
    } catch (e) {
      replace(head, String(e));
    }
  };
  sort.addEventListener('change', () => void refresh());
  let t: ReturnType<typeof setTimeout> | undefined;
  const later = () => {
    clearTimeout(t);
    t = setTimeout(() => void refresh(), 150);
  };
  app.map.on('moveend', later);
  app.on('counts', later);
  app.on('select', later);
  return { refresh: () => void refresh() };
}
