/** The grader's own bank client: one connection per request, one line out, one line back. */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface RequestOutcome {
  line: string;                 // the request sent
  reply?: string;               // the reply, trimmed, when one came
  error?: string;               // why there was none: refused, reset, timed out, closed silently
  sentAt: number;               // performance.now() when the connection was opened
  repliedAt?: number;           // when the reply was complete (the server closed)
}

export function sendRequest(port: number, line: string, timeoutMs: number): Promise<RequestOutcome> {
  const outcome: RequestOutcome = { line, sentAt: performance.now() };
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    let done = false;
    const finish = (error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) outcome.error = error;
      else if (received.trim() === '') outcome.error = 'the connection closed without a reply';
      else {
        outcome.reply = received.split('\n')[0]?.trim() ?? '';
        outcome.repliedAt = performance.now();
      }
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(`no reply within ${timeoutMs / 1000} s`), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${line}\n`));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\n')) finish(); // one line is the whole reply, closed or not
      else if (received.length > 64 * 1024) finish('the reply was longer than 64 KiB');
    });
    socket.on('end', () => finish());
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNREFUSED' ? 'connection refused' : `connection error: ${error.code ?? error.message}`));
  });
}
