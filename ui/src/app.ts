/**
 * The app controller: holds the filter state, asks the engine for a tile generation,
 * counts and the histogram whenever it changes, and tells the panels.
 */
import type { Map as MlMap, VectorTileSource } from 'maplibre-gl';
import { api, tilesBase, type DatasetInfo, type ExportPreset, type FilterCounts, type Histogram } from './api';
import { emptyFilter, tileUrl, toEngineFilter, type FilterState } from './state';

export type Listener = () => void;

export class App {
  filter: FilterState = emptyFilter();
  info: DatasetInfo | null = null;
  counts: FilterCounts | null = null;
  histogram: Histogram | null = null;
  generation = 0;
  selected: string | null = null;
  /** The open project's export presets (`null`: not known, the project keeps its own). */
  exportPresets: ExportPreset[] | null = null;
  private seq = 0;
  private listeners: Record<string, Listener[]> = {};

  constructor(readonly map: MlMap) {}

  on(ev: 'counts' | 'histogram' | 'filter' | 'select' | 'info', fn: Listener): void {
    (this.listeners[ev] ??= []).push(fn);
  }

  emit(ev: string): void {
    for (const fn of this.listeners[ev] ?? []) fn();
  }

  /** Viewport box for list queries. */
  viewBox(): [number, number, number, number] {
    const b = this.map.getBounds();
    return [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())];
  }

  async load(): Promise<void> {
    this.info = await api.datasetInfo();
    this.emit('info');
    await this.apply({ histogram: true });
  }

  /** Replace the whole filter without applying it (a project's, applied by its reload):
   * the panels redraw from it. */
  replaceFilter(f: FilterState): void {
    this.filter = f;
    this.emit('filter');
  }

  /** Change the filter; `timeOnly` skips the histogram (it ignores the time window). */
  async update(patch: Partial<FilterState>, timeOnly = false): Promise<void> {
    this.filter = { ...this.filter, ...patch };
    this.emit('filter');
    await this.apply({ histogram: !timeOnly });
  }

  private async apply(opts: { histogram: boolean }): Promise<void> {
    const seq = ++this.seq;
    const ef = toEngineFilter(this.filter);
    const [gen, counts, hist] = await Promise.all([
      api.setFilter(ef),
      api.filterCounts(ef),
      opts.histogram ? api.histogram(ef, this.binSize()) : Promise.resolve(null),
    ]);
    if (seq !== this.seq) return; // a newer change is on its way
    // The counts come from the selection: shown at once. The map keeps the previous
    // generation's tiles until the engine has clustered this one.
    this.counts = counts;
    this.emit('counts');
    if (hist) {
      this.histogram = hist;
      this.emit('histogram');
    }
    document.body.dataset.count = String(counts.total);
    if (!gen.ready && !(await api.viewReady(gen.generation))) return; // superseded
    if (seq !== this.seq) return;
    // The engine hands back the shown generation when the rows did not change: no reload.
    if (gen.generation !== this.generation) {
      this.generation = gen.generation;
      const src = this.map.getSource('incidents') as VectorTileSource | undefined;
      src?.setTiles([tileUrl(tilesBase(), gen.generation)]);
    }
    document.body.dataset.generation = String(gen.generation);
  }

  /** Bin size for the histogram from the data's date range. */
  binSize(): 'day' | 'week' | 'month' {
    const i = this.info;
    if (!i || i.day_min === null || i.day_max === null) return 'week';
    return binFor(i.day_max - i.day_min);
  }

  select(eventId: string | null): void {
    this.selected = eventId;
    this.map.setFilter('incident-selected', ['==', ['get', 'event_id'], eventId ?? '']);
    this.emit('select');
  }
}

/** Daily bins up to four months of data, weekly up to two years, monthly beyond. */
export function binFor(spanDays: number): 'day' | 'week' | 'month' {
  return spanDays <= 120 ? 'day' : spanDays <= 730 ? 'week' : 'month';
}
