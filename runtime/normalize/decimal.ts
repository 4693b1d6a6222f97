/**
 * Exact decimal arithmetic on the engine's decimal strings (scale 18, the output's DECIMAL(38,18)):
 * cost totals reconcile without floating-point drift.
 */
const SCALE = 18;

export function toUnits(value: string): bigint {
  const match = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal: "${value}"`);
  const [, sign, whole, fraction = ""] = match;
  const units = BigInt((whole || "0") + fraction.slice(0, SCALE).padEnd(SCALE, "0"));
  return sign ? -units : units;
}

export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(SCALE + 1, "0");
  const whole = digits.slice(0, -SCALE);
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

export const addDecimal = (a: string, b: string) => fromUnits(toUnits(a) + toUnits(b));
export const subDecimal = (a: string, b: string) => fromUnits(toUnits(a) - toUnits(b));
