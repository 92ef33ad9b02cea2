/**
 * The Project tab: new / open / save / save as and the recent projects; what the project
 * holds (each layer saved as a reference or a copy, changed files flagged, missing ones
 * with "Relink…"); the annotations (draw a point, line or polygon; list, fly to, edit,
 * delete; undo/redo; export as GeoJSON). Every couple of seconds the page's snapshot
 * (filter, view) goes to the backend, which keeps the dirty flag and the autosave; the
 * window title shows the project's name and • for unsaved changes.
 */
import type { Map as MlMap } from 'maplibre-gl';
import { api, type Annotation, type AnnotationGeometry, type AnnotationList, type LayerList, type OpenedProject, type ProjectStatus } from '../api';
import type { App } from '../app';
import { addAnnotationLayers, boundsOf, drawAnnotations, DrawTool, editDialog, kindText, type DrawMode } from '../annotations';
import { confirmOpen } from '../confirm';
import { h, replace } from '../dom';
import { plural } from '../format';
import { fromEngineFilter, projectName, snapshotOf, windowTitle } from '../project-state';

export interface ProjectHooks {
  /** Everything loaded changed (incidents and layers): re-query all. */
  reloadAll(): Promise<void>;
  notify(text: string): void;
  showTab(): void;
}

export interface ProjectPanel {
  /** Flag changed layers in the Layers panel (call after it renders). */
  decorateLayers(list: LayerList): void;
  /** The drawing tool (other map clicks stay quiet while it is busy). */
  draw: DrawTool;
  start(): Promise<void>;
  open(path: string | null): Promise<void>;
  save(asNew: boolean, path?: string | null): Promise<void>;
}

const SYNC_MS = 2000;

async function setTitle(text: string): Promise<void> {
  document.title = text;
  try {
    const { getCurrentWindow } = await import('@tauri-apps/api/window');
    await getCurrentWindow().setTitle(text);
  } catch {
    // Not in the app window (tests): the document title is enough.
  }
}

