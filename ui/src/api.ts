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

export interface Problem {
  file: string;
  line: number | null;
  column: number | null;
  record: { kind: 'feature' | 'csv_row'; index: number } | null;
  message: string;
}
export interface ImportReport {
  file: string;
  loaded: number;
  updated: number;
  rejected: number;
  problems: Problem[];
  problem_count: number;
}
export type Outcome =
  | { state: 'running' }
  | { state: 'loaded'; kind: 'incidents' | 'layer'; layer_id: number | null; report: ImportReport }
  | { state: 'needs_decision'; valid: number; problems: Problem[]; problem_count: number }
  | { state: 'failed'; message: string; problems: Problem[] }
  | { state: 'cancelled' }
  | { state: 'dismissed' };
export interface JobStatus {
  id: number;
  name: string;
  bytes_read: number;
  bytes_total: number;
  records: number;
  elapsed_ms: number;
  outcome: Outcome;
}
export type StyleBy =
  | { mode: 'categorical'; property: string; colors: Record<string, string>; other: string }
  | { mode: 'graduated'; property: string; breaks: number[]; colors: string[] };
export interface LayerStyle {
  color: string;
  size: number;
  opacity: number;
  fill: string | null;
  visible: boolean;
  order: number;
  by_attribute: StyleBy | null;
}
export interface LayerMeta {
  name: string;
  style: LayerStyle;
  revision: number;
}
export interface PropertyInfo {
  name: string;
  kind: 'number' | 'text';
  values: string[];
  min: number | null;
  max: number | null;
}
export interface LayerInfo {
  id: number;
  meta: LayerMeta;
  kind: 'point' | 'line' | 'polygon';
  geometry_types: [string, number][];
  features: number;
  bbox: [number, number, number, number] | null;
  path: string | null;
  properties: PropertyInfo[];
}
export interface IncidentFile {
  index: number;
  name: string;
  loaded: number;
  updated: number;
  rejected: number;
  live: number;
}
export interface LayerList {
  incident_files: IncidentFile[];
  layers: LayerInfo[];
}
export interface FeatureInfo {
  layer: string;
  index: number;
  id: string | null;
  geometry: string | null;
  properties: [string, string][];
}

export interface JoinRow {
  feature: number;
  id: string | null;
  name: string | null;
  count: number;
  fatalities: number;
  unknown_fatalities: number;
}
export interface JoinTable {
  rows: JoinRow[];
  outside: number;
  unmapped: number;
}

export type FieldMapping = Partial<Record<'date' | 'date_end' | 'event_id' | 'event_type' | 'sub_event_type' | 'actor1' | 'actor2' | 'fatalities' | 'admin1' | 'location' | 'source' | 'notes', string | null>>;

/** GeoJSON geometry of an annotation (RFC 7946, `[lon, lat]`). */
export type AnnotationGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'Polygon'; coordinates: [number, number][][] };
export interface Annotation {
  id: number;
  geometry: AnnotationGeometry;
  title: string;
  note: string;
  created: string;
  modified: string;
}
export interface AnnotationList {
  items: Annotation[];
  can_undo: boolean;
  can_redo: boolean;
}
export type AnnotationEdit =
  | { op: 'add'; geometry: AnnotationGeometry; title: string; note: string }
  | { op: 'update'; id: number; geometry?: AnnotationGeometry; title?: string; note?: string }
  | { op: 'delete'; id: number };
export interface MapView {
  center: [number, number];
  zoom: number;
  bearing: number;
  pitch: number;
  bounds: [number, number, number, number] | null;
}
/** What the page sends with saves and syncs. */
/** A project's saved export settings (`atlas export-map --project` uses the first). */
export interface ExportPreset {
  name: string;
  paper: string;
  dpi: number;
  format: string;
  title: string;
  subtitle: string;
  notes: string;
}
export interface Snapshot {
  filter: EngineFilter;
  view: MapView;
  /** Absent: the project keeps its presets. */
  export_presets?: ExportPreset[];
}
export interface ProjectItem {
  kind: 'layer' | 'incidents';
  id: number;
  name: string;
  embed: boolean;
  copy_only: boolean;
  changed: boolean;
}
export interface UnloadedLayer {
  id: string;
  name: string;
  kind: 'incidents' | 'reference';
  status: string;
  message: string;
}
export interface ProjectStatus {
  path: string | null;
  name: string;
  dirty: boolean;
  loading: number;
  items: ProjectItem[];
  unloaded: UnloadedLayer[];
  annotations: number;
  can_undo: boolean;
  can_redo: boolean;
}
export interface OpenedProject {
  path: string | null;
  name: string;
  title: string;
  filter: EngineFilter;
  view: MapView;
  export_presets: ExportPreset[];
  layers: { id: string; name: string; kind: string; status: string; message: string | null; embedded: boolean }[];
  problems: { layer_id: string | null; message: string }[];
  recovery_available: boolean;
  annotations: number;
  recovered: boolean;
}
export interface SavedProject {
  path: string;
  name: string;
  revision: number;
  layers: number;
}
export interface RecentProject {
  path: string;
  name: string;
  when: string;
  missing: boolean;
}
export interface RecoveryOffer {
  project: string | null;
  recovery: string;
  modified: string;
}

