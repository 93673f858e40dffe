// lab2-factory client command line (HOST PORT CUSTOMERS ORDERS REQUEST_TYPE). Given code: do not edit; the grader uses its own copy.

export const CLIENT_USAGE = 'usage: ./client.ts HOST PORT CUSTOMERS ORDERS REQUEST_TYPE   (1 orders, 2 reads, 3 scan)';

export interface ClientArgs {
  host: string;
  port: number;
  customers: number; // customers run at the same time, ids 0 .. customers - 1 (ignored by a scan)
  orders: number; // requests per customer; for a scan, the customer ids to read: 0 .. orders - 1
  requestType: number; // 1 orders, 2 reads, 3 scan
}

const MAX_INT32 = 2 ** 31 - 1;

function wholeNumber(text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** The client's arguments, or `{ error }` saying what is wrong with them. */
export function parseClientArgs(argv: readonly string[]): ClientArgs | { error: string } {
  if (argv.length !== 5) return { error: `expected 5 arguments, not ${argv.length}` };
  const [host, portText, customersText, ordersText, typeText] = argv as [string, string, string, string, string];
  const port = wholeNumber(portText, 1, 65535);
  const customers = wholeNumber(customersText, 1, MAX_INT32);
  const orders = wholeNumber(ordersText, 0, MAX_INT32);
  const requestType = wholeNumber(typeText, 1, 3);
  if (host === '') return { error: 'HOST is empty' };
  if (port === undefined) return { error: `PORT must be a number from 1 to 65535, not "${portText}"` };
  if (customers === undefined) return { error: `CUSTOMERS must be a whole number >= 1, not "${customersText}"` };
  if (orders === undefined) return { error: `ORDERS must be a whole number >= 0, not "${ordersText}"` };
  if (requestType === undefined) return { error: `REQUEST_TYPE must be 1, 2 or 3, not "${typeText}"` };
  return { host, port, customers, orders, requestType };
}
