import * as pulumi from "@pulumi/pulumi";
import type { InputRule } from "../core/input-rules";

/**
 * Checks a string input against its rule. A plain string is checked at once, so a wrong value
 * fails before anything is registered; a value another resource computes is checked when it is
 * known, and the deployment stops there with the same message.
 */
export function checked(value: pulumi.Input<string>, rule: InputRule, path: string): pulumi.Input<string> {
  const check = (v: string) => {
    if (!rule.pattern.test(v))
      throw new Error(`${path} is ${JSON.stringify(v)}; it must be ${rule.expected}`);
    return v;
  };
  return typeof value === "string" ? check(value) : pulumi.output(value).apply(check);
}
