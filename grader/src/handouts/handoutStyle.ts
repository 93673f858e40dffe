/** The one small style sheet of the handout pages, inlined in each page so that it opens from disk alone. */
export const HANDOUT_CSS = `
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
main, nav { max-width: 52rem; margin: 0 auto; padding: 0 1.25rem; }
nav { padding-top: 1rem; font-size: 0.9rem; }
h1, h2, h3 { line-height: 1.25; margin: 1.8em 0 0.6em; }
h1 { font-size: 2rem; margin-top: 0.8em; }
h2 { font-size: 1.45rem; padding-bottom: 0.25em; border-bottom: 1px solid #d8dee4; }
a { color: #0969da; }
code { font: 0.88em/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: #f6f8fa; border: 1px solid #d8dee4; border-radius: 6px; padding: 0.8em 1em; overflow-x: auto; }
pre code { background: none; padding: 0; font-size: 0.85em; }
table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #d0d7de; padding: 0.35em 0.7em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr:nth-child(even) td { background: #fafbfc; }
blockquote { margin: 1em 0; padding: 0.4em 1em; border-left: 4px solid #54aeff; background: #f1f8ff; }
blockquote p { margin: 0.4em 0; }
figure.demo { margin: 1.5em 0; }
figure.demo figcaption { font-size: 0.9rem; color: #59636e; margin-top: 0.4em; }
ul.labs { padding-left: 1.2em; }
ul.labs li { margin: 0.5em 0; }
`;
