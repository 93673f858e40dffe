/** Shared by part D's checks: kill replica b exactly when its link forwards a chosen request. */
import type { CheckContext } from '../../../check/checkContext.ts';
import type { Replica } from '../bankCluster.ts';
import { parseTransfer } from '../bankLedger.ts';

export interface KillTrigger {
  fired: () => boolean;        // whether the kill has happened
  done: Promise<void>;         // settles when it happens
}

/**
 * Sends SIGKILL to `victim` at the moment its link opens the `nth` transfer upstream: the request
 * is on its way, no reply has come, so the coordinator must cope with a request in flight.
 */
export function killOnForward(context: CheckContext, victim: Replica, nth: number): KillTrigger {
  let fired = false;
  const done = new Promise<void>((resolve) => {
    let seen = 0;
    const stop = context.onLinkEvent((event) => {
      if (event.link !== victim.proxy.name || event.kind !== 'forward') return;
      const exchange = victim.proxy.exchanges().find((candidate) => candidate.id === event.exchange);
      if (!exchange || !parseTransfer(exchange.request.toString('utf8'))) return;
      seen += 1;
      if (seen < nth) return;
      victim.server.proc.kill();
      context.note(`Replica ${victim.name} was killed (SIGKILL) as its link forwarded transfer #${nth}.`);
      stop();
      fired = true;
      resolve();
    });
  });
  return { fired: () => fired, done };
}
