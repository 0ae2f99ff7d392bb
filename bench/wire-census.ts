import net from 'node:net';

/** Messages and bytes one direction of the PostgreSQL protocol carried, by message type. */
export interface DirectionCount {
  /** Messages by their type byte ('B' Bind, 'D' Describe or DataRow, 'T' RowDescription, …). */
  readonly messages: Record<string, number>;
  bytes: number;
  /** Socket reads on the proxy's side: how many chunks the sender's writes arrived in (a lower bound on its writes). */
  chunks: number;
}

/** What passed through a WireCensus. */
export interface WireCount {
  readonly fromClient: DirectionCount;
  readonly fromServer: DirectionCount;
  /** The most statements one connection had sent (Sync) without their ReadyForQuery back: >1 means pipelining. */
  maxInFlight: number;
}

// Splits a byte stream into protocol messages (type byte + int32 length), the first message of a client
// connection being the untyped startup packet.
class MessageSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(
    private untypedFirst: boolean,
    private readonly onMessage: (type: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.untypedFirst) {
        if (this.buffer.length < 4) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        this.buffer = this.buffer.subarray(length);
        this.untypedFirst = false;
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < length + 1) return;
      this.onMessage(String.fromCharCode(this.buffer[0] ?? 0));
      this.buffer = this.buffer.subarray(length + 1);
    }
  }
}

function direction(): DirectionCount {
  return { messages: {}, bytes: 0, chunks: 0 };
}

/**
 * A TCP proxy in front of the server that counts the protocol messages each way: how many round trips, Describes and
 * RowDescriptions a driver's statement costs, and whether it pipelines. Only for counting, never for timing.
 */
export class WireCensus {
  private count: WireCount = { fromClient: direction(), fromServer: direction(), maxInFlight: 0 };
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;

  /** Starts the proxy on a free loopback port in front of `host:port`; returns the port. */
  async listen(host: string, port: number): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(port, host);
      this.sockets.add(client).add(upstream);
      let inFlight = 0;
      const fromClient = new MessageSplitter(true, (type) => {
        this.count.fromClient.messages[type] = (this.count.fromClient.messages[type] ?? 0) + 1;
        if (type === 'S' || type === 'Q') this.count.maxInFlight = Math.max(this.count.maxInFlight, ++inFlight);
      });
      const fromServer = new MessageSplitter(false, (type) => {
        this.count.fromServer.messages[type] = (this.count.fromServer.messages[type] ?? 0) + 1;
        if (type === 'Z') inFlight = Math.max(0, inFlight - 1);
      });
      client.on('data', (chunk: Buffer) => {
        this.count.fromClient.bytes += chunk.length;
        this.count.fromClient.chunks++;
        fromClient.push(chunk);
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        this.count.fromServer.bytes += chunk.length;
        this.count.fromServer.chunks++;
        fromServer.push(chunk);
        client.write(chunk);
      });
      const close = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
    return address.port;
  }

  /** Starts counting afresh. */
  reset(): void {
    this.count = { fromClient: direction(), fromServer: direction(), maxInFlight: 0 };
  }

  /** What passed since the last reset. */
  snapshot(): WireCount {
    return this.count;
  }

  /** Closes the proxy and every connection through it. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
