/**
 * The TCP side: frames each connection's byte stream, answers requests of one connection in
 * order (a large insert in slices, see sliced-insert.ts), and replies only after the command's
 * journal entries are durable. A malformed message
 * closes that connection alone (with the reason logged); the server keeps serving the others.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Doc } from './bson-util.js';
import { commandName, runCommand } from './commands/index.js';
import type { CommandContext, Logger } from './commands/context.js';
import type { Catalog } from './catalog.js';
import type { Cursors } from './cursors.js';
import { StoreError } from './errors.js';
import { isLargeInsert, runInSlices } from './sliced-insert.js';
import {
  OP_QUERY, WireError, checkMessageLength, encodeOpMsg, encodeOpReply, parseMessage, type Request,
} from './wire.js';

/** How replies wait for durability (absent for memory-only stores). */
export interface Durability {
  readonly seq: number;
  waitDurable(seq: number): Promise<void>;
}

export interface ServerDeps {
  catalog: Catalog;
  cursors: Cursors;
  now: () => number;
  logger: Logger;
  durability?: Durability;
  /**
   * Told each command's name, the milliseconds it held the event loop and the CPU milliseconds it
   * used meanwhile (benchmarks, tests; on a busy machine the first includes waiting for a core).
   */
  onCommand?: (name: string, syncMs: number, cpuMs: number) => void;
}

const HANDSHAKES = new Set(['hello', 'ismaster', 'isMaster']);

export class WireServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private connections = 0;

  constructor(private readonly deps: ServerDeps) {
    this.server = createServer((socket) => this.accept(socket));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        // e.g. EMFILE while accepting: log it and keep serving, never crash.
        this.server.on('error', (err: NodeJS.ErrnoException) => this.deps.logger.warn(`server error ${err.code ?? err.name}`));
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connectionId = ++this.connections;
    this.sockets.add(socket);
    socket.setNoDelay(true);
    let chunks: Buffer[] = [];
    let total = 0;
    let queue = Promise.resolve();
    let closed = false;
    const fail = (reason: string) => {
      if (closed) return;
      closed = true;
      this.deps.logger.warn(`connection ${connectionId} closed: ${reason}`);
      socket.destroy();
    };
    socket.on('data', (chunk) => {
      if (closed) return;
      chunks.push(chunk);
      total += chunk.length;
      while (!closed && total >= 4) {
        if ((chunks[0] as Buffer).length < 4) chunks = [Buffer.concat(chunks, total)];
        const length = (chunks[0] as Buffer).readInt32LE(0);
        try {
          checkMessageLength(length);
        } catch (err) {
          return fail((err as Error).message);
        }
        if (total < length) return;
        const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
        const frame = all.subarray(0, length);
        const rest = all.subarray(length);
        chunks = rest.length ? [rest] : [];
        total = rest.length;
        let request: Request;
        try {
          request = parseMessage(frame);
        } catch (err) {
          return fail(err instanceof WireError ? err.message : `unreadable message (${(err as Error).name})`);
        }
        queue = queue
          .then(() => this.respond(socket, request, connectionId, fail))
          .catch((err: unknown) => fail(`request failed inside the store (${(err as Error)?.name ?? typeof err})`));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      this.sockets.delete(socket);
    });
  }

  private async respond(socket: Socket, request: Request, connectionId: number, fail: (reason: string) => void): Promise<void> {
    if (socket.destroyed) return;
    const before = this.deps.durability?.seq ?? 0;
    let reply = request.opCode !== OP_QUERY && isLargeInsert(request.command)
      ? await runInSlices(request.command, (slice) => this.timed(request, connectionId, slice))
      : this.timed(request, connectionId, request.command);
    const after = this.deps.durability?.seq ?? 0;
    if (this.deps.durability && after !== before) {
      try {
        await this.deps.durability.waitDurable(after);
      } catch {
        reply = new StoreError(1, 'InternalError', 'the write could not be made durable (journal failure)').toReply();
      }
    }
    if (request.moreToCome || socket.destroyed) return;
    try {
      const encode = request.opCode === OP_QUERY ? encodeOpReply : encodeOpMsg;
      socket.write(encode(request.requestId, reply));
    } catch (err) {
      fail(`reply to '${commandName(request.command)}' could not be encoded (${(err as Error).name})`);
    }
  }

  /** Runs one command (or one insert slice), telling `onCommand` how long it held the loop. */
  private timed(request: Request, connectionId: number, command: Doc): Doc {
    const { onCommand } = this.deps;
    if (!onCommand) return this.execute(request, connectionId, command);
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return this.execute(request, connectionId, command);
    } finally {
      const used = process.cpuUsage(cpu);
      onCommand(commandName(command), performance.now() - started, (used.user + used.system) / 1000);
    }
  }

  private execute(request: Request, connectionId: number, command: Doc): Doc {
    const name = commandName(command);
    let db: string;
    if (request.opCode === OP_QUERY) {
      const namespace = request.namespace ?? '';
      if (!namespace.endsWith('.$cmd') || !HANDSHAKES.has(name)) {
        return new StoreError(352, 'UnsupportedOpQueryCommand',
          `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`).toReply();
      }
      db = namespace.slice(0, -'.$cmd'.length);
    } else {
      if (typeof command.$db !== 'string' || !command.$db) {
        return new StoreError(40571, 'Location40571', 'OP_MSG requests require a $db argument').toReply();
      }
      db = command.$db;
    }
    const ctx: CommandContext = { ...this.deps, db, connectionId };
    return runCommand(command, ctx);
  }
}
