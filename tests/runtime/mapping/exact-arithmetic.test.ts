import assert from "node:assert/strict";
import fc from "fast-check";
import { type Engine, openEngine, queryRows } from "../../../runtime/engine/duckdb";
import { duckdb } from "../../../runtime/mapping/duckdb";

/** The output scale: DECIMAL(38,18). */
const SCALE = 18;
const TEN = 10n;

/** A decimal text as an integer count of 10^-scale units (the text has at most `scale` fractional digits). */
function units(text: string, scale = SCALE): bigint {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = text.replace(/^[+-]/, "").split(".");
  const value = BigInt(whole! + fraction.padEnd(scale, "0"));
  return negative ? -value : value;
}
/** `n / d` rounded half away from zero, as DuckDB rounds a decimal it narrows. */
function roundedQuotient(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const [an, ad] = [n < 0n ? -n : n, d < 0n ? -d : d];
  const q = (2n * an + ad) / (2n * ad);
  return negative ? -q : q;
}
/**
 * A decimal with up to `digits` integer and 10 fractional digits, as an export writes it; at most
 * 15 digits in all, what a DOUBLE (the operands' type in DuckDB) holds.
 */
const decimalText = (digits: number) =>
  fc
    .tuple(
      fc.boolean(),
      fc.bigInt({ min: 0n, max: TEN ** BigInt(digits) - 1n }),
      fc.bigInt({ min: 0n, max: TEN ** 10n - 1n }),
      fc.integer({ min: 0, max: 10 }),
    )
    .map(([negative, whole, fraction, scale]) => {
      const f = fraction.toString().padStart(10, "0").slice(0, scale);
      return `${negative ? "-" : ""}${whole}${f ? `.${f}` : ""}`;
    });

describe("duckdb dialect: exact products and quotients", function () {
  this.timeout(60000);
  let engine: Engine;
  before(async () => {
    engine = await openEngine({ memoryLimit: "256MB" });
  });
  after(() => engine.close());

  /** Operands as the compiler gives them: DOUBLE from the source's text. */
  const operand = (x: string) => duckdb.toDouble!(duckdb.string(x), true);
  const product = async (a: string, b: string) => {
    const sql = `SELECT CAST(${duckdb.multiply(operand(a), operand(b))} AS VARCHAR) AS v`;
    return (await queryRows<{ v: string | null }>(engine.connection, sql))[0]!.v;
  };
  const quotient = async (a: string, b: string) => {
    const sql = `SELECT CAST(${duckdb.divide(operand(a), operand(b))} AS VARCHAR) AS v`;
    return (await queryRows<{ v: string | null }>(engine.connection, sql))[0]!.v;
  };

  it("leaves no binary tail: 1.28 x 96 = 122.88, 11 x 0.2 = 2.2, 0.3 / 3 = 0.1", async () => {
    assert.equal(await product("1.28", "96"), "122.880000000000000000");
    assert.equal(await product("11", "0.2"), "2.200000000000000000");
    assert.equal(await quotient("0.3", "3"), "0.100000000000000000");
    // Rounded half away from zero at the output's 18 digits: 0.0000000001 x 0.000000005 = 5e-19.
    assert.equal(await product("0.0000000001", "0.000000005"), "0.000000000000000001");
    assert.equal(await quotient("1", "3"), "0.333333333333333000");
  });

  it("multiplies decimals of up to 10 fractional digits exactly (rounded to 18)", async () => {
    await fc.assert(
      fc.asyncProperty(decimalText(5), decimalText(5), async (a, b) => {
        const exact = roundedQuotient(units(a, 10) * units(b, 10), TEN ** 2n);
        assert.equal(units((await product(a, b))!), exact, `${a} x ${b}`);
      }),
      { numRuns: 300 },
    );
  });

  it("divides exactly where the quotient has at most 15 significant digits", async () => {
    // a = q x b, with q of at most 9 significant digits and b of at most 10 fractional ones.
    const q = fc.tuple(
      fc.bigInt({ min: -(10n ** 9n) + 1n, max: 10n ** 9n - 1n }),
      fc.integer({ min: 0, max: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(q, decimalText(5), async ([m, k], b) => {
        fc.pre(units(b, 10) !== 0n);
        const a = m * units(b, 10); // scale 10 + k
        const aText = `${a < 0n ? "-" : ""}${(a < 0n ? -a : a)
          .toString()
          .padStart(11 + k, "0")
          .replace(new RegExp(`(\\d{${10 + k}})$`), ".$1")}`;
        const expected = m * TEN ** BigInt(SCALE - k);
        assert.equal(units((await quotient(aText, b))!), expected, `${aText} / ${b}`);
      }),
      { numRuns: 300 },
    );
  });

  it("divides any decimals to within one unit of the 15th significant digit", async () => {
    await fc.assert(
      fc.asyncProperty(decimalText(5), decimalText(5), async (a, b) => {
        fc.pre(units(b, 10) !== 0n && units(a, 10) !== 0n);
        const exact = roundedQuotient(units(a, 10) * TEN ** BigInt(SCALE), units(b, 10));
        const magnitude = (exact < 0n ? -exact : exact).toString().length; // digits at scale 18
        const unit = magnitude > 15 ? TEN ** BigInt(magnitude - 15) : 1n;
        const error = units((await quotient(a, b))!) - exact;
        assert.ok((error < 0n ? -error : error) <= unit, `${a} / ${b}: off by ${error} (unit ${unit})`);
      }),
      { numRuns: 300 },
    );
  });
});
