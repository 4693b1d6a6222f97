import { z } from "zod";

/** A date (`2025-01-01`, midnight UTC) or a UTC timestamp (`2025-01-01T00:00:00Z`). */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

/** The instant a declared bound stands for. */
export const instantOf = (v: string): Date => new Date(v.length === 10 ? `${v}T00:00:00Z` : v);

/** A well-formed bound that names a real instant. */
const isInstant = (v: unknown): v is string =>
  typeof v === "string" && INSTANT.test(v) && !Number.isNaN(instantOf(v).getTime());

const Instant = z
  .string()
  .regex(INSTANT, 'a date such as "2025-01-01" or a UTC timestamp such as "2025-01-01T00:00:00Z"')
  // Only a value of the right form can be a wrong date (2025-02-30).
  .refine((v) => !INSTANT.test(v) || isInstant(v), "not a calendar date");

const Id = z.string().trim().min(1, "an identifier, not empty");

/**
 * One commitment of a contract, as its terms state it: a spend commitment (an amount in the
 * contract's currency) or a usage commitment (a quantity of a unit). FOCUS 1.3 Contract
 * Commitment columns: ContractCommitment*.
 */
export const ContractCommitmentTerms = z
  .object({
    /** Unique across every contract of the tenant (ContractCommitmentId). */
    id: Id,
    /** `Spend` (an amount) or `Usage` (a quantity of a unit). */
    category: z.enum(["Spend", "Usage"]),
    /** How the contract names it, e.g. "Enterprise Discount Program" (ContractCommitmentType). */
    type: Id,
    description: z.string().trim().min(1).optional(),
    /** Inclusive start; the contract's when absent. */
    start: Instant.optional(),
    /** Exclusive end; the contract's when absent. */
    end: Instant.optional(),
    /** The committed amount in the contract's currency; required for a spend commitment. */
    cost: z.number().nonnegative().optional(),
    /** The committed quantity; required for a usage commitment, with its unit. */
    quantity: z.number().nonnegative().optional(),
    /** The quantity's unit in FOCUS UnitFormat, e.g. "Hours", "GB"; required with a quantity. */
    unit: z.string().trim().min(1).optional(),
  })
  .strict();

/** A contract the tenant signed with a provider, with its commitments. */
export const ContractTerms = z
  .object({
    /** Unique across the tenant's contracts (ContractId). */
    id: Id,
    /** Inclusive start of the contract. */
    start: Instant,
    /** Exclusive end of the contract. */
    end: Instant,
    /** The currency the provider invoices the contract in (ISO 4217). */
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "USD" or "EUR"'),
    commitments: z.array(ContractCommitmentTerms).min(1, "a contract lists at least one commitment"),
  })
  .strict();

export type ContractTerms = z.infer<typeof ContractTerms>;

/**
 * The rules across a tenant's contracts: unique ids, periods that end after they start,
 * commitments within their contract, and the figures each category needs.
 */
export function contractProblems(contracts: unknown): { path: (string | number)[]; message: string }[] {
  if (!Array.isArray(contracts)) return [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = { contract: new Map<string, number>(), commitment: new Map<string, string>() };
  contracts.forEach((c: Partial<ContractTerms>, i) => {
    if (typeof c?.id === "string") {
      if (seen.contract.has(c.id))
        problems.push({
          path: [i, "id"],
          message: `contract ${c.id} is declared twice (also contracts.${seen.contract.get(c.id)})`,
        });
      seen.contract.set(c.id, i);
    }
    // Malformed bounds are the schema's problems; only well-formed ones are compared.
    if (isInstant(c?.start) && isInstant(c?.end) && instantOf(c.end) <= instantOf(c.start))
      problems.push({
        path: [i, "end"],
        message: `contract ${c.id} ends (${c.end}) before it starts (${c.start}); end is exclusive`,
      });
    (Array.isArray(c?.commitments) ? c.commitments : []).forEach((m, j) => {
      const at = [i, "commitments", j];
      if (typeof m?.id === "string") {
        if (seen.commitment.has(m.id))
          problems.push({
            path: [...at, "id"],
            message: `commitment ${m.id} is also in contract ${seen.commitment.get(m.id)}: commitment ids are unique across contracts`,
          });
        seen.commitment.set(m.id, String(c.id));
      }
      if (m?.category === "Spend" && m.cost === undefined)
        problems.push({
          path: [...at, "cost"],
          message: `spend commitment ${m.id} needs its cost (the committed amount in ${c.currency ?? "the contract's currency"})`,
        });
      if (m?.category === "Usage" && m.quantity === undefined)
        problems.push({
          path: [...at, "quantity"],
          message: `usage commitment ${m.id} needs its quantity and unit`,
        });
      if (m?.quantity !== undefined && m.unit === undefined)
        problems.push({
          path: [...at, "unit"],
          message: `commitment ${m.id} states a quantity: give its unit (e.g. "Hours")`,
        });
      if (m?.unit !== undefined && m.quantity === undefined && m.category !== "Usage")
        problems.push({
          path: [...at, "quantity"],
          message: `commitment ${m.id} states a unit without a quantity`,
        });
      const start = isInstant(m?.start) ? m.start : c?.start;
      const end = isInstant(m?.end) ? m.end : c?.end;
      if (isInstant(start) && isInstant(end)) {
        if (instantOf(end) <= instantOf(start))
          problems.push({
            path: [...at, "end"],
            message: `commitment ${m.id} ends (${end}) before it starts (${start}); end is exclusive`,
          });
        if (
          isInstant(c?.start) &&
          isInstant(c?.end) &&
          (instantOf(start) < instantOf(c.start) || instantOf(end) > instantOf(c.end))
        )
          problems.push({
            path: at,
            message: `commitment ${m.id} (${start} to ${end}) is outside its contract's period (${c.start} to ${c.end})`,
          });
      }
    });
  });
  return problems;
}
