import { describe, expect, it } from 'vitest';
import { fieldRows, h, isWebUrl } from '../src/dom';
import { renderDetail } from '../src/panels/detail';
import type { IncidentDetail } from '../src/api';
import { actionFor } from '../src/shortcuts';

const EVIL = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';

function detail(over: Partial<IncidentDetail['record']> = {}): IncidentDetail {
  return {
    date: '2025-10-12',
    border_km: 3.2,
    crossing: 'Torkham',
    crossing_km: 4,
    record: {
      event_id: 'X1',
      date_start: 20373,
      date_end: 20373,
      time_precision: 1,
      disorder_type: '',
      event_type: 'Battles',
      sub_event_type: EVIL,
      actor1: EVIL,
      assoc_actor_1: '',
      actor2: '',
      assoc_actor_2: '',
      fatalities: null,
      iso: '',
      country: '',
      admin1: '',
      admin2: '',
      admin3: '',
      location: EVIL,
      lon: 71.1,
      lat: 34.1,
      geo_precision: 2,
      source: '',
      source_scale: '',
      notes: EVIL,
      tags: '',
      sources: [
        { outlet: EVIL, headline: EVIL, url: 'javascript:alert(1)' },
        { outlet: 'Dawn', url: 'https://www.dawn.com/news/1' },
      ],
      claims: [{ claimant: EVIL, subject: 'soldiers killed', figure: 23, qualifier: 'at least', text: EVIL, source: 1 }],
      ...over,
    },
  };
}

describe('text-only rendering', () => {
  it('h() never parses markup', () => {
    const el = h('div', {}, EVIL, h('span', {}, EVIL));
    expect(el.querySelector('img,script')).toBeNull();
    expect(el.textContent).toBe(EVIL + EVIL);
  });

  it('the incident panel shows data as text only', () => {
    const root = h('div');
    const opened: string[] = [];
    root.append(...renderDetail(detail(), (u) => opened.push(u)));
    expect(root.querySelector('img,script,a,iframe')).toBeNull();
    expect(root.textContent).toContain(EVIL);
    expect(root.textContent).toContain('at least 23');
    expect(root.textContent).toContain('Approximate location');
    // Only the https URL is offered, as a button; the javascript: one is shown struck out.
    const links = root.querySelectorAll('button.link');
    expect(links.length).toBe(1);
    (links[0] as HTMLButtonElement).click();
    expect(opened).toEqual(['https://www.dawn.com/news/1']);
    expect(root.querySelector('.url-blocked')?.textContent).toBe('javascript:alert(1)');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('field rows skip empty values', () => {
    const dl = fieldRows([
      ['a', 'x'],
      ['b', ''],
      ['c', null],
      ['d', 0],
    ]);
    expect([...dl.querySelectorAll('dt')].map((e) => e.textContent)).toEqual(['a', 'd']);
  });

  it('accepts only plain web URLs', () => {
    expect(isWebUrl('https://example.org/a')).toBe(true);
    expect(isWebUrl('http://example.org')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@example.org', 'data:text/html,x', '', null, 'example.org']) {
      expect(isWebUrl(bad)).toBe(false);
    }
  });
});

describe('shortcuts', () => {
  const ev = (key: string, tag = 'BODY', mods = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, target: document.createElement(tag), ...mods });
  it('maps keys to actions', () => {
    expect(actionFor(ev('/'))).toBe('search');
    expect(actionFor(ev('m'))).toBe('measure');
    expect(actionFor(ev(' '))).toBe('play');
    expect(actionFor(ev('ArrowRight'))).toBe('forward');
    expect(actionFor(ev('x'))).toBeNull();
  });
  it('ignores typing and modified keys', () => {
    expect(actionFor(ev('m', 'INPUT'))).toBeNull();
    expect(actionFor(ev('m', 'BODY', { ctrlKey: true }))).toBeNull();
  });
});
