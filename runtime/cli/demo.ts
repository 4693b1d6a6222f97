import { join } from "node:path";
import { planCommand } from "./plan";

const ROOT = join(__dirname, "..", "..");

/**
 * `costline demo` (what `npm start` runs): the embedded default, offline and without credentials.
 * It previews the all-clouds example tenant's stack.
 */
export async function demoCommand(_argv: string[], out: NodeJS.WritableStream): Promise<number> {
  return planCommand(["--tenant", join(ROOT, "examples", "tenants", "acme-all.yaml")], out);
}
