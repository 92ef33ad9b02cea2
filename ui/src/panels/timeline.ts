/**
 * The time slider: a histogram of the filtered incidents per week or month over the
 * data's whole range, a selectable window (drag on the histogram, or the handles), and
 * play/pause that slides the window forward.
 */
import type { App } from '../app';
import { h, replace } from '../dom';
import { isoOf, longDate, plural } from '../format';

export interface Timeline {
  setWindow(from: number | null, to: number | null): void;
  togglePlay(): void;
  step(dir: 1 | -1): void;
}

export function mountTimeline(app: App, root: HTMLElement): Timeline {
  const canvas = h('canvas', { id: 'histogram', ariaLabel: 'Histogram of incidents over time' });
  const play = h('button', { id: 'btn-play', title: 'Play / pause (Space)' }, '▶');
  const label = h('div', { class: 'window-label', id: 'time-window' });
  const fromIn = h('input', { type: 'date', id: 'time-from', ariaLabel: 'From' });
  const toIn = h('input', { type: 'date', id: 'time-to', ariaLabel: 'To' });
  const all = h('button', { id: 'time-all', title: 'Whole range (A)' }, 'All');
  replace(
    root,
    h('div', { class: 'controls' }, h('div', { class: 'btns' }, play, all), h('label', {}, 'From', fromIn), h('label', {}, 'To', toIn)),
    h('div', { class: 'hist-wrap' }, canvas),
    label,
  );

  let lo = 0;
  let hi = 1;
  let from: number | null = null;
  let to: number | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  const range = () => {
    lo = app.info?.day_min ?? 0;
    hi = Math.max(lo + 1, app.info?.day_max ?? lo + 1);
  };
  const dayAt = (x: number) => {
    const r = canvas.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (x - r.left) / Math.max(1, r.width)));
    return Math.round(lo + f * (hi - lo));
  };

  const draw = () => {
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const hh = canvas.clientHeight;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hh * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hh);
    const hist = app.histogram;
    const span = hi - lo + 1;
    const x = (d: number) => ((d - lo) / span) * w;
    if (hist && hist.counts.length) {
      const max = Math.max(1, ...hist.counts);
      hist.starts.forEach((s, i) => {
        const e = hist.starts[i + 1] ?? s + (hist.bin === 'month' ? 30 : hist.bin === 'week' ? 7 : 1);
        const inWin = (from === null || e > from) && (to === null || s <= to);
        const bh = ((hist.counts[i] ?? 0) / max) * (hh - 14);
        ctx.fillStyle = inWin ? '#37474f' : '#c3c9cc';
        ctx.fillRect(x(s) + 0.5, hh - 12 - bh, Math.max(1, x(e) - x(s) - 1), bh);
      });
    }
    if (from !== null || to !== null) {
      ctx.fillStyle = 'rgba(176,58,46,0.10)';
      const a = x(from ?? lo);
      const b = x((to ?? hi) + 1);
      ctx.fillRect(a, 0, b - a, hh - 12);
      ctx.fillStyle = '#b03a2e';
      ctx.fillRect(a - 1, 0, 2, hh - 12);
      ctx.fillRect(b - 1, 0, 2, hh - 12);
    }
    // Year / month ticks.
    ctx.fillStyle = '#5f6b70';
    ctx.font = '10px "Noto Sans", sans-serif';
    const every = Math.max(1, Math.ceil(span / Math.max(2, Math.floor(w / 90))));
    const short = span <= 400;
    let prev = '';
    for (let d = lo; d <= hi; d += every) {
      const t = short ? isoOf(d) : isoOf(d).slice(0, 7);
      if (t === prev) continue;
      prev = t;
      ctx.fillRect(x(d), hh - 12, 1, 3);
      ctx.fillText(t, x(d) + 2, hh - 2);
    }
  };

  const showLabel = () => {
    const n = app.counts?.total ?? 0;
    const a = from ?? app.info?.day_min;
    const b = to ?? app.info?.day_max;
    replace(label, a !== null && a !== undefined && b !== null && b !== undefined ? `${longDate(a)} – ${longDate(b)} · ${plural(n, 'incident')}` : 'No dated incidents');
    fromIn.value = a !== null && a !== undefined ? isoOf(a) : '';
    toIn.value = b !== null && b !== undefined ? isoOf(b) : '';
  };

  const setWindow = (f: number | null, t: number | null) => {
    if (f !== null && t !== null && f > t) [f, t] = [t, f];
    from = f !== null && f <= lo ? null : f;
    to = t !== null && t >= hi ? null : t;
    draw();
    void app.update({ from, to }, true);
  };

  // Drag to select a window; a click without drag clears it.
  let dragStart: number | null = null;
  canvas.addEventListener('mousedown', (e) => {
    dragStart = dayAt(e.clientX);
  });
  window.addEventListener('mouseup', (e) => {
    if (dragStart === null) return;
    const end = dayAt(e.clientX);
    if (Math.abs(end - dragStart) < 1) setWindow(null, null);
    else setWindow(Math.min(dragStart, end), Math.max(dragStart, end));
    dragStart = null;
  });
  const parse = (v: string) => (v ? Math.round(Date.parse(`${v}T00:00:00Z`) / 86_400_000) : null);
  fromIn.addEventListener('change', () => setWindow(parse(fromIn.value), to));
  toIn.addEventListener('change', () => setWindow(from, parse(toIn.value)));
  all.addEventListener('click', () => setWindow(null, null));

  const step = (dir: 1 | -1) => {
    const width = to !== null && from !== null ? to - from : Math.max(7, Math.round((hi - lo) / 10));
    let f = (from ?? lo) + dir * Math.max(1, Math.round(width / 2));
    if (from === null && to === null) f = dir > 0 ? lo : hi - width;
    if (f > hi) f = lo;
    if (f < lo) f = lo;
    setWindow(f, f + width);
  };
  const togglePlay = () => {
    if (timer) {
      clearInterval(timer);
      timer = undefined;
      replace(play, '▶');
      return;
    }
    replace(play, '❚❚');
    timer = setInterval(() => step(1), 900);
  };
  play.addEventListener('click', togglePlay);

  app.on('info', () => {
    range();
    showLabel();
    draw();
  });
  app.on('histogram', draw);
  app.on('counts', showLabel);
  window.addEventListener('resize', draw);
  return { setWindow, togglePlay, step };
}
