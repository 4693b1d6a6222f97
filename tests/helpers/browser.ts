import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Debian's `chromium` package, which `.ci/run` installs; CHROMIUM_PATH names another build. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Headless Chromium for a page that is the product, or undefined where none is installed. Under
 * CI a missing browser is an error, not a skip: the page would go untested.
 */
export async function launchChromium(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI)
      throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
    return undefined;
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // Nothing of Chromium's own that would reach the network (playwright gives it a fresh profile).
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Where tests leave what a person should look at (screenshots); not committed. */
export const TEST_OUTPUT = join(__dirname, "..", "..", "test-output");
