import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** A service's answer as it arrives: status and headers, and the body still streaming. */
export interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Backpressure reaches the socket; destroying it aborts the exchange. */
  body: Readable;
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

/** An answer's body, which knows when the service has sent all of it. */
class AnswerBody extends Readable {
  /** The service sent the end of the body: every byte is in the stream's buffer or already read. */
  arrived = false;
}

/**
 * The whole body, when all of it has arrived and nothing has read from it yet (a small answer
 * comes in the same read as its headers): taken out of the stream, which then ends as if read.
 * Null otherwise, and for a body from anywhere but this client: read that one as a stream.
 */
export function takeArrivedBody(body: Readable): Buffer | null {
  if (
    !(body instanceof AnswerBody) ||
    !body.arrived ||
    body.destroyed ||
    body.readableDidRead ||
    body.readableFlowing !== null
  )
    return null;
  // In paused mode read() hands over the whole buffer at once; null when the body is empty.
  return (body.read() as Buffer | null) ?? Buffer.alloc(0);
}

/** The body size of one read; undici's own body streams use the same. */
const BODY_HIGH_WATER_MARK = 64 * 1024;

/**
 * One exchange through `dispatcher.dispatch`: the body is a single plain stream
 * that counts its bytes, carries the caller's errors and is aborted through the
 * controller. Why not `request()`: it costs each call an async resource, a body
 * stream and an AbortSignal, and counting bytes on top took a second stream —
 * a third of what a proxied call cost.
 */
export class AnswerHandler implements Dispatcher.DispatchHandler {
  readonly answer: Promise<Answer>;
  private resolve!: (answer: Answer) => void;
  private reject!: (error: Error) => void;
  private controller: Dispatcher.DispatchController | null = null;
  private body: AnswerBody | null = null;
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

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    // An interim answer (100 Continue, 103 Early Hints): the real one follows.
    if (statusCode < 200 || this.over) return;
    this.body = new AnswerBody({
      highWaterMark: BODY_HIGH_WATER_MARK,
      read: () => controller.resume(),
      destroy: (error, callback) => {
        // The reader let go before the end: the socket is not left half read.
        if (!this.over) {
          this.settle();
          controller.abort(error ?? new Error('The answer was not read to its end.'));
        }
        callback(error);
      },
    });
    this.resolve({ statusCode, headers, body: this.body });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.over || !this.body) return;
    this.received += chunk.length;
    if (this.options.limitBytes !== undefined && this.received > this.options.limitBytes) {
      controller.abort(this.options.tooLarge());
      return;
    }
    if (!this.body.push(chunk)) controller.pause();
  }

  onResponseEnd(): void {
    if (this.over) return;
    this.settle();
    if (!this.body) return;
    this.body.arrived = true;
    this.body.push(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.over) return;
    this.settle();
    const mapped = this.options.mapError(error);
    // The body may fail before its reader attached (the whole answer can arrive with the headers):
    // the failure then waits on the stream for the reader (as in undici), and is no crash meanwhile.
    if (this.body) this.body.on('error', ignore).destroy(mapped);
    else this.reject(mapped);
  }

  private settle(): void {
    this.over = true;
    this.options.onSettled();
  }
}
