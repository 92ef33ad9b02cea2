/** Border Atlas page: map, toolbar, side panel, timeline. */
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import './styles.css';
import { listen } from '@tauri-apps/api/event';
import { App } from './app';
import { api, tilesBase, type Place } from './api';
import { showInfo } from './confirm';
import { h, replace } from './dom';
import { mountLegend, mountCursor, renderLayerLegend } from './legend';
import { mountImports } from './imports';
import { mapLayerIds, syncLayers } from './layers-map';
import { mountLayers } from './panels/layers';
import { mountProject, type ProjectPanel } from './panels/project';
import { openExportDialog } from './panels/export';
import { fieldRows } from './dom';
import { mountMeasure } from './measure';
import { mountDetail } from './panels/detail';
import { mountFilters } from './panels/filters';
import { mountList } from './panels/list';
import { mountSearch } from './panels/search';
import { mountTimeline } from './panels/timeline';
import { actionFor, SHORTCUTS } from './shortcuts';
import { emptyFilter, glyphsUrl, tileUrl, toEngineFilter } from './state';
import { buildStyle, CLUSTER_LAYER, INCIDENT_LAYERS } from './style';
import { count, plural } from './format';
import { deferredSources, markStartup } from './startup';

maplibregl.setWorkerUrl(new URL(workerUrl, document.baseURI).href);
// Start the map's worker (its 0.5 MB script) now, while the page fetches its data. One worker
// (the default): a second one was slower on 2 cores (1.57 s vs 1.44 s median to first frame).
maplibregl.prewarm();

const $ = (id: string) => document.getElementById(id) as HTMLElement;
/** The area the app opens on: the border with some context. */
const HOME: [number, number, number, number] = [60.5, 24.5, 75.5, 37.5];

async function loadData(): Promise<Record<string, GeoJSON.FeatureCollection>> {
  const files: string[] = await fetch('data/index.json').then((r) => (r.ok ? r.json() : []), () => []);
  const out: Record<string, GeoJSON.FeatureCollection> = {};
  await Promise.all(
    files
      .filter((f) => f.endsWith('.geojson') && !f.startsWith('incidents'))
      .map(async (f) => {
        const r = await fetch(`data/${f}`);
        if (r.ok) out[f] = await r.json();
      }),
  );
  return out;
}

interface AttributionEntry {
  text?: string;
  licence?: string;
}

/** Attribution lines from data/attribution.json (`{layers: [{text, licence}]}`), text only. */
export async function attributionText(): Promise<string[]> {
  const r = await fetch('data/attribution.json').catch(() => null);
  if (!r || !r.ok) return [];
  const j = (await r.json().catch(() => null)) as { layers?: AttributionEntry[] } | null;
  const out: string[] = [];
  for (const e of j?.layers ?? []) {
    if (typeof e?.text !== 'string' || !e.text) continue;
    out.push(e.licence ? `${e.text} (${e.licence})` : e.text);
  }
  return [...new Set(out)];
}

/** Bounding box of the context layers (neighbours, else countries), or none. */
function dataBounds(data: Record<string, GeoJSON.FeatureCollection>): [number, number, number, number] | undefined {
  const fc = data['neighbours.geojson'] ?? data['countries.geojson'];
  if (!fc) return undefined;
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  for (const f of fc.features) if (f.geometry && 'coordinates' in f.geometry) walk(f.geometry.coordinates);
  return Number.isFinite(b[0]) ? (b as [number, number, number, number]) : undefined;
}

async function waitForData(): Promise<void> {
  for (;;) {
    try {
      await api.datasetInfo();
      return;
    } catch (e) {
      if (!String(e).includes('loading')) throw e;
      await new Promise<void>((res) => {
        const t = setTimeout(res, 200);
        void listen('dataset-ready', () => {
          clearTimeout(t);
          res();
        });
      });
    }
  }
}

/** The engine's view of the unfiltered incidents (built before the data is published):
 * asked for while the page's own files load, so the map starts on the right tiles. */
