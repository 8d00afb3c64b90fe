import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level } from 'pino';

const LEVELS: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * Fastify's logger for one request (`request.log`), whose pino child is made only when a line is
 * written at a level that is on. Fastify makes a child for every request; pino serializes the child's
 * bindings (the request id) at once, through the redaction every logged object gets: 5 % of the node
 * list's work per request, for a logger that at `LOG_LEVEL=warn` writes nothing for almost all of them.
 */
class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#logger().level = level;
  }

  isLevelEnabled(level: string): boolean {
    const values = (this.parent as unknown as { levels: { values: Record<string, number> } }).levels.values;
    return (values[level] ?? Infinity) >= (values[this.level] ?? Infinity);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger().child(bindings, options);
  }

  silent(): void {}

  #logger(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }

  static {
    for (const level of LEVELS) {
      (this.prototype as unknown as Record<Level, (...args: unknown[]) => void>)[level] = function (this: LazyRequestLogger, ...args: unknown[]) {
        if (this.isLevelEnabled(level)) (this.#logger()[level] as (...a: unknown[]) => void)(...args);
      };
    }
  }
}

/** For Fastify's `childLoggerFactory`. */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
