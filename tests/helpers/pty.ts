import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
// Terminal control sequences (ESC [ ... letter) that readline writes around prompts.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** A command run in a pseudo-terminal, as a person at a terminal runs it; its screen is text without escapes. */
export interface Terminal {
  /** Waits until the screen, after what was already read, shows `text`; fails with the screen after `ms`. */
  expect(text: string | RegExp, ms?: number): Promise<string>;
  /** Types a line (Enter is a carriage return, as a keyboard sends it). */
  line(text: string): void;
  /** Types raw keys (Ctrl-C is "\x03"). */
  keys(keys: string): void;
  /** The exit code and the whole screen. */
  exited: Promise<{ code: number | null; screen: string }>;
}

/**
 * Runs `bin/costline.js args` in a pseudo-terminal through util-linux `script` (Debian's
 * bsdutils, an essential package), so that stdin and stdout are a TTY and readline takes keys.
 */
export function costlineInTerminal(args: string[]): Terminal {
  const command = [process.execPath, join(ROOT, "bin", "costline.js"), ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const child: ChildProcessWithoutNullStreams = spawn("script", ["-qfec", command, "/dev/null"], {
    env: { ...process.env, NO_COLOR: "1", COLUMNS: "200" },
  });
  let screen = "";
  let read = 0;
  const waiters: (() => void)[] = [];
  child.stdout.on("data", (d: Buffer) => {
    screen += d.toString("utf8").replace(ANSI, "").replaceAll("\r", "");
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<{ code: number | null; screen: string }>((resolve) =>
    child.on("exit", (code) => {
      for (const w of waiters.splice(0)) w();
      resolve({ code, screen });
    }),
  );
  let done = false;
  exited.then(() => {
    done = true;
  });
  return {
    expect(text, ms = 20_000) {
      const deadline = Date.now() + ms;
      let settled = false;
      return new Promise((resolve, reject) => {
        const look = () => {
          if (settled) return;
          const rest = screen.slice(read);
          const at = typeof text === "string" ? rest.indexOf(text) : rest.search(text);
          if (at >= 0) {
            const match = typeof text === "string" ? text : rest.slice(at).match(text)![0];
            read += at + match.length;
            settled = true;
            return resolve(rest.slice(0, at + match.length));
          }
          if (done || Date.now() > deadline) {
            settled = true;
            child.kill();
            return reject(new Error(`expected ${String(text)} on the terminal; it shows:\n${rest}`));
          }
          waiters.push(look);
        };
        setTimeout(look, ms + 1);
        look();
      });
    },
    line: (text) => child.stdin.write(`${text}\r`),
    keys: (keys) => child.stdin.write(keys),
    exited,
  };
}
