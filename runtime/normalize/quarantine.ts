import { sqlString } from "../engine/duckdb";
import type { FormatId } from "../mapping/types";
import type { ResolvedFile } from "./resolve";

/**
 * The quarantine rows: rows that failed their checks (`checked`, absent when none did), with the
 * row numbers of staged CSV files moved past the malformed records before them (the staged file
 * numbers good records only), and the malformed records themselves, their raw text under
 * `csv_record`. Called only when some row is quarantined.
 */
export function quarantineQuery(
  checked: string | undefined,
  format: FormatId,
  sources: ResolvedFile[],
): string {
  const withMalformed = sources.filter((f) => f.malformed.length);
  if (!withMalformed.length) return checked!;
  const malformed = withMalformed.flatMap((f) =>
    f.malformed.map(
      (m) =>
        `SELECT ${sqlString(f.file.path)} AS source_file, CAST(${m.line - 1} AS BIGINT) AS row_number,` +
        ` ${sqlString(`malformed CSV record at line ${m.line}: ${m.reason}`)} AS reason, ${sqlString(format)} AS source_format,` +
        ` CAST(json_object('csv_record', ${sqlString(m.text)}) AS VARCHAR) AS raw_row`,
    ),
  );
  if (!checked) return malformed.join(" UNION ALL ");
  // The good record r is data row r + #{j : q_j - j < r}, q_j the j-th malformed record's data row.
  const shifts = withMalformed.map((f) => {
    const keys = f.malformed.map((m, j) => m.line - 1 - (j + 1));
    return `WHEN ${sqlString(f.file.path)} THEN len(list_filter([${keys.join(", ")}], k -> k < q.row_number))`;
  });
  return (
    `SELECT * REPLACE (q.row_number + CASE q.source_file ${shifts.join(" ")} ELSE 0 END AS row_number) FROM (${checked}) AS q` +
    ` UNION ALL BY NAME ${malformed.join(" UNION ALL ")}`
  );
}
