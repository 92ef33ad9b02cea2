/**
 * The Layers tab: open files (dialog; drops work anywhere on the window), the incident
 * files in the analysis, and the researcher's layers — show/hide, drag to reorder, rename,
 * zoom to, remove, and style (colour, size, opacity, fill; by attribute: categories of a
 * text property or graduated classes of a number), with the legend following.
 */
import { api, type JoinTable, type LayerInfo, type LayerList, type LayerStyle, type PropertyInfo, type StyleBy } from '../api';
import { choose, confirmOpen } from '../confirm';
import type { EngineFilter } from '../state';
import { openMappingDialog } from './mapping';
import { h, replace } from '../dom';
import { count, plural } from '../format';

/** Distinct colours for categories (ColorBrewer Set1 + Dark2). */
export const CATEGORY_COLORS = ['#e41a1c', '#377eb8', '#4daf4a', '#984ea3', '#ff7f00', '#a65628', '#f781bf', '#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e'];
/** Sequential classes, light to dark (ColorBrewer YlOrRd 5). */
export const GRADUATED_COLORS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];

/** A style-by-attribute for a property: categories for text, five equal classes for numbers. */
export function styleByFor(p: PropertyInfo): StyleBy {
  if (p.kind === 'number' && p.min !== null && p.max !== null) {
    const n = GRADUATED_COLORS.length;
    const step = (p.max - p.min) / n;
    const breaks = step > 0 ? Array.from({ length: n - 1 }, (_, i) => +(p.min! + step * (i + 1)).toPrecision(6)) : [];
    return { mode: 'graduated', property: p.name, breaks, colors: GRADUATED_COLORS.slice(0, breaks.length + 1) };
  }
  const colors: Record<string, string> = {};
  p.values.slice(0, CATEGORY_COLORS.length).forEach((v, i) => (colors[v] = CATEGORY_COLORS[i]));
  return { mode: 'categorical', property: p.name, colors, other: '#9e9e9e' };
}

/** Legend rows of one layer: `[colour, label]`. */
export function legendRows(l: LayerInfo): [string, string][] {
  const s = l.meta.style;
  const by = s.by_attribute;
  if (!by) return [[s.fill ?? s.color, l.meta.name]];
  if (by.mode === 'categorical') return [...Object.entries(by.colors).map(([v, c]) => [c, `${by.property}: ${v}`] as [string, string]), [by.other, `${by.property}: other`]];
  const fmt = (x: number) => x.toLocaleString('en-GB', { maximumSignificantDigits: 4 });
  return by.colors.map((c, i) => {
    const lo = i === 0 ? null : by.breaks[i - 1];
    const hi = i < by.breaks.length ? by.breaks[i] : null;
    const label = lo === null ? `< ${fmt(hi ?? 0)}` : hi === null ? `≥ ${fmt(lo)}` : `${fmt(lo)} – < ${fmt(hi)}`;
    return [c, `${by.property} ${label}`] as [string, string];
  });
}

export interface LayersHooks {
  changed(list: LayerList): void;
  zoomTo(bbox: [number, number, number, number]): void;
  incidentsChanged(): Promise<void>;
  openFiles(): void;
  /** The current filter (for joins and exports). */
  filter(): EngineFilter;
  notify(text: string): void;
}

const FORMATS: [string, string][] = [
  ['geojson', 'GeoJSON'],
  ['csv', 'CSV'],
  ['gpkg', 'GeoPackage'],
];

/** Five classes for counts: 0, then four equal steps up to the maximum. */
export function countStyle(table: JoinTable): StyleBy {
  const max = Math.max(0, ...table.rows.map((r) => r.count));
  const step = Math.max(1, Math.ceil(max / 4));
  const breaks = [1, 1 + step, 1 + 2 * step, 1 + 3 * step];
  return { mode: 'graduated', property: 'incidents', breaks, colors: GRADUATED_COLORS.slice(0, 5) };
}

