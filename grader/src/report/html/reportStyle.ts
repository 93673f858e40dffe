/** The report's CSS, inlined in a <style>: system fonts only, so the page needs no network. */
export const REPORT_STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 1.5em 4em; color: #1d1d1f; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin: 0; }
h3 { font-size: 1em; margin: 1.2em 0 0.4em; }
.meta, .note { color: #666; }
table.scores { border-collapse: collapse; margin: 1em 0; }
.scores th, .scores td { padding: 0.25em 0.9em; border-bottom: 1px solid #ddd; text-align: left; }
.scores td.points { text-align: right; font-variant-numeric: tabular-nums; }
.scores tr.total td { font-weight: bold; border-bottom: none; }
.passed { color: #1a7f37; }
.failed { color: #cf222e; }
.warning { color: #9a6700; }
section.check { border: 1px solid #ddd; border-left: 6px solid #1a7f37; border-radius: 6px; padding: 1em 1.2em; margin: 1.5em 0; }
section.check.failed { border-left-color: #cf222e; color: inherit; }
pre { background: #f6f8fa; padding: 0.7em 0.9em; border-radius: 4px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 0.4em 0; }
.markers { display: flex; flex-wrap: wrap; gap: 0.3em; margin: 0.6em 0; }
.markers button { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; max-width: 100%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
button { cursor: pointer; }
.timeline-box { max-height: 480px; overflow: auto; border: 1px solid #ddd; border-radius: 4px; background: #fff; }
.timeline-box svg { display: block; }
.zoom { margin: 0.3em 0; }
ul.links { margin: 0.3em 0; padding-left: 1.2em; }
`;
