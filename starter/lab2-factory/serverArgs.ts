// lab2-factory server command line (PORT ID NPEERS and the peers). Given code: do not edit; the grader uses its own copy.

export const SERVER_USAGE = 'usage: ./server.ts PORT ID NPEERS (PEER_ID PEER_HOST PEER_PORT)*';

export interface Peer {
  id: number; // the peer's factory ID
  host: string;
  port: number;
  name: string; // `factory ID at HOST:PORT`, for messages
}

export interface ServerArgs {
  port: number; // to listen on; 0: one the operating system chooses
  id: number; // this factory's ID
  peers: Peer[]; // every other factory, in the order the primary contacts them
}

const MAX_INT32 = 2 ** 31 - 1;

/** A whole number written in decimal, from `min` to `max`; undefined otherwise. */
function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** The server's arguments, or `{ error }` saying what is wrong with them. */
export function parseServerArgs(argv: readonly string[]): ServerArgs | { error: string } {
  const [portText, idText, countText, ...rest] = argv;
  const port = wholeNumber(portText, 0, 65535);
  const id = wholeNumber(idText, 0, MAX_INT32);
  const count = wholeNumber(countText, 0, 10_000);
  if (port === undefined) return { error: `PORT must be a number from 0 to 65535, not "${portText ?? ''}"` };
  if (id === undefined) return { error: `ID must be a whole number >= 0, not "${idText ?? ''}"` };
  if (count === undefined) return { error: `NPEERS must be a whole number >= 0, not "${countText ?? ''}"` };
  if (rest.length !== 3 * count) {
    return { error: `NPEERS is ${count}, so ${3 * count} more arguments must follow, not ${rest.length}` };
  }
  const peers: Peer[] = [];
  for (let i = 0; i < count; i++) {
    const [peerIdText, host, peerPortText] = rest.slice(3 * i, 3 * i + 3);
    const peerId = wholeNumber(peerIdText, 0, MAX_INT32);
    const peerPort = wholeNumber(peerPortText, 1, 65535);
    if (peerId === undefined) return { error: `PEER_ID must be a whole number >= 0, not "${peerIdText ?? ''}"` };
    if (!host) return { error: `PEER_HOST of factory ${peerId} is empty` };
    if (peerPort === undefined) return { error: `PEER_PORT must be a number from 1 to 65535, not "${peerPortText ?? ''}"` };
    if (peerId === id || peers.some((peer) => peer.id === peerId)) return { error: `factory ID ${peerId} is given twice` };
    peers.push({ id: peerId, host, port: peerPort, name: `factory ${peerId} at ${host}:${peerPort}` });
  }
  return { port, id, peers };
}
