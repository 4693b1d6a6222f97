import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { childOptions } from "../../../components/gcp/options";

describe("gcp: child options", () => {
  it("refuses a dependsOn it cannot pass on to children", () => {
    const parent = {} as pulumi.ComponentResource;
    assert.throws(
      () => childOptions(parent, {} as never, { dependsOn: pulumi.output([]) as never }),
      /dependsOn as a resource or a list of resources/,
    );
  });
});
