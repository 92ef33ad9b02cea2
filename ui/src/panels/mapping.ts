/**
 * "Use as incidents": a point layer's properties mapped to the incident fields (date, type,
 * id, fatalities, actors, place, source, notes). The proposal comes from the engine's guess;
 * the researcher sees and edits it before the features join the analysis.
 */
import { api, type FieldMapping } from '../api';
import { modalDialog } from '../confirm';
import { h, replace } from '../dom';
import { plural } from '../format';
import { problemLine } from '../imports';

export const FIELDS: [keyof FieldMapping, string][] = [
  ['date', 'Date (required)'],
  ['date_end', 'End date'],
  ['event_id', 'Event id'],
  ['event_type', 'Event type'],
  ['sub_event_type', 'Sub-event type'],
  ['actor1', 'Actor 1'],
  ['actor2', 'Actor 2'],
  ['fatalities', 'Fatalities'],
  ['admin1', 'Province / admin 1'],
  ['location', 'Location'],
  ['source', 'Source'],
  ['notes', 'Notes'],
];

/** Open the mapping dialog; resolves true when incidents were added. */
export async function openMappingDialog(id: number, name: string, notify: (t: string) => void): Promise<boolean> {
  const { mapping, properties } = await api.layerMapping(id);
  return modalDialog(false, (done) => {
    const selects = new Map<keyof FieldMapping, HTMLSelectElement>();
    const rows = FIELDS.map(([field, label]) => {
      const sel = h('select', { ariaLabel: label, dataset: { field } });
      sel.appendChild(h('option', { value: '' }, '—'));
      for (const p of properties) sel.appendChild(h('option', { value: p }, p));
      sel.value = mapping[field] ?? '';
      selects.set(field, sel);
      return h('label', { class: 'st' }, h('span', { class: 'lbl' }, label), sel);
    });
    const status = h('p', { class: 'hint', id: 'mapping-status' }, 'Only point features become incidents; the layer is hidden afterwards.');
    const apply = h('button', { class: 'primary', id: 'mapping-apply' }, 'Add as incidents');
    apply.addEventListener('click', async () => {
      const m: FieldMapping = {};
      for (const [field, sel] of selects) m[field] = sel.value || null;
      try {
        const r = await api.layerAsIncidents(id, m);
        const first = r.problems.slice(0, 3).map(problemLine).join('; ');
        notify(`${name}: ${plural(r.loaded + r.updated, 'incident')} added${r.rejected ? `, ${plural(r.rejected, 'feature')} left out (${first})` : ''}.`);
        done(true);
      } catch (e) {
        replace(status, String(e));
      }
    });
    const el = h(
      'div',
      { class: 'dialog', role: 'dialog', id: 'mapping-dialog' },
      h('h3', {}, `Use ${name} as incidents`),
      h('p', {}, 'Which property holds each incident field:'),
      h('div', { class: 'export-form' }, ...rows),
      status,
      h('div', { class: 'actions' }, h('button', { onclick: () => done(false) }, 'Cancel'), apply),
    );
    return { el };
  });
}
