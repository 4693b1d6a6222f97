import {
  CreatePartitionCommand,
  GetPartitionCommand,
  GetTableCommand,
  type StorageDescriptor,
  type Table,
  UpdatePartitionCommand,
} from "@aws-sdk/client-glue";
import type { WarehouseColumn } from "../../warehouse/source";
import { withRetry } from "../shared/retry";

/** The one method of the Glue client the job uses. */
export interface GlueClientLike {
  send(command: unknown): Promise<unknown>;
}

/** Partition parameters that record what a period's current data was made from. */
export const PARTITION_PARAMS = {
  runId: "costline.run_id",
  sourceModified: "costline.source_last_modified",
  rows: "costline.rows",
} as const;

export interface CurrentPartition {
  location: string;
  parameters: Record<string, string>;
}

const call = <T>(glue: GlueClientLike, command: unknown) => withRetry(() => glue.send(command) as Promise<T>);

export async function getTable(glue: GlueClientLike, database: string, name: string): Promise<Table> {
  const { Table: table } = await call<{ Table?: Table }>(
    glue,
    new GetTableCommand({ DatabaseName: database, Name: name }),
  );
  if (!table) throw new Error(`Glue table ${database}.${name} was not found; run pulumi up`);
  return table;
}

/** A Glue table's data columns (not its partition keys). */
export const tableColumns = (table: Table): WarehouseColumn[] =>
  (table.StorageDescriptor?.Columns ?? []).map((c) => ({ name: c.Name!, type: c.Type ?? "string" }));

/**
 * The switch of a period to new data must be one catalog update that readers see whole. With
 * partition projection Athena computes locations from a template and ignores partitions, so no
 * switch is possible: refuse, naming the fix, rather than write into the location readers read.
 */
export function assertManagedPartitions(table: Table): void {
  if (table.Parameters?.["projection.enabled"]?.toLowerCase() === "true") {
    throw new Error(
      `Glue table ${table.DatabaseName}.${table.Name} uses partition projection, so a billing period cannot be replaced atomically; ` +
        "declare the normalized table without projection (components/aws/catalog.ts) and grant the job glue:UpdatePartition on it",
    );
  }
}

export async function getPartition(
  glue: GlueClientLike,
  database: string,
  table: string,
  period: string,
): Promise<CurrentPartition | undefined> {
  try {
    const { Partition: p } = await call<{
      Partition?: { StorageDescriptor?: StorageDescriptor; Parameters?: Record<string, string> };
    }>(
      glue,
      new GetPartitionCommand({ DatabaseName: database, TableName: table, PartitionValues: [period] }),
    );
    return p?.StorageDescriptor?.Location
      ? { location: p.StorageDescriptor.Location, parameters: p.Parameters ?? {} }
      : undefined;
  } catch (e) {
    if ((e as Error).name === "EntityNotFoundException") return undefined;
    throw e;
  }
}

/**
 * Points the period's partition at `location` in one catalog call: readers see the old files or the
 * new ones, never a mix. Creates the partition the first time.
 */
export async function switchPartition(
  glue: GlueClientLike,
  table: Table,
  period: string,
  location: string,
  parameters: Record<string, string>,
  exists: boolean,
): Promise<void> {
  const input = {
    Values: [period],
    Parameters: parameters,
    StorageDescriptor: { ...table.StorageDescriptor, Location: location },
  };
  const names = { DatabaseName: table.DatabaseName!, TableName: table.Name! };
  await call(
    glue,
    exists
      ? new UpdatePartitionCommand({ ...names, PartitionValueList: [period], PartitionInput: input })
      : new CreatePartitionCommand({ ...names, PartitionInput: input }),
  );
}
