// lab4-kv request routing: a client request is proposed here when this node leads, else handed to the leader. Given code: do not edit; the grader uses its own copy.
//
// A follower forwards the request (one POST /peer/forward) to the leader it knows, or, while it
// knows none, to its peers in turn, and relays the answer. A leader it has never heard back from
// it first locates among its peers (`hello`), so that a stopped old leader does not hold it up.
// A node that receives a forward never forwards it again: it proposes it, or answers
// `not-leader` with the leader it knows. A forward that got no answer may still be carried out
// where it went, so it is never sent elsewhere too: the request fails (its client may try
// again) unless its connection was refused.
import { performance } from 'node:perf_hooks';
import type { KvService } from './httpFront.ts';
import type { KvRequest } from './kvProtocol.ts';
import { asForwardArgs, asForwardReply, type ForwardReply } from './raftMessages.ts';
import { PEER_TIMEOUT_MS, PeerError, type Body } from './peerLink.ts';
import { NotLeaderError, UnavailableError, type Proposer, type RaftState } from './raftState.ts';

export const DECIDE_MS = 2700; // a client request not decided by then fails (HTTP 500)
const MARGIN_MS = 150; // a leader answers a forward this much before the follower stops waiting

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class RequestRouter implements KvService {
  constructor(
    private readonly state: RaftState,
    private readonly proposer: Proposer, // the log (part A)
  ) {
    state.peers.handle('forward', (body) => this.onForward(body));
  }

  /** Carries out `request` through the leader; resolves with the old value, rejects when it cannot now. */
  async submit(request: KvRequest): Promise<string | null> {
    const deadline = performance.now() + DECIDE_MS;
    try {
      return await this.proposer.propose(request, DECIDE_MS);
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      return this.forward(request, error.leaderId, deadline);
    }
  }

  /** Hands `request` to the leader (`hint`, else each peer in turn) and relays its answer. */
  private async forward(request: KvRequest, hint: string | null, deadline: number): Promise<string | null> {
    const peers = this.state.peers;
    const tried = new Set<number>();
    let last = 'no peer to ask';
    for (;;) {
      const remaining = deadline - performance.now();
      const hinted = hint === null ? undefined : await peers.locate(hint, Math.min(PEER_TIMEOUT_MS, remaining - 2 * MARGIN_MS));
      const index = hinted !== undefined && !tried.has(hinted) ? hinted : peers.indices().find((peer) => !tried.has(peer));
      if (index === undefined || remaining < 2 * MARGIN_MS) throw new UnavailableError(`no leader could take the request (this node is not the leader; last: ${last})`);
      tried.add(index);
      let reply: ForwardReply;
      try {
        reply = asForwardReply(await peers.send(index, 'forward', { request, waitMs: Math.round(remaining - MARGIN_MS) }, remaining));
      } catch (error) {
        // Sent twice, a set could be carried out twice, and the second would answer its own value.
        if (!(error instanceof PeerError && error.undelivered)) throw new UnavailableError(`the request was handed to peer ${index}, which did not answer (${reasonOf(error)}); it may or may not have been carried out`);
        last = reasonOf(error);
        continue;
      }
      if (reply.outcome === 'done') return reply.old;
      if (reply.outcome === 'failed') throw new UnavailableError(`the leader could not carry it out: ${reply.message}`);
      last = `peer ${index} is not the leader either`;
      hint = reply.leaderId;
    }
  }

  /** Answers a forward: proposes the request here, never forwards it again. */
  private async onForward(body: Body): Promise<ForwardReply> {
    const args = asForwardArgs(body);
    try {
      return { outcome: 'done', old: await this.proposer.propose(args.request, Math.min(Math.max(args.waitMs, 0), DECIDE_MS)) };
    } catch (error) {
      if (error instanceof NotLeaderError) return { outcome: 'not-leader', leaderId: error.leaderId };
      return { outcome: 'failed', message: reasonOf(error) };
    }
  }
}