export const api = {
  datasetInfo: () => invoke<DatasetInfo>('dataset_info'),
  setFilter: (filter: EngineFilter) =>
    invoke<{ generation: number; mapped: number; ready: boolean }>('set_filter', { filter }),
  /** Waits until a generation's tiles can be cut: false when a newer filter superseded it. */
  viewReady: (generation: number) => invoke<boolean>('view_ready', { generation }),
  filterCounts: (filter: EngineFilter) => invoke<FilterCounts>('filter_counts', { filter }),
  histogram: (filter: EngineFilter, bin: 'day' | 'week' | 'month') => invoke<Histogram>('histogram', { filter, bin }),
  inView: (filter: EngineFilter, sort: string, limit: number) =>
    invoke<{ total: number; rows: ListRow[] }>('incidents_in_view', { filter, sort, limit }),
  incident: (eventId: string) => invoke<IncidentDetail>('incident', { eventId }),
  search: (query: string) => invoke<Place[]>('search', { query }),
  measure: (points: [number, number][]) => invoke<{ legs_km: number[]; total_km: number }>('measure', { points }),
  pointInfo: (lon: number, lat: number) => invoke<PointInfo>('point_info', { lon, lat }),
  openUrl: (url: string) => invoke<void>('open_source_url', { url }),
  pickFiles: () => invoke<number[]>('pick_files'),
  openPaths: (paths: string[]) => invoke<number[]>('open_paths', { paths }),
  importJobs: () => invoke<JobStatus[]>('import_jobs'),
  importAction: (id: number, action: 'cancel' | 'accept' | 'dismiss' | 'forget') =>
    invoke<JobStatus>('import_action', { id, action }),
  listLayers: () => invoke<LayerList>('list_layers'),
  setLayer: (id: number, meta: LayerMeta) => invoke<number>('set_layer', { id, meta }),
  removeLayer: (id: number) => invoke<void>('remove_layer', { id }),
  reorderLayers: (ids: number[]) => invoke<void>('reorder_layers', { ids }),
  removeIncidentFile: (index: number) => invoke<void>('remove_incident_file', { index }),
  layerFeature: (id: number, index: number) => invoke<FeatureInfo>('layer_feature', { id, index }),
  layerMapping: (id: number) => invoke<{ mapping: FieldMapping; properties: string[] }>('layer_mapping', { id }),
  layerAsIncidents: (id: number, mapping: FieldMapping) => invoke<ImportReport>('layer_as_incidents', { id, mapping }),
  joinLayer: (id: number, filter: EngineFilter) => invoke<{ table: JoinTable; revision: number }>('join_layer', { id, filter }),
  exportData: (what: 'incidents' | 'layer' | 'join', id: number | null, filter: EngineFilter, format: 'geojson' | 'csv' | 'gpkg', path: string | null) =>
    invoke<number | null>('export_data', { what, id, filter, format, path }),
  exportMap: (request: unknown, path: string | null) =>
    invoke<{ path: string; bytes: number; ms: number; incidents: number } | null>('export_map', { request, path }),
  projectStatus: () => invoke<ProjectStatus>('project_status'),
  projectSync: (snapshot: Snapshot) => invoke<ProjectStatus>('project_sync', { snapshot }),
  projectNew: () => invoke<OpenedProject>('project_new'),
  projectOpen: (path: string | null, recent: number | null = null) => invoke<OpenedProject | null>('project_open', { path, recent }),
  projectSave: (snapshot: Snapshot) => invoke<SavedProject | null>('project_save', { snapshot }),
  projectSaveAs: (snapshot: Snapshot, path: string | null) => invoke<SavedProject | null>('project_save_as', { snapshot, path }),
  projectRecent: () => invoke<RecentProject[]>('project_recent'),
  projectStartup: () => invoke<{ open: string | null; recovery: RecoveryOffer | null }>('project_startup'),
  projectRecover: (accept: boolean) => invoke<OpenedProject | null>('project_recover', { accept }),
  projectRelink: (layerId: string, path: string | null) => invoke<boolean>('project_relink', { layerId, path }),
  projectLayerStorage: (kind: 'layer' | 'incidents', id: number, embed: boolean) => invoke<void>('project_layer_storage', { kind, id, embed }),
  projectRecoveryDir: () => invoke<string>('project_recovery_dir'),
  annotationsList: () => invoke<AnnotationList>('annotations_list'),
  annotationEdit: (edit: AnnotationEdit) => invoke<{ id: number; list: AnnotationList }>('annotation_edit', { edit }),
  annotationUndo: () => invoke<AnnotationList>('annotation_undo'),
  annotationRedo: () => invoke<AnnotationList>('annotation_redo'),
  annotationsExport: (path: string | null) => invoke<{ path: string; bytes: number; features: number } | null>('annotations_export', { path }),
};

/** Base URL of the tile scheme. */
export function tilesBase(): string {
  return convertFileSrc('', 'tiles');
}
