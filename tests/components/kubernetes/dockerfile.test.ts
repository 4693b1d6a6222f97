import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JOB_TEMP_DIR, JOB_UID } from "../../../components/kubernetes/job-pod";

// No Docker engine runs here, so the image is never built in these tests; this checks that the
// Dockerfile and the CronJob's pod spec agree on what they share.
const dockerfile = readFileSync(
  join(__dirname, "..", "..", "..", "runtime", "jobs", "kubernetes", "Dockerfile"),
  "utf8",
);
const instructions = dockerfile
  .split("\n")
  .filter((line) => line.trim() && !line.trim().startsWith("#"))
  .map((line) => line.trim());

describe("Kubernetes job Dockerfile", () => {
  it("runs as the non-root user the pod's securityContext names", () => {
    const users = instructions.filter((i) => i.startsWith("USER "));
    assert.deepEqual(users, [`USER ${JOB_UID}:${JOB_UID}`]);
    assert.ok(JOB_UID > 0);
  });

  it("runs the bundle from npm run build:jobs with node, from a distroless nonroot base", () => {
    const froms = instructions.filter((i) => i.startsWith("FROM "));
    assert.equal(froms.at(-1), "FROM gcr.io/distroless/nodejs22-debian12:nonroot");
    for (const from of froms) assert.doesNotMatch(from, /:latest\b/);
    assert.ok(instructions.includes("COPY dist/jobs/kubernetes/ ./"), "the whole artifact, binding included");
    assert.ok(!instructions.some((i) => i.startsWith("RUN ")), "nothing is installed or fetched");
    assert.equal(instructions.at(-1), 'CMD ["/job/index.js"]');
  });

  it("points the temp dir and HOME at the emptyDir the pod mounts", () => {
    const env = instructions.find((i) => i.startsWith("ENV ")) ?? "";
    assert.match(env, new RegExp(`COSTLINE_TEMP_DIR=${JOB_TEMP_DIR}( |$)`));
    assert.match(env, new RegExp(`HOME=${JOB_TEMP_DIR}( |$)`));
  });
});
