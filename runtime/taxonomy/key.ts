/**
 * The join key of the service and region taxonomies, the same as the mappings' `normKey`
 * expression: lower case, spaces removed. Every engine (DuckDB tables, inline warehouse VALUES)
 * keys the taxonomies with this one function.
 */
export const normalizeKey = (key: string) => key.replaceAll(" ", "").toLowerCase();
