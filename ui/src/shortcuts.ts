/** Keyboard shortcuts (also listed in docs/app.md and behind "?"). */
export const SHORTCUTS: [string, string][] = [
  ['/', 'Search'],
  ['F', 'Filters panel'],
  ['L', 'Incidents in view'],
  ['I', 'Selected incident'],
  ['M', 'Measure tool on / off'],
  ['O', 'Open GeoJSON or CSV files'],
  ['Y', 'Layers panel'],
  ['E', 'Export the map (PDF, SVG, PNG, GIF)'],
  ['Space', 'Play / pause the time window'],
  ['← / →', 'Step the time window back / forward'],
  ['A', 'Whole time range'],
  ['0', 'Zoom to the border'],
  ['+ / −', 'Zoom in / out'],
  ['Esc', 'Close dialog, end measuring, clear selection'],
  ['?', 'This help'],
];

export type Actions = Record<string, () => void>;

/** Map a key event to an action name, or null. Ignores typing in inputs. */
export function actionFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): string | null {
  const t = e.target as HTMLElement | null;
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return null;
  switch (e.key) {
    case '/': return 'search';
    case 'f': case 'F': return 'filters';
    case 'l': case 'L': return 'list';
    case 'i': case 'I': return 'detail';
    case 'm': case 'M': return 'measure';
    case 'o': case 'O': return 'open';
    case 'y': case 'Y': return 'layers';
    case 'e': case 'E': return 'export';
    case ' ': return 'play';
    case 'ArrowLeft': return 'back';
    case 'ArrowRight': return 'forward';
    case 'a': case 'A': return 'all';
    case '0': return 'fit';
    case '+': case '=': return 'zoomIn';
    case '-': return 'zoomOut';
    case 'Escape': return 'escape';
    case '?': return 'help';
    default: return null;
  }
}
