import { round } from "../sql";
import { checkSettings } from "../settings";
import { definePolicy, type Finding } from "../types";

const DAY_MS = 86_400_000;

/**
 * Credential age: each secret or key the platform uses (from the connection record), against a
 * rotation window; warned `warnDays` ahead. Keyless identities have nothing to rotate and are not
 * in the record.
 */
export const credentialAge = definePolicy({
  name: "credential-age",
  ...checkSettings("credentialAge"),
  description: "secrets and keys older than the rotation window",
  severity: "error",
  async evaluate({ connection, now }, config) {
    if (!connection) {
      return [
        {
          policy: "credential-age",
          severity: "info",
          subject: "credentials",
          measured: null,
          threshold: config.rotationDays,
          unit: "days",
          message: "no connection record, so credential ages were not checked",
          hint: "pass --connection FILE or let the job write connection.json beside its output",
        },
      ];
    }
    return connection.credentials.map((c): Finding => {
      const since = new Date(c.rotatedAt ?? c.createdAt);
      const age = round((now.getTime() - since.getTime()) / DAY_MS, 1);
      const left = round(config.rotationDays - age, 1);
      const severity = age >= config.rotationDays ? "error" : left <= config.warnDays ? "warning" : "ok";
      return {
        policy: "credential-age",
        severity,
        subject: `${c.provider} ${c.name}`,
        measured: age,
        threshold: config.rotationDays,
        unit: "days",
        message:
          severity === "error"
            ? `${c.rotatedAt ? "last rotated" : "created"} ${age} days ago, past the ${config.rotationDays}-day rotation window`
            : `${c.rotatedAt ? "last rotated" : "created"} ${age} days ago; rotation due in ${left} days`,
        ...(severity === "ok"
          ? {}
          : { hint: "rotate it in the cloud's secret manager and update the connection" }),
      };
    });
  },
});
