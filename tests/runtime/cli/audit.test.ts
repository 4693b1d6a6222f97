import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from "@aws-sdk/client-cloudtrail";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import nock from "nock";
import {
  ACCOUNT,
  getSecretValue,
  iamUser,
  JOB_ROLE,
  lookupEvent,
  roleSession,
  s3Object,
} from "../../fixtures/audit/cloudtrail";
import { runCli } from "../../helpers/cli";
import { EXAMPLES } from "../../helpers/tenants";

const TENANT = join(EXAMPLES, "acme-all.yaml");
const AWS_ONLY = join(EXAMPLES, "globex-aws.yaml");
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** CloudTrail with `secretReads` as the GetSecretValue history, and the trail bucket with `objectReads` in today's folder. */
function mockAws(secretReads: Record<string, unknown>[], objectReads: Record<string, unknown>[] = []) {
  const trail = mockClient(CloudTrailClient);
  trail.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => ({
    Events:
      input.LookupAttributes![0]!.AttributeValue === "GetSecretValue" ? secretReads.map(lookupEvent) : [],
  }));
  const s3 = mockClient(S3Client);
  const today = `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/`;
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => ({
    Contents:
      input.Prefix === today && objectReads.length
        ? [{ Key: `${today}${ACCOUNT}_CloudTrail_eu-west-1_x.json.gz` }]
        : [],
  }));
  const gz = gzipSync(JSON.stringify({ Records: objectReads }));
  s3.on(GetObjectCommand).resolves({
    Body: { transformToByteArray: async () => new Uint8Array(gz) },
  } as never);
  return () => {
    trail.restore();
    s3.restore();
  };
}

describe("costline audit (CLI)", function () {
  // LookupEvents is paced at two calls a second, as in production.
  this.timeout(30000);

  it("names a missing or unknown --cloud, a bad --days and a cloud the tenant lacks as usage errors", async () => {
    const none = await runCli("audit", "--tenant", TENANT);
    assert.equal(none.code, 2);
    assert.match(none.err, /--cloud aws\|gcp\|azure is required/);
    const bad = await runCli("audit", "--tenant", TENANT, "--cloud", "kubernetes");
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--cloud is one of aws, gcp, azure, not "kubernetes"/);
    for (const days of ["0", "91", "7.5", "week"]) {
      const run = await runCli("audit", "--tenant", TENANT, "--cloud", "aws", "--days", days);
      assert.equal(run.code, 2, days);
      assert.match(run.err, /--days is a whole number of days from 1 to 90/);
    }
    const lacking = await runCli("audit", "--tenant", AWS_ONLY, "--cloud", "gcp");
    assert.equal(lacking.code, 2);
    assert.match(lacking.err, /has no gcp section/);
  });

  it("prints the table and exits 0 when only the job and the platform read", async () => {
    const restore = mockAws(
      [
        getSecretValue(roleSession(JOB_ROLE, "job"), hoursAgo(30)),
        getSecretValue(roleSession(JOB_ROLE, "job"), hoursAgo(6)),
      ],
      [
        s3Object(
          roleSession(JOB_ROLE, "job"),
          "GetObject",
          `costline-acme-${ACCOUNT}-eu-west-1`,
          "exports/cur2/a.parquet",
          hoursAgo(0.1),
        ),
      ],
    );
    const run = await runCli("audit", "--tenant", TENANT, "--cloud", "aws", "--days", "7");
    restore();
    assert.equal(run.code, 0, run.all);
    assert.match(run.out, /every reader is the job or the platform identity/);
    assert.match(run.out, new RegExp(`${JOB_ROLE}\\s+GetSecretValue\\s+tenant-acme-aws-${ACCOUNT}\\s+2\\s`));
    assert.match(run.out, /GetObject\s+s3:\/\/costline-acme-111122223333-eu-west-1\/exports\/\s+1/);
  });

  it("flags an unexpected reader first and exits 3; --json carries the same", async () => {
    const reads = [
      getSecretValue(roleSession(JOB_ROLE, "job"), hoursAgo(6)),
      getSecretValue(iamUser("mallory"), hoursAgo(2)),
    ];
    let restore = mockAws(reads);
    const run = await runCli("audit", "--tenant", TENANT, "--cloud", "aws", "--days", "7");
    restore();
    assert.equal(run.code, 3, run.all);
    const lines = run.out.split("\n");
    assert.match(
      lines[1]!,
      /^UNEXPECTED: 1 reader\(s\) that are not the job or the platform identity: arn:aws:iam::111122223333:user\/mallory$/,
    );
    assert.match(lines[4]!, /^!\s+arn:aws:iam::111122223333:user\/mallory\s+GetSecretValue/);
    restore = mockAws(reads);
    const json = await runCli("audit", "--tenant", TENANT, "--cloud", "aws", "--days", "7", "--json");
    restore();
    assert.equal(json.code, 3);
    const report = JSON.parse(json.out);
    assert.equal(report.entries[0].expected, false);
    assert.equal(report.window.days, 7);
  });

  it("says plainly when the window has no reads, and that verify must show the trail on", async () => {
    const restore = mockAws([]);
    const run = await runCli("audit", "--tenant", TENANT, "--cloud", "aws");
    restore();
    assert.equal(run.code, 0, run.all);
    assert.match(run.out, /no reads recorded in the last 30 days\. .*costline verify --cloud aws/);
  });

  it("names the permission when CloudTrail refuses, without a stack trace", async () => {
    const trail = mockClient(CloudTrailClient);
    trail
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    const run = await runCli("audit", "--tenant", TENANT, "--cloud", "aws");
    trail.restore();
    assert.equal(run.code, 1);
    assert.equal(
      run.err,
      "costline audit: the caller may not read CloudTrail events in eu-west-1: grant it cloudtrail:LookupEvents, then run costline audit again\n",
    );
  });

  describe("GCP with application default credentials", () => {
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    before(() => {
      nock.disableNetConnect();
      const file = join(mkdtempSync(join(tmpdir(), "adc-")), "adc.json");
      writeFileSync(
        file,
        JSON.stringify({
          type: "authorized_user",
          client_id: "c.apps.googleusercontent.com",
          client_secret: "s",
          refresh_token: "1//refresh-token-value",
        }),
      );
      process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    });
    after(() => {
      nock.cleanAll();
      nock.enableNetConnect();
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    });

    it("names the roles to grant when Cloud Logging refuses, and prints no token", async () => {
      const token = "ya29.c.live-access-token";
      nock("https://oauth2.googleapis.com")
        .post("/token")
        .reply(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
      nock("https://logging.googleapis.com", { reqheaders: { authorization: `Bearer ${token}` } })
        .post("/v2/entries:list")
        .reply(403, {
          error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" },
        });
      const run = await runCli("audit", "--tenant", TENANT, "--cloud", "gcp");
      assert.equal(run.code, 1, run.all);
      assert.match(
        run.err,
        /^costline audit: the caller may not read the audit logs of project acme-finops-prod: grant it roles\/logging\.privateLogViewer/,
      );
      assert.ok(!run.all.includes(token) && !run.all.includes("refresh-token-value"), run.all);
      assert.doesNotMatch(run.err, /\n\s+at /);
    });
  });
});
