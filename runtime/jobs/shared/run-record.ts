import { randomUUID } from "node:crypto";
import type { Redactor } from "./redact";

/** What a job run read, wrote and checked, and how long it took: written next to the data it produced. */
export interface RunRecord {
  runId: string;
  job: string;
  tenantId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  status: "succeeded" | "failed";
  read: Array<{ source: string; rows?: number; bytes?: number; queryId?: string }>;
  written: Array<{ target: string; rows?: number; bytes?: number; queryId?: string }>;
  checks: Array<{ policy: string; severity: string; subject?: string; message: string }>;
  error?: string;
}

type Entry<K extends "read" | "written" | "checks"> = RunRecord[K][number];

/** Collects a run record as the job goes, and closes it with the outcome. */
export class RunRecorder {
  readonly runId: string;
  private readonly started: number;
  private readonly record: Pick<RunRecord, "read" | "written" | "checks"> = {
    read: [],
    written: [],
    checks: [],
  };

  constructor(
    private readonly job: string,
    private readonly tenantId: string,
    private readonly redactor?: Redactor,
    private readonly now: () => number = Date.now,
    runId?: string,
  ) {
    this.runId =
      runId ??
      `${new Date(now()).toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomUUID().slice(0, 8)}`;
    this.started = now();
  }

  read(entry: Entry<"read">) {
    this.record.read.push(entry);
  }
  wrote(entry: Entry<"written">) {
    this.record.written.push(entry);
  }
  checked(entry: Entry<"checks">) {
    this.record.checks.push(entry);
  }

  /** The finished record, redacted like a log line: sources, targets, findings and the error. */
  finish(error?: unknown): RunRecord {
    const finished = this.now();
    const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
    const record: RunRecord = {
      runId: this.runId,
      job: this.job,
      tenantId: this.tenantId,
      startedAt: new Date(this.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - this.started,
      status: error === undefined ? "succeeded" : "failed",
      ...this.record,
      ...(message === undefined ? {} : { error: message }),
    };
    return this.redactor ? (this.redactor.redact(record) as RunRecord) : record;
  }
}
