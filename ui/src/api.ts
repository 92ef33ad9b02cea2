/** Typed calls into the Rust side (`invoke`). Bulk data never comes this way: tiles do. */
import { invoke, convertFileSrc } from '@tauri-apps/api/core';
import type { EngineFilter } from './state';

export interface DatasetInfo {
  incidents: number;
  mapped: number;
  day_min: number | null;
  day_max: number | null;
  date_min: string | null;
  date_max: string | null;
  event_types: [string, number][];
  geo_precisions: [number, number][];
  crossings: number;
  files: string[];
  has_border: boolean;
  bbox: [number, number, number, number] | null;
}
export interface FilterCounts {
  total: number;
  by_event_type: [string, number][];
  fatalities_known: number;
}
export interface Histogram {
  bin: string;
  starts: number[];
  counts: number[];
}
export interface ListRow {
  event_id: string;
  date: string;
  day: number;
  event_type: string;
  location: string;
  fatalities: number | null;
  geo_precision: number;
  lon: number;
  lat: number;
  border_km: number | null;
  crossing: string | null;
  crossing_km: number | null;
}
export interface Source {
  outlet: string;
  date?: string;
  headline?: string;
  url?: string;
}
export interface Claim {
  claimant: string;
  subject: string;
  figure?: number;
  qualifier?: string;
  text: string;
  source?: number;
}
export interface IncidentRecord {
  event_id: string;
  date_start: number;
  date_end: number;
  time_precision: number;
  disorder_type: string;
  event_type: string;
  sub_event_type: string;
  actor1: string;
  assoc_actor_1: string;
  actor2: string;
  assoc_actor_2: string;
  fatalities: number | null;
  iso: string;
  country: string;
  admin1: string;
  admin2: string;
  admin3: string;
  location: string;
  lon: number;
  lat: number;
  geo_precision: number;
  source: string;
  source_scale: string;
  notes: string;
  tags: string;
  sources: Source[];
  claims: Claim[];
}
export interface IncidentDetail {
  record: IncidentRecord;
  date: string;
  border_km: number | null;
  crossing: string | null;
  crossing_km: number | null;
}
export interface Place {
  kind: 'crossing' | 'place' | 'province' | 'incident';
  name: string;
  detail: string;
  lon: number;
  lat: number;
  bbox?: [number, number, number, number];
}
export interface PointInfo {
  border_km: number | null;
  crossing: string | null;
  crossing_km: number | null;
}

export const api = {
  datasetInfo: () => invoke<DatasetInfo>('dataset_info'),
  setFilter: (filter: EngineFilter) => invoke<{ generation: number; mapped: number }>('set_filter', { filter }),
  filterCounts: (filter: EngineFilter) => invoke<FilterCounts>('filter_counts', { filter }),
  histogram: (filter: EngineFilter, bin: 'day' | 'week' | 'month') => invoke<Histogram>('histogram', { filter, bin }),
  inView: (filter: EngineFilter, sort: string, limit: number) =>
    invoke<{ total: number; rows: ListRow[] }>('incidents_in_view', { filter, sort, limit }),
  incident: (eventId: string) => invoke<IncidentDetail>('incident', { eventId }),
  search: (query: string) => invoke<Place[]>('search', { query }),
  measure: (points: [number, number][]) => invoke<{ legs_km: number[]; total_km: number }>('measure', { points }),
  pointInfo: (lon: number, lat: number) => invoke<PointInfo>('point_info', { lon, lat }),
  openUrl: (url: string) => invoke<void>('open_source_url', { url }),
};

/** Base URL of the tile scheme. */
export function tilesBase(): string {
  return convertFileSrc('', 'tiles');
}
