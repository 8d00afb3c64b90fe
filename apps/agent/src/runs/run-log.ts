/**
 * One run's log lines on their way to the server: numbered from 1, kept until `run.ack` covers them,
 * cut into `run.log` batches that fit the protocol's limits, and sent again after a reconnect. Memory
 * is bounded: past `maxLines` or `maxBytes` waiting lines the oldest go, and a marker line says how many.
 */
import { MAX_LOG_LINES_PER_MESSAGE, MAX_MESSAGE_BYTES, type LogStream, type RunLogMessage } from '@overmind/agent-protocol';
import { splitLongLine } from './line-splitter.js';

interface BufferedLine {
  seq: number;
  stream: LogStream;
  text: string;
  /** UTF-8 bytes of the line as it appears in a message. */
  bytes: number;
}

export interface RunLogLimits {
  maxLines: number;
  maxBytes: number;
}

export const DEFAULT_RUN_LOG_LIMITS: RunLogLimits = { maxLines: 50_000, maxBytes: 32 * 1024 * 1024 };

/** Room left for the envelope of a `run.log` (type, run id, seq) inside MAX_MESSAGE_BYTES. */
const BATCH_BYTES = MAX_MESSAGE_BYTES - 4096;
/** `{"stream":"stdout","text":}` and a comma. */
const LINE_OVERHEAD = 32;

export class RunLog {
  /** Waiting lines in seq order from `#start`; the consumed head is cut off in bulk, not shifted line by line. */
  #lines: BufferedLine[] = [];
  #start = 0;
  #bytes = 0;
  #dropped = 0;
  /** Highest seq given to a line. */
  lastSeq = 0;
  /** Highest seq the server has stored. */
  ackedSeq = 0;
  /** Highest seq sent on the current connection. */
  sentSeq = 0;

  constructor(
    private readonly runId: string,
    private readonly mask: (text: string) => string = (t) => t,
    private readonly limits: RunLogLimits = DEFAULT_RUN_LOG_LIMITS,
    /** Lines already numbered in an earlier life of the agent (from the journal). */
    firstSeq = 1,
  ) {
    this.lastSeq = firstSeq - 1;
    this.ackedSeq = firstSeq - 1;
    this.sentSeq = firstSeq - 1;
  }

  get waiting(): number {
    return this.#lines.length - this.#start;
  }

  /** Lines numbered but not yet sent on this connection. */
  get unsent(): number {
    return this.lastSeq - Math.max(this.sentSeq, this.#firstSeq() - 1);
  }

  append(stream: LogStream, text: string): void {
    for (const piece of splitLongLine(this.mask(text))) this.#push(stream, piece);
  }

  /** `bounded` false lets the drop marker itself in without dropping (and then announcing) another line. */
  #push(stream: LogStream, text: string, bounded = true): void {
    const bytes = Buffer.byteLength(JSON.stringify(text)) + LINE_OVERHEAD;
    this.#lines.push({ seq: ++this.lastSeq, stream, text, bytes });
    this.#bytes += bytes;
    while (bounded && this.waiting > 1 && (this.waiting > this.limits.maxLines || this.#bytes > this.limits.maxBytes)) {
      this.#bytes -= this.#lines[this.#start]!.bytes;
      this.#start++;
      this.#dropped++;
    }
    this.#compact();
  }

  #firstSeq(): number {
    return this.#lines[this.#start]?.seq ?? this.lastSeq + 1;
  }

  #compact(): void {
    if (this.#start > 1024 && this.#start * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#start);
      this.#start = 0;
    }
  }

  /** The server stored every line up to `seq`: forget them. */
  ack(seq: number): void {
    if (seq <= this.ackedSeq) return;
    this.ackedSeq = Math.min(seq, this.lastSeq);
    this.sentSeq = Math.max(this.sentSeq, this.ackedSeq);
    while (this.#start < this.#lines.length && this.#lines[this.#start]!.seq <= this.ackedSeq) {
      this.#bytes -= this.#lines[this.#start]!.bytes;
      this.#start++;
    }
    this.#compact();
  }

  /** A new connection: everything not acked goes again. */
  resend(): void {
    this.sentSeq = this.ackedSeq;
  }

  get allAcked(): boolean {
    return this.ackedSeq >= this.lastSeq;
  }

  /**
   * The next batches to send (marking their lines sent), at most `maxMessages` of them. Lines dropped
   * for memory are announced first by a marker line of their own.
   */
  takeBatches(maxMessages = Infinity): RunLogMessage[] {
    if (this.#dropped > 0) {
      const dropped = this.#dropped;
      this.#dropped = 0;
      this.#push('agent', `[overmind-agent] ${dropped} earlier log line(s) of this run were dropped: more than ${this.limits.maxLines} lines or ${this.limits.maxBytes} bytes waited for the server`, false);
    }
    const batches: RunLogMessage[] = [];
    let index = this.#start + Math.max(0, this.sentSeq + 1 - this.#firstSeq());
    while (index < this.#lines.length && batches.length < maxMessages) {
      const first = this.#lines[index]!;
      const lines: RunLogMessage['lines'] = [];
      let bytes = 0;
      while (index < this.#lines.length && lines.length < MAX_LOG_LINES_PER_MESSAGE) {
        const line = this.#lines[index]!;
        if (lines.length > 0 && bytes + line.bytes > BATCH_BYTES) break;
        lines.push({ stream: line.stream, text: line.text });
        bytes += line.bytes;
        index++;
      }
      batches.push({ type: 'run.log', runId: this.runId, seq: first.seq, lines });
      this.sentSeq = first.seq + lines.length - 1;
    }
    return batches;
  }
}
