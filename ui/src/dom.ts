/**
 * Text-only DOM building. Data from files (incident notes, source names, URLs) is only
 * ever set with `textContent` or attributes from an allow-list — never `innerHTML` —
 * so nothing in the data can become markup or script.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  id?: string;
  role?: string;
  type?: string;
  value?: string;
  placeholder?: string;
  tabindex?: string;
  ariaLabel?: string;
  dataset?: Record<string, string>;
  onclick?: (ev: MouseEvent) => void;
}

/** Create an element with props and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  if (props.id) el.id = props.id;
  if (props.role) el.setAttribute('role', props.role);
  if (props.type) el.setAttribute('type', props.type);
  if (props.value !== undefined) (el as HTMLInputElement).value = props.value;
  if (props.placeholder) el.setAttribute('placeholder', props.placeholder);
  if (props.tabindex) el.setAttribute('tabindex', props.tabindex);
  if (props.ariaLabel) el.setAttribute('aria-label', props.ariaLabel);
  if (props.dataset) for (const [k, v] of Object.entries(props.dataset)) el.dataset[k] = v;
  if (props.onclick) el.addEventListener('click', props.onclick as EventListener);
  append(el, ...children);
  return el;
}

/** Append children; strings and numbers become text nodes. */
export function append(el: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Remove every child. */
export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Replace the children of `el`. */
export function replace(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, ...children);
}

/** A definition list row pair, skipping empty values. */
export function fieldRows(fields: [string, string | number | null | undefined][]): HTMLElement {
  const dl = h('dl', { class: 'fields' });
  for (const [k, v] of fields) {
    if (v === null || v === undefined || v === '') continue;
    append(dl, h('dt', {}, k), h('dd', {}, String(v)));
  }
  return dl;
}

/** Whether a string is a web address we may offer to open (http or https only). */
export function isWebUrl(s: string | null | undefined): s is string {
  if (!s) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '' && u.host !== '';
  } catch {
    return false;
  }
}
