/**
 * The grader's customers: concurrent connections placing orders one after another, every order
 * recorded with its send and reply times, and plain reads of records and status.
 */
import { performance } from 'node:perf_hooks';
import { FactoryConnection } from './factoryClient.ts';
import type { CustomerRecord, RobotInfo, Status } from './factoryWire.ts';

export interface PlacedOrder {
  customerId: number;
  orderNumber: number;
  sentAt: number;           // performance.now()
  repliedAt?: number;       // set when the RobotInfo arrived
  info?: RobotInfo;
  error?: string;           // why this order got no reply (the customer then stopped)
}

export interface OrderPlan {
  port: number;
  label: string;                          // e.g. 'factory 0'
  customers: readonly number[];           // customer ids, one connection each, all at once
  ordersEach: number;                     // orders 0 … ordersEach − 1 per customer
  onReply?: (order: PlacedOrder) => void; // called as each reply arrives
}

/** Runs every customer of the plan at the same time; resolves when each has finished or lost its server. */
export async function placeOrders(plan: OrderPlan): Promise<PlacedOrder[]> {
  const perCustomer = await Promise.all(plan.customers.map((customerId) => placeOrdersOf(plan, customerId)));
  return perCustomer.flat();
}

async function placeOrdersOf(plan: OrderPlan, customerId: number): Promise<PlacedOrder[]> {
  const placed: PlacedOrder[] = [];
  let connection: FactoryConnection;
  try {
    connection = await FactoryConnection.open(plan.port, plan.label);
  } catch (error) {
    return [{ customerId, orderNumber: 0, sentAt: performance.now(), error: String((error as Error).message) }];
  }
  try {
    for (let orderNumber = 0; orderNumber < plan.ordersEach; orderNumber++) {
      const order: PlacedOrder = { customerId, orderNumber, sentAt: performance.now() };
      placed.push(order);
      try {
        order.info = await connection.order(customerId, orderNumber);
        order.repliedAt = performance.now();
        plan.onReply?.(order);
      } catch (error) {
        order.error = (error as Error).message;
        break;
      }
    }
  } finally {
    connection.close();
  }
  return placed;
}

export const answered = (orders: readonly PlacedOrder[]): PlacedOrder[] => orders.filter((order) => order.info !== undefined);

/** Reads the records of `customerIds` from one server over one connection. */
export async function readRecords(port: number, label: string, customerIds: readonly number[]): Promise<Map<number, CustomerRecord>> {
  const connection = await FactoryConnection.open(port, label);
  try {
    const records = new Map<number, CustomerRecord>();
    for (const customerId of customerIds) records.set(customerId, await connection.read(customerId));
    return records;
  } finally {
    connection.close();
  }
}

export async function readStatus(port: number, label: string): Promise<Status> {
  const connection = await FactoryConnection.open(port, label);
  try {
    return await connection.status();
  } finally {
    connection.close();
  }
}
