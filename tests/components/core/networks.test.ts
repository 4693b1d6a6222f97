import assert from "node:assert/strict";
import { isNotPublicV4 } from "../../../components/core/networks";

describe("isNotPublicV4", () => {
  it("finds private, CGNAT, loopback and link-local addresses at both ends of each range", () => {
    for (const ip of [
      "10.0.0.0",
      "10.255.255.255",
      "100.64.0.1",
      "100.127.255.254",
      "127.0.0.1",
      "169.254.169.254",
      "172.16.0.0",
      "172.31.255.255",
      "192.168.4.20",
    ])
      assert.ok(isNotPublicV4(ip), ip);
  });

  it("leaves public addresses just outside them", () => {
    for (const ip of [
      "9.255.255.255",
      "11.0.0.0",
      "100.63.255.255",
      "100.128.0.0",
      "172.15.255.255",
      "172.32.0.0",
      "192.169.0.0",
      "203.0.113.9",
      "52.95.150.1",
    ])
      assert.ok(!isNotPublicV4(ip), ip);
  });
});
