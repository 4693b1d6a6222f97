// Costline as a Pulumi plugin package (PulumiPlugin.yaml): Pulumi runs this file to serve the
// `Tenant` component to programs in other languages, and reads the component's inputs from its
// TypeScript declaration. TypeScript programs import the package's exports instead (`costline`,
// `costline/aws`, ...), which never load this file.
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { Tenant } from "./components/tenant/tenant";

export { Tenant };

componentProviderHost({ name: "costline", components: [Tenant], dirname: __dirname });
