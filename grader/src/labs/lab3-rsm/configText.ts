/** A CONFIG for replicas 0 … ports.length − 1 on this machine, one `ID HOST PORT` line each: how `rsmlab run`, the bench and the notebook start a lab 3 group. */
export function configText(ports: readonly number[]): string {
  return ports.map((port, id) => `${id} 127.0.0.1 ${port}\n`).join('');
}
