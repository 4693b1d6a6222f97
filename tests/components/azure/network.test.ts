import assert from "node:assert/strict";
import { jobSubnets } from "../../../components/azure/network";

describe("jobSubnets", () => {
  it("puts the job in the first /25 and the private endpoints in the /27 after it", () => {
    assert.deepEqual(jobSubnets("10.231.0.0/24"), { job: "10.231.0.0/25", endpoints: "10.231.0.128/27" });
    assert.deepEqual(jobSubnets("192.168.64.0/18"), {
      job: "192.168.64.0/25",
      endpoints: "192.168.64.128/27",
    });
  });

  it("refuses ranges too small or too large, malformed addresses and host bits, saying what it wants", () => {
    for (const bad of ["10.0.0.0/25", "10.0.0.0/8", "10.0.0/24", "256.0.0.0/24", "10.0.0.0"]) {
      assert.throws(
        () => jobSubnets(bad),
        /must be an IPv4 range from \/16 to \/24, such as 10\.231\.0\.0\/24/,
        bad,
      );
    }
    assert.throws(() => jobSubnets("10.1.2.3/16"), /host bits set; its network address is 10\.1\.0\.0\/16/);
  });
});