export function mountLayers(root: HTMLElement, hooks: LayersHooks): { refresh(): Promise<void>; list(): LayerList | null } {
  let current: LayerList | null = null;
  const expanded = new Set<number>();
  const joins = new Map<number, JoinTable>();
  const exportData = async (what: 'incidents' | 'layer' | 'join', id: number | null, label: string) => {
    const fmt = what === 'join' ? 'csv' : await choose(`Export ${label}`, 'Format of the file:', FORMATS);
    if (!fmt) return;
    try {
      const n = await api.exportData(what, id, hooks.filter(), fmt as 'geojson' | 'csv' | 'gpkg', null);
      if (n !== null) hooks.notify(`Exported ${plural(n, 'record')} (${fmt}).`);
    } catch (e) {
      hooks.notify(String(e));
    }
  };
  const joinTable = (l: LayerInfo, t: JoinTable) => {
    const rows = [...t.rows].sort((a, b) => b.count - a.count).slice(0, 15);
    const table = h('table', { class: 'join', id: `join-${l.id}` }, h('tr', {}, h('th', {}, 'Polygon'), h('th', {}, 'Incidents'), h('th', {}, 'Fatalities')));
    for (const r of rows) table.appendChild(h('tr', {}, h('td', {}, r.name ?? r.id ?? `#${r.feature}`), h('td', {}, count(r.count)), h('td', {}, count(r.fatalities))));
    return h(
      'div',
      { class: 'join-box' },
      table,
      h('p', { class: 'hint' }, `${t.rows.length > 15 ? `Top 15 of ${t.rows.length} polygons. ` : ''}${count(t.outside)} in no polygon, ${count(t.unmapped)} without a location.`),
      h('button', { onclick: () => void exportData('join', l.id, 'the table') }, 'Export table (CSV)…'),
    );
  };
  const save = async (l: LayerInfo, patch: Partial<LayerStyle>, name?: string) => {
    const meta = { ...l.meta, name: name ?? l.meta.name, style: { ...l.meta.style, ...patch } };
    try {
      await api.setLayer(l.id, meta);
    } catch (e) {
      window.alert(String(e));
    }
    await refresh();
  };
  const styleEditor = (l: LayerInfo) => {
    const s = l.meta.style;
    const color = h('input', { type: 'color', value: s.color, ariaLabel: 'Colour' });
    color.addEventListener('change', () => void save(l, { color: color.value, fill: s.fill !== null ? color.value : null }));
    const size = h('input', { type: 'range', value: String(s.size), ariaLabel: l.kind === 'point' ? 'Point size' : 'Line width' });
    Object.assign(size, { min: '0.5', max: '16', step: '0.5' });
    size.addEventListener('change', () => void save(l, { size: Number(size.value) }));
    const opacity = h('input', { type: 'range', value: String(s.opacity), ariaLabel: 'Opacity' });
    Object.assign(opacity, { min: '0', max: '1', step: '0.05' });
    opacity.addEventListener('change', () => void save(l, { opacity: Number(opacity.value) }));
    const rows: HTMLElement[] = [
      h('label', { class: 'st' }, 'Colour ', color),
      h('label', { class: 'st' }, l.kind === 'point' ? 'Size ' : 'Width ', size),
      h('label', { class: 'st' }, 'Opacity ', opacity),
    ];
    if (l.kind === 'polygon') {
      const fill = h('input', { type: 'checkbox', ariaLabel: 'Fill' });
      fill.checked = s.fill !== null;
      fill.addEventListener('change', () => void save(l, { fill: fill.checked ? s.color : null }));
      rows.push(h('label', { class: 'st' }, fill, ' Fill polygons'));
    }
    const by = h('select', { ariaLabel: 'Style by attribute', class: 'style-by' });
    by.appendChild(h('option', { value: '' }, 'One colour'));
    for (const p of l.properties) by.appendChild(h('option', { value: p.name }, `${p.name} (${p.kind === 'number' ? 'graduated' : 'categories'})`));
    const byProp = s.by_attribute?.property;
    if (byProp && !l.properties.some((p) => p.name === byProp)) by.appendChild(h('option', { value: byProp }, `${byProp} (from the count)`));
    by.value = byProp ?? '';
    by.addEventListener('change', () => {
      const p = l.properties.find((x) => x.name === by.value);
      const t = joins.get(l.id);
      if (!p && t && by.value === 'incidents') return void save(l, { by_attribute: countStyle(t) });
      void save(l, { by_attribute: p ? styleByFor(p) : null });
    });
    rows.push(h('label', { class: 'st' }, 'Style by ', by));
    if (l.kind === 'polygon') {
      rows.push(
        h('button', {
          class: 'join-btn',
          title: 'Count the incidents passing the filters in each polygon; colour the polygons by the count',
          onclick: async () => {
            try {
              const r = await api.joinLayer(l.id, hooks.filter());
              joins.set(l.id, r.table);
              await save({ ...l, meta: { ...l.meta, revision: r.revision } }, { by_attribute: countStyle(r.table), fill: l.meta.style.fill ?? l.meta.style.color, opacity: 0.7 });
            } catch (e) {
              hooks.notify(String(e));
            }
          },
        }, 'Count incidents per polygon'),
      );
      const t = joins.get(l.id);
      if (t) rows.push(joinTable(l, t));
    }
    return h('div', { class: 'style-editor' }, ...rows);
  };
  const layerRow = (l: LayerInfo) => {
    const vis = h('input', { type: 'checkbox', ariaLabel: `Show ${l.meta.name}` });
    vis.checked = l.meta.style.visible;
    vis.addEventListener('change', () => void save(l, { visible: vis.checked }));
    const name = h('span', { class: 'layer-name', title: 'Double-click to rename' }, l.meta.name);
    name.addEventListener('dblclick', () => {
      const input = h('input', { value: l.meta.name, ariaLabel: 'Layer name' });
      name.replaceWith(input);
      input.focus();
      input.select();
      const commit = () => void save(l, {}, input.value.trim() || l.meta.name);
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') void refresh();
      });
      input.addEventListener('blur', commit);
    });
    const types = l.geometry_types.map(([t, n]) => `${t} ${count(n)}`).join(', ');
    const swatch = h('span', { class: 'sw dot' });
    swatch.style.background = l.meta.style.fill ?? l.meta.style.color;
    const li = h(
      'li',
      { class: 'layer', dataset: { layer: String(l.id) } },
      h(
        'div',
        { class: 'l1' },
        h('span', { class: 'grip', title: 'Drag to reorder' }, '⋮⋮'),
        vis,
        swatch,
        name,
        h('span', { class: 'btns' },
          h('button', { class: 'icon', title: 'Zoom to layer', onclick: () => l.bbox && hooks.zoomTo(l.bbox) }, '⤢'),
          h('button', { class: 'icon', title: 'Export the layer (GeoJSON, CSV, GeoPackage)', onclick: () => void exportData('layer', l.id, l.meta.name) }, '⇩'),
          l.kind === 'point'
            ? h('button', { class: 'icon use-as-incidents', title: 'Use as incidents (map its properties to dates, types…)', onclick: async () => { if (await openMappingDialog(l.id, l.meta.name, hooks.notify)) { await hooks.incidentsChanged(); await refresh(); } } }, '⚑')
            : null,
          h('button', { class: 'icon', title: 'Style', onclick: () => { if (expanded.has(l.id)) expanded.delete(l.id); else expanded.add(l.id); void refresh(); } }, '✎'),
          h('button', { class: 'icon', title: 'Remove layer', onclick: async () => { if (await confirmOpen('Remove layer?', l.meta.name, 'Remove')) { await api.removeLayer(l.id); await refresh(); } } }, '×'),
        ),
      ),
      h('div', { class: 'l2 hint' }, `${plural(l.features, 'feature')} · ${types}`),
      expanded.has(l.id) ? styleEditor(l) : null,
    );
    li.draggable = true;
    li.addEventListener('dragstart', (e) => e.dataTransfer?.setData('text/x-layer', String(l.id)));
    li.addEventListener('dragover', (e) => e.preventDefault());
    li.addEventListener('drop', (e) => {
      e.preventDefault();
      const from = Number(e.dataTransfer?.getData('text/x-layer'));
      if (!current || !from || from === l.id) return;
      void moveLayer(from, l.id);
    });
    return li;
  };
  /** Put layer `from` where `to` is (the panel lists top first). */
  const moveLayer = async (from: number, to: number) => {
    if (!current) return;
    const ids = current.layers.map((x) => x.id).filter((i) => i !== from);
    const at = ids.indexOf(to);
    ids.splice(at + 1, 0, from);
    await api.reorderLayers(ids);
    await refresh();
  };
  const refresh = async () => {
    try {
      current = await api.listLayers();
    } catch (e) {
      replace(root, h('p', { class: 'hint' }, String(e)));
      return;
    }
    const files = h('ul', { class: 'files', id: 'incident-files' });
    for (const f of current.incident_files) {
      const base = f.name.split(/[\\/]/).pop() ?? f.name;
      files.appendChild(
        h('li', { title: f.name }, h('span', { class: 'layer-name' }, base), h('span', { class: 'hint' }, ` ${plural(f.live, 'incident')}`),
          h('button', { class: 'icon', title: 'Remove these incidents', onclick: async () => { if (await confirmOpen('Remove incident file?', `${base}: ${plural(f.live, 'incident')} leave the analysis.`, 'Remove')) { await api.removeIncidentFile(f.index); await hooks.incidentsChanged(); await refresh(); } } }, '×')),
      );
    }
    const list = h('ol', { class: 'layers', id: 'layer-list' });
    for (const l of [...current.layers].reverse()) list.appendChild(layerRow(l));
    replace(
      root,
      h('div', { class: 'row' }, h('button', { class: 'primary', id: 'btn-open-files', onclick: () => hooks.openFiles() }, 'Open files…'), h('span', { class: 'hint' }, ' or drop GeoJSON / CSV on the window')),
      h('h4', {}, 'Incident files (in the analysis)'),
      files,
      h('button', { id: 'btn-export-incidents', onclick: () => void exportData('incidents', null, 'the filtered incidents') }, 'Export filtered incidents…'),
      h('h4', {}, 'Layers (top first)'),
      current.layers.length ? list : h('p', { class: 'hint' }, 'No layers yet. District boundaries, routes or checkpoints load here.'),
    );
    document.body.dataset.layers = String(current.layers.length);
    hooks.changed(current);
  };
  return { refresh, list: () => current };
}
