/** A small in-page confirmation dialog (text only). Resolves true on "Open". */
import { h, replace } from './dom';

export function confirmOpen(title: string, detail: string, okLabel = 'Open'): Promise<boolean> {
  const modal = document.getElementById('modal');
  if (!modal) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      modal.hidden = true;
      replace(modal);
      document.removeEventListener('keydown', onKey, true);
      resolve(v);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        done(false);
      }
    };
    const ok = h('button', { class: 'primary', onclick: () => done(true) }, okLabel);
    replace(
      modal,
      h(
        'div',
        { class: 'dialog', role: 'dialog' },
        h('h3', {}, title),
        h('p', { class: 'url' }, detail),
        h('div', { class: 'actions' }, h('button', { onclick: () => done(false) }, 'Cancel'), ok),
      ),
    );
    modal.hidden = false;
    document.addEventListener('keydown', onKey, true);
    ok.focus();
  });
}

/** Ask for one of several choices (text only); resolves the chosen value or null. */
export function choose(title: string, detail: string, choices: [string, string][]): Promise<string | null> {
  const modal = document.getElementById('modal');
  if (!modal) return Promise.resolve(null);
  return new Promise((resolve) => {
    const done = (v: string | null) => {
      modal.hidden = true;
      replace(modal);
      resolve(v);
    };
    const buttons = choices.map(([v, label]) => h('button', { class: 'primary', dataset: { choice: v }, onclick: () => done(v) }, label));
    replace(
      modal,
      h('div', { class: 'dialog', role: 'dialog', id: 'choose-dialog' }, h('h3', {}, title), h('p', {}, detail), h('div', { class: 'actions' }, h('button', { onclick: () => done(null) }, 'Cancel'), ...buttons)),
    );
    modal.hidden = false;
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
