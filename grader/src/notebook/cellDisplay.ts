/**
 * Rich output of a notebook cell through tslab's display, which works only while a cell of a tslab
 * kernel runs; anywhere else (a test, a script) the text form is printed instead.
 */
import { display, newDisplay } from 'tslab';

/** Shows HTML in the cell. */
export function showHtml(html: string): void {
  try {
    display.html(html);
  } catch {
    console.log(html);
  }
}

/**
 * Runs JavaScript in the front-end that shows the notebook (the classic Notebook runs it; others
 * may not). Returns a function that removes the script from the cell's outputs, so that a saved
 * notebook does not run it again when it is opened.
 */
export function runInFrontEnd(script: string): () => void {
  try {
    const shown = newDisplay();
    // Not shown.javascript(): tslab sends that as text/javascript, which the classic Notebook does
    // not run; it runs application/javascript (seen in a real browser).
    shown.raw('application/javascript', script);
    return () => shown.text('');
  } catch {
    return () => undefined; // not in a kernel: there is no front-end to ask
  }
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
