/** How fetch decodes a body as text: UTF-8, a leading byte-order mark dropped, bad bytes replaced. */
const utf8 = new TextDecoder();

/**
 * A fetch `Response` over a body already read into memory. Node's `Response` wraps any body in
 * a web stream, and building and draining that stream cost a token request more than the rest
 * of its answer; this one reads `text()`, `json()` and `arrayBuffer()` from the bytes at once,
 * and builds the ordinary Response only for what needs one (`body`, `blob()`, `formData()`).
 * Reading twice fails as fetch's does.
 */
export class BufferedResponse extends Response {
  readonly #bytes: Buffer | null;
  readonly #init: ResponseInit;
  readonly #url: string;
  #used = false;
  #plain: Response | null = null;

  /** `bytes` is null for a status that has no body (204, 304…). */
  constructor(bytes: Buffer | null, init: ResponseInit & { headers: Headers }, url: string) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
    this.#url = url;
  }

  override get url(): string {
    return this.#url;
  }

  override get bodyUsed(): boolean {
    return this.#plain ? this.#plain.bodyUsed : this.#used;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    return this.#bytes === null ? null : this.#asPlain().body;
  }

  override text(): Promise<string> {
    if (this.#plain) return this.#plain.text();
    return this.#take((bytes) => utf8.decode(bytes));
  }

  override json(): Promise<unknown> {
    if (this.#plain) return this.#plain.json();
    return this.#take((bytes) => JSON.parse(utf8.decode(bytes)) as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#plain) return this.#plain.arrayBuffer();
    return this.#take((bytes) => new Uint8Array(bytes).buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  override blob(): Promise<Blob> {
    return this.#asPlain().blob();
  }

  override formData(): Promise<FormData> {
    return this.#asPlain().formData();
  }

  override clone(): Response {
    if (this.bodyUsed) return this.#asPlain().clone(); // fetch's own TypeError
    return new BufferedResponse(this.#bytes, { ...this.#init, headers: new Headers(this.headers) }, this.#url);
  }

  #take<T>(read: (bytes: Buffer) => T): Promise<T> {
    if (this.#used) return this.#asPlain().text() as Promise<never>; // fetch's own TypeError
    this.#used = true;
    // A throw in the executor (JSON.parse's) rejects the promise, as fetch's json() does.
    return new Promise((resolve) => resolve(read(this.#bytes ?? Buffer.alloc(0))));
  }

  /** The ordinary Response, once something needs its stream; a body read already is read there too. */
  #asPlain(): Response {
    if (!this.#plain) {
      this.#plain = new Response(this.#bytes === null ? null : new Uint8Array(this.#bytes), this.#init);
      if (this.#used) void this.#plain.arrayBuffer();
    }
    return this.#plain;
  }
}
