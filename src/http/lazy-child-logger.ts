import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

type Method = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * A request's logger, made only when the request writes a line. Fastify asks
 * for a child logger (with the request id) for every request, and a pino child
 * costs several microseconds to build: on the proxy, most requests write nothing.
 */
class LazyChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  #method(name: Method): LogFn {
    // pino's LogFn is overloaded: the arguments are passed on exactly as given.
    return (...args: Parameters<LogFn>) => {
      this.#real()[name](...args);
    };
  }

  fatal = this.#method('fatal');
  error = this.#method('error');
  warn = this.#method('warn');
  info = this.#method('info');
  debug = this.#method('debug');
  trace = this.#method('trace');
  silent = this.#method('silent');

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, built on first use. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
