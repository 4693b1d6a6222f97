import { Redactor } from "./redact";

export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** JSON lines (jobs) or human text (CLI). */
  format: "json" | "human";
  /** Lowest level written. */
  level?: Level;
  /** Where lines go. */
  stream?: NodeJS.WritableStream;
  /** Shared with the secret loader, so that loaded secrets never reach a line. */
  redactor?: Redactor;
  /** Fields on every line (job, tenant, run id). */
  base?: Record<string, unknown>;
  now?: () => Date;
}

/** A structured logger whose every line passes through the redactor. */
export class Logger {
  readonly redactor: Redactor;
  private readonly stream: NodeJS.WritableStream;

  constructor(private readonly options: LoggerOptions) {
    this.redactor = options.redactor ?? new Redactor();
    this.stream = options.stream ?? process.stderr;
  }

  /** A logger with more fields on every line. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({
      ...this.options,
      redactor: this.redactor,
      base: { ...this.options.base, ...fields },
    });
  }

  debug(message: string, fields?: Record<string, unknown>) {
    this.write("debug", message, fields);
  }
  info(message: string, fields?: Record<string, unknown>) {
    this.write("info", message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>) {
    this.write("warn", message, fields);
  }
  error(message: string, fields?: Record<string, unknown>) {
    this.write("error", message, fields);
  }

  private write(level: Level, message: string, fields: Record<string, unknown> = {}) {
    if (ORDER[level] < ORDER[this.options.level ?? "info"]) return;
    const time = (this.options.now?.() ?? new Date()).toISOString();
    const record = this.redactor.redact({ time, level, message, ...this.options.base, ...fields }) as Record<
      string,
      unknown
    >;
    if (this.options.format === "json") {
      this.stream.write(`${JSON.stringify(record)}\n`);
      return;
    }
    const { time: _t, level: _l, message: m, ...rest } = record;
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
    this.stream.write(`${level === "info" ? "" : `${level.toUpperCase()}: `}${m}${extra}\n`);
  }
}
