/**
 * A handout's Markdown as HTML: headings get GitHub-style ids (so `#checking-your-work` works as
 * it does on GitHub), links to other handouts (`lab1-bank.md#protocol`) point to their pages, and a
 * demo marker line `<!-- demo: NAME -->` becomes whatever the caller renders for that demo. Other
 * HTML comments (the generated rubric's markers) pass through as comments.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

export const DEMO_MARKER = /^<!--\s*demo:\s*([a-z0-9][a-z0-9-]*)\s*-->\s*$/;

export interface DemoMarker {
  name: string;
  line: number;   // 1-based line of the marker in the Markdown
}

export interface RenderOptions {
  handoutNames: ReadonlySet<string>;                 // handouts that get a page: `NAME.md` links become `NAME.html`
  renderDemo: (marker: DemoMarker) => string;        // the HTML that replaces a demo marker
}

interface RenderEnv extends RenderOptions {
  slugs: Map<string, number>;   // slugs given so far in this document, to number repeats as GitHub does
}

const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
md.core.ruler.push('rsmlab_heading_ids', (state) => {
  const env = state.env as Partial<RenderEnv>;
  state.tokens.forEach((token, index) => {
    const inline = state.tokens[index + 1];
    if (token.type !== 'heading_open' || !inline || !env.slugs) return;
    token.attrSet('id', uniqueSlug(slugify(inlineText(inline)), env.slugs));
  });
});
md.core.ruler.push('rsmlab_handout_links', (state) => {
  const env = state.env as Partial<RenderEnv>;
  for (const token of state.tokens) {
    for (const child of token.children ?? []) {
      const href = child.type === 'link_open' ? child.attrGet('href') : null;
      if (href !== null && env.handoutNames) child.attrSet('href', handoutLink(href, env.handoutNames));
    }
  }
});
const defaultHtmlBlock = md.renderer.rules.html_block;
md.renderer.rules.html_block = (tokens, index, options, env: Partial<RenderEnv>, self) => {
  const token = tokens[index] as Token;
  const name = DEMO_MARKER.exec(token.content.trim())?.[1];
  if (name !== undefined && env.renderDemo) return env.renderDemo({ name, line: (token.map?.[0] ?? 0) + 1 });
  return defaultHtmlBlock ? defaultHtmlBlock(tokens, index, options, env, self) : token.content;
};

export function renderHandout(markdown: string, options: RenderOptions): string {
  const env: RenderEnv = { ...options, slugs: new Map() };
  return md.render(markdown, env);
}

/** The demo markers of a handout, in order; markers inside code blocks do not count. */
export function demoMarkers(markdown: string): DemoMarker[] {
  return md.parse(markdown, {}).flatMap((token) => {
    const name = token.type === 'html_block' ? DEMO_MARKER.exec(token.content.trim())?.[1] : undefined;
    return name === undefined ? [] : [{ name, line: (token.map?.[0] ?? 0) + 1 }];
  });
}

/** The text of the handout's first level-1 heading, or undefined when it has none. */
export function handoutTitle(markdown: string): string | undefined {
  const tokens = md.parse(markdown, {});
  const index = tokens.findIndex((token) => token.type === 'heading_open' && token.tag === 'h1');
  const inline = index < 0 ? undefined : tokens[index + 1];
  return inline ? inlineText(inline) : undefined;
}

/** `lab1-bank.md#protocol` → `lab1-bank.html#protocol` when lab1-bank is a handout; anything else unchanged. */
export function handoutLink(href: string, handoutNames: ReadonlySet<string>): string {
  const match = /^(?:\.\/)?([\w.-]+)\.md(#.*)?$/.exec(href);
  if (!match || !handoutNames.has(match[1] as string)) return href;
  return `${match[1]}.html${match[2] ?? ''}`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(text: string): string {
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function uniqueSlug(slug: string, seen: Map<string, number>): string {
  const count = seen.get(slug) ?? 0;
  seen.set(slug, count + 1);
  return count === 0 ? slug : `${slug}-${count}`;
}

function inlineText(inline: Token): string {
  return (inline.children ?? []).filter((child) => child.type === 'text' || child.type === 'code_inline').map((child) => child.content).join('');
}
