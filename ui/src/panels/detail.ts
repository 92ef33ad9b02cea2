/**
 * The incident panel: every field, its sources and its claims — all as text. A source
 * URL opens in the system browser only after the researcher confirms, and only http(s).
 */
import type { App } from '../app';
import { api, type IncidentDetail, type Source } from '../api';
import { confirmOpen } from '../confirm';
import { fieldRows, h, isWebUrl, replace } from '../dom';
import { geoPrecision, km, lonLat, timePrecision } from '../format';

export function sourceItem(s: Source, i: number, open: (url: string) => void): HTMLElement {
  const li = h(
    'li',
    { class: 'source', dataset: { index: String(i) } },
    h('div', { class: 'outlet' }, `[${i + 1}] `, s.outlet || 'unnamed source', s.date ? ` · ${s.date}` : ''),
    s.headline ? h('div', { class: 'headline' }, s.headline) : null,
  );
  if (s.url) {
    if (isWebUrl(s.url)) {
      const a = h('button', { class: 'link', title: 'Open in the system browser (asks first)', onclick: () => open(s.url as string) }, s.url);
      li.appendChild(a);
    } else {
      li.appendChild(h('div', { class: 'url-blocked', title: 'Not an http(s) address: not opened' }, s.url));
    }
  }
  return li;
}

export function renderDetail(d: IncidentDetail, open: (url: string) => void): HTMLElement[] {
  const r = d.record;
  const out: HTMLElement[] = [];
  out.push(h('h3', { id: 'detail-title' }, r.event_type || 'Incident', r.sub_event_type ? ` — ${r.sub_event_type}` : ''));
  out.push(h('p', { class: 'sub' }, d.date, ' · ', r.location || '(no location name)'));
  if (r.geo_precision > 1) {
    out.push(h('p', { class: 'warn' }, `Approximate location: geo precision ${r.geo_precision} (${geoPrecision(r.geo_precision)}). The point stands for an area.`));
  }
  out.push(
    fieldRows([
      ['Event id', r.event_id],
      ['Date', d.date],
      ['Time precision', `${r.time_precision} (${timePrecision(r.time_precision)})`],
      ['Disorder type', r.disorder_type],
      ['Event type', r.event_type],
      ['Sub-event type', r.sub_event_type],
      ['Actor 1', r.actor1],
      ['Associated actor 1', r.assoc_actor_1],
      ['Actor 2', r.actor2],
      ['Associated actor 2', r.assoc_actor_2],
      ['Fatalities (dataset)', r.fatalities === null ? 'not recorded' : r.fatalities],
      ['Country', r.country],
      ['Admin 1', r.admin1],
      ['Admin 2', r.admin2],
      ['Admin 3', r.admin3],
      ['Location', r.location],
      ['Coordinates', Number.isFinite(r.lon) ? lonLat(r.lon, r.lat) : 'none'],
      ['Geo precision', `${r.geo_precision} (${geoPrecision(r.geo_precision)})`],
      ['Distance to border', km(d.border_km)],
      ['Nearest crossing', d.crossing ? `${d.crossing} (${km(d.crossing_km)})` : null],
      ['Source (dataset)', r.source],
      ['Source scale', r.source_scale],
      ['Tags', r.tags],
    ]),
  );
  if (r.notes) out.push(h('h4', {}, 'Notes'), h('p', { class: 'notes', id: 'detail-notes' }, r.notes));
  if (r.claims.length) {
    const ul = h('ul', { class: 'claims', id: 'detail-claims' });
    for (const c of r.claims) {
      const fig = c.figure !== undefined ? `${c.qualifier ? `${c.qualifier} ` : ''}${c.figure}` : 'no figure';
      ul.appendChild(
        h(
          'li',
          {},
          h('div', { class: 'claimant' }, c.claimant, ' claims: ', c.subject, ' — ', fig),
          c.text ? h('div', { class: 'claim-text' }, '“', c.text, '”') : null,
          c.source !== undefined ? h('div', { class: 'claim-src' }, `reported in source [${c.source + 1}]`) : null,
        ),
      );
    }
    out.push(h('h4', {}, 'Claims (as claimed, not verified)'), ul);
  }
  const srcs = h('ol', { class: 'sources', id: 'detail-sources' });
  r.sources.forEach((s, i) => srcs.appendChild(sourceItem(s, i, open)));
  out.push(h('h4', {}, 'Sources'), r.sources.length ? srcs : h('p', { class: 'hint' }, 'No structured sources; see “Source (dataset)”.'));
  return out;
}

export async function openWithConfirm(url: string): Promise<void> {
  if (!isWebUrl(url)) return;
  if (await confirmOpen('Open this source in your web browser?', url)) await api.openUrl(url);
}

export function mountDetail(app: App, root: HTMLElement, show: () => void): (eventId: string) => Promise<void> {
  return async (eventId: string) => {
    try {
      const d = await api.incident(eventId);
      app.select(eventId);
      replace(root, ...renderDetail(d, (u) => void openWithConfirm(u)));
      show();
    } catch (e) {
      replace(root, h('p', { class: 'warn' }, String(e)));
      show();
    }
  };
}
