/** Text placed in HTML: escaped for element content and for attribute values. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content or a double- or single-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** A path segment in a relative link (check ids and log names hold dots, never slashes). */
export const hrefSegment = (name: string): string => encodeURIComponent(name);
