// lab2-factory engineer: serves one connection, for a customer or for the primary's admin (handout parts A, B and C).
//
// Node has no threads: the seed's engineer thread is one call of serveConnection() per accepted
// connection, all of them running interleaved on one event loop. Its role-2 branch is the seed's
// "idle factory admin": the backup's side of replication lives there, next to the customer side.
import type { FactoryState } from './factoryState.ts';
import {
  RequestType,
  Role,
  type CustomerRecord,
  type CustomerRequest,
  type ReplicationReply,
  type ReplicationRequest,
  type RobotInfo,
} from './messages.ts';
import { ConnectionLost, type ServerStub } from './stubs.ts';
import type { UpdateQueue } from './updateQueue.ts';

/** What every engineer of a server shares. */
export interface Factory {
  state: FactoryState; // the factory's log, records and indexes
  queue: UpdateQueue<CustomerRequest, number>; // orders for the admin, answered with the admin's factory ID
}

/**
 * Serves one connection until it ends: reads the identification and plays the role it names.
 * Never rejects. An unknown role or request closes the connection; an error closes it too, after
 * one line on stderr (unless it is only this connection's peer going away).
 */
export async function serveConnection(stub: ServerStub, engineerId: number, factory: Factory): Promise<void> {
  try {
    const role = await stub.receiveRole();
    if (role === Role.CUSTOMER) await serveCustomer(stub, engineerId, factory);
    else if (role === Role.PRIMARY_ADMIN) await serveReplication(stub, factory.state);
  } catch (error) {
    const peerLeft = error instanceof ConnectionLost && error.peer === stub.peer;
    if (!peerLeft) console.error(`server: connection from ${stub.peer}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    stub.close();
  }
}

/** Role 1: answers a customer's requests, one at a time, until it leaves or sends a request of no known type. */
async function serveCustomer(stub: ServerStub, engineerId: number, factory: Factory): Promise<void> {
  for (;;) {
    const request = await stub.receiveRequest();
    if (request.requestType === RequestType.ORDER) stub.shipRobot(await takeOrder(request, engineerId, factory));
    else if (request.requestType === RequestType.READ) stub.returnRecord(readRecord(request, factory.state));
    else if (request.requestType === RequestType.STATUS) stub.returnStatus(factory.state.status());
    else return; // not understood: the connection is closed
  }
}

/*
 * Part A.
 * - takeOrder(request, ...) resolves with the robot for an order, once the admin has committed it
 *   (the admin answers with its factory ID). If the admin fails, it rejects with that error.
 * - readRecord(request, state) returns the requester's record at once, without the admin.
 */
// TODO(lab2, part A): have the admin record each order before the robot ships; answer reads from the records.
async function takeOrder(request: CustomerRequest, engineerId: number, factory: Factory): Promise<RobotInfo> {
  const adminId = await factory.queue.submit(request);
  const { customerId, orderNumber, requestType } = request;
  return { customerId, orderNumber, requestType, engineerId, adminId };
}

function readRecord(request: CustomerRequest, state: FactoryState): CustomerRecord {
  return state.recordOf(request.customerId);
}
// END TODO(lab2, part A)

/** Role 2, the backup's side: answers the primary's replication requests until the connection ends. */
async function serveReplication(stub: ServerStub, state: FactoryState): Promise<void> {
  let senderId = -1; // the factory that has sent requests on this connection, -1 before the first
  try {
    for (;;) {
      const request = await stub.receiveReplication();
      senderId = request.factoryId;
      stub.replyReplication(storeReplicated(request, state));
    }
  } finally {
    primaryConnectionEnded(senderId, state);
  }
}

/*
 * Part B. storeReplicated(request, state) carries out a backup's steps 1 to 4 of the handout's
 * "Primary admin connections" for one ReplicationRequest, and returns the reply to send. It throws
 * (and the connection is closed) when the request cannot be stored.
 */
// TODO(lab2, part B): store what the primary sent, apply what it says is committed, and reply.
function storeReplicated(request: ReplicationRequest, state: FactoryState): ReplicationReply {
  state.primaryId = request.factoryId;
  state.storeAt(request.lastIndex, { opcode: request.opcode, arg1: request.arg1, arg2: request.arg2 });
  state.commitThrough(Math.min(request.committedIndex, request.lastIndex));
  return { factoryId: state.factoryId, lastIndex: state.lastIndex };
}
// END TODO(lab2, part B)

/*
 * Part C. primaryConnectionEnded(senderId, state) runs once a primary admin connection has ended,
 * however it ended; `senderId` is the factory that sent requests on it (-1 if none came). A backup
 * that still takes that factory for its primary then has no primary.
 */
// TODO(lab2, part C): forget a primary whose connection has ended.
function primaryConnectionEnded(senderId: number, state: FactoryState): void {
  if (senderId >= 0 && state.primaryId === senderId) state.primaryId = -1;
}
// END TODO(lab2, part C)
