import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags of `O` declared `multiple: true`: the only ones that may take several values after one flag. */
type MultipleFlag<O extends Options> = {
  [K in keyof O]: O[K] extends { multiple: true } ? K : never;
}[keyof O] &
  string;

/**
 * Parses one subcommand's flags; an unknown flag, a missing value or a stray argument is a usage
 * error naming it. The flags in `several` (`PATH...` in a usage line) take every argument that
 * follows them up to the next flag, as a shell glob expands: `--input a.csv b.csv --out x`; they
 * may also be repeated. An argument after any other flag is an error, unless the command takes
 * arguments of its own (`positionals`, e.g. query's SQL), which then receives it.
 */
export function parseFlags<O extends Options>(
  command: string,
  argv: string[],
  options: O,
  usage: string,
  several: readonly MultipleFlag<O>[] = [],
  positionals?: string[],
) {
  const fail = (message: string): never => {
    throw new CliError(`costline ${command}: ${message}\nusage: ${usage}`);
  };
  const parse = () => {
    try {
      return parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
    } catch (e) {
      // Node's wording ("Unknown option '--x'. To specify a positional argument ...") is for
      // programmers: name the flag and the one meant, if one is close.
      const unknown = /Unknown option '(-{1,2}[^']+)'/.exec((e as Error).message)?.[1];
      if (unknown) {
        const guess = closest(unknown.replace(/^-+/, ""), Object.keys(options));
        return fail(`unknown flag ${unknown}${guess ? ` (did you mean --${guess}?)` : ""}`);
      }
      return fail((e as Error).message);
    }
  };
  const parsed = parse();
  // Rebuilt from the tokens, in command-line order: parseArgs alone would drop the positionals.
  const lists = new Map<string, string[]>(several.map((f) => [f, []]));
  let taking: string[] | undefined;
  for (const token of parsed.tokens) {
    if (token.kind === "option") {
      taking = lists.get(token.name);
      if (taking && token.value !== undefined) taking.push(token.value);
    } else if (token.kind === "positional") {
      if (taking) taking.push(token.value);
      else if (positionals) positionals.push(token.value);
      else fail(`unexpected argument "${token.value}"`);
    } else taking = undefined;
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [flag, list] of lists) if (list.length) values[flag] = list;
  return parsed.values;
}

/** Returns a required string flag or fails with the usage line. */
export function required(command: string, value: unknown, flag: string, usage: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new CliError(`costline ${command}: ${flag} is required\nusage: ${usage}`);
  }
  return value;
}

/** Where `npm start` writes the normalized samples: the store `query` and `report` read unless told otherwise. */
export const DEFAULT_STORE = ".costline";

/** The time a `--now` flag gives (now when absent), or a usage error naming the form it takes. */
export function nowFlag(command: string, value: string | undefined, usage: string): Date {
  const now = value ? new Date(value) : new Date();
  if (Number.isNaN(now.getTime())) {
    throw new CliError(
      `costline ${command}: --now must be an ISO date-time such as 2024-05-01T06:00:00Z\nusage: ${usage}`,
    );
  }
  return now;
}

/** Returns a required flag that takes several values (see `parseFlags`) or fails with the usage line. */
export function requiredList(
  command: string,
  value: string[] | undefined,
  flag: string,
  usage: string,
): string[] {
  if (!value?.length) throw new CliError(`costline ${command}: ${flag} is required\nusage: ${usage}`);
  return value;
}

/**
 * The candidate a mistyped word most likely meant: the nearest by edit distance (two swapped
 * letters count as one edit, the commonest typo), if within a third of the word's length (at least
 * 1), else none.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
    }
    return d[a.length]![b.length]!;
  };
  const limit = Math.max(1, Math.floor(word.length / 3));
  const ranked = candidates
    .map((c) => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) }))
    .filter((r) => r.d <= limit)
    .sort((x, y) => x.d - y.d);
  return ranked[0]?.c;
}
