import { type RecordedResource, runUnderMocks } from "../../stacks/plan/mock-run";

export type { RecordedResource };

/** What a component test gets back: the recorded resources and ways to find them. */
export interface Recorded {
  resources: RecordedResource[];
  /** All resources of one type token. */
  ofType(type: string): RecordedResource[];
  /** The one resource of this type (and name, when given); fails when there is not exactly one. */
  one(type: string, name?: string): RecordedResource;
  /** The resource with this URN. */
  byUrn(urn: string): RecordedResource;
}

/**
 * Runs any program under Pulumi mocks (the same runner the offline plan uses) and returns what it
 * registered. Every component test goes through this.
 */
export async function record(program: () => unknown): Promise<Recorded> {
  const { resources } = await runUnderMocks(program, { stack: "test" });
  const ofType = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    ofType,
    one(type, name) {
      const found = ofType(type).filter((r) => name === undefined || r.name === name);
      if (found.length !== 1) {
        throw new Error(
          `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
      }
      return found[0];
    },
    byUrn(urn) {
      const found = resources.find((r) => r.urn === urn);
      if (!found) throw new Error(`no resource with URN ${urn}`);
      return found;
    },
  };
}
