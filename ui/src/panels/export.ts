/**
 * The export dialog: paper (A4, A3, Letter, Legal; portrait or landscape) or custom pixels,
 * DPI 72–600, format (PDF, SVG, PNG, or a time-lapse of the time window as a GIF or an
 * MP4 video), title,
 * subtitle and notes, with a live preview rendered by the engine — the same page builder
 * the export and `atlas export-map` use. It exports what the view shows: extent, filters
 * and time window, visible layers.
 */
import { invoke } from '@tauri-apps/api/core';
import type { App } from '../app';
import { api } from '../api';
import { h, replace } from '../dom';
import { toEngineFilter, type EngineFilter } from '../state';
import { withPreset } from '../project-state';

export const PAPERS: [string, string][] = [
  ['a4-landscape', 'A4 landscape'],
  ['a4-portrait', 'A4 portrait'],
  ['a3-landscape', 'A3 landscape'],
  ['a3-portrait', 'A3 portrait'],
  ['letter-landscape', 'Letter landscape'],
  ['letter-portrait', 'Letter portrait'],
  ['legal-landscape', 'Legal landscape'],
  ['legal-portrait', 'Legal portrait'],
  ['custom', 'Custom size (pixels)'],
];

export interface ExportRequest {
  paper: string;
  width_px: number | null;
  height_px: number | null;
  dpi: number;
  format: 'pdf' | 'svg' | 'png' | 'gif' | 'mp4';
  title: string;
  subtitle: string;
  notes: string;
  bbox: [number, number, number, number];
  filter: EngineFilter;
  step_days: number | null;
  window_days: number | null;
}

/** A time-lapse format (GIF or MP4): the dialog asks for the step and window. */
export function isLapse(format: string): boolean {
  return format === 'gif' || format === 'mp4';
}

/** Clamp the DPI field to what the engine accepts. */
export function clampDpi(v: number): number {
  return Number.isFinite(v) ? Math.min(600, Math.max(72, Math.round(v))) : 300;
}

/** Pixel size of a paper at a DPI (mm × dpi / 25.4), for the dialog's read-out. */
export function pixelSize(paper: string, dpi: number): [number, number] | null {
  const mm: Record<string, [number, number]> = { a4: [297, 210], a3: [420, 297], letter: [279.4, 215.9], legal: [355.6, 215.9] };
  const [name, orient] = paper.split('-');
  const s = mm[name];
  if (!s) return null;
  const [w, hgt] = orient === 'portrait' ? [s[1], s[0]] : s;
  return [Math.round((w * dpi) / 25.4), Math.round((hgt * dpi) / 25.4)];
}

