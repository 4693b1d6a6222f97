import type { Finding } from "../../checks/types";
import type { Logger } from "./log";
import type { RunRecorder } from "./run-record";

/**
 * Runs a job's checks and records each finding. Checks that cannot run are an error finding, not
 * a failed run: the periods they would judge are written and visible already.
 */
export async function recordChecks(
  run: () => Promise<Finding[]>,
  subject: string,
  recorder: RunRecorder,
  log: Logger,
): Promise<void> {
  let findings: Finding[];
  try {
    findings = await run();
  } catch (e) {
    log.error("the checks could not run", { error: e });
    findings = [
      {
        policy: "checks",
        severity: "error",
        subject,
        measured: null,
        threshold: null,
        message: `the checks could not run: ${(e as Error).message}`,
        hint: "the normalized data is written; fix the cause and the next run checks it",
      },
    ];
  }
  for (const f of findings) {
    recorder.checked({ policy: f.policy, severity: f.severity, subject: f.subject, message: f.message });
    if (f.severity !== "ok") log.warn("check finding", { ...f });
  }
}
