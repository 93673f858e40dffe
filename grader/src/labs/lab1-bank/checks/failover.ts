/** Shared by part D's checks: kill replica b exactly when a chosen request has reached it. */
import type { CheckContext } from '../../../check/checkContext.ts';
import type { Replica } from '../bankCluster.ts';
import { parseTransfer } from '../bankLedger.ts';

export interface KillTrigger {
  fired: () => boolean;        // whether the kill has happened
}

/**
 * Sends SIGKILL to `victim` the moment its link has delivered the `nth` transfer to it: the
 * request has arrived, no reply has gone back, so the coordinator must cope with a request in flight.
 */
export function killOnDelivery(context: CheckContext, victim: Replica, nth: number): KillTrigger {
  let fired = false;
  const counted = new Set<number>(); // exchanges already counted as transfers
  const stop = context.onLinkEvent((event) => {
    if (event.link !== victim.proxy.name || event.kind !== 'data' || event.direction !== 'request') return;
    if (counted.has(event.exchange)) return;
    const exchange = victim.proxy.exchanges().find((candidate) => candidate.id === event.exchange);
    if (!exchange || !parseTransfer(exchange.request.toString('utf8'))) return;
    counted.add(event.exchange);
    if (counted.size < nth) return;
    victim.server.proc.kill();
    context.note(`Replica ${victim.name} was killed (SIGKILL) as transfer #${nth} reached it, before it could reply.`);
    stop();
    fired = true;
  });
  return { fired: () => fired };
}
