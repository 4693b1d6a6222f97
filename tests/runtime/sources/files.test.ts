import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  checkOutputFolder,
  type FileSystem,
  InputError,
  listInputFiles,
} from "../../../runtime/sources/files";
import { tempDir } from "../normalize/helpers";

const CSV = "a,b\n1,2\n";

/** Node's file system, with `call` failing with `code` on `path`. */
function failing(call: keyof FileSystem, path: string, code: string): FileSystem {
  const real: FileSystem = {
    lstatSync: fs.lstatSync,
    statSync: (p) => fs.statSync(p),
    realpathSync: (p) => fs.realpathSync(p),
    readdirSync: (p) => fs.readdirSync(p),
    accessSync: fs.accessSync,
  };
  return {
    ...real,
    [call]: (p: string, ...rest: unknown[]) => {
      if (p === path) throw Object.assign(new Error(`${code}: ${p}`), { code });
      return (real[call] as (...a: unknown[]) => unknown)(p, ...rest);
    },
  };
}

const refused = (run: () => unknown, message: RegExp) =>
  assert.throws(run, (e: Error) => e instanceof InputError && message.test(e.message));

describe("sources/files: input paths", () => {
  it("refuses a FIFO without opening it (opening one waits for a writer forever)", () => {
    const dir = tempDir();
    execFileSync("mkfifo", [join(dir, "export.csv")]);
    refused(() => listInputFiles([join(dir, "export.csv")]), /export\.csv is a named pipe \(FIFO\)/);
    refused(() => listInputFiles([dir]), /export\.csv is a named pipe \(FIFO\)/);
  });

  it("refuses a device such as /dev/null", () => {
    refused(() => listInputFiles(["/dev/null"]), /^\/dev\/null is a device, not a data file/);
  });

  it("names a dangling symlink and a symlink loop", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "good.csv"), CSV);
    symlinkSync(join(dir, "gone.csv"), join(dir, "link.csv"));
    refused(() => listInputFiles([dir]), /dangling symlink: .*link\.csv points at nothing/);
    refused(() => listInputFiles([join(dir, "link.csv")]), /dangling symlink: .*link\.csv/);

    const loop = tempDir();
    symlinkSync(join(loop, "b.csv"), join(loop, "a.csv"));
    symlinkSync(join(loop, "a.csv"), join(loop, "b.csv"));
    refused(() => listInputFiles([loop]), /symlink loop at .*a\.csv/);

    const back = tempDir();
    mkdirSync(join(back, "sub"));
    writeFileSync(join(back, "sub", "x.csv"), CSV);
    symlinkSync(back, join(back, "sub", "up"));
    refused(() => listInputFiles([back]), /symlink loop at .*sub\/up: it leads back to/);
  });

  it("follows a symlink to a data file", () => {
    const dir = tempDir();
    const target = tempDir();
    writeFileSync(join(target, "x.csv"), CSV);
    symlinkSync(join(target, "x.csv"), join(dir, "y.csv"));
    assert.deepEqual(listInputFiles([dir]), [{ path: join(dir, "y.csv"), kind: "csv" }]);
  });

  // Tests run as root, which chmod does not stop: the denial is injected.
  it("names an unreadable folder or file", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.csv"), CSV);
    refused(
      () => listInputFiles([dir], failing("readdirSync", dir, "EACCES")),
      /permission denied: .*grant read/,
    );
    refused(
      () => listInputFiles([dir], failing("accessSync", join(dir, "x.csv"), "EACCES")),
      /permission denied: .*x\.csv/,
    );
  });
});

describe("sources/files: the output folder", () => {
  it("refuses --out inside an input, and an input inside --out", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "x.csv"), CSV);
    refused(() => checkOutputFolder(join(dir, "out"), [dir]), /--out .*out is inside the input/);
    refused(() => checkOutputFolder(dir, [join(dir, "x.csv")]), /the input .*x\.csv is inside --out/);
    // A sibling whose name starts alike is outside.
    checkOutputFolder(`${dir}-out`, [dir]);
  });

  it("sees through a symlink to the input folder", () => {
    const dir = tempDir();
    const link = join(tempDir(), "alias");
    symlinkSync(dir, link);
    refused(() => checkOutputFolder(join(link, "out"), [dir]), /is inside the input/);
  });

  it("refuses --out that is a file or a device, naming the fix", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "taken"), "x");
    refused(() => checkOutputFolder(join(dir, "taken"), []), /--out .*taken is not a folder: pass a folder/);
    refused(() => checkOutputFolder(join(dir, "taken", "out"), []), /taken is not a folder, so the output/);
    refused(() => checkOutputFolder("/dev/null", []), /--out \/dev\/null is not a folder/);
  });

  it("refuses --out that cannot be written (denial injected: root writes anyway)", () => {
    const dir = tempDir();
    refused(
      () => checkOutputFolder(join(dir, "new", "out"), [], failing("accessSync", dir, "EACCES")),
      new RegExp(`${dir} is not writable: grant write access`),
    );
  });
});
