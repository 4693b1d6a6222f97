import assert from "node:assert/strict";
import { handler } from "../../../../runtime/jobs/aws/handler";
import { ENV } from "./fake-aws";

describe("AWS job entry point", () => {
  const context = { getRemainingTimeInMillis: () => 900_000 };
  const withEnv = async (env: Record<string, string>, work: () => Promise<unknown>) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      return await work();
    } finally {
      process.env = saved;
    }
  };

  it("is the exported `handler` and refuses an event for another tenant before touching anything", async () => {
    await withEnv(ENV, () =>
      assert.rejects(
        handler({ tenantId: "other" }, context),
        /the event is for tenant other, but this function serves acme/,
      ),
    );
  });

  it("names a missing environment variable", async () => {
    await withEnv({ ...ENV, COSTLINE_ATHENA_WORKGROUP: "" }, () =>
      assert.rejects(handler({ tenantId: "acme" }, context), /COSTLINE_ATHENA_WORKGROUP is not set/),
    );
  });
});
