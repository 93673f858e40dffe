/**
 * What the grader records of one check, beside the process logs in the check's log folder:
 *   recording.cast  asciicast v2: every process's output and the grader's events, interleaved
 *   timeline.json   a Timeline: the messages the link proxies carried, and the grader's events
 *   timeline.svg    the timeline drawn as a space-time diagram
 * Times are milliseconds since the check started.
 */

export const RECORDING_FILE = 'recording.cast';
export const TIMELINE_FILE = 'timeline.json';
export const TIMELINE_SVG_FILE = 'timeline.svg';

/** One message a link proxy carried: from the moment it reached the proxy to its delivery. */
export interface TimelineMessage {
  id: number;            // 1, 2, ... in order of sending
  link: string;          // the proxy's name, e.g. 'coord→a'
  from: string;          // sending process, e.g. 'coord'
  to: string;            // receiving process, e.g. 'a'
  sentMs: number;        // when the proxy received it from the sender
  receivedMs: number;    // when the proxy delivered it to the receiver
  bytes: number;
  summary: string;       // decoded by the lab's protocol where known, e.g. 'TRANSFER alice bob 10'; else '42 bytes'
}

export type TimelineEventKind =
  | 'start' | 'exit' | 'kill' | 'pause' | 'resume' | 'stop'   // a process (the `process` field)
  | 'partition' | 'heal' | 'fault'                            // a link (the `link` field), or the network
  | 'verdict' | 'note';                                       // the check

export interface TimelineEvent {
  atMs: number;
  kind: TimelineEventKind;
  process?: string;
  link?: string;
  text: string;          // one line, as shown in the recording, e.g. 'grader: killed a (SIGKILL)'
}

export interface Timeline {
  check: string;         // check id
  startedAt: string;     // ISO time of the check's start
  durationMs: number;
  processes: string[];   // one lane each, in order of first appearance ('grader' for the grader's own clients)
  links?: Record<string, { from: string; to: string }>; // added: the processes each link joins (the connecting one first)
  messages: TimelineMessage[];
  events: TimelineEvent[];
}
