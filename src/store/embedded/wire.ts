/**
 * Wire framing: turns raw frames into commands and commands' replies into frames.
 * Handles OP_MSG (sections 0 and 1, moreToCome, checksum) and the legacy OP_QUERY handshake
 * answered with OP_REPLY. Anything malformed throws WireError: the server then closes that
 * one connection. Compression is never advertised, so OP_COMPRESSED is malformed here.
 */
import { deserialize, serialize, type Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
const KNOWN_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | (1 << 16); // exhaustAllowed

export class WireError extends Error {}

export interface Request {
  requestId: number;
  opCode: typeof OP_MSG | typeof OP_QUERY;
  /** The command document, kind-1 sequences merged in under their identifiers. */
  command: Document;
  /** OP_QUERY only: the namespace it was sent to (e.g. `admin.$cmd`). */
  namespace?: string;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
}

/** Validates a frame's declared length before the body is buffered. */
export function checkMessageLength(length: number): void {
  if (length < HEADER_SIZE + 5) throw new WireError(`messageLength ${length} is too small`);
  if (length > MAX_MESSAGE_SIZE) throw new WireError(`messageLength ${length} exceeds ${MAX_MESSAGE_SIZE}`);
}

/** Parses one complete frame (header included). */
export function parseMessage(frame: Buffer): Request {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(frame, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(frame, requestId);
  throw new WireError(`unsupported opCode ${opCode}`);
}

function readDocument(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new WireError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new WireError(`BSON document size ${size} overruns its message`);
  try {
    const doc = deserialize(buf.subarray(offset, offset + size), { validation: { utf8: false } });
    return { doc, next: offset + size };
  } catch (err) {
    throw new WireError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new WireError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

function parseOpMsg(frame: Buffer, requestId: number): Request {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  if ((flags & ~KNOWN_FLAGS & 0xffff) !== 0) throw new WireError(`unknown required OP_MSG flag bits ${flags}`);
  const end = frame.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let offset = HEADER_SIZE + 4;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (command) throw new WireError('OP_MSG has more than one kind-0 section');
      const { doc, next } = readDocument(frame, offset, end);
      command = doc;
      offset = next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new WireError('truncated kind-1 section');
      const size = frame.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new WireError(`kind-1 section size ${size} overruns its message`);
      const id = readCString(frame, offset + 4, sectionEnd);
      const docs: Document[] = [];
      let at = id.next;
      while (at < sectionEnd) {
        const { doc, next } = readDocument(frame, at, sectionEnd);
        docs.push(doc);
        at = next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new WireError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new WireError('OP_MSG without a kind-0 section');
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  return { requestId, opCode: OP_MSG, command, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(frame: Buffer, requestId: number): Request {
  let offset = HEADER_SIZE + 4; // flags
  const ns = readCString(frame, offset, frame.length);
  offset = ns.next + 8; // numberToSkip, numberToReturn
  const { doc } = readDocument(frame, offset, frame.length);
  // Legacy drivers may wrap the command as { $query: {...}, $readPreference }.
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  return { requestId, opCode: OP_QUERY, command, namespace: ns.value, moreToCome: false };
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** An OP_MSG reply with one kind-0 section. */
export function encodeOpMsg(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply, { ignoreUndefined: true });
  const length = HEADER_SIZE + 4 + 1 + body.length;
  const pre = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([header(length, responseTo, OP_MSG), pre, body]);
}

/** An OP_REPLY carrying one document (the answer to an OP_QUERY handshake). */
export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply, { ignoreUndefined: true });
  const fixed = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom
  fixed.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([header(HEADER_SIZE + 20 + body.length, responseTo, OP_REPLY), fixed, body]);
}