export function openExportDialog(app: App, notify: (t: string) => void): void {
  const modal = document.getElementById('modal');
  if (!modal) return;
  const paper = h('select', { id: 'exp-paper', ariaLabel: 'Paper' });
  for (const [v, t] of PAPERS) paper.appendChild(h('option', { value: v }, t));
  const wpx = h('input', { type: 'number', id: 'exp-w', value: '1920', ariaLabel: 'Width in pixels' });
  const hpx = h('input', { type: 'number', id: 'exp-h', value: '1080', ariaLabel: 'Height in pixels' });
  const dpi = h('input', { type: 'number', id: 'exp-dpi', value: '300', ariaLabel: 'DPI' });
  Object.assign(dpi, { min: '72', max: '600', step: '1' });
  const format = h('select', { id: 'exp-format', ariaLabel: 'Format' });
  for (const [v, t] of [['pdf', 'PDF (vector)'], ['svg', 'SVG (vector)'], ['png', 'PNG (raster)'], ['gif', 'GIF time-lapse'], ['mp4', 'MP4 video time-lapse']]) format.appendChild(h('option', { value: v }, t));
  const title = h('input', { id: 'exp-title', value: 'Incidents along the Afghanistan–Pakistan border (Durand Line)', ariaLabel: 'Title' });
  const subtitle = h('input', { id: 'exp-subtitle', value: '', ariaLabel: 'Subtitle' });
  const notes = h('textarea', { id: 'exp-notes', ariaLabel: 'Notes', placeholder: 'Printed under the map (up to six lines; longer notes are cut and marked)' });
  notes.rows = 3;
  const step = h('input', { type: 'number', id: 'exp-step', value: '7', ariaLabel: 'Days per frame' });
  const win = h('input', { type: 'number', id: 'exp-window', value: '7', ariaLabel: 'Window length in days' });
  const size = h('span', { class: 'hint', id: 'exp-size' });
  const img = h('img', { id: 'exp-preview', class: 'preview' });
  img.alt = 'Preview of the exported page';
  const status = h('p', { class: 'hint', id: 'exp-status' }, 'Rendering preview…');
  // The open project's first export preset fills the fields (an export saves them back).
  const preset = app.exportPresets?.[0];
  if (preset) {
    if (PAPERS.some(([v]) => v === preset.paper)) paper.value = preset.paper;
    if (preset.dpi >= 72 && preset.dpi <= 600) dpi.value = String(preset.dpi);
    if ([...format.options].some((o) => o.value === preset.format)) format.value = preset.format;
    if (preset.title) title.value = preset.title;
    subtitle.value = preset.subtitle;
    notes.value = preset.notes;
  }
  const customRow = h('div', { class: 'st' }, 'Width ', wpx, ' × height ', hpx, ' px');
  const gifRow = h('div', { class: 'st' }, 'Each frame: step ', step, ' days, window ', win, ' days');
  const request = (): ExportRequest => ({
    paper: paper.value,
    width_px: paper.value === 'custom' ? Number(wpx.value) : null,
    height_px: paper.value === 'custom' ? Number(hpx.value) : null,
    dpi: clampDpi(Number(dpi.value)),
    format: format.value as ExportRequest['format'],
    title: title.value,
    subtitle: subtitle.value,
    notes: notes.value,
    bbox: app.viewBox(),
    filter: toEngineFilter(app.filter),
    step_days: isLapse(format.value) ? Number(step.value) || 7 : null,
    window_days: isLapse(format.value) ? Number(win.value) || 7 : null,
  });
  let url: string | null = null;
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const preview = () => {
    clearTimeout(timer);
    customRow.hidden = paper.value !== 'custom';
    gifRow.hidden = !isLapse(format.value);
    const px = paper.value === 'custom' ? [Number(wpx.value), Number(hpx.value)] : pixelSize(paper.value, clampDpi(Number(dpi.value)));
    replace(size, px ? `${px[0]} × ${px[1]} px at ${clampDpi(Number(dpi.value))} dpi` : '');
    document.body.dataset.exportPreview = 'pending';
    timer = setTimeout(async () => {
      const my = ++seq;
      replace(status, 'Rendering preview…');
      try {
        const bytes = await invoke<ArrayBuffer>('export_preview', { request: request(), width: 640 });
        if (my !== seq) return;
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
        img.src = url;
        replace(status, 'Preview of the page as it will be exported.');
        document.body.dataset.exportPreview = 'ready';
      } catch (e) {
        if (my === seq) replace(status, String(e));
      }
    }, 250);
  };
  const close = () => {
    modal.hidden = true;
    replace(modal);
    if (url) URL.revokeObjectURL(url);
  };
  const go = h('button', { class: 'primary', id: 'exp-go' }, 'Export…');
  go.addEventListener('click', async () => {
    go.disabled = true;
    replace(status, 'Exporting…');
    try {
      const req = request();
      const r = await api.exportMap(req, null);
      if (r) {
        if (app.exportPresets) {
          const { paper: p, dpi: d, format: f, title: t, subtitle: st, notes: n } = req;
          app.exportPresets = withPreset(app.exportPresets, { paper: p, dpi: d, format: f, title: t, subtitle: st, notes: n });
        }
        notify(`Exported ${r.path} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.incidents} incidents, ${r.ms} ms).`);
        close();
      } else replace(status, 'Export cancelled.');
    } catch (e) {
      replace(status, String(e));
    } finally {
      go.disabled = false;
    }
  });
  for (const el of [paper, wpx, hpx, dpi, format, title, subtitle, notes, step, win]) el.addEventListener('input', preview);
  const field = (label: string, el: HTMLElement) => h('label', { class: 'st' }, h('span', { class: 'lbl' }, label), el);
  replace(
    modal,
    h(
      'div',
      { class: 'dialog export', role: 'dialog', id: 'export-dialog' },
      h('h3', {}, 'Export map'),
      h(
        'div',
        { class: 'export-grid' },
        h('div', { class: 'export-form' }, field('Paper', paper), customRow, field('DPI', dpi), size, field('Format', format), gifRow, field('Title', title), field('Subtitle', subtitle), field('Notes', notes)),
        h('div', { class: 'export-preview' }, img, status),
      ),
      h('div', { class: 'actions' }, h('button', { onclick: close }, 'Cancel'), go),
    ),
  );
  modal.hidden = false;
  preview();
}
