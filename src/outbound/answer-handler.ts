import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** A service's answer as it arrives: status and headers, and the body still streaming. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Made when first asked for. Backpressure reaches the socket; destroying it aborts the exchange. */
  readonly body: Readable;
  /**
   * The whole body, when all of it has arrived and no stream was asked for (a small answer comes
   * in the same read as its headers): it is then consumed, without a stream. Null otherwise.
   */
  takeArrived(): Buffer | null;
  /** Calls `fn` once the body is consumed: read to its end, taken whole, failed or destroyed. */
  whenConsumed(fn: () => void): void;
}

export interface AnswerOptions {
  /** Past this many body bytes the exchange is aborted with `tooLarge()`; no limit when undefined. */
  limitBytes: number | undefined;
  tooLarge: () => Error;
  /** Turns undici's failures into what the caller should see. */
  mapError: (error: Error) => Error;
  /** Called once the exchange is over: body received, failed or destroyed, or no answer came. */
  onSettled: () => void;
}

const ignore = () => undefined;

/** Until the answer's head comes (nothing reads them before): shared, not an object per call. */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});

/** The body size of one read; undici's own body streams use the same. */
const BODY_HIGH_WATER_MARK = 64 * 1024;

/**
 * One exchange through `dispatcher.dispatch`: the handler counts the body's bytes,
 * carries the caller's errors and aborts through the controller; the body, when read
 * as a stream, is one plain stream. Why not `request()`: it costs each call an async
 * resource, a body stream and an AbortSignal, and counting bytes on top took a second
 * stream — a third of what a proxied call cost.
 *
 * The stream itself is made only when the caller asks for it: until then the chunks
 * wait here (the socket paused past one read's worth), and a small answer that has
 * arrived whole is handed over as one buffer (`takeArrived`), without a stream, its
 * events and its close, which cost a proxied call more than its headers' filtering.
 */
export class AnswerHandler implements Answer {
  readonly answer: Promise<Answer>;
  statusCode = 0;
  headers: IncomingHttpHeaders = NO_HEADERS;
  private resolve!: (answer: Answer) => void;
  private reject!: (error: Error) => void;
  private controller: Dispatcher.DispatchController | null = null;
  /** A final answer's head came: the promise is resolved and a body belongs to it. */
  private started = false;
  private stream: Readable | null = null;
  /** Chunks that came before anyone asked for the stream. */
  private chunks: Buffer[] = [];
  private waiting = 0;
  /** The service sent the end of the body. */
  private arrived = false;
  /** Why the body failed before anyone asked for the stream: the stream fails with it when made. */
  private failure: Error | null = null;
  private consumed = false;
  private onConsumed: Array<() => void> | null = null;
  /** An abort asked for before the request started: applied when it does. */
  private abortedEarly: Error | null = null;
  private received = 0;
  private over = false;

  constructor(private readonly options: AnswerOptions) {
    this.answer = new Promise<Answer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  get body(): Readable {
    return this.stream ?? this.makeStream();
  }

  takeArrived(): Buffer | null {
    if (!this.arrived || this.stream || this.consumed) return null;
    const whole = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.waiting);
    this.chunks = [];
    this.markConsumed();
    return whole;
  }

  whenConsumed(fn: () => void): void {
    if (this.consumed) fn();
    else (this.onConsumed ??= []).push(fn);
  }

  /** Ends the exchange with `reason` wherever it stands: before the answer the promise rejects, after it the body fails. */
  abort(reason: Error): void {
    if (this.over) return;
    if (this.controller) {
      this.controller.abort(reason);
      return;
    }
    // Still waiting for a connection: the caller is told now, the request is dropped once it starts.
    this.abortedEarly = reason;
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortedEarly) controller.abort(this.abortedEarly);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // An interim answer (100 Continue, 103 Early Hints): the real one follows.
    if (statusCode < 200 || this.over) return;
    this.started = true;
    this.statusCode = statusCode;
    this.headers = headers;
    this.resolve(this);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.over || !this.started) return;
    this.received += chunk.length;
    if (this.options.limitBytes !== undefined && this.received > this.options.limitBytes) {
      controller.abort(this.options.tooLarge());
      return;
    }
    if (this.stream) {
      if (!this.stream.push(chunk)) controller.pause();
      return;
    }
    this.chunks.push(chunk);
    this.waiting += chunk.length;
    if (this.waiting >= BODY_HIGH_WATER_MARK) controller.pause();
  }

  onResponseEnd(): void {
    if (this.over) return;
    this.settle();
    if (!this.started) return;
    this.arrived = true;
    this.stream?.push(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private makeStream(): Readable {
    const controller = this.controller;
    const stream = new Readable({
      highWaterMark: BODY_HIGH_WATER_MARK,
      read: () => controller?.resume(),
      destroy: (error, callback) => {
        // The reader let go before the end: the socket is not left half read.
        if (!this.over) {
          this.settle();
          controller?.abort(error ?? new Error('The answer was not read to its end.'));
        }
        callback(error);
      },
    });
    this.stream = stream;
    stream.once('close', () => this.markConsumed());
    if (this.consumed && !this.failure) {
      // Taken whole already: nothing is left to read.
      stream.push(null);
      return stream;
    }
    for (const chunk of this.chunks) stream.push(chunk);
    this.chunks = [];
    if (this.failure) stream.on('error', ignore).destroy(this.failure);
    else if (this.arrived) stream.push(null);
    return stream;
  }

  private fail(error: Error): void {
    if (this.over) return;
    this.settle();
    const mapped = this.options.mapError(error);
    // The body may fail before its reader asked for it (the whole answer can arrive with the headers):
    // the stream is then made failed, and the failure is no crash meanwhile.
    if (this.stream) this.stream.on('error', ignore).destroy(mapped);
    else if (this.started) {
      this.failure = mapped;
      this.chunks = [];
      this.markConsumed();
    } else this.reject(mapped);
  }

  private markConsumed(): void {
    if (this.consumed) return;
    this.consumed = true;
    const waiting = this.onConsumed;
    this.onConsumed = null;
    if (waiting) for (const fn of waiting) fn();
  }

  private settle(): void {
    this.over = true;
    this.options.onSettled();
  }
}