export function mountProject(app: App, map: MlMap, root: HTMLElement, hooks: ProjectHooks): ProjectPanel {
  let status: ProjectStatus | null = null;
  let notes: AnnotationList = { items: [], can_undo: false, can_redo: false };
  let selected: number | null = null;
  let recoveryDir = '';
  let started = false;
  let syncing = false;
  let lastTitle = '';
  let lastLayers: LayerList | null = null;
  let wasLoading = false;
  let soon: ReturnType<typeof setTimeout> | null = null;

  addAnnotationLayers(map);
  const draw = new DrawTool(map, {
    finished: (mode, g) => void addAnnotation(mode, g),
    changed: () => render(),
  });

  const snapshot = () => snapshotOf(app.filter, map, app.exportPresets);
  const fail = (e: unknown) => hooks.notify(String(e));

  const setNotes = (l: AnnotationList) => {
    notes = l;
    drawAnnotations(map, notes.items, selected);
    document.body.dataset.annotations = String(notes.items.length);
    render();
  };
  const refreshNotes = async () => setNotes(await api.annotationsList());

  const addAnnotation = async (mode: DrawMode, g: AnnotationGeometry) => {
    const what = mode === 'point' ? 'point' : mode === 'line' ? 'line' : 'polygon';
    const v = await editDialog(`New ${what}`, '', '');
    if (!v) return;
    try {
      const r = await api.annotationEdit({ op: 'add', geometry: g, title: v.title, note: v.note });
      selected = r.id;
      setNotes(r.list);
      void sync();
    } catch (e) {
      fail(e);
    }
  };
  const editNote = async (a: Annotation) => {
    const v = await editDialog('Edit annotation', a.title, a.note);
    if (!v) return;
    try {
      setNotes((await api.annotationEdit({ op: 'update', id: a.id, title: v.title, note: v.note })).list);
      void sync();
    } catch (e) {
      fail(e);
    }
  };
  const deleteNote = async (a: Annotation) => {
    try {
      setNotes((await api.annotationEdit({ op: 'delete', id: a.id })).list);
      hooks.notify(`Annotation deleted (Ctrl+Z to undo).`);
      void sync();
    } catch (e) {
      fail(e);
    }
  };
  const undo = async () => {
    setNotes(await api.annotationUndo());
    void sync();
  };
  const redo = async () => {
    setNotes(await api.annotationRedo());
    void sync();
  };
  const flyTo = (a: Annotation) => {
    selected = a.id;
    drawAnnotations(map, notes.items, selected);
    const b = boundsOf(a.geometry);
    if (a.geometry.type === 'Point') map.flyTo({ center: a.geometry.coordinates, zoom: Math.max(map.getZoom(), 10) });
    else map.fitBounds(b, { padding: 60, maxZoom: 13 });
    render();
  };
  const exportNotes = async () => {
    try {
      const r = await api.annotationsExport(null);
      if (r) hooks.notify(`${plural(r.features, 'annotation')} exported to ${r.path}.`);
    } catch (e) {
      fail(e);
    }
  };

  /** Apply an opened project: filter, view, annotations; then wait for its layers. */
  const applyOpened = async (o: OpenedProject) => {
    app.replaceFilter(fromEngineFilter(o.filter));
    app.exportPresets = Array.isArray(o.export_presets) ? o.export_presets : [];
    const v = o.view;
    map.jumpTo({ center: v.center, zoom: v.zoom, bearing: v.bearing, pitch: v.pitch });
    selected = null;
    await refreshNotes();
    await hooks.reloadAll();
    const bad = o.layers.filter((l) => l.status !== 'ok');
    const msg = `${o.recovered ? 'Recovered' : 'Opened'} ${o.name}: ${plural(o.layers.length, 'layer')}, ${plural(o.annotations, 'annotation')}${bad.length ? `; ${bad.length} need attention (Project tab)` : ''}.`;
    hooks.notify(msg);
    if (bad.length) hooks.showTab();
    await sync();
    if (o.recovery_available) {
      const yes = await confirmOpen('Recover unsaved changes?', `${o.name} has newer unsaved changes from an autosave. Recover them?`, 'Recover');
      const r = await api.projectRecover(yes).catch((e) => (fail(e), null));
      if (r) await applyOpened(r);
    }
  };

  const discardOk = async (what: string) => {
    if (!status?.dirty) return true;
    return confirmOpen('Discard unsaved changes?', `${status.name} has unsaved changes. ${what} anyway? (Cancel, then Save, to keep them.)`, 'Discard');
  };

  const open = async (path: string | null, recent: number | null = null) => {
    if (!(await discardOk('Open another project'))) return;
    try {
      const o = await api.projectOpen(path, recent);
      if (o) await applyOpened(o);
    } catch (e) {
      fail(e);
    }
  };
  const newProject = async () => {
    if (!(await discardOk('Start a new project'))) return;
    try {
      await applyOpened(await api.projectNew());
    } catch (e) {
      fail(e);
    }
  };
  const save = async (asNew: boolean, path: string | null = null) => {
    try {
      const snap = snapshot();
      const r = asNew || path ? await api.projectSaveAs(snap, path) : await api.projectSave(snap);
      if (r) hooks.notify(`Saved ${r.name} (revision ${r.revision}, ${plural(r.layers, 'layer')}).`);
      await sync();
    } catch (e) {
      fail(e);
    }
  };
  const relink = async (id: string) => {
    try {
      if (await api.projectRelink(id, null)) await sync();
    } catch (e) {
      fail(e);
    }
  };
  const storage = async (kind: 'layer' | 'incidents', id: number, embed: boolean) => {
    try {
      await api.projectLayerStorage(kind, id, embed);
    } catch (e) {
      fail(e);
    }
    await sync();
  };

  /** Send the snapshot; the backend answers with the status (dirty, autosaved). */
  const sync = async () => {
    if (!started || syncing) return;
    syncing = true;
    try {
      const st = await api.projectSync(snapshot());
      const changed = JSON.stringify(st) !== JSON.stringify(status);
      status = st;
      document.body.dataset.projectDirty = String(st.dirty);
      document.body.dataset.projectLoading = String(st.loading);
      const title = windowTitle(st.name, st.dirty);
      if (title !== lastTitle) {
        lastTitle = title;
        void setTitle(title);
      }
      if (wasLoading && st.loading === 0) await hooks.reloadAll();
      wasLoading = st.loading > 0;
      if (changed) {
        render();
        if (lastLayers) decorateLayers(lastLayers);
      }
    } catch (e) {
      document.body.dataset.projectError = String(e);
    } finally {
      syncing = false;
    }
  };
  const syncSoon = () => {
    if (soon) clearTimeout(soon);
    soon = setTimeout(() => void sync(), 400);
  };
  map.on('moveend', syncSoon);
  app.on('filter', syncSoon);

  const decorateLayers = (list: LayerList) => {
    lastLayers = list;
    if (!status) return;
    for (const it of status.items) {
      if (it.kind !== 'layer' || !it.changed) continue;
      const row = document.querySelector(`#layer-list li.layer[data-layer="${it.id}"] .l1`);
      if (row && !row.querySelector('.flag-changed')) {
        row.insertBefore(h('span', { class: 'flag flag-changed', title: 'The file changed since the project was saved; loaded as it is now.' }, 'changed'), row.querySelector('.btns'));
      }
    }
  };

  const render = () => {
    const st = status;
    const head = h(
      'div',
      { class: 'project-head' },
      h('div', { class: 'project-name', id: 'project-name' }, st ? `${st.name}${st.dirty ? ' •' : ''}` : 'Untitled'),
      h('div', { class: 'hint', id: 'project-state' }, !st ? '' : st.loading ? `Loading ${plural(st.loading, 'layer')}…` : st.dirty ? 'Unsaved changes (autosaved)' : st.path ? 'Saved' : 'Nothing to save yet'),
      st?.path ? h('div', { class: 'hint path', title: st.path }, st.path) : null,
    );
    const actions = h(
      'div',
      { class: 'row project-actions' },
      h('button', { id: 'btn-project-new', onclick: () => void newProject() }, 'New'),
      h('button', { id: 'btn-project-open', onclick: () => void open(null) }, 'Open…'),
      h('button', { class: 'primary', id: 'btn-project-save', title: 'Save (Ctrl+S)', onclick: () => void save(false) }, 'Save'),
      h('button', { id: 'btn-project-save-as', title: 'Save as (Ctrl+Shift+S)', onclick: () => void save(true) }, 'Save as…'),
    );
    const recentList = h('ul', { class: 'recent', id: 'recent-projects' });
    // Filled asynchronously (the list is a file read).
    void api.projectRecent().then(
      (items) =>
        replace(
          recentList,
          items.length ? null : h('li', { class: 'hint' }, 'None yet: projects you open or save are listed here.'),
          ...items.map((r, i) =>
            h(
              'li',
              { title: r.path },
              r.missing
                ? h('span', { class: 'hint' }, `${r.name || projectName(r.path)} (missing)`)
                : h('button', { class: 'link', onclick: () => void open(null, i) }, r.name || projectName(r.path)),
            ),
          ),
        ),
      () => undefined,
    );

    const items = h('ul', { class: 'project-layers', id: 'project-layers' });
    for (const it of st?.items ?? []) {
      const cb = h('input', { type: 'checkbox', ariaLabel: `Save a copy of ${it.name} in the project` });
      cb.checked = it.embed;
      cb.disabled = it.copy_only;
      cb.addEventListener('change', () => void storage(it.kind, it.id, cb.checked));
      const base = it.name.split(/[\\/]/).pop() ?? it.name;
      items.appendChild(
        h(
          'li',
          { dataset: { kind: it.kind, id: String(it.id) } },
          h('span', { class: 'layer-name', title: it.name }, base),
          it.kind === 'incidents' ? h('span', { class: 'hint' }, ' incidents') : null,
          it.changed ? h('span', { class: 'flag flag-changed', title: 'The file changed since the project was saved' }, 'changed') : null,
          h('label', { class: 'hint copy', title: it.copy_only ? 'A copy inside the project (no file behind it)' : 'Checked: the file is copied into the project; unchecked: referenced with its checksum' }, cb, ' copy in project'),
        ),
      );
    }
    for (const u of st?.unloaded ?? []) {
      items.appendChild(
        h(
          'li',
          { class: 'unloaded', dataset: { layerId: u.id } },
          h('span', { class: 'layer-name' }, u.name || u.id),
          h('span', { class: `flag flag-${u.status}` }, u.status),
          h('button', { class: 'relink', onclick: () => void relink(u.id) }, 'Relink…'),
          h('div', { class: 'hint msg' }, u.message),
        ),
      );
    }
    const tools = h(
      'div',
      { class: 'row draw-tools' },
      ...(['point', 'line', 'polygon'] as DrawMode[]).map((m) =>
        h(
          'button',
          { class: draw.active() === m ? 'active' : '', id: `btn-draw-${m}`, title: m === 'point' ? 'Click the map' : 'Click points; double-click or Enter to finish, Esc to cancel', onclick: () => (draw.active() === m ? draw.cancel() : draw.start(m)) },
          m === 'point' ? 'Point' : m === 'line' ? 'Line' : 'Polygon',
        ),
      ),
      h('button', { id: 'btn-annot-undo', title: 'Undo (Ctrl+Z)', onclick: () => void undo() }, '↶'),
      h('button', { id: 'btn-annot-redo', title: 'Redo (Ctrl+Shift+Z)', onclick: () => void redo() }, '↷'),
      h('button', { id: 'btn-annot-export', title: 'Export the annotations as GeoJSON', onclick: () => void exportNotes() }, 'Export…'),
    );
    (tools.querySelector('#btn-annot-undo') as HTMLButtonElement).disabled = !notes.can_undo;
    (tools.querySelector('#btn-annot-redo') as HTMLButtonElement).disabled = !notes.can_redo;
    const drawing = draw.active();
    const drawHint = drawing ? h('p', { class: 'hint drawing' }, drawing === 'point' ? 'Click the map to place the point (Esc cancels).' : 'Click to add points; double-click or Enter to finish; Esc cancels.') : null;
    const list = h('ol', { class: 'annotations', id: 'annotation-list' });
    for (const a of notes.items) {
      list.appendChild(
        h(
          'li',
          { class: a.id === selected ? 'selected' : '', dataset: { annotation: String(a.id) } },
          h('button', { class: 'link title', title: 'Fly there', onclick: () => flyTo(a) }, a.title || '(untitled)'),
          h('span', { class: 'hint' }, ` ${kindText(a.geometry)}`),
          h('span', { class: 'btns' }, h('button', { class: 'icon', title: 'Edit title and note', onclick: () => void editNote(a) }, '✎'), h('button', { class: 'icon', title: 'Delete', onclick: () => void deleteNote(a) }, '×')),
          a.note ? h('div', { class: 'note' }, a.note) : null,
        ),
      );
    }
    replace(
      root,
      head,
      actions,
      h('h4', {}, 'Recent projects'),
      recentList,
      h('h4', {}, 'In this project'),
      (st?.items.length ?? 0) + (st?.unloaded.length ?? 0) ? items : h('p', { class: 'hint' }, 'Open files or layers; they are saved with the project (by reference, with a checksum, or as a copy).'),
      h('h4', {}, 'Annotations'),
      tools,
      drawHint,
      notes.items.length ? list : h('p', { class: 'hint' }, 'No annotations yet: draw a point, line or polygon, then give it a title and a note.'),
      h('p', { class: 'hint' }, `Changes are autosaved every few seconds${recoveryDir ? ` to ${recoveryDir}` : ''}; after a crash the app offers to recover them.`),
    );
  };

  // Keyboard: Ctrl+S, Ctrl+Shift+S, Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y.
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const t = e.target as HTMLElement | null;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA');
    const k = e.key.toLowerCase();
    if (k === 's') {
      e.preventDefault();
      void save(e.shiftKey);
    } else if (!typing && k === 'z') {
      e.preventDefault();
      void (e.shiftKey ? redo() : undo());
    } else if (!typing && k === 'y') {
      e.preventDefault();
      void redo();
    }
  });

  const start = async () => {
    recoveryDir = await api.projectRecoveryDir().catch(() => '');
    const s = await api.projectStartup().catch((e) => (fail(e), null));
    started = true;
    if (s?.open) {
      await open(s.open);
    } else if (s?.recovery) {
      const r = s.recovery;
      const what = r.project ? `${projectName(r.project)} has unsaved changes` : 'An unsaved session was';
      const yes = await confirmOpen('Recover unsaved work?', `${what} autosaved at ${r.modified} and not saved. Recover it?`, 'Recover');
      const o = await api.projectRecover(yes).catch((e) => (fail(e), null));
      if (o) await applyOpened(o);
    }
    await refreshNotes();
    await sync();
    setInterval(() => void sync(), SYNC_MS);
    document.body.dataset.projectReady = 'true';
  };

  render();
  return { decorateLayers, draw, start, open: (p) => open(p), save };
}
