import assert from "node:assert/strict";
import { normalize } from "../../../../runtime/jobs/gcp/handler";

describe("GCP job entry point", () => {
  it('is the exported function "normalize" the component deploys, and answers a misconfiguration with 500 naming it', async () => {
    const saved = { ...process.env };
    delete process.env.COSTLINE_TENANT_ID;
    process.env.COSTLINE_SETTINGS_SECRET = "not-a-version-name";
    let status = 0;
    let body: { status?: string; error?: string } = {};
    const response = {
      status(code: number) {
        status = code;
        return response;
      },
      json(b: unknown) {
        body = b as typeof body;
      },
    };
    try {
      await normalize({}, response);
    } finally {
      process.env = saved;
    }
    assert.equal(status, 500);
    assert.equal(body.status, "failed");
    assert.match(
      body.error!,
      /COSTLINE_TENANT_ID is not set; COSTLINE_SETTINGS_SECRET must be projects\/\{project\}\/secrets/,
    );
  });
});
