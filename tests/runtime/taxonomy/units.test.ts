import assert from "node:assert/strict";
import { normalizeKey } from "../../../runtime/taxonomy/key";
import { blockUnit, UNITS, unitRows } from "../../../runtime/taxonomy/units";

/**
 * FOCUS UnitFormat as a pattern: an optional whole-number count, then a unit, a
 * `<singular>-<plural time>` or a `<plural>/<singular time>` (or `/<n> <plural time>`). A data size
 * is one of the listed abbreviations, a time unit one of FOCUS's six, a count noun any other word
 * with a capital (FOCUS: capitalized; "vCPU" as AWS writes it), but neither a singular time unit
 * where a plural belongs nor a data size made plural ("GBs").
 */
const SIZE = "(?:[KMGTPE]i?[bB]|[bB])";
const TIME = "(?:Year|Month|Day|Hour|Minute|Second)";
const NOUN = `(?!${TIME}(?:$|[-/]))(?!${SIZE}s(?:$|[-/]))(?:[a-z]*[A-Z][A-Za-z]*)`;
const COUNT = "(?:[1-9][0-9]* )";
const THING = `(?:${SIZE}|${NOUN})`;
const UNIT_FORMAT = new RegExp(`^${COUNT}?(?:${THING}-${TIME}s|${THING}(?:/(?:${TIME}|${COUNT}${TIME}s))?)$`);

describe("units table", () => {
  it("UnitFormat's pattern accepts the specification's own examples", () => {
    for (const unit of [
      "GB",
      "Seconds",
      "GB-Hours",
      "MB-Days",
      "GB/Hour",
      "PB/Day",
      "1000 Tokens",
      "1000 Characters",
      "Units/3 Months",
      "Requests/Day",
      "1000 Requests",
    ])
      assert.ok(UNIT_FORMAT.test(unit), unit);
  });

  it("UnitFormat's pattern refuses what the specification rules out", () => {
    for (const unit of [
      // Data sizes are abbreviated, never spelled out or made plural.
      "gigabyte-seconds",
      "gibibyte month",
      "GBs",
      // Lower-case count nouns and time units; a singular where a plural belongs.
      "requests",
      "hour",
      "Hour",
      "GB-Hour",
      // A unit quantity is a whole number; composites take "-" or "/", not a space or an abbreviation.
      "1.5 Units",
      "0 Units",
      "GB Seconds",
      "GB-Mo",
      "GB/Months",
      "",
    ])
      assert.ok(!UNIT_FORMAT.test(unit), unit);
  });

  it("writes every unit, and every block's unit, in FOCUS UnitFormat", () => {
    for (const [provider, entries] of Object.entries(UNITS)) {
      for (const e of entries!) {
        assert.match(e.unit, UNIT_FORMAT, `${provider} "${e.source}": unit`);
        assert.match(blockUnit(e), UNIT_FORMAT, `${provider} "${e.source}": block unit`);
      }
    }
  });

  it("gives a block as FOCUS's whole-number count before the unit", () => {
    const azure = (source: string) => UNITS.azure!.find((e) => e.source === source)!;
    assert.equal(blockUnit(azure("10K")), "10000 Units");
    assert.equal(blockUnit(azure("100 Hours")), "100 Hours");
    assert.equal(blockUnit(azure("1 Hour")), "Hours");
    assert.equal(blockUnit(azure("1/Month")), "Units/Month");
    for (const e of Object.values(UNITS).flat())
      assert.ok(Number.isInteger(e!.block) && e!.block >= 1, `${e!.source}: block ${e!.block}`);
  });

  it("reads the common units of each provider as the facts say", () => {
    const of = (provider: keyof typeof UNITS, source: string) => {
      const row = unitRows(provider).find((r) => r.key === normalizeKey(source));
      return row?.values;
    };
    // [unit, block unit, block]
    assert.deepEqual(of("azure", "10K"), ["Units", "10000 Units", "10000"]);
    assert.deepEqual(of("azure", "1 /Month"), ["Units/Month", "Units/Month", "1"]);
    assert.deepEqual(of("azure", "1 gb/month"), ["GB/Month", "GB/Month", "1"]);
    assert.deepEqual(of("aws", "Hrs"), ["Hours", "Hours", "1"]);
    assert.deepEqual(of("aws", "GB-Mo"), ["GB-Months", "GB-Months", "1"]);
    assert.deepEqual(of("aws", "Lambda-GB-Second"), ["GB-Seconds", "GB-Seconds", "1"]);
    assert.deepEqual(of("gcp", "gibibyte month"), ["GiB-Months", "GiB-Months", "1"]);
    assert.deepEqual(of("gcp", "byte-seconds"), ["B-Seconds", "B-Seconds", "1"]);
    assert.equal(of("aws", "10K"), undefined);
  });

  it("holds dozens of units a provider, no key twice after the join normalization", () => {
    for (const provider of ["aws", "gcp", "azure"] as const) {
      const keys = unitRows(provider).map((r) => r.key);
      assert.ok(keys.length >= 10, `${provider}: ${keys.length} units`);
      const repeated = keys.filter((k, i) => keys.indexOf(k) !== i);
      assert.deepEqual(repeated, [], `${provider}: keys repeated after normalization`);
    }
  });
});
