/**
 * One check's section of the report: verdict, points, message, the command that reproduces it,
 * its recording in a player with the markers as buttons, its timeline, and links to its logs.
 */
import type { CheckResult } from '../../check/types.ts';
import { castDataUrl } from '../playerAssets.ts';
import type { CheckArtifacts, ReportLink } from './checkArtifacts.ts';
import { escapeHtml } from './htmlText.ts';
import { inlineSvg } from './inlineSvg.ts';

export function checkSectionHtml(check: CheckResult, artifacts: CheckArtifacts, index: number): string {
  const id = escapeHtml(check.id);
  const verdict = check.status === 'passed' ? '✓ passed' : '✗ failed';
  const message = check.message.replace(`\nReproduce: ${check.reproduce}`, ''); // shown below under its own heading
  return [
    `<section class="check ${check.status}" id="${id}">`,
    `<h2>${id} <span class="note">${escapeHtml(check.title)}</span></h2>`,
    `<p><strong class="${check.status}">${verdict}</strong> · ${check.points}/${check.maxPoints} points`
      + ` · ${(check.durationMs / 1000).toFixed(1)} s · seed ${check.seed}</p>`,
    message ? `<pre class="message">${escapeHtml(message)}</pre>` : '',
    '<h3>Reproduce</h3>',
    `<pre class="reproduce"><code>${escapeHtml(check.reproduce)}</code></pre>`,
    recordingHtml(check, artifacts),
    timelineHtml(artifacts, index),
    '<h3>Logs</h3>',
    linksHtml([...artifacts.logs, ...artifacts.files], 'No process logs were kept for this check.'),
    '</section>',
  ].filter((part) => part !== '').join('\n');
}

function recordingHtml(check: CheckResult, artifacts: CheckArtifacts): string {
  if (artifacts.cast === undefined) return '<h3>Recording</h3>\n<p class="note">No recording for this check (its logs were written by an older rsmlab).</p>';
  const id = escapeHtml(check.id);
  const buttons = artifacts.markers.map((marker) =>
    `<button type="button" data-check="${id}" data-marker="${marker.index}" title="${escapeHtml(marker.label)}">${marker.timeSec.toFixed(2)} s · ${escapeHtml(marker.label)}</button>`);
  return [
    '<h3>Recording</h3>',
    `<div class="player" data-check="${id}" data-cast="${castDataUrl(artifacts.cast)}"></div>`,
    buttons.length > 0 ? `<div class="markers">\n${buttons.join('\n')}\n</div>` : '<p class="note">The recording has no markers.</p>',
  ].join('\n');
}

function timelineHtml(artifacts: CheckArtifacts, index: number): string {
  const timeline = artifacts.timeline;
  const summary = timeline
    ? `<p class="note">${timeline.messages.length} messages between ${timeline.processes.map(escapeHtml).join(', ') || 'no processes'}; ${timeline.events.length} events.</p>`
    : '';
  if (artifacts.timelineSvg === undefined) return `<h3>Timeline</h3>\n${summary}<p class="note">No timeline diagram for this check.</p>`;
  return [
    '<h3>Timeline</h3>',
    summary,
    '<div class="timeline">',
    '<div class="zoom"><button type="button" data-zoom="0.5">zoom out</button> <button type="button" data-zoom="2">zoom in</button> <button type="button" data-zoom="0">reset</button></div>',
    `<div class="timeline-box">\n${inlineSvg(artifacts.timelineSvg, `c${index}-`)}\n</div>`,
    '</div>',
  ].filter((part) => part !== '').join('\n');
}

function linksHtml(links: readonly ReportLink[], none: string): string {
  if (links.length === 0) return `<p class="note">${none}</p>`;
  return `<ul class="links">\n${links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.name)}</a></li>`).join('\n')}\n</ul>`;
}
