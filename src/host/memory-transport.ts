import { IpcCode, IpcError, type Message, type Transport } from './ipc.js';

/** Two linked in-memory transports for unit tests; messages are JSON-copied as the real channel does. */
export function memoryTransportPair(): [Transport, Transport] {
  let open = true;
  const make = (): Transport & { peer?: Transport } => ({
    async send(message: Message) {
      if (!open) throw new IpcError(IpcCode.closed, 'transport closed');
      const copy = JSON.parse(JSON.stringify(message)) as Message;
      const peer = this.peer!;
      queueMicrotask(() => peer.onmessage?.(copy));
    },
    async close() {
      if (!open) return;
      open = false;
      queueMicrotask(() => {
        a.onclose?.();
        b.onclose?.();
      });
    },
  });
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
