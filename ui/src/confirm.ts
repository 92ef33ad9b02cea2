/** A small in-page confirmation dialog (text only). Resolves true on "Open". */
import { h, replace } from './dom';

/** What a dialog builder returns: the dialog, what to focus, extra key handling. */
export interface DialogParts {
  el: HTMLElement;
  focus?: HTMLElement;
  onKey?: (e: KeyboardEvent) => void;
}

/**
 * Show a dialog in `#modal`: `build` gets `done` and returns the dialog. Resolves with the
 * value `done` is called with, or `cancel` on Escape (or when there is no modal); the
 * modal is hidden and emptied on close.
 */
export function modalDialog<T>(cancel: T, build: (done: (v: T) => void) => DialogParts): Promise<T> {
  const modal = document.getElementById('modal');
  if (!modal) return Promise.resolve(cancel);
  return new Promise((resolve) => {
    const done = (v: T) => {
      modal.hidden = true;
      replace(modal);
      document.removeEventListener('keydown', onKey, true);
      resolve(v);
    };
    const parts = build(done);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        done(cancel);
      } else parts.onKey?.(e);
    };
    replace(modal, parts.el);
    modal.hidden = false;
    document.addEventListener('keydown', onKey, true);
    parts.focus?.focus();
  });
}

export function confirmOpen(title: string, detail: string, okLabel = 'Open'): Promise<boolean> {
  return modalDialog(false, (done) => {
    const ok = h('button', { class: 'primary', onclick: () => done(true) }, okLabel);
    const el = h(
      'div',
      { class: 'dialog', role: 'dialog' },
      h('h3', {}, title),
      h('p', { class: 'url' }, detail),
      h('div', { class: 'actions' }, h('button', { onclick: () => done(false) }, 'Cancel'), ok),
    );
    return { el, focus: ok };
  });
}

/** Ask for one of several choices (text only); resolves the chosen value or null. */
export function choose(title: string, detail: string, choices: [string, string][]): Promise<string | null> {
  return modalDialog<string | null>(null, (done) => {
    const buttons = choices.map(([v, label]) => h('button', { class: 'primary', dataset: { choice: v }, onclick: () => done(v) }, label));
    const el = h('div', { class: 'dialog', role: 'dialog', id: 'choose-dialog' }, h('h3', {}, title), h('p', {}, detail), h('div', { class: 'actions' }, h('button', { onclick: () => done(null) }, 'Cancel'), ...buttons));
    return { el };
  });
}

/** Show a text-only information dialog. */
export function showInfo(title: string, rows: [string, string][]): void {
  const modal = document.getElementById('modal');
  if (!modal) return;
  const close = h('button', { class: 'primary', onclick: () => (modal.hidden = true) }, 'Close');
  const table = h('table', { class: 'keys' });
  for (const [k, v] of rows) table.appendChild(h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, v)));
  replace(modal, h('div', { class: 'dialog', role: 'dialog' }, h('h3', {}, title), table, h('div', { class: 'actions' }, close)));
  modal.hidden = false;
  close.focus();
}
