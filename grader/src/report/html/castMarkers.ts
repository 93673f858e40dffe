/** The markers of an asciicast v2 recording: the grader's events, which the page lists as buttons. */

export interface CastMarker {
  index: number;         // 0, 1, ... in the order of the recording, as the player's seek({ marker }) counts them
  timeSec: number;       // seconds since the recording started
  label: string;
}

/** Reads `[time, "m", label]` events; lines that are not well-formed events are skipped. */
export function readCastMarkers(cast: string): CastMarker[] {
  const markers: CastMarker[] = [];
  for (const line of cast.split('\n').slice(1)) {
    if (!line.includes('"m"')) continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      continue; // a truncated last line, for instance
    }
    if (!Array.isArray(event) || event[1] !== 'm' || typeof event[0] !== 'number') continue;
    markers.push({ index: markers.length, timeSec: event[0], label: typeof event[2] === 'string' ? event[2] : '' });
  }
  return markers;
}
