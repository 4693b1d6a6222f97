import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from "@aws-sdk/client-cloudtrail";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { auditAws } from "../../../runtime/audit/aws";
import { AuditAccessDenied, auditWindow } from "../../../runtime/audit/types";
import {
  ACCOUNT,
  assumeRole,
  CONNECTOR_ROLE,
  getSecretValue,
  iamUser,
  JOB_ROLE,
  lookupEvent,
  PLATFORM_ROLE,
  roleSession,
  s3Object,
  service,
} from "../../fixtures/audit/cloudtrail";
import { s3rverClient, startS3rver } from "../../helpers/emulators";
import { exampleTenant } from "../../helpers/tenants";

const NOW = new Date("2026-12-01T12:00:00Z");
const WINDOW = auditWindow(3, NOW);
const EXPORT_BUCKET = `costline-acme-${ACCOUNT}-eu-west-1`;
const TRAIL_BUCKET = `costline-acme-${ACCOUNT}-eu-west-1-audit`;

type Records = Record<string, unknown>[];

/**
 * CloudTrail answering LookupEvents from `history` (records by lookup attribute value), two events a
 * page so that paging is exercised; the calls are kept for assertions.
 */
function cloudTrailOf(history: Record<string, Records>, region = "eu-west-1") {
  const mock = mockClient(CloudTrailClient);
  const calls: LookupEventsCommandInput[] = [];
  mock.on(LookupEventsCommand).callsFake(async (input: LookupEventsCommandInput, getClient) => {
    calls.push(input);
    const here = (await getClient().config.region()) === region;
    const all = (here && history[input.LookupAttributes![0]!.AttributeValue!]) || [];
    const start = Number(input.NextToken ?? 0);
    const next = start + 2 < all.length ? String(start + 2) : undefined;
    return { Events: all.slice(start, start + 2).map(lookupEvent), NextToken: next };
  });
  const clients = new Map<string, CloudTrailClient>();
  const client = (r: string) => clients.get(r) ?? clients.set(r, new CloudTrailClient({ region: r })).get(r)!;
  return { mock, calls, client };
}

async function putLogFile(s3: S3Client, day: string, name: string, records: Records) {
  await s3.send(
    new PutObjectCommand({
      Bucket: TRAIL_BUCKET,
      Key: `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/${day}/${ACCOUNT}_CloudTrail_eu-west-1_${name}.json.gz`,
      Body: gzipSync(JSON.stringify({ Records: records })),
    }),
  );
}

