/**
 * A timeline SVG file made ready to sit inside the page: no XML prolog, no scripts, and its ids
 * prefixed so that two checks' diagrams on one page do not answer each other's `url(#arrow)`.
 */

export function inlineSvg(svg: string, idPrefix: string): string {
  const body = svg
    .replace(/<\?xml[^>]*\?>/g, '')
    .replace(/<!DOCTYPE[^>]*>/gi, '')
    .replace(/<script[\s\S]*?<\/script\s*>/gi, '')
    .trim();
  const ids = new Set([...body.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
  const scope = (id: string): string => (ids.has(id) ? `${idPrefix}${id}` : id);
  return body
    .replace(/(\sid=")([^"]+)"/g, (_, before: string, id: string) => `${before}${scope(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scope(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_, before: string, id: string) => `${before}#${scope(id)}"`);
}
