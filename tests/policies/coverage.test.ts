import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { costlinePolicies } from "../../policies/pack";

/** One row of a coverage table in policies/README.md. */
interface CoverageRow {
  peerRule: string;
  control: string;
  resourceType: string;
  policies: string[];
  status: string;
}

const HEADING = "## Coverage against peer rule sets";
const COLUMNS = ["Peer rule", "Control", "Resource type", "Costline policy", "Status"];

/**
 * The share of covered rows each section must keep at least, set at the true value when it was set
 * (a partial row counts half, n/a rows not at all): AWS was 90.4%, GCP 92.7%, Azure 94.3% and
 * Kubernetes 92.5%. Raise them as controls are added.
 */
const FLOORS: Record<string, number> = { AWS: 0.9, GCP: 0.9, Azure: 0.9, Kubernetes: 0.9 };

/** Every table under the coverage heading, by its `###` section, up to the next `##` heading. */
function coverageTables(markdown: string): Map<string, CoverageRow[]> {
  const start = markdown.indexOf(`${HEADING}\n`);
  assert.ok(start >= 0, `policies/README.md has the heading "${HEADING}"`);
  const body = markdown.slice(start + HEADING.length).split(/\n## /)[0];
  const sections = new Map<string, CoverageRow[]>();
  for (const part of body.split(/\n### /).slice(1)) {
    const [title, ...lines] = part.split("\n");
    const table = lines.filter((l) => l.startsWith("|"));
    const cells = (line: string) =>
      line
        .replace(/^\|/, "")
        .replace(/\|$/, "")
        .split("|")
        .map((c) => c.trim());
    assert.deepEqual(
      cells(table[0] ?? ""),
      COLUMNS,
      `the ${title} table has the columns ${COLUMNS.join(", ")}`,
    );
    sections.set(
      title.trim(),
      table.slice(2).map((line) => {
        const row = cells(line);
        assert.equal(row.length, COLUMNS.length, `a row of five cells: ${line}`);
        const [peerRule, control, resourceType, policyCell, status] = row;
        const policies = policyCell === "—" ? [] : policyCell.split(", ").map((p) => p.replace(/^`|`$/g, ""));
        return { peerRule, control, resourceType, policies, status };
      }),
    );
  }
  return sections;
}

/** Covered rows over the rows that apply, a partial row counting half. */
function share(rows: CoverageRow[]): number {
  const applicable = rows.filter((r) => !r.status.startsWith("n/a"));
  const points = applicable.reduce(
    (sum, r) => sum + (r.status === "covered" ? 1 : r.status === "partial" ? 0.5 : 0),
    0,
  );
  return applicable.length === 0 ? 1 : points / applicable.length;
}

const readme = readFileSync(join(__dirname, "..", "..", "policies", "README.md"), "utf8");
const tables = coverageTables(readme);
const names = new Set(costlinePolicies.map((p) => p.name));

describe("coverage against peer rule sets (policies/README.md)", () => {
  it("has an AWS table", () => {
    assert.ok((tables.get("AWS") ?? []).length > 0);
  });

  for (const [section, rows] of tables) {
    const percent = (share(rows) * 100).toFixed(1);
    describe(`${section}: ${percent}% covered of ${rows.filter((r) => !r.status.startsWith("n/a")).length} applicable peer rules`, () => {
      it("cites only policies of the pack, with a valid status", () => {
        for (const r of rows) {
          for (const p of r.policies) assert.ok(names.has(p), `${r.peerRule}: no policy named ${p}`);
          assert.match(
            r.status,
            /^(covered|partial|missing|n\/a: .+)$/,
            `${r.peerRule}: status "${r.status}"`,
          );
          assert.ok(r.peerRule && r.control && r.resourceType, `${r.peerRule}: every cell is filled`);
        }
      });

      it("names a policy for every covered or partial row, and a reason for every n/a", () => {
        for (const r of rows) {
          if (r.status === "covered" || r.status === "partial")
            assert.ok(r.policies.length > 0, `${r.peerRule} is ${r.status} but cites no policy`);
          if (r.status.startsWith("n/a"))
            assert.ok(r.status.replace(/^n\/a:/, "").trim().length > 10, `${r.peerRule}: n/a needs a reason`);
        }
      });

      it("lists each peer rule once", () => {
        const rules = rows.map((r) => r.peerRule);
        assert.deepEqual(
          rules.filter((r, i) => rules.indexOf(r) !== i),
          [],
        );
      });

      const floor = FLOORS[section];
      if (floor !== undefined) {
        it(`keeps at least ${floor * 100}% covered`, () => {
          assert.ok(share(rows) >= floor, `${percent}% < ${floor * 100}%`);
        });
      }
    });
  }
});