async function firstView(): Promise<{ generation: number; mapped: number; ready: boolean } | null> {
  try {
    await waitForData();
    const g = await api.setFilter(toEngineFilter(emptyFilter()));
    return g.ready || (await api.viewReady(g.generation)) ? g : null;
  } catch {
    return null; // reported below, when the app loads
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const [data, attributions, first] = await Promise.all([loadData(), attributionText(), firstView()]);
  performance.mark('atlas:context-data');
  // Not drawn in the first frame (province labels start at zoom 5.5, the fill is invisible):
  // the provinces' polygons reach the map's worker once that frame is complete.
  const later = deferredSources(data);
  const style = buildStyle(later.now, glyphsUrl(document.baseURI), tileUrl(tilesBase(), first?.generation ?? 0));
  const map = new maplibregl.Map({
    container: 'map',
    style,
    bounds: HOME,
    fitBoundsOptions: { padding: 20 },
    attributionControl: false,
    keyboard: false,
    canvasContextAttributes: { preserveDrawingBuffer: true },
    maxZoom: 16,
    // Labels appear without a fade: with software GL each fade frame costs CPU the workers
    // need, and the map is idle (complete) 300 ms sooner after every change.
    fadeDuration: 0,
    // The bundled context layers end at a box: never show past it.
    maxBounds: dataBounds(data),
  } as maplibregl.MapOptions);
  markStartup(map);
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false, showCompass: false }), 'top-left');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric', maxWidth: 140 }), 'bottom-left');
  map.addControl(new maplibregl.AttributionControl({ compact: true, customAttribution: attributions }), 'bottom-right');
  (window as unknown as { atlasMap: maplibregl.Map }).atlasMap = map;

  const app = new App(map);
  if (first) app.generation = first.generation;
  (window as unknown as { atlasApp: App }).atlasApp = app;
  // Ready for tests and start-up timing: the first complete frame (its incident tiles are the
  // unfiltered view's), once the panels are filled too.
  let firstFrame = 0;
  let panels = false;
  const markReady = () => {
    if (!firstFrame || !panels) return;
    document.body.dataset.ready = 'true';
    document.body.dataset.readyMs = String(Math.round(firstFrame - t0));
    // Wall-clock time of the first complete map frame, for start-up measurements.
    document.body.dataset.readyEpochMs = String(Math.round(performance.timeOrigin + firstFrame));
  };
  map.once('idle', () => {
    performance.mark('atlas:first-idle');
    firstFrame = performance.now();
    markReady();
    for (const [id, fc] of later.after) (map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(fc);
  });

  // Tabs.
  const tabs = document.querySelectorAll<HTMLButtonElement>('.tabs button');
  const showTab = (name: string) => {
    tabs.forEach((b) => b.classList.toggle('active', b.dataset.tab === name));
    document.querySelectorAll('.tab').forEach((s) => s.classList.toggle('active', s.id === `tab-${name}`));
  };
  tabs.forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab ?? 'filters')));

  mountFilters(app, $('tab-filters'));
  const timeline = mountTimeline(app, $('timeline'));
  const openIncident = mountDetail(app, $('tab-detail'), () => showTab('detail'));
  mountList(app, $('tab-list'), (r) => {
    map.flyTo({ center: [r.lon, r.lat], zoom: Math.max(map.getZoom(), 10) });
    void openIncident(r.event_id);
  });
  const flyTo = (p: Place) => {
    if (p.bbox) map.fitBounds(p.bbox, { padding: 40, maxZoom: 11 });
    else map.flyTo({ center: [p.lon, p.lat], zoom: p.kind === 'incident' ? 12 : 11 });
    if (p.kind === 'incident') void openIncident(p.name);
  };
  mountSearch($('search') as HTMLInputElement, $('search-results'), flyTo);
  const measure = mountMeasure(map, $('measure-box'), $('btn-measure'));
  $('btn-measure').addEventListener('click', () => measure.toggle());
  const fitBorder = () => map.fitBounds(HOME, { padding: 20 });
  $('btn-fit').addEventListener('click', fitBorder);
  const help = () => showInfo('Keyboard shortcuts', SHORTCUTS);
  $('btn-help').addEventListener('click', help);
  mountCursor(map, $('cursor'));

  // Files and layers.
  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  const notify = (text: string) => {
    const t = $('toast');
    replace(t, text);
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (t.hidden = true), 6000);
  };
  let userLayerIds: string[] = [];
  let project: ProjectPanel | null = null;
  const layersPanel = mountLayers($('tab-layers'), {
    changed: (list) => {
      project?.decorateLayers(list);
      syncLayers(map, list.layers, CLUSTER_LAYER);
      userLayerIds = list.layers.flatMap((l) => mapLayerIds(l.id));
      const lg = document.getElementById('legend-layers');
      if (lg) renderLayerLegend(lg, list.layers);
    },
    zoomTo: (b) => map.fitBounds(b, { padding: 40, maxZoom: 12 }),
    incidentsChanged: async () => {
      await app.load();
      if (app.info) mountLegend($('legend'), app.info.event_types.map(([t]) => t));
    },
    openFiles: () => openFiles(),
    filter: () => toEngineFilter(app.filter),
    notify: (t) => notify(t),
  });
  const imports = mountImports($('imports'), {
    incidentsChanged: async () => {
      await app.load();
      if (app.info) mountLegend($('legend'), app.info.event_types.map(([t]) => t));
      await layersPanel.refresh();
    },
    layersChanged: () => layersPanel.refresh(),
    notify,
  });
  const openFiles = () => {
    api.pickFiles().then(
      (ids) => ids.length && imports.watch(),
      (e) => notify(String(e)),
    );
  };
  $('btn-open').addEventListener('click', openFiles);
  const exportDialog = () => openExportDialog(app, notify);
  $('btn-export').addEventListener('click', exportDialog);
  void listen('imports-started', () => imports.watch());
  void listen<string>('imports-refused', (e) => notify(e.payload));
  /** Test hook: open files by path (only granted paths are accepted by the backend). */
  (window as unknown as { atlasOpenPaths: (p: string[]) => Promise<number[]> }).atlasOpenPaths = async (paths) => {
    const ids = await api.openPaths(paths);
    imports.watch();
    return ids;
  };
  map.on('click', (e) => {
    if (measure.active() || project?.draw.busy() || userLayerIds.length === 0) return;
    const present = userLayerIds.filter((id) => map.getLayer(id));
    const hit = map.queryRenderedFeatures(e.point, { layers: present })[0];
    if (!hit) return;
    const m = /^ul-(\d+)-/.exec(hit.layer.id);
    const p = hit.properties as Record<string, unknown>;
    if (!m) return;
    if (p.cluster) {
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 16) });
      return;
    }
    const fid = Number(p.fid);
    if (!Number.isInteger(fid)) return;
    api.layerFeature(Number(m[1]), fid).then((f) => {
      const rows: [string, string][] = [['geometry', f.geometry ?? 'none'], ...(f.id ? [['id', f.id] as [string, string]] : []), ...f.properties];
      new maplibregl.Popup({ closeButton: true, maxWidth: '320px' })
        .setLngLat(e.lngLat)
        .setDOMContent(h('div', { class: 'popup feature-popup' }, h('strong', {}, f.layer), fieldRows(rows)))
        .addTo(map);
    }, (err) => notify(String(err)));
  });

  // Clicks: incidents open the panel, clusters zoom in.
  map.on('click', (e) => {
    if (measure.active() || project?.draw.busy()) return;
    const f = map.queryRenderedFeatures(e.point, { layers: [...INCIDENT_LAYERS, CLUSTER_LAYER] })[0];
    if (!f) return;
    const p = f.properties as Record<string, unknown>;
    if (f.layer.id === CLUSTER_LAYER) {
      const z = Number(p.expansion_zoom) || map.getZoom() + 2;
      map.easeTo({ center: (f.geometry as GeoJSON.Point).coordinates as [number, number], zoom: Math.min(z, 16) });
    } else if (typeof p.event_id === 'string') {
      void openIncident(p.event_id);
    }
  });
  for (const l of [...INCIDENT_LAYERS, CLUSTER_LAYER, 'crossings']) {
    map.on('mouseenter', l, () => (map.getCanvas().style.cursor = measure.active() ? 'crosshair' : 'pointer'));
    map.on('mouseleave', l, () => (map.getCanvas().style.cursor = measure.active() ? 'crosshair' : ''));
  }
  map.on('click', 'crossings', (e) => {
    if (measure.active() || project?.draw.busy()) return;
    const f = e.features?.[0];
    const p = (f?.properties ?? {}) as Record<string, unknown>;
    if (!f) return;
    new maplibregl.Popup({ closeButton: true, maxWidth: '280px' })
      .setLngLat(e.lngLat)
      .setDOMContent(
        h('div', { class: 'popup' }, h('strong', {}, String(p.name ?? '')), h('div', {}, `${String(p.province_af ?? '')} (AF) – ${String(p.province_pk ?? '')} (PK)`), h('div', { class: 'hint' }, `Coordinate confidence: ${String(p.confidence ?? 'unknown')}`)),
      )
      .addTo(map);
  });

  // Keyboard.
  document.addEventListener('keydown', (e) => {
    const a = actionFor(e);
    if (!a) return;
    const run: Record<string, () => void> = {
      search: () => ($('search') as HTMLInputElement).focus(),
      filters: () => showTab('filters'),
      list: () => showTab('list'),
      detail: () => showTab('detail'),
      measure: () => measure.toggle(),
      open: openFiles,
      layers: () => showTab('layers'),
      export: exportDialog,
      play: () => timeline.togglePlay(),
      back: () => timeline.step(-1),
      forward: () => timeline.step(1),
      all: () => timeline.setWindow(null, null),
      fit: fitBorder,
      zoomIn: () => map.zoomIn(),
      zoomOut: () => map.zoomOut(),
      escape: () => {
        if (measure.active()) measure.toggle();
        app.select(null);
      },
      help,
    };
    e.preventDefault();
    run[a]?.();
  });

  await new Promise<void>((res) => (map.loaded() ? res() : map.once('load', () => res())));
  performance.mark('atlas:map-load');
  await waitForData();
  performance.mark('atlas:dataset-ready');
  await app.load();
  performance.mark('atlas:filter-applied');
  const info = app.info;
  // Let every mapped incident be reachable, even outside the context layers' box.
  const ctx = dataBounds(data);
  if (ctx && info?.bbox) {
    const b = info.bbox;
    map.setMaxBounds([Math.min(ctx[0], b[0] - 1), Math.min(ctx[1], b[1] - 1), Math.max(ctx[2], b[2] + 1), Math.max(ctx[3], b[3] + 1)]);
  }
  await layersPanel.refresh();
  imports.watch();
  // Projects and annotations (after the map's style is in: annotations draw on top).
  project = mountProject(app, map, $('tab-project'), {
    reloadAll: async () => {
      await app.load();
      if (app.info) mountLegend($('legend'), app.info.event_types.map(([t]) => t));
      await layersPanel.refresh();
    },
    notify,
    showTab: () => showTab('project'),
  });
  (window as unknown as { atlasProject: ProjectPanel }).atlasProject = project;
  $('btn-annotate').addEventListener('click', () => showTab('project'));
  void project.start();
  if (info) {
    mountLegend($('legend'), info.event_types.map(([t]) => t));
    const upd = () => {
      const i = app.info;
      if (!i) return;
      const unmapped = i.incidents - i.mapped;
      replace($('count'), `${count(app.counts?.total ?? 0)} of ${plural(i.incidents, 'incident')}`, unmapped ? ` (${count(unmapped)} without coordinates)` : '');
    };
    app.on('counts', upd);
    upd();
  }
  // Collapse the (long) attribution; the ⓘ button opens it.
  document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show');
  performance.mark('atlas:panels-ready');
  panels = true;
  markReady();
}

main().catch((e) => {
  replace($('count'), `Error: ${String(e)}`);
  document.body.dataset.error = String(e);
});
