/** Small helpers to write SVG text by hand: escaping, attributes, numbers. */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] as string)
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, ''); // not allowed in XML 1.0
}

/** `name="value"` pairs; numbers rounded to 0.1, undefined values left out. */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}="${typeof value === 'number' ? num(value) : escapeXml(value as string)}"`)
    .join(' ');
}

export const num = (value: number): string => String(Math.round(value * 10) / 10);

export const title = (text: string): string => `<title>${escapeXml(text)}</title>`;

/** Milliseconds as a reader wants them: '850 ms', '12.4 s'. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** Lane colours, one per process in lane order. */
export const LANE_COLORS = ['#0b7285', '#b8860b', '#862e9c', '#2b8a3e', '#1c4fa0', '#c2255c', '#5f3dc4', '#e8590c', '#087f5b', '#495057'];
