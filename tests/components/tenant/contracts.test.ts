import assert from "node:assert/strict";
import { parseTenantConfig, TenantConfigError } from "../../../components/tenant/config";
import { exampleTenant } from "../../helpers/tenants";

/** The example tenant with these contracts; its problems by path, or [] when it parses. */
function problems(contracts: unknown): Record<string, string> {
  try {
    parseTenantConfig({ ...exampleTenant(), contracts });
    return {};
  } catch (e) {
    assert.ok(e instanceof TenantConfigError);
    return Object.fromEntries(e.problems.map((p) => [p.path, p.message]));
  }
}

const contract = (commitments: unknown[], over: Record<string, unknown> = {}) => ({
  id: "EDP",
  start: "2025-01-01",
  end: "2026-01-01",
  currency: "USD",
  commitments,
  ...over,
});
const spend = { id: "EDP-Y1", category: "Spend", type: "Enterprise Discount Program", cost: 1000 };

describe("TenantConfig contracts", () => {
  it("accepts the example's contracts, and a tenant without any", () => {
    assert.equal(exampleTenant().contracts?.length, 2);
    assert.deepEqual(problems(undefined), {});
    assert.deepEqual(problems([contract([spend])]), {});
  });

  it("names a commitment without the figure its category needs, and a unit without a quantity", () => {
    const p = problems([
      contract([
        { ...spend, cost: undefined },
        { id: "U1", category: "Usage", type: "CUD", unit: "Hours" },
        { id: "U2", category: "Usage", type: "CUD", quantity: 10 },
      ]),
    ]);
    assert.match(
      p["contracts.0.commitments.0.cost"]!,
      /spend commitment EDP-Y1 needs its cost \(the committed amount in USD\)/,
    );
    assert.match(p["contracts.0.commitments.1.quantity"]!, /usage commitment U1 needs its quantity and unit/);
    assert.match(p["contracts.0.commitments.2.unit"]!, /commitment U2 states a quantity: give its unit/);
  });

  it("names periods that end before they start or leave their contract, and ids used twice", () => {
    const p = problems([
      contract([spend, { ...spend, id: "EDP-Y2", start: "2025-06-01", end: "2026-06-01" }], {
        end: "2026-01-01",
      }),
      contract([{ ...spend, id: "EDP-Y1" }], { id: "EDP", start: "2025-01-01", end: "2024-12-31" }),
    ]);
    assert.match(
      p["contracts.0.commitments.1"]!,
      /commitment EDP-Y2 \(2025-06-01 to 2026-06-01\) is outside its contract's period/,
    );
    assert.match(p["contracts.1.id"]!, /contract EDP is declared twice \(also contracts\.0\)/);
    assert.match(
      p["contracts.1.end"]!,
      /contract EDP ends \(2024-12-31\) before it starts \(2025-01-01\); end is exclusive/,
    );
    assert.match(
      p["contracts.1.commitments.0.id"]!,
      /commitment EDP-Y1 is also in contract EDP: commitment ids are unique across contracts/,
    );
  });

  it("refuses a malformed date, currency or category with the expected form", () => {
    const p = problems([
      contract([{ ...spend, category: "Dollars" }], { start: "01/01/2025", currency: "usd" }),
    ]);
    assert.match(p["contracts.0.start"]!, /a date such as "2025-01-01"/);
    assert.match(p["contracts.0.currency"]!, /ISO 4217/);
    assert.ok(p["contracts.0.commitments.0.category"], JSON.stringify(p));
  });
});
