import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, normalized, tempDir } from "./helpers";

type Row = Record<string, string | null>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** Products go through DOUBLE in the dialects (exact decimals are another change): compare to 1e-9. */
const near = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1e9) / 1e9);

describe("normalize azure-cost-details (EA actual: missing list prices, upper-case ids, Defender)", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof normalized>>;
  let rows: Map<string, Row>;
  before(async () => {
    run = await normalized([join(FIXTURES, "azure-cost-details-ea")]);
    const all = await run.query<Row>("SELECT * FROM {focus}");
    rows = new Map(all.map((r) => [r.ChargeDescription!, r]));
  });
  const prices = (description: string) => {
    const r = rows.get(description)!;
    return [r.ListCost, r.ContractedCost, r.ListUnitPrice, r.ContractedUnitPrice].map(near);
  };

  it("takes ContractedCost as ListCost where EA states PayGPrice 0, and keeps stated list prices", () => {
    // 24 h x UnitPrice 0.76 = 18.24; PayGPrice 0 is no list price, not a free one.
    assert.deepEqual(prices("Virtual Machines Dv5 Series - D8s v5 - EU West"), [18.24, 18.24, 0.76, 0.76]);
    // The reservation purchase: 1 x 3650.
    assert.deepEqual(
      prices("Reserved VM Instance, Standard_D8s_v5, EU West, 1 Year"),
      [3650, 3650, 3650, 3650],
    );
    // On demand: 10 h x PayGPrice 0.42 = 4.2 against 10 x 0.38 = 3.8.
    assert.deepEqual(prices("Virtual Machines Dv5 Series - D4s v5 - EU West"), [4.2, 3.8, 0.42, 0.38]);
    for (const r of rows.values())
      assert.ok(num(r.ListCost)! >= num(r.ContractedCost)!, r.ChargeDescription!);
  });

  it("notes the file's rows without a list price", () => {
    const notes = run.summary.files[0]!.notes!;
    assert.ok(
      notes.some((n) => /^rows without a list price/.test(n)),
      notes.join("\n"),
    );
  });

  it("reads upper-case ARM ids: one lower-case type, and the service it names", () => {
    const kv = rows.get("Key Vault - Standard")!;
    assert.deepEqual(
      [kv.ResourceType, kv.ServiceName, kv.ServiceCategory],
      ["microsoft.keyvault/vaults", "Azure Key Vault", "Security"],
    );
    assert.equal(
      rows.get("Virtual Machines Dv5 Series - D8s v5 - EU West")!.ResourceType,
      "microsoft.compute/virtualmachines",
    );
  });

  it("names Defender charges Security, whatever resource they protect", () => {
    for (const d of [
      "Microsoft Defender for Servers - Plan 2",
      "Advanced Data Security - Standard",
      "Advanced Threat Protection - Storage",
    ]) {
      const r = rows.get(d)!;
      assert.deepEqual(
        [r.ServiceName, r.ServiceCategory, r.x_ServiceFamily],
        ["Microsoft Defender for Cloud", "Security", "security"],
        d,
      );
    }
    assert.equal(rows.get("Advanced Data Security - Standard")!.ResourceType, "microsoft.sql/servers");
  });

  it("names a reservation purchase by the commitment's service", () => {
    const r = rows.get("Reserved VM Instance, Standard_D8s_v5, EU West, 1 Year")!;
    assert.deepEqual([r.ServiceName, r.ServiceCategory], ["Virtual Machines", "Compute"]);
  });
});

/**
 * Hand-made: (ConsumedService, ResourceId, MeterCategory) as EA exports write them, and the
 * ServiceName / ServiceCategory expected (Microsoft's FOCUS conversion names services by
 * ConsumedService and resource type, FinOps toolkit Services.csv; categories are FOCUS 1.2's).
 */
