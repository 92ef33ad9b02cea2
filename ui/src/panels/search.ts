/** Search box: crossings, places, provinces, incident ids; choosing a result flies there. */
import { api, type Place } from '../api';
import { h, replace } from '../dom';

export function mountSearch(input: HTMLInputElement, list: HTMLElement, go: (p: Place) => void): void {
  let results: Place[] = [];
  let active = 0;
  let seq = 0;
  const render = () => {
    replace(list);
    results.forEach((p, i) => {
      const li = h(
        'li',
        { role: 'option', class: i === active ? 'active' : '', onclick: () => choose(i) },
        h('span', { class: `kind ${p.kind}` }, p.kind),
        h('span', { class: 'name' }, p.name),
        p.detail ? h('span', { class: 'detail' }, p.detail) : null,
      );
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
  };
  const choose = (i: number) => {
    const p = results[i];
    if (!p) return;
    list.hidden = true;
    input.value = p.name;
    input.blur();
    go(p);
  };
  input.addEventListener('input', async () => {
    const my = ++seq;
    const q = input.value;
    const r = q.trim() ? await api.search(q).catch(() => []) : [];
    if (my !== seq) return;
    results = r;
    active = 0;
    render();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') active = Math.min(results.length - 1, active + 1);
    else if (e.key === 'ArrowUp') active = Math.max(0, active - 1);
    else if (e.key === 'Enter') return choose(active);
    else if (e.key === 'Escape') {
      list.hidden = true;
      input.blur();
      return;
    } else return;
    e.preventDefault();
    render();
  });
  input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 150));
}
