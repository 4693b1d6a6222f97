import { type Expr, isIn, lit, lower, slug, text, when } from "../mapping/ast";

/**
 * Whose data a FOCUS row is, as `x_Provider` says it: the names data generators write in
 * ProviderName (or ServiceProviderName) for the clouds whose own exports Costline also reads, so
 * that a FOCUS file of AWS, Google Cloud or Azure lands beside the rows of their native exports.
 * Any other provider keeps its own name, as a slug ("Databricks" -> `databricks`).
 */
export const PROVIDER_NAMES: readonly { slug: string; names: readonly string[] }[] = [
  { slug: "aws", names: ["AWS", "Amazon Web Services", "Amazon Web Services, Inc.", "Amazon"] },
  { slug: "gcp", names: ["Google Cloud", "Google Cloud Platform", "Google", "GCP"] },
  { slug: "azure", names: ["Microsoft", "Microsoft Azure", "Azure", "Microsoft Corporation"] },
  { slug: "oracle", names: ["Oracle", "Oracle Cloud Infrastructure", "OCI", "Oracle Cloud"] },
  { slug: "kubernetes", names: ["Kubernetes", "OpenCost"] },
];

/** The `x_Provider` of a provider name: the table above, else the name as a slug; NULL for no name. */
export function providerOf(name: Expr): Expr {
  const key = lower(text(name));
  return when(
    PROVIDER_NAMES.map(({ slug: s, names }) => [
      isIn(
        key,
        names.map((n) => n.toLowerCase()),
      ),
      lit(s),
    ]),
    slug(text(name)),
  );
}