describe("auditAws", () => {
  let s3rver: Awaited<ReturnType<typeof startS3rver>>;
  let s3: S3Client;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };

  beforeEach(async () => {
    s3rver = await startS3rver();
    s3 = s3rverClient(s3rver.endpoint, "eu-west-1");
    await s3.send(new CreateBucketCommand({ Bucket: TRAIL_BUCKET }));
    sleeps.length = 0;
  });
  afterEach(async () => {
    await s3rver.close();
  });

  it("counts the job's and the platform's reads as expected, across pages and day folders", async () => {
    const job = roleSession(JOB_ROLE, "costline-acme-aws-normalize");
    const connector = roleSession(CONNECTOR_ROLE, "costline-collect");
    const trail = cloudTrailOf({
      GetSecretValue: [
        getSecretValue(job, "2026-11-29T06:00:01Z"),
        getSecretValue(job, "2026-11-30T06:00:02Z"),
        getSecretValue(job, "2026-12-01T06:00:01Z"),
        // Another tenant's secret in the same account is not this tenant's.
        getSecretValue(iamUser("ops"), "2026-12-01T07:00:00Z", `tenant-acme-aws-${ACCOUNT}-old`),
      ],
      [CONNECTOR_ROLE]: [
        assumeRole(roleSession(PLATFORM_ROLE, "collect-42"), CONNECTOR_ROLE, "2026-11-30T08:00:00Z"),
        // A cross-account caller may be recorded by its account alone.
        assumeRole(
          { type: "AWSAccount", principalId: "AROAEXAMPLE17:collect-43", accountId: "999988887777" },
          CONNECTOR_ROLE,
          "2026-12-01T08:00:00Z",
        ),
      ],
      [JOB_ROLE]: [assumeRole(service("lambda.amazonaws.com"), JOB_ROLE, "2026-11-30T06:00:00Z")],
    });
    await putLogFile(s3, "2026/11/29", "20261129T0605Z_a1", [
      s3Object(
        job,
        "GetObject",
        EXPORT_BUCKET,
        "exports/cur2/costline-acme-cur2/data/x.parquet",
        "2026-11-29T06:05:00Z",
      ),
      s3Object(
        service("bcm-data-exports.amazonaws.com"),
        "PutObject",
        EXPORT_BUCKET,
        "exports/cur2/m.json",
        "2026-11-29T02:00:00Z",
      ),
      // The trail's own bucket and other buckets are not the export bucket.
      s3Object(iamUser("ops"), "GetObject", "some-other-bucket", "exports/x", "2026-11-29T03:00:00Z"),
    ]);
    await putLogFile(s3, "2026/12/01", "20261201T0805Z_b2", [
      s3Object(
        connector,
        "GetObject",
        EXPORT_BUCKET,
        "normalized/billing_period=2026-11/run=r1/part-0.parquet",
        "2026-12-01T08:05:00Z",
      ),
      s3Object(
        connector,
        "GetObject",
        EXPORT_BUCKET,
        "normalized/billing_period=2026-11/run=r1/part-1.parquet",
        "2026-12-01T08:06:00Z",
      ),
    ]);

    const report = await auditAws({ cloudTrail: trail.client, s3, sleep }, exampleTenant(), WINDOW);
    trail.mock.restore();

    assert.deepEqual(
      report.entries.map((e) => [e.expected, e.principal, e.action, e.resource, e.count]),
      [
        [true, "account 999988887777", "AssumeRole", CONNECTOR_ROLE, 1],
        [true, JOB_ROLE, "GetObject", `s3://${EXPORT_BUCKET}/exports/`, 1],
        [true, JOB_ROLE, "GetSecretValue", `tenant-acme-aws-${ACCOUNT}`, 3],
        [true, CONNECTOR_ROLE, "GetObject", `s3://${EXPORT_BUCKET}/normalized/`, 2],
        [true, PLATFORM_ROLE, "AssumeRole", CONNECTOR_ROLE, 1],
        [true, "bcm-data-exports.amazonaws.com", "PutObject", `s3://${EXPORT_BUCKET}/exports/`, 1],
        [true, "lambda.amazonaws.com", "AssumeRole", JOB_ROLE, 1],
      ],
    );
    const secretReads = report.entries.find((e) => e.action === "GetSecretValue")!;
    assert.equal(secretReads.first, "2026-11-29T06:00:01.000Z");
    assert.equal(secretReads.last, "2026-12-01T06:00:01.000Z");
    // Two pages of GetSecretValue; the window and one attribute per call, as LookupEvents takes them.
    const secretCalls = trail.calls.filter(
      (c) => c.LookupAttributes![0]!.AttributeValue === "GetSecretValue",
    );
    assert.deepEqual(
      secretCalls.map((c) => c.NextToken),
      [undefined, "2"],
    );
    assert.ok(trail.calls.every((c) => c.LookupAttributes!.length === 1 && c.StartTime === WINDOW.since));
    // Paced: every call after the first waits, under LookupEvents' 2 a second.
    assert.equal(sleeps.length, trail.calls.length - 1);
    assert.ok(sleeps.every((ms) => ms >= 500));
    assert.deepEqual(report.notRead, []);
  });

  it("flags a reader that is neither the job nor the platform, first", async () => {
    const trail = cloudTrailOf({
      GetSecretValue: [
        getSecretValue(roleSession(JOB_ROLE, "job"), "2026-11-30T06:00:01Z"),
        getSecretValue(iamUser("mallory"), "2026-11-30T23:10:00Z"),
        getSecretValue(iamUser("mallory"), "2026-11-30T23:11:00Z", SECRET_NAME_ONLY, "AccessDenied"),
      ],
    });
    await putLogFile(s3, "2026/11/30", "20261130T2315Z_c3", [
      s3Object(
        roleSession(`arn:aws:iam::${ACCOUNT}:role/data-science`, "nb"),
        "GetObject",
        EXPORT_BUCKET,
        "normalized/billing_period=2026-11/run=r1/part-0.parquet",
        "2026-11-30T23:15:00Z",
      ),
    ]);
    const report = await auditAws({ cloudTrail: trail.client, s3, sleep }, exampleTenant(), WINDOW);
    trail.mock.restore();
    const flagged = report.entries.filter((e) => !e.expected);
    assert.deepEqual(
      flagged.map((e) => [e.principal, e.action]),
      [
        [`arn:aws:iam::${ACCOUNT}:role/data-science`, "GetObject"],
        [`arn:aws:iam::${ACCOUNT}:user/mallory`, "GetSecretValue"],
        [`arn:aws:iam::${ACCOUNT}:user/mallory`, "GetSecretValue (denied: AccessDenied)"],
      ],
    );
    assert.deepEqual(report.entries.slice(0, 3), flagged);
    assert.match(flagged[0]!.why, /not the job or the platform identity/);
  });

  it("reports an empty window as no entries", async () => {
    const trail = cloudTrailOf({});
    const report = await auditAws({ cloudTrail: trail.client, s3, sleep }, exampleTenant(), WINDOW);
    trail.mock.restore();
    assert.deepEqual(report.entries, []);
    // The tenant region and us-east-1, where STS's global endpoint records AssumeRole.
    assert.match(report.sources[0]!, /eu-west-1 and us-east-1/);
  });

  it("retries a throttled LookupEvents, backing off", async () => {
    const mock = mockClient(CloudTrailClient);
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    mock.on(LookupEventsCommand).rejectsOnce(throttled).resolves({ Events: [] });
    const report = await auditAws(
      { cloudTrail: () => new CloudTrailClient({ region: "eu-west-1" }), s3, sleep },
      exampleTenant(),
      WINDOW,
    );
    mock.restore();
    assert.deepEqual(report.entries, []);
    assert.ok(sleeps.includes(1000), `backed off: ${sleeps}`);
  });

  it("names cloudtrail:LookupEvents when CloudTrail refuses, and the trail bucket's grant when S3 does", async () => {
    const mock = mockClient(CloudTrailClient);
    mock.on(LookupEventsCommand).rejects(
      Object.assign(new Error("User: arn:aws:iam::111122223333:user/ci is not authorized"), {
        name: "AccessDeniedException",
      }),
    );
    const client = new CloudTrailClient({ region: "eu-west-1" });
    await assert.rejects(
      auditAws({ cloudTrail: () => client, s3, sleep }, exampleTenant(), WINDOW),
      (e: Error) => e instanceof AuditAccessDenied && /grant it cloudtrail:LookupEvents/.test(e.message),
    );
    mock.reset();
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const denyingS3 = mockClient(S3Client);
    denyingS3.onAnyCommand().rejects(
      Object.assign(new Error("Access Denied"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await assert.rejects(
      auditAws(
        { cloudTrail: () => client, s3: new S3Client({ region: "eu-west-1" }), sleep },
        exampleTenant(),
        WINDOW,
      ),
      (e: Error) =>
        e instanceof AuditAccessDenied && e.message.includes(`s3:ListBucket on arn:aws:s3:::${TRAIL_BUCKET}`),
    );
    denyingS3.restore();
    mock.restore();
  });

  it("follows the trail bucket's listing across pages", async () => {
    const trail = cloudTrailOf({});
    const s3mock = mockClient(S3Client);
    const connector = roleSession(CONNECTOR_ROLE, "collect");
    const file = (n: number) =>
      gzipSync(
        JSON.stringify({
          Records: [
            s3Object(
              connector,
              "GetObject",
              EXPORT_BUCKET,
              `normalized/p-${n}.parquet`,
              "2026-11-30T08:00:00Z",
            ),
          ],
        }),
      );
    s3mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
      if (!input.Prefix!.endsWith("2026/11/30/")) return { Contents: [] };
      return input.ContinuationToken
        ? { Contents: [{ Key: `${input.Prefix}b.json.gz` }] }
        : { Contents: [{ Key: `${input.Prefix}a.json.gz` }], NextContinuationToken: "page-2" };
    });
    s3mock.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
      Body: {
        transformToByteArray: async () => new Uint8Array(file(input.Key.endsWith("a.json.gz") ? 1 : 2)),
      },
    }));
    const report = await auditAws(
      { cloudTrail: trail.client, s3: new S3Client({ region: "eu-west-1" }), sleep },
      exampleTenant(),
      WINDOW,
    );
    s3mock.restore();
    trail.mock.restore();
    assert.deepEqual(
      report.entries.map((e) => [e.principal, e.resource, e.count]),
      [[CONNECTOR_ROLE, `s3://${EXPORT_BUCKET}/normalized/`, 2]],
    );
  });

  it("says the data events were not read when the tenant names an organization trail", async () => {
    const trail = cloudTrailOf({});
    const tenant = exampleTenant();
    tenant.aws!.organizationTrailName = "org-trail";
    const noS3 = mockClient(S3Client);
    const report = await auditAws(
      { cloudTrail: trail.client, s3: new S3Client({ region: "eu-west-1" }), sleep },
      tenant,
      WINDOW,
    );
    assert.equal(noS3.calls().length, 0);
    noS3.restore();
    trail.mock.restore();
    assert.equal(report.notRead.length, 1);
    assert.match(report.notRead[0]!, /organization trail org-trail.*not read/);
  });
});

const SECRET_NAME_ONLY = `tenant-acme-aws-${ACCOUNT}`;