const rg = "/subscriptions/5e1a7c2b-8d3f-4a6e-9b0c-1d2e3f4a5b6c/resourceGroups/rg-1/providers";
const RG = rg.toUpperCase();
const CASES: [string, string, string, string, string][] = [
  [
    "Microsoft.Compute",
    `${rg}/Microsoft.Compute/virtualMachines/vm1`,
    "Virtual Machines",
    "Virtual Machines",
    "Compute",
  ],
  [
    "Microsoft.Compute",
    `${RG}/MICROSOFT.COMPUTE/VIRTUALMACHINESCALESETS/VMSS1`,
    "Virtual Machines",
    "Virtual Machines",
    "Compute",
  ],
  ["Microsoft.Compute", `${rg}/Microsoft.Compute/disks/d1`, "Storage", "Virtual Machines", "Compute"],
  ["Microsoft.Compute", `${rg}/Microsoft.Compute/snapshots/s1`, "Storage", "Virtual Machines", "Compute"],
  [
    "Microsoft.Compute",
    `${rg}/Microsoft.Compute/hostGroups/h1`,
    "Azure Dedicated Host",
    "Azure Dedicated Host",
    "Compute",
  ],
  [
    "Microsoft.ContainerService",
    `${rg}/Microsoft.ContainerService/managedClusters/aks1`,
    "Azure Kubernetes Service",
    "Azure Kubernetes Service",
    "Compute",
  ],
  [
    "Microsoft.ContainerInstance",
    `${rg}/Microsoft.ContainerInstance/containerGroups/c1`,
    "Container Instances",
    "Azure Container Instances",
    "Compute",
  ],
  [
    "Microsoft.App",
    `${rg}/Microsoft.App/containerApps/a1`,
    "Azure Container Apps",
    "Azure Container Apps",
    "Compute",
  ],
  [
    "Microsoft.ContainerRegistry",
    `${rg}/Microsoft.ContainerRegistry/registries/r1`,
    "Container Registry",
    "Azure Container Registry",
    "Compute",
  ],
  ["Microsoft.Web", `${rg}/Microsoft.Web/sites/app1`, "Azure App Service", "Azure App Service", "Web"],
  ["Microsoft.Web", `${rg}/Microsoft.Web/serverFarms/plan1`, "Azure App Service", "Azure App Service", "Web"],
  [
    "Microsoft.Web",
    `${rg}/Microsoft.Web/staticSites/s1`,
    "Azure Static Web Apps",
    "Azure App Service",
    "Web",
  ],
  ["Microsoft.Batch", `${rg}/Microsoft.Batch/batchAccounts/b1`, "Virtual Machines", "Azure Batch", "Compute"],
  ["Microsoft.Storage", `${rg}/Microsoft.Storage/storageAccounts/st1`, "Storage", "Storage", "Storage"],
  ["Microsoft.Storage", `${RG}/MICROSOFT.STORAGE/STORAGEACCOUNTS/ST2`, "Bandwidth", "Storage", "Storage"],
  [
    "Microsoft.NetApp",
    `${rg}/Microsoft.NetApp/netAppAccounts/n1/capacityPools/p1`,
    "Azure NetApp Files",
    "Azure NetApp Files",
    "Storage",
  ],
  [
    "Microsoft.DataProtection",
    `${rg}/Microsoft.DataProtection/backupVaults/bv1`,
    "Backup",
    "Azure Backup",
    "Storage",
  ],
  [
    "Microsoft.Sql",
    `${rg}/Microsoft.Sql/servers/sql1/databases/db1`,
    "SQL Database",
    "Azure SQL Database",
    "Databases",
  ],
  [
    "Microsoft.Sql",
    `${RG}/MICROSOFT.SQL/SERVERS/SQL1/ELASTICPOOLS/EP1`,
    "SQL Database",
    "Azure SQL Database",
    "Databases",
  ],
  [
    "Microsoft.Sql",
    `${rg}/Microsoft.Sql/managedInstances/mi1`,
    "SQL Managed Instance",
    "Azure SQL Managed Instance",
    "Databases",
  ],
  [
    "Microsoft.DBforPostgreSQL",
    `${rg}/Microsoft.DBforPostgreSQL/flexibleServers/pg1`,
    "Azure Database for PostgreSQL",
    "Azure Database for PostgreSQL",
    "Databases",
  ],
  [
    "Microsoft.DBforMySQL",
    `${rg}/Microsoft.DBforMySQL/flexibleServers/my1`,
    "Azure Database for MySQL",
    "Azure Database for MySQL",
    "Databases",
  ],
  [
    "Microsoft.DocumentDB",
    `${rg}/Microsoft.DocumentDB/databaseAccounts/cos1`,
    "Azure Cosmos DB",
    "Azure Cosmos DB",
    "Databases",
  ],
  [
    "Microsoft.Cache",
    `${rg}/Microsoft.Cache/Redis/redis1`,
    "Redis Cache",
    "Azure Cache for Redis",
    "Databases",
  ],
  [
    "Microsoft.Synapse",
    `${rg}/Microsoft.Synapse/workspaces/syn1`,
    "Azure Synapse Analytics",
    "Azure Synapse Analytics",
    "Analytics",
  ],
  [
    "Microsoft.Databricks",
    `${rg}/Microsoft.Databricks/workspaces/dbx1`,
    "Azure Databricks",
    "Azure Databricks",
    "Analytics",
  ],
  [
    "Microsoft.DataFactory",
    `${rg}/Microsoft.DataFactory/factories/adf1`,
    "Azure Data Factory v2",
    "Azure Data Factory",
    "Analytics",
  ],
  [
    "Microsoft.EventHub",
    `${rg}/Microsoft.EventHub/namespaces/eh1`,
    "Event Hubs",
    "Azure Event Hubs",
    "Analytics",
  ],
  [
    "Microsoft.ServiceBus",
    `${rg}/Microsoft.ServiceBus/namespaces/sb1`,
    "Service Bus",
    "Azure Service Bus",
    "Integration",
  ],
  ["Microsoft.Logic", `${rg}/Microsoft.Logic/workflows/la1`, "Logic Apps", "Azure Logic Apps", "Integration"],
  [
    "Microsoft.ApiManagement",
    `${rg}/Microsoft.ApiManagement/service/apim1`,
    "API Management",
    "Azure API Management",
    "Integration",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/loadBalancers/lb1`,
    "Load Balancer",
    "Azure Load Balancer",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/applicationGateways/agw1`,
    "Application Gateway",
    "Azure Application Gateway",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/publicIPAddresses/pip1`,
    "Virtual Network",
    "Virtual Network",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/azureFirewalls/fw1`,
    "Azure Firewall",
    "Azure Firewall",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${RG}/MICROSOFT.NETWORK/BASTIONHOSTS/BAS1`,
    "Azure Bastion",
    "Azure Bastion",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/natGateways/nat1`,
    "NAT Gateway",
    "Azure NAT Gateway",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/dnszones/example.com`,
    "Azure DNS",
    "Azure DNS",
    "Networking",
  ],
  [
    "Microsoft.Network",
    `${rg}/Microsoft.Network/virtualNetworkGateways/vgw1`,
    "VPN Gateway",
    "Azure VPN Gateway",
    "Networking",
  ],
  [
    "Microsoft.Cdn",
    `${rg}/Microsoft.Cdn/profiles/cdn1`,
    "Content Delivery Network",
    "Azure Content Delivery Network",
    "Networking",
  ],
  [
    "Microsoft.CognitiveServices",
    `${rg}/Microsoft.CognitiveServices/accounts/oai1`,
    "Cognitive Services",
    "Azure AI services",
    "AI and Machine Learning",
  ],
  [
    "Microsoft.MachineLearningServices",
    `${rg}/Microsoft.MachineLearningServices/workspaces/ml1`,
    "Azure Machine Learning",
    "Azure Machine Learning",
    "AI and Machine Learning",
  ],
  ["Microsoft.KeyVault", `${RG}/MICROSOFT.KEYVAULT/VAULTS/KV1`, "Key Vault", "Azure Key Vault", "Security"],
  [
    "Microsoft.Security",
    "/subscriptions/5e1a7c2b-8d3f-4a6e-9b0c-1d2e3f4a5b6c/providers/Microsoft.Security/pricings/VirtualMachines",
    "Microsoft Defender for Cloud",
    "Microsoft Defender for Cloud",
    "Security",
  ],
  [
    "Microsoft.Sql",
    `${rg}/Microsoft.Sql/servers/sql1`,
    "Advanced Data Security",
    "Microsoft Defender for Cloud",
    "Security",
  ],
  [
    "Microsoft.Storage",
    `${rg}/Microsoft.Storage/storageAccounts/st1`,
    "Advanced Threat Protection",
    "Microsoft Defender for Cloud",
    "Security",
  ],
  ["Microsoft.Security", "", "Security Center", "Microsoft Defender for Cloud", "Security"],
  [
    "Microsoft.OperationalInsights",
    `${rg}/Microsoft.OperationalInsights/workspaces/law1`,
    "Log Analytics",
    "Azure Monitor",
    "Management and Governance",
  ],
  [
    "Microsoft.Insights",
    `${rg}/Microsoft.Insights/components/ai1`,
    "Application Insights",
    "Azure Monitor",
    "Management and Governance",
  ],
  [
    "Microsoft.Automation",
    `${rg}/Microsoft.Automation/automationAccounts/aa1`,
    "Automation",
    "Azure Automation",
    "Management and Governance",
  ],
  [
    "Microsoft.Devices",
    `${rg}/Microsoft.Devices/IotHubs/iot1`,
    "IoT Hub",
    "Azure IoT Hub",
    "Internet of Things",
  ],
  ["Microsoft.Compute", "", "Virtual Machines", "Virtual Machines", "Compute"],
  ["Microsoft.KeyVault", "", "Key Vault", "Azure Key Vault", "Security"],
  ["Microsoft.Capacity", "", "Virtual Machines", "Virtual Machines", "Compute"],
  ["Microsoft.Compute", "not-an-arm-id", "Virtual Machines", "Virtual Machines", "Compute"],
];

describe("azure-cost-details services by ConsumedService, resource type and meter category", function () {
  this.timeout(60000);
  it(`names ${CASES.length} hand-checked combinations as the table says`, async () => {
    const dir = tempDir();
    const header =
      "BillingAccountId,BillingPeriodStartDate,BillingPeriodEndDate,Date,ProductName,MeterCategory,ConsumedService,ResourceId,Quantity,UnitPrice,PayGPrice,CostInBillingCurrency,BillingCurrencyCode,ChargeType,PricingModel";
    const lines = CASES.map(
      ([consumed, id, meter], i) =>
        `87654321,03/01/2025,03/31/2025,03/04/2025,case ${i},${meter},${consumed},${id},1,1,1,1,EUR,Usage,OnDemand`,
    );
    writeFileSync(join(dir, "ea-actualcost.csv"), `${[header, ...lines].join("\n")}\n`);
    const run = await normalized([dir]);
    const got = new Map(
      (await run.query<Row>("SELECT ChargeDescription, ServiceName, ServiceCategory FROM {focus}")).map(
        (r) => [r.ChargeDescription, [r.ServiceName, r.ServiceCategory]],
      ),
    );
    const wrong = CASES.flatMap(([consumed, id, meter, name, category], i) => {
      const actual = got.get(`case ${i}`);
      return JSON.stringify(actual) === JSON.stringify([name, category])
        ? []
        : [`${consumed} ${id} ${meter}: ${actual} (expected ${name}, ${category})`];
    });
    assert.deepEqual(wrong, []);
  });
});
