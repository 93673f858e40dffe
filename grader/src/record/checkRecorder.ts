/**
 * Records one check as it runs: every line its processes print, what the grader did to them and
 * to the links, the messages the link proxies carried, and the verdict. `write` puts the
 * recording, the timeline and its diagram in the check's log folder.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ManagedProcess, ProcessEvent } from '../harness/processLauncher.ts';
import type { LinkEvent, PolicyChange } from '../harness/linkProxy.ts';
import { RECORDING_FILE, TIMELINE_FILE, TIMELINE_SVG_FILE, type Timeline, type TimelineEvent, type TimelineEventKind } from './recordTypes.ts';
import { renderAsciicast, type CastEntry } from './asciicast.ts';
import { LinkMessageLog } from './linkMessages.ts';
import type { TimelineWire } from './messageFraming.ts';
import { describePolicyChange } from './policyEvents.ts';
import { renderTimelineSvg } from './timelineSvg.ts';

export interface RecordingPaths {
  recording: string;
  timeline: string;
  timelineSvg: string;
}

export class CheckRecorder {
  private readonly origin = performance.now();        // the check's start; every time is relative to it
  private readonly startedAt = Date.now();
  private readonly entries: CastEntry[] = [];         // the recording, in order of arrival
  private readonly events: TimelineEvent[] = [];
  private readonly started: string[] = [];            // process names in start order
  private readonly live = new Set<string>();          // processes started and not exited
  private readonly messages: LinkMessageLog;
  private finishedAtMs: number | undefined;           // set by finish(): later happenings are ignored

  constructor(readonly check: string, wire: TimelineWire | undefined) {
    this.messages = new LinkMessageLog(wire, this.origin, () => this.started.filter((name) => this.live.has(name)));
  }

  /** Follows a process from its start to its exit. */
  attach(proc: ManagedProcess): void {
    if (!this.started.includes(proc.name)) this.started.push(proc.name);
    this.live.add(proc.name);
    this.event('start', `grader: started ${proc.name}`, { process: proc.name });
    proc.onLine((text, stream) => {
      if (this.finishedAtMs === undefined) this.entries.push({ atMs: this.now(), kind: 'output', process: proc.name, stream, text });
    });
    proc.onEvent((event) => this.processEvent(proc.name, event));
  }

  linkEvent(event: LinkEvent): void {
    if (this.finishedAtMs === undefined) this.messages.observe(event);
  }

  policyChange(change: PolicyChange): void {
    const described = describePolicyChange(change);
    if (!described || this.finishedAtMs !== undefined) return;
    this.messages.endsOf(change.link);
    this.event(described.kind, described.text, { link: change.link });
  }

  note(text: string): void {
    this.event('note', `grader: note: ${text}`);
  }

  verdict(passed: boolean, message: string): void {
    const first = message.split('\n').find((line) => line.trim() !== '') ?? '';
    this.event('verdict', `verdict: ${passed ? 'PASSED' : 'FAILED'}${first ? ` — ${first.trim()}` : ''}`);
  }

  /** Stops recording and writes the three files into `dir`. */
  write(dir: string): RecordingPaths {
    this.finishedAtMs ??= this.now();
    const timeline = this.timeline();
    const paths = { recording: join(dir, RECORDING_FILE), timeline: join(dir, TIMELINE_FILE), timelineSvg: join(dir, TIMELINE_SVG_FILE) };
    writeFileSync(paths.recording, renderAsciicast({ title: this.check, startedAtMs: this.startedAt }, this.entries));
    writeFileSync(paths.timeline, `${JSON.stringify(timeline, null, 1)}\n`);
    writeFileSync(paths.timelineSvg, renderTimelineSvg(timeline));
    return paths;
  }

  timeline(): Timeline {
    const messages = this.messages.all();
    const processes = [...this.started];
    for (const message of messages) for (const name of [message.from, message.to]) if (!processes.includes(name)) processes.push(name);
    const times = [...messages.map((m) => m.receivedMs), ...this.events.map((e) => e.atMs)];
    const durationMs = times.reduce((latest, time) => Math.max(latest, time), this.finishedAtMs ?? this.now()); // no spread: thousands of messages
    return {
      check: this.check,
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Math.round(durationMs),
      processes,
      links: Object.fromEntries(this.messages.links),
      messages,
      events: [...this.events],
    };
  }

  private processEvent(name: string, event: ProcessEvent): void {
    if (event.kind !== 'exit') {
      const verbs = { kill: 'killed', pause: 'paused', resume: 'resumed', stop: 'stopping' } as const;
      const signals = { kill: 'SIGKILL', pause: 'SIGSTOP', resume: 'SIGCONT', stop: 'SIGTERM' } as const;
      this.event(event.kind, `grader: ${verbs[event.kind]} ${name} (${signals[event.kind]})`, { process: name });
      return;
    }
    this.live.delete(name);
    const how = event.status.signal ? `ended by ${event.status.signal}` : `exited with code ${event.status.code}`;
    this.event('exit', `${name} ${how}`, { process: name });
  }

  private event(kind: TimelineEventKind, text: string, where: { process?: string; link?: string } = {}): void {
    if (this.finishedAtMs !== undefined) return;
    const atMs = this.now();
    this.events.push({ atMs, kind, ...where, text });
    this.entries.push({ atMs, kind: 'event', text, tone: kind === 'verdict' ? (text.startsWith('verdict: PASSED') ? 'passed' : 'failed') : 'grader' });
  }

  private now(): number {
    return Math.round((performance.now() - this.origin) * 10) / 10;
  }
}
