/**
 * CPU time of the benchmark's own process and of the servers over a measurement window, as a
 * percentage of one core: it tells whether a figure is bounded by the servers or by the load
 * generator that shares the machine with them.
 */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat

export interface CpuSnapshot {
  at: number;                       // performance.now()
  selfUs: number;                   // this process: user + system CPU time
  serversS: (number | null)[];      // each server's leader process, in seconds; null where unreadable
}

export interface CpuUse {
  benchPct: number;                 // this process (load generator, and any link proxy)
  serverPct: (number | null)[];     // each server; null off Linux or when the process is gone
}

export function cpuSnapshot(serverPids: readonly (number | undefined)[]): CpuSnapshot {
  const self = process.cpuUsage();
  return { at: performance.now(), selfUs: self.user + self.system, serversS: serverPids.map(processCpuSeconds) };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const wallS = Math.max(1e-9, (after.at - before.at) / 1000);
  const serverPct = before.serversS.map((start, index) => {
    const end = after.serversS[index];
    return start === null || end === null || end === undefined ? null : (100 * (end - start)) / wallS;
  });
  return { benchPct: (after.selfUs - before.selfUs) / 1e4 / wallS, serverPct };
}

/** utime + stime of one process (not its children), from /proc. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of the whole line
    return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}
