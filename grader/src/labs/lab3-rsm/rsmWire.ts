/**
 * Lab 3's wire protocol as the grader reads and speaks it (handout, section "Protocol"): one JSON
 * object per `\n`-terminated line; a request `{id, method, args}`, a reply `{id, ok, result}` or
 * `{id, ok: false, error, message, result?}`. The grader's own calls (dump, members, probes) use
 * one short connection each, straight to a replica's port.
 */
import net from 'node:net';

export interface RpcRequest {
  id: number | null;
  method: string;
  args: Record<string, unknown>;
}

export interface RpcReply {
  id: number | null;
  ok: boolean;
  result?: unknown;
  error?: string;           // the code of an error reply, e.g. NOT_MASTER
  message?: string;
}

const MAX_LINE = 1024 * 1024; // longer than any message of the protocol: kept out of memory

/** Cuts a byte stream into lines; a partial line waits for the rest. */
export class LineSplitter {
  private buffered = '';

  push(bytes: Buffer): string[] {
    this.buffered += bytes.toString('utf8');
    const lines = this.buffered.split('\n');
    this.buffered = lines.pop() ?? '';
    if (this.buffered.length > MAX_LINE) this.buffered = '';
    return lines.filter((line) => line.trim() !== '');
  }

  pending(): number {
    return Buffer.byteLength(this.buffered);
  }

  flush(): string {
    const rest = this.buffered;
    this.buffered = '';
    return rest;
  }
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

export function parseRequest(line: string): RpcRequest | undefined {
  const parsed = asObject(safeParse(line));
  if (!parsed || typeof parsed.method !== 'string') return undefined;
  return { id: typeof parsed.id === 'number' ? parsed.id : null, method: parsed.method, args: asObject(parsed.args) ?? {} };
}

export function parseReply(line: string): RpcReply | undefined {
  const parsed = asObject(safeParse(line));
  if (!parsed || typeof parsed.ok !== 'boolean') return undefined;
  return {
    id: typeof parsed.id === 'number' ? parsed.id : null,
    ok: parsed.ok,
    result: parsed.result,
    ...(typeof parsed.error === 'string' ? { error: parsed.error } : {}),
    ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
  };
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** A client name without the tester's random suffix: `2.1.6a4d405d` → `2.1`. */
export const shortClient = (client: unknown): string => String(client).replace(/\.[0-9a-f]{8}$/, '');

/** `acquire s1`, `release c2.0`, or the op as JSON. */
export function opText(op: unknown): string {
  const fields = asObject(op);
  if (fields && typeof fields.kind === 'string' && typeof fields.lock === 'string') return `${fields.kind} ${fields.lock}`;
  return JSON.stringify(op) ?? 'undefined';
}

/** One line for a request: `invoke acquire s1 (2.1#7)`, `replicate #41 (release s0, 2.1#8)`, `ping`. */
export function summarizeRequest(request: RpcRequest): string {
  const { args } = request;
  switch (request.method) {
    case 'invoke':
      return `invoke ${opText(args.op)} (${shortClient(args.client)}#${String(args.clientSeq)})`;
    case 'replicate':
      return `replicate #${String(args.seq)} (${opText(args.op)}, ${shortClient(args.client)}#${String(args.clientSeq)})`;
    case 'join':
      return `join ${String(args.id)}`;
    default:
      return request.method;
  }
}

/** One line for a reply, knowing (when it can) the request it answers: `ack #41`, `GRANTED`, `OUT_OF_ORDER last=39`. */
export function summarizeReply(reply: RpcReply, request: RpcRequest | undefined): string {
  if (!reply.ok) {
    const result = asObject(reply.result);
    if (reply.error === 'OUT_OF_ORDER') return `OUT_OF_ORDER last=${String(result?.last)}`;
    if (reply.error === 'NOT_MASTER') return `NOT_MASTER (master ${String(result?.master)})`;
    return `${reply.error ?? 'ERROR'}: ${reply.message ?? ''}`;
  }
  switch (request?.method) {
    case 'replicate':
      return `ack #${String(request.args.seq)}`;
    case 'ping':
      return 'ping ok';
    case 'join':
    case 'dump':
      return `${request.method}: seq ${String(asObject(reply.result)?.seq)}`;
    case 'members':
      return `members: master ${String(asObject(reply.result)?.master)}`;
    default:
      return typeof reply.result === 'string' ? reply.result : JSON.stringify(reply.result) ?? 'null';
  }
}

/** What a grader call got: a reply, or why there was none. */
export type CallOutcome = { kind: 'reply'; reply: RpcReply } | { kind: 'failed'; reason: string };

/** Sends one request to 127.0.0.1:`port` on a fresh connection and waits, within `timeoutMs`, for its reply. */
export function callReplica(port: number, method: string, args: Record<string, unknown>, timeoutMs = 3000): Promise<CallOutcome> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    const splitter = new LineSplitter();
    let settled = false;
    const finish = (outcome: CallOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'failed', reason: `no reply within ${timeoutMs} ms` }), timeoutMs);
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, method, args })}\n`));
    socket.on('data', (bytes) => {
      for (const line of splitter.push(bytes)) {
        const reply = parseReply(line);
        if (reply?.id === 1) finish({ kind: 'reply', reply });
      }
    });
    socket.on('error', (error) => finish({ kind: 'failed', reason: error.message }));
    socket.on('close', () => finish({ kind: 'failed', reason: 'the connection closed without a reply' }));
  });
}

/** A reply's outcome as one phrase, for messages. */
export function describeOutcome(outcome: CallOutcome): string {
  if (outcome.kind === 'failed') return outcome.reason;
  const { reply } = outcome;
  return reply.ok ? `result ${JSON.stringify(reply.result)}` : `error ${reply.error ?? '?'}: ${reply.message ?? ''}`;
}
