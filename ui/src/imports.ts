/**
 * Opening files: progress of the background imports (bytes read of total, records so far,
 * elapsed) with a cancel button each, and the problems dialog for a file that is invalid —
 * `line:column — message`, the feature or CSV row, the first 100 and a count — offering to
 * load the valid records only. Everything from the file is shown as text.
 */
import { api, type JobStatus, type Problem } from './api';
import { modalDialog } from './confirm';
import { h, replace } from './dom';
import { count, plural } from './format';

/** `12:7 — latitude 95.2 out of range [-90, 90] (feature 3)`. */
export function problemLine(p: Problem): string {
  const where = p.line === null ? '' : p.column === null ? `${p.line}` : `${p.line}:${p.column}`;
  const rec = p.record ? (p.record.kind === 'feature' ? ` (feature ${p.record.index})` : ` (CSV row ${p.record.index})`) : '';
  return `${where ? `${where} — ` : ''}${p.message}${rec}`;
}

/** `12.5 of 518.0 MB · 240,000 records · 1.2 s`. */
export function progressText(j: JobStatus): string {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const bytes = j.bytes_total > 0 ? `${mb(j.bytes_read)} of ${mb(j.bytes_total)} MB` : `${mb(j.bytes_read)} MB`;
  return `${bytes} · ${plural(j.records, 'record')} · ${(j.elapsed_ms / 1000).toFixed(1)} s`;
}

export function fraction(j: JobStatus): number {
  return j.bytes_total > 0 ? Math.min(1, j.bytes_read / j.bytes_total) : 0;
}

export interface ImportHooks {
  /** Called after incidents were added (re-query everything). */
  incidentsChanged(): Promise<void>;
  /** Called after a layer was added. */
  layersChanged(): Promise<void>;
  notify(text: string): void;
}

/** Problems dialog; resolves true when the user chooses to load the valid records. */
export function showProblems(job: JobStatus, problems: Problem[], total: number, valid: number | null): Promise<boolean> {
  return modalDialog(false, (done) => {
    const list = h('ol', { class: 'problems', id: 'problem-list' });
    for (const p of problems.slice(0, 100)) list.appendChild(h('li', {}, problemLine(p)));
    const more = total > problems.length ? h('p', { class: 'hint' }, `… and ${count(total - problems.length)} more (${count(total)} problems in all).`) : null;
    const actions = h('div', { class: 'actions' });
    if (valid !== null && valid > 0) {
      actions.append(
        h('button', { id: 'problems-dismiss', onclick: () => done(false) }, 'Don’t load'),
        h('button', { class: 'primary', id: 'problems-accept', onclick: () => done(true) }, `Load the ${plural(valid, 'valid record')} only`),
      );
    } else {
      actions.append(h('button', { class: 'primary', id: 'problems-close', onclick: () => done(false) }, 'Close'));
    }
    const intro =
      valid !== null && valid > 0
        ? `${job.name} has ${plural(total, 'problem')}. Nothing has been loaded yet; what is already on the map is unchanged.`
        : `${job.name} could not be loaded. What is already on the map is unchanged.`;
    return { el: h('div', { class: 'dialog wide', role: 'dialog', id: 'problems-dialog' }, h('h3', {}, `Problems in ${job.name}`), h('p', {}, intro), list, more, actions) };
  });
}

/** The progress tray: polls the import jobs while any exist. */
export function mountImports(root: HTMLElement, hooks: ImportHooks): { watch(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const handled = new Set<number>();
  // One row per running job, updated in place (a row rebuilt every poll would swallow clicks).
  const rows = new Map<number, { el: HTMLElement; fill: HTMLElement; text: HTMLElement }>();
  const row = (j: JobStatus) => {
    let r = rows.get(j.id);
    if (!r) {
      const fill = h('span');
      const text = h('div', { class: 'job-text' });
      const el = h(
        'div',
        { class: 'job', dataset: { job: String(j.id) } },
        h('div', { class: 'job-name' }, j.name),
        h('div', { class: 'bar' }, fill),
        text,
        h('button', { class: 'job-cancel', onclick: () => void api.importAction(j.id, 'cancel') }, 'Cancel'),
      );
      r = { el, fill, text };
      rows.set(j.id, r);
    }
    r.fill.style.width = `${(fraction(j) * 100).toFixed(1)}%`;
    replace(r.text, progressText(j));
    return r.el;
  };
  const finish = async (j: JobStatus) => {
    handled.add(j.id);
    const o = j.outcome;
    if (o.state === 'loaded') {
      const r = o.report;
      hooks.notify(`${j.name}: ${plural(r.loaded, o.kind === 'incidents' ? 'incident' : 'feature')} loaded${r.updated ? `, ${count(r.updated)} updated` : ''}${r.rejected ? `, ${count(r.rejected)} rejected` : ''}.`);
      if (o.kind === 'incidents') await hooks.incidentsChanged();
      else await hooks.layersChanged();
    } else if (o.state === 'needs_decision') {
      const yes = await showProblems(j, o.problems, o.problem_count, o.valid);
      const st = await api.importAction(j.id, yes ? 'accept' : 'dismiss');
      if (yes && st.outcome.state === 'loaded') {
        handled.delete(j.id);
        return finish(st);
      }
    } else if (o.state === 'failed') {
      const problems = o.problems.length ? o.problems : [{ file: j.name, line: null, column: null, record: null, message: o.message }];
      await showProblems(j, problems, Math.max(problems.length, 1), null);
    } else if (o.state === 'cancelled') {
      hooks.notify(`${j.name}: loading cancelled; nothing changed.`);
    }
    await api.importAction(j.id, 'forget').catch(() => undefined);
  };
  const poll = async () => {
    timer = null;
    let jobs: JobStatus[] = [];
    try {
      jobs = await api.importJobs();
    } catch {
      jobs = [];
    }
    const running = jobs.filter((j) => j.outcome.state === 'running');
    for (const [id, r] of [...rows]) {
      if (running.some((j) => j.id === id)) continue;
      r.el.remove();
      rows.delete(id);
    }
    for (const j of running) {
      const el = row(j);
      if (el.parentNode !== root) root.appendChild(el);
    }
    root.hidden = running.length === 0;
    document.body.dataset.importsRunning = String(running.length);
    for (const j of jobs) if (j.outcome.state !== 'running' && !handled.has(j.id)) void finish(j);
    if (running.length > 0 || jobs.some((j) => !handled.has(j.id))) timer = setTimeout(() => void poll(), 150);
  };
  return {
    watch() {
      if (!timer) timer = setTimeout(() => void poll(), 0);
    },
  };
}
