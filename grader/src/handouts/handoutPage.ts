/** The HTML around a rendered handout: the page itself, its demo players, and the index of labs. */
import { castDataUrl, playerHeadTags } from '../report/playerAssets.ts';
import { HANDOUT_CSS } from './handoutStyle.ts';

export const ASSETS_DIR = 'assets';

/** One embedded player: the whole recording rides in the page as a data URL. */
export function demoFigure(name: string, title: string, cast: string, endSeconds: number): string {
  return [
    `<figure class="demo" id="demo-${name}">`,
    `<div class="demo-player" data-demo="${name}" data-poster="npt:${(endSeconds + 0.01).toFixed(3)}" data-cast="${castDataUrl(cast)}"></div>`,
    `<figcaption>Demo: ${codeSpans(escapeHtml(title))}</figcaption>`,
    '</figure>',
    '',
  ].join('\n');
}

// Creates every player of the page and exposes them, by demo name, for tests and the curious.
// Before it plays, a player shows its recording's last screen (the poster's time must pass the last
// event, which a poster at exactly that time leaves out): the verdict and what led to it.
const PLAYERS_SCRIPT = `<script>
window.rsmlabHandout = { players: {} };
for (const element of document.querySelectorAll('.demo-player')) {
  window.rsmlabHandout.players[element.dataset.demo] =
    AsciinemaPlayer.create(element.dataset.cast, element, { preload: true, poster: element.dataset.poster, fit: 'width', terminalFontSize: '12px' });
}
</script>`;

export function handoutPage(title: string, body: string, hasDemos: boolean): string {
  return page(title, body, { playerAssets: hasDemos, playersScript: true }, '<nav><a href="index.html">All labs</a></nav>');
}

export interface IndexEntry {
  name: string;    // handout file name without .md
  title: string;
  demos: number;
}

export function indexPage(entries: readonly IndexEntry[]): string {
  const items = entries.map((entry) => {
    const demos = entry.demos === 0 ? '' : ` <small>(${entry.demos} recorded demo${entry.demos === 1 ? '' : 's'})</small>`;
    return `<li><a href="${entry.name}.html">${escapeHtml(entry.title)}</a>${demos}</li>`;
  });
  const body = ['<h1>rsmlab handouts</h1>', '<ul class="labs">', ...items, '</ul>'].join('\n');
  return page('rsmlab handouts', body, { playerAssets: false, playersScript: false }, '');
}

interface PageParts {
  playerAssets: boolean;    // load the player's script and style from assets/
  playersScript: boolean;   // create the page's players and expose them as window.rsmlabHandout
}

function page(title: string, body: string, parts: PageParts, nav: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${HANDOUT_CSS}</style>
${parts.playerAssets ? playerHeadTags(ASSETS_DIR) : ''}
</head>
<body>
${nav}
<main>
${body}
</main>
${parts.playersScript ? PLAYERS_SCRIPT : ''}
</body>
</html>
`;
}

/** `npm run demos` → <code>npm run demos</code>, in text already escaped. */
const codeSpans = (html: string): string => html.replace(/`([^`]+)`/g, '<code>$1</code>');

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
