import { type Expr, eq, lit, when } from "../mapping/ast";
import { normalizeKey } from "./key";
/**
 * The service taxonomy: each provider service, by the key its billing export writes, mapped to
 * FOCUS 1.2 ServiceName / ServiceCategory / ServiceSubcategory and to Costline's x_ServiceFamily.
 *
 * Keys are the export's own spelling, because the normalizer joins on them:
 * - aws: `line_item_product_code` (CUR 2.0), e.g. "AmazonEC2", "AWSQueueService", "comprehend";
 * - gcp: `service.description` of the BigQuery billing export, e.g. "Compute Engine";
 * - azure: `MeterCategory` of the cost details export, e.g. "Virtual Machines"; the mapping reaches it
 *   from the resource type or ConsumedService first (AZURE_SERVICE_BY_RESOURCE_TYPE below);
 * - kubernetes: the OpenCost cost component of an allocation, e.g. "cpu", "pv", "loadBalancer".
 *
 * Tests check every category/subcategory against FOCUS 1.2 and that no key repeats per provider,
 * also after the join normalization (lower case, spaces removed).
 */

export type Provider = "aws" | "gcp" | "azure" | "kubernetes";

export interface ServiceEntry {
  provider: Provider;
  /** The service as the export writes it (see the module comment for the column per provider). */
  key: string;
  /** FOCUS ServiceName. */
  serviceName: string;
  /** FOCUS ServiceCategory (one of the 19). */
  category: string;
  /** FOCUS ServiceSubcategory (one whose parent is `category`). */
  subcategory: string;
  /** x_ServiceFamily, one of SERVICE_FAMILIES. */
  family: string;
}

/** The x_ServiceFamily values: coarser than FOCUS categories, in the words analysts use. */
export const SERVICE_FAMILIES: readonly string[] = [
  "compute",
  "kubernetes",
  "storage",
  "database",
  "analytics",
  "networking",
  "ai-ml",
  "security",
  "management",
  "developer-tools",
  "integration",
  "iot",
  "media",
  "end-user",
  "migration",
  "marketplace",
  "support",
  "other",
];

/** What a service that is not in the table maps to (e.g. a Marketplace product code). */
export const UNKNOWN_SERVICE = {
  category: "Other",
  subcategory: "Other (Other)",
  family: "other",
} as const satisfies { category: "Other"; subcategory: "Other (Other)"; family: "other" };

/** [key, ServiceName, ServiceCategory, ServiceSubcategory, x_ServiceFamily] */
type Row = readonly [string, string, string, string, string];

// Short names for the categories, to keep the rows on one line each.
const AI = "AI and Machine Learning";
const AN = "Analytics";
const BA = "Business Applications";
const CO = "Compute";
const DB = "Databases";
const DT = "Developer Tools";
const ID = "Identity";
const IN = "Integration";
const IOT = "Internet of Things";
const MG = "Management and Governance";
const ME = "Media";
const MI = "Migration";
const MO = "Mobile";
const MC = "Multicloud";
const NW = "Networking";
const SE = "Security";
const ST = "Storage";
const WE = "Web";

const aws: Row[] = [
  // Compute
  ["AmazonEC2", "Amazon Elastic Compute Cloud", CO, "Virtual Machines", "compute"],
  ["AWSLambda", "AWS Lambda", CO, "Serverless Compute", "compute"],
  ["AmazonLightsail", "Amazon Lightsail", CO, "Virtual Machines", "compute"],
  ["AWSOutposts", "AWS Outposts", CO, "Other (Compute)", "compute"],
  ["AmazonBraket", "Amazon Braket", CO, "Quantum Compute", "compute"],
  ["ComputeSavingsPlans", "Savings Plans for AWS Compute usage", CO, "Other (Compute)", "compute"],
  ["AWSAppRunner", "AWS App Runner", WE, "Application Platforms", "compute"],
  ["AWSAmplify", "AWS Amplify", WE, "Application Platforms", "developer-tools"],
  ["AmazonWorkSpaces", "Amazon WorkSpaces", CO, "End User Computing", "end-user"],
  ["AmazonAppStream", "Amazon AppStream", CO, "End User Computing", "end-user"],
  // Containers
  ["AmazonEKS", "Amazon Elastic Kubernetes Service", CO, "Containers", "kubernetes"],
  ["AmazonECS", "Amazon Elastic Container Service", CO, "Containers", "compute"],
  ["AmazonECR", "Amazon Elastic Container Registry", CO, "Containers", "compute"],
  ["AmazonECRPublic", "Amazon Elastic Container Registry Public", CO, "Containers", "compute"],
  // Storage
  ["AmazonS3", "Amazon Simple Storage Service", ST, "Object Storage", "storage"],
  ["AmazonGlacier", "Amazon Glacier", ST, "Backup Storage", "storage"],
  ["AmazonS3GlacierDeepArchive", "Amazon S3 Glacier Deep Archive", ST, "Backup Storage", "storage"],
  ["AmazonEFS", "Amazon Elastic File System", ST, "File Storage", "storage"],
  ["AmazonFSx", "Amazon FSx", ST, "File Storage", "storage"],
  ["AWSStorageGateway", "AWS Storage Gateway", ST, "Storage Platforms", "storage"],
  ["AWSBackup", "AWS Backup", ST, "Backup Storage", "storage"],
  ["AWSElasticDisasterRecovery", "AWS Elastic Disaster Recovery", MG, "Disaster Recovery", "storage"],
  // Databases
  ["AmazonRDS", "Amazon Relational Database Service", DB, "Relational Databases", "database"],
  ["AmazonDynamoDB", "Amazon DynamoDB", DB, "NoSQL Databases", "database"],
  ["AmazonElastiCache", "Amazon ElastiCache", DB, "Caching", "database"],
  ["AmazonMemoryDB", "Amazon MemoryDB", DB, "Caching", "database"],
  ["AmazonRedshift", "Amazon Redshift", DB, "Data Warehouses", "database"],
  ["AmazonDocDB", "Amazon DocumentDB (with MongoDB compatibility)", DB, "NoSQL Databases", "database"],
  ["AmazonNeptune", "Amazon Neptune", DB, "NoSQL Databases", "database"],
  ["AmazonMCS", "Amazon Keyspaces (for Apache Cassandra)", DB, "NoSQL Databases", "database"],
  ["AmazonTimestream", "Amazon Timestream", DB, "Time Series Databases", "database"],
  ["AmazonQLDB", "Amazon Quantum Ledger Database", DB, "Ledger Databases", "database"],
  ["AmazonSimpleDB", "Amazon SimpleDB", DB, "NoSQL Databases", "database"],
  // Analytics
  ["AmazonAthena", "Amazon Athena", AN, "Analytics Platforms", "analytics"],
  ["AWSGlue", "AWS Glue", AN, "Data Processing", "analytics"],
  ["ElasticMapReduce", "Amazon EMR", AN, "Data Processing", "analytics"],
  ["AmazonES", "Amazon OpenSearch Service", AN, "Search", "analytics"],
  ["AmazonCloudSearch", "Amazon CloudSearch", AN, "Search", "analytics"],
  ["AmazonKinesis", "Amazon Kinesis", AN, "Streaming Analytics", "analytics"],
  ["AmazonKinesisFirehose", "Amazon Data Firehose", AN, "Streaming Analytics", "analytics"],
  [
    "AmazonKinesisAnalytics",
    "Amazon Managed Service for Apache Flink",
    AN,
    "Streaming Analytics",
    "analytics",
  ],
  ["AmazonKinesisVideo", "Amazon Kinesis Video Streams", ME, "Media Streaming", "media"],
  ["AmazonMSK", "Amazon Managed Streaming for Apache Kafka", AN, "Streaming Analytics", "analytics"],
  ["AmazonQuickSight", "Amazon QuickSight", AN, "Business Intelligence", "analytics"],
  ["AWSLakeFormation", "AWS Lake Formation", AN, "Analytics Platforms", "analytics"],
  ["AmazonDataZone", "Amazon DataZone", MG, "Data Governance", "analytics"],
  ["AmazonAppFlow", "Amazon AppFlow", IN, "Workflow Orchestration", "integration"],
  // Networking
  ["AmazonVPC", "Amazon Virtual Private Cloud", NW, "Network Infrastructure", "networking"],
  ["AWSELB", "Elastic Load Balancing", NW, "Application Networking", "networking"],
  ["AmazonCloudFront", "Amazon CloudFront", NW, "Content Delivery", "networking"],
  ["AmazonRoute53", "Amazon Route 53", NW, "Network Routing", "networking"],
  ["AWSDataTransfer", "AWS Data Transfer", NW, "Network Connectivity", "networking"],
  ["AWSDirectConnect", "AWS Direct Connect", NW, "Network Connectivity", "networking"],
  ["AWSGlobalAccelerator", "AWS Global Accelerator", NW, "Application Networking", "networking"],
  ["AWSCloudMap", "AWS Cloud Map", NW, "Application Networking", "networking"],
  ["AmazonApiGateway", "Amazon API Gateway", IN, "API Management", "integration"],
  ["AWSNetworkFirewall", "AWS Network Firewall", NW, "Network Security", "security"],
  // Integration
  ["AmazonSNS", "Amazon Simple Notification Service", IN, "Messaging", "integration"],
  ["AWSQueueService", "Amazon Simple Queue Service", IN, "Messaging", "integration"],
  ["AmazonMQ", "Amazon MQ", IN, "Messaging", "integration"],
  ["AWSEvents", "Amazon EventBridge", IN, "Messaging", "integration"],
  ["AmazonStates", "AWS Step Functions", IN, "Workflow Orchestration", "integration"],
  ["AmazonSWF", "Amazon Simple Workflow Service", IN, "Workflow Orchestration", "integration"],
  ["AmazonMWAA", "Amazon Managed Workflows for Apache Airflow", IN, "Workflow Orchestration", "integration"],
  ["AWSAppSync", "AWS AppSync", IN, "API Management", "integration"],
  ["AmazonSES", "Amazon Simple Email Service", BA, "Productivity and Collaboration", "integration"],
  ["AmazonPinpoint", "Amazon Pinpoint", MO, "Other (Mobile)", "integration"],
  // AI and ML
  ["AmazonSageMaker", "Amazon SageMaker", AI, "Machine Learning", "ai-ml"],
  ["MachineLearningSavingsPlans", "Savings Plans for AWS Machine Learning", AI, "Machine Learning", "ai-ml"],
  ["AmazonBedrock", "Amazon Bedrock", AI, "Generative AI", "ai-ml"],
  ["AmazonQ", "Amazon Q", AI, "Generative AI", "ai-ml"],
  ["AmazonRekognition", "Amazon Rekognition", AI, "Other (AI and Machine Learning)", "ai-ml"],
  ["AmazonTextract", "Amazon Textract", AI, "Other (AI and Machine Learning)", "ai-ml"],
  ["comprehend", "Amazon Comprehend", AI, "Natural Language Processing", "ai-ml"],
  ["translate", "Amazon Translate", AI, "Natural Language Processing", "ai-ml"],
  ["transcribe", "Amazon Transcribe", AI, "Natural Language Processing", "ai-ml"],
  ["AmazonPolly", "Amazon Polly", AI, "Natural Language Processing", "ai-ml"],
  ["AmazonLex", "Amazon Lex", AI, "Bots", "ai-ml"],
  ["AmazonKendra", "Amazon Kendra", AN, "Search", "ai-ml"],
  ["AmazonPersonalize", "Amazon Personalize", AI, "Machine Learning", "ai-ml"],
  ["AmazonForecast", "Amazon Forecast", AI, "Machine Learning", "ai-ml"],
  // Security and identity
  ["awskms", "AWS Key Management Service", SE, "Secret Management", "security"],
  ["AWSSecretsManager", "AWS Secrets Manager", SE, "Secret Management", "security"],
  ["AWSCertificateManager", "AWS Certificate Manager", SE, "Secret Management", "security"],
  ["AmazonGuardDuty", "Amazon GuardDuty", SE, "Threat Detection and Response", "security"],
  ["AWSSecurityHub", "AWS Security Hub", SE, "Security Posture Management", "security"],
  ["AmazonInspectorV2", "Amazon Inspector", SE, "Security Posture Management", "security"],
  ["AmazonMacie", "Amazon Macie", SE, "Threat Detection and Response", "security"],
  ["AmazonDetective", "Amazon Detective", SE, "Threat Detection and Response", "security"],
  ["awswaf", "AWS WAF", NW, "Network Security", "security"],
  ["AWSShield", "AWS Shield", NW, "Network Security", "security"],
  ["AWSFMS", "AWS Firewall Manager", SE, "Security Posture Management", "security"],
  ["AmazonCognito", "Amazon Cognito", ID, "Identity and Access Management", "security"],
  ["AWSDirectoryService", "AWS Directory Service", ID, "Identity and Access Management", "security"],
  // Management and governance
  ["AmazonCloudWatch", "Amazon CloudWatch", MG, "Observability", "management"],
  ["AWSCloudTrail", "AWS CloudTrail", MG, "Compliance", "management"],
  ["AWSConfig", "AWS Config", MG, "Compliance", "management"],
  ["AWSSystemsManager", "AWS Systems Manager", MG, "Endpoint Management", "management"],
  ["AWSXRay", "AWS X-Ray", MG, "Observability", "management"],
  ["AWSCloudFormation", "AWS CloudFormation", MG, "Architecture", "management"],
  ["AWSServiceCatalog", "AWS Service Catalog", MG, "Other (Management and Governance)", "management"],
  ["AmazonGrafana", "Amazon Managed Grafana", MG, "Observability", "management"],
  ["AmazonPrometheus", "Amazon Managed Service for Prometheus", MG, "Observability", "management"],
  ["AWSCostExplorer", "AWS Cost Explorer", MG, "Cost Management", "management"],
  ["AWSSupportBusiness", "AWS Support (Business)", MG, "Support", "support"],
  ["AWSSupportEnterprise", "AWS Support (Enterprise)", MG, "Support", "support"],
  ["AWSDeveloperSupport", "AWS Support (Developer)", MG, "Support", "support"],
  // Developer tools
  ["CodeBuild", "AWS CodeBuild", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["AWSCodePipeline", "AWS CodePipeline", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["AWSCodeDeploy", "AWS CodeDeploy", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["AWSCodeCommit", "AWS CodeCommit", DT, "Source Code Management", "developer-tools"],
  ["AWSCodeArtifact", "AWS CodeArtifact", DT, "Developer Platforms", "developer-tools"],
  ["AWSDeviceFarm", "AWS Device Farm", DT, "Quality Assurance", "developer-tools"],
  // Migration
  ["AWSDatabaseMigrationSvc", "AWS Database Migration Service", MI, "Data Migration", "migration"],
  ["AWSDataSync", "AWS DataSync", MI, "Data Migration", "migration"],
  ["AWSTransfer", "AWS Transfer Family", MI, "Data Migration", "migration"],
  // IoT
  ["AWSIoT", "AWS IoT Core", IOT, "IoT Platforms", "iot"],
  ["AWSGreengrass", "AWS IoT Greengrass", IOT, "IoT Platforms", "iot"],
  ["AWSIoTAnalytics", "AWS IoT Analytics", IOT, "IoT Analytics", "iot"],
  // Media, end user, business applications
  ["AWSElementalMediaConvert", "AWS Elemental MediaConvert", ME, "Content Creation", "media"],
  ["AWSElementalMediaLive", "AWS Elemental MediaLive", ME, "Media Streaming", "media"],
  ["AWSElementalMediaPackage", "AWS Elemental MediaPackage", ME, "Media Streaming", "media"],
  ["AmazonIVS", "Amazon Interactive Video Service", ME, "Media Streaming", "media"],
  ["AmazonGameLift", "Amazon GameLift", ME, "Gaming", "media"],
  ["AmazonConnect", "Amazon Connect", BA, "Other (Business Applications)", "end-user"],
  ["AmazonChime", "Amazon Chime", BA, "Productivity and Collaboration", "end-user"],
  ["AmazonWorkMail", "Amazon WorkMail", BA, "Productivity and Collaboration", "end-user"],
  ["AmazonWorkDocs", "Amazon WorkDocs", BA, "Productivity and Collaboration", "end-user"],
  ["AmazonLocationService", "Amazon Location Service", WE, "Other (Web)", "developer-tools"],
];

const gcp: Row[] = [
  // Compute
  ["Compute Engine", "Compute Engine", CO, "Virtual Machines", "compute"],
  ["Cloud Run", "Cloud Run", CO, "Serverless Compute", "compute"],
  ["Cloud Functions", "Cloud Functions", CO, "Serverless Compute", "compute"],
  ["App Engine", "App Engine", WE, "Application Platforms", "compute"],
  ["VMware Engine", "Google Cloud VMware Engine", CO, "Virtual Machines", "compute"],
  ["Bare Metal Solution", "Bare Metal Solution", CO, "Other (Compute)", "compute"],
  ["Cloud Workstations", "Cloud Workstations", DT, "Development Environments", "developer-tools"],
  // Containers
  ["Kubernetes Engine", "Google Kubernetes Engine", CO, "Containers", "kubernetes"],
  ["Anthos", "Anthos", MC, "Multicloud Integration", "kubernetes"],
  ["Artifact Registry", "Artifact Registry", DT, "Developer Platforms", "developer-tools"],
  [
    "Container Registry Vulnerability Scanning",
    "Container Registry Vulnerability Scanning",
    SE,
    "Security Posture Management",
    "security",
  ],
  // Storage
  ["Cloud Storage", "Cloud Storage", ST, "Object Storage", "storage"],
  ["Cloud Filestore", "Filestore", ST, "File Storage", "storage"],
  ["Backup and DR Service", "Backup and DR Service", ST, "Backup Storage", "storage"],
  ["Storage Transfer Service", "Storage Transfer Service", MI, "Data Migration", "migration"],
  ["Transfer Appliance", "Transfer Appliance", MI, "Data Migration", "migration"],
  // Databases
  ["Cloud SQL", "Cloud SQL", DB, "Relational Databases", "database"],
  ["Cloud Spanner", "Spanner", DB, "Relational Databases", "database"],
  ["AlloyDB", "AlloyDB for PostgreSQL", DB, "Relational Databases", "database"],
  ["Cloud Bigtable", "Bigtable", DB, "NoSQL Databases", "database"],
  ["Cloud Firestore", "Firestore", DB, "NoSQL Databases", "database"],
  ["Cloud Datastore", "Datastore", DB, "NoSQL Databases", "database"],
  ["Cloud Memorystore for Redis", "Memorystore for Redis", DB, "Caching", "database"],
  ["Cloud Memorystore for Memcached", "Memorystore for Memcached", DB, "Caching", "database"],
  ["Firebase Realtime Database", "Firebase Realtime Database", DB, "NoSQL Databases", "database"],
  ["Database Migration Service", "Database Migration Service", MI, "Data Migration", "migration"],
  // Analytics
  ["BigQuery", "BigQuery", DB, "Data Warehouses", "analytics"],
  ["BigQuery Storage API", "BigQuery Storage API", DB, "Data Warehouses", "analytics"],
  ["BigQuery Reservation API", "BigQuery Reservation API", DB, "Data Warehouses", "analytics"],
  ["BigQuery BI Engine", "BigQuery BI Engine", AN, "Business Intelligence", "analytics"],
  ["Cloud Dataflow", "Dataflow", AN, "Data Processing", "analytics"],
  ["Cloud Dataproc", "Dataproc", AN, "Data Processing", "analytics"],
  ["Cloud Data Fusion", "Cloud Data Fusion", AN, "Data Processing", "analytics"],
  ["Dataplex", "Dataplex", MG, "Data Governance", "analytics"],
  ["Data Catalog", "Data Catalog", MG, "Data Governance", "analytics"],
  ["Looker", "Looker", AN, "Business Intelligence", "analytics"],
  ["Cloud Pub/Sub", "Pub/Sub", IN, "Messaging", "integration"],
  ["Cloud Composer", "Cloud Composer", IN, "Workflow Orchestration", "integration"],
  ["Workflows", "Workflows", IN, "Workflow Orchestration", "integration"],
  ["Cloud Scheduler", "Cloud Scheduler", IN, "Workflow Orchestration", "integration"],
  ["Cloud Tasks", "Cloud Tasks", IN, "Messaging", "integration"],
  ["Eventarc", "Eventarc", IN, "Messaging", "integration"],
  ["API Gateway", "API Gateway", IN, "API Management", "integration"],
  ["Apigee", "Apigee", IN, "API Management", "integration"],
  ["Cloud Endpoints", "Cloud Endpoints", IN, "API Management", "integration"],
  // Networking
  ["Networking", "Networking", NW, "Network Infrastructure", "networking"],
  ["Cloud DNS", "Cloud DNS", NW, "Network Routing", "networking"],
  ["Cloud IDS", "Cloud IDS", NW, "Network Security", "security"],
  ["Network Intelligence Center", "Network Intelligence Center", NW, "Other (Networking)", "networking"],
  // AI and ML
  ["Vertex AI", "Vertex AI", AI, "AI Platforms", "ai-ml"],
  ["Cloud TPU", "Cloud TPU", AI, "Machine Learning", "ai-ml"],
  ["Cloud Vision API", "Cloud Vision", AI, "Other (AI and Machine Learning)", "ai-ml"],
  ["Cloud Speech API", "Speech-to-Text", AI, "Natural Language Processing", "ai-ml"],
  ["Cloud Text-to-Speech API", "Text-to-Speech", AI, "Natural Language Processing", "ai-ml"],
  ["Cloud Natural Language API", "Cloud Natural Language", AI, "Natural Language Processing", "ai-ml"],
  ["Cloud Translation API", "Cloud Translation", AI, "Natural Language Processing", "ai-ml"],
  ["Dialogflow", "Dialogflow", AI, "Bots", "ai-ml"],
  ["Document AI", "Document AI", AI, "Other (AI and Machine Learning)", "ai-ml"],
  // Security and identity
  ["Cloud Key Management Service (KMS)", "Cloud Key Management Service", SE, "Secret Management", "security"],
  ["Secret Manager", "Secret Manager", SE, "Secret Management", "security"],
  ["Security Command Center", "Security Command Center", SE, "Security Posture Management", "security"],
  ["reCAPTCHA Enterprise", "reCAPTCHA Enterprise", SE, "Threat Detection and Response", "security"],
  ["Web Risk", "Web Risk", SE, "Threat Detection and Response", "security"],
  ["Identity Platform", "Identity Platform", ID, "Identity and Access Management", "security"],
  ["Certificate Authority Service", "Certificate Authority Service", SE, "Secret Management", "security"],
  // Management and governance
  ["Cloud Logging", "Cloud Logging", MG, "Observability", "management"],
  ["Cloud Monitoring", "Cloud Monitoring", MG, "Observability", "management"],
  ["Cloud Trace", "Cloud Trace", MG, "Observability", "management"],
  ["Support", "Support", MG, "Support", "support"],
  // Developer tools
  ["Cloud Build", "Cloud Build", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["Cloud Deploy", "Cloud Deploy", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["Cloud Source Repositories", "Cloud Source Repositories", DT, "Source Code Management", "developer-tools"],
  ["Firebase Hosting", "Firebase Hosting", WE, "Application Platforms", "developer-tools"],
  // IoT, media, web, end user
  ["Cloud Healthcare", "Cloud Healthcare API", IN, "Other (Integration)", "integration"],
  ["Transcoder API", "Transcoder API", ME, "Content Creation", "media"],
];

/**
 * The MeterCategory values of Microsoft Defender plans (older names too). A Defender charge bills
 * against the resource it protects (a SQL server, a storage account), so for these meters the
 * meter, not the resource, names the service.
 */
export const AZURE_DEFENDER_METERS: readonly string[] = [
  "Microsoft Defender for Cloud",
  "Advanced Threat Protection",
  "Advanced Data Security",
  "Security Center",
];

const azure: Row[] = [
  // Compute
  ["Virtual Machines", "Virtual Machines", CO, "Virtual Machines", "compute"],
  ["Virtual Machines Licenses", "Virtual Machines Licenses", CO, "Virtual Machines", "compute"],
  ["Azure Dedicated Host", "Azure Dedicated Host", CO, "Virtual Machines", "compute"],
  ["Azure VMware Solution", "Azure VMware Solution", CO, "Virtual Machines", "compute"],
  ["Cloud Services", "Cloud Services", CO, "Other (Compute)", "compute"],
  ["Functions", "Azure Functions", CO, "Serverless Compute", "compute"],
  ["Azure App Service", "Azure App Service", WE, "Application Platforms", "compute"],
  ["Azure Static Web Apps", "Azure Static Web Apps", WE, "Application Platforms", "compute"],
  ["Azure Spring Apps", "Azure Spring Apps", WE, "Application Platforms", "compute"],
  ["Batch", "Azure Batch", CO, "Other (Compute)", "compute"],
  ["Azure Virtual Desktop", "Azure Virtual Desktop", CO, "End User Computing", "end-user"],
  ["Microsoft Dev Box", "Microsoft Dev Box", DT, "Development Environments", "developer-tools"],
  // Containers
  ["Azure Kubernetes Service", "Azure Kubernetes Service", CO, "Containers", "kubernetes"],
  ["Azure Red Hat OpenShift", "Azure Red Hat OpenShift", CO, "Containers", "kubernetes"],
  ["Container Instances", "Azure Container Instances", CO, "Containers", "compute"],
  ["Azure Container Apps", "Azure Container Apps", CO, "Containers", "compute"],
  ["Container Registry", "Azure Container Registry", CO, "Containers", "compute"],
  // Storage
  ["Storage", "Storage", ST, "Storage Platforms", "storage"],
  ["Azure NetApp Files", "Azure NetApp Files", ST, "File Storage", "storage"],
  ["Backup", "Azure Backup", ST, "Backup Storage", "storage"],
  ["Azure Site Recovery", "Azure Site Recovery", MG, "Disaster Recovery", "storage"],
  ["Azure Data Box", "Azure Data Box", MI, "Data Migration", "migration"],
  // Databases
  ["SQL Database", "Azure SQL Database", DB, "Relational Databases", "database"],
  ["SQL Managed Instance", "Azure SQL Managed Instance", DB, "Relational Databases", "database"],
  ["Azure Database for PostgreSQL", "Azure Database for PostgreSQL", DB, "Relational Databases", "database"],
  ["Azure Database for MySQL", "Azure Database for MySQL", DB, "Relational Databases", "database"],
  ["Azure Database for MariaDB", "Azure Database for MariaDB", DB, "Relational Databases", "database"],
  ["Azure Cosmos DB", "Azure Cosmos DB", DB, "NoSQL Databases", "database"],
  ["Redis Cache", "Azure Cache for Redis", DB, "Caching", "database"],
  ["Azure Managed Redis", "Azure Managed Redis", DB, "Caching", "database"],
  ["Azure Confidential Ledger", "Azure Confidential Ledger", DB, "Ledger Databases", "database"],
  ["Azure Database Migration Service", "Azure Database Migration Service", MI, "Data Migration", "migration"],
  ["Azure Migrate", "Azure Migrate", MI, "Resource Migration", "migration"],
  // Analytics
  ["Azure Synapse Analytics", "Azure Synapse Analytics", AN, "Analytics Platforms", "analytics"],
  ["Azure Databricks", "Azure Databricks", AN, "Analytics Platforms", "analytics"],
  ["Microsoft Fabric", "Microsoft Fabric", AN, "Analytics Platforms", "analytics"],
  ["Azure Data Factory v2", "Azure Data Factory", AN, "Data Processing", "analytics"],
  ["HDInsight", "Azure HDInsight", AN, "Data Processing", "analytics"],
  ["Azure Data Explorer", "Azure Data Explorer", DB, "Time Series Databases", "analytics"],
  ["Stream Analytics", "Azure Stream Analytics", AN, "Streaming Analytics", "analytics"],
  ["Event Hubs", "Azure Event Hubs", AN, "Streaming Analytics", "analytics"],
  ["Power BI Embedded", "Power BI Embedded", AN, "Business Intelligence", "analytics"],
  ["Azure Analysis Services", "Azure Analysis Services", AN, "Business Intelligence", "analytics"],
  ["Azure Cognitive Search", "Azure AI Search", AN, "Search", "analytics"],
  ["Microsoft Purview", "Microsoft Purview", MG, "Data Governance", "analytics"],
  // Integration
  ["Service Bus", "Azure Service Bus", IN, "Messaging", "integration"],
  ["Event Grid", "Azure Event Grid", IN, "Messaging", "integration"],
  ["Logic Apps", "Azure Logic Apps", IN, "Workflow Orchestration", "integration"],
  ["API Management", "Azure API Management", IN, "API Management", "integration"],
  ["SignalR", "Azure SignalR Service", WE, "Other (Web)", "integration"],
  ["Azure Web PubSub", "Azure Web PubSub", WE, "Other (Web)", "integration"],
  ["Notification Hubs", "Azure Notification Hubs", MO, "Other (Mobile)", "integration"],
  [
    "Azure Communication Services",
    "Azure Communication Services",
    BA,
    "Other (Business Applications)",
    "integration",
  ],
  // Networking
  ["Bandwidth", "Bandwidth", NW, "Network Connectivity", "networking"],
  ["Virtual Network", "Virtual Network", NW, "Network Infrastructure", "networking"],
  ["Load Balancer", "Azure Load Balancer", NW, "Application Networking", "networking"],
  ["Application Gateway", "Azure Application Gateway", NW, "Application Networking", "networking"],
  ["VPN Gateway", "Azure VPN Gateway", NW, "Network Connectivity", "networking"],
  ["ExpressRoute", "Azure ExpressRoute", NW, "Network Connectivity", "networking"],
  ["Virtual WAN", "Azure Virtual WAN", NW, "Network Connectivity", "networking"],
  ["NAT Gateway", "Azure NAT Gateway", NW, "Network Connectivity", "networking"],
  ["Azure DNS", "Azure DNS", NW, "Network Routing", "networking"],
  ["Traffic Manager", "Azure Traffic Manager", NW, "Network Routing", "networking"],
  ["Azure Front Door Service", "Azure Front Door", NW, "Content Delivery", "networking"],
  ["Content Delivery Network", "Azure Content Delivery Network", NW, "Content Delivery", "networking"],
  ["Network Watcher", "Azure Network Watcher", NW, "Other (Networking)", "networking"],
  ["Azure Bastion", "Azure Bastion", NW, "Network Security", "security"],
  ["Azure Firewall", "Azure Firewall", NW, "Network Security", "security"],
  ["Azure DDOS Protection", "Azure DDoS Protection", NW, "Network Security", "security"],
  // AI and ML
  ["Azure Machine Learning", "Azure Machine Learning", AI, "Machine Learning", "ai-ml"],
  ["Cognitive Services", "Azure AI services", AI, "AI Platforms", "ai-ml"],
  ["Azure Bot Service", "Azure AI Bot Service", AI, "Bots", "ai-ml"],
  // Security and identity
  ["Key Vault", "Azure Key Vault", SE, "Secret Management", "security"],
  ...AZURE_DEFENDER_METERS.map(
    (meter): Row => [meter, "Microsoft Defender for Cloud", SE, "Security Posture Management", "security"],
  ),
  ["Sentinel", "Microsoft Sentinel", SE, "Threat Detection and Response", "security"],
  [
    "Azure Active Directory B2C",
    "Azure Active Directory B2C",
    ID,
    "Identity and Access Management",
    "security",
  ],
  ["Microsoft Entra ID", "Microsoft Entra ID", ID, "Identity and Access Management", "security"],
  [
    "Azure Active Directory Domain Services",
    "Microsoft Entra Domain Services",
    ID,
    "Identity and Access Management",
    "security",
  ],
  // Management and governance
  ["Azure Monitor", "Azure Monitor", MG, "Observability", "management"],
  ["Log Analytics", "Log Analytics", MG, "Observability", "management"],
  ["Application Insights", "Application Insights", MG, "Observability", "management"],
  ["Azure Managed Grafana", "Azure Managed Grafana", MG, "Observability", "management"],
  ["Automation", "Azure Automation", MG, "Endpoint Management", "management"],
  ["Azure Arc", "Azure Arc", MC, "Multicloud Integration", "management"],
  ["Azure Chaos Studio", "Azure Chaos Studio", DT, "Quality Assurance", "developer-tools"],
  ["Azure Load Testing", "Azure Load Testing", DT, "Quality Assurance", "developer-tools"],
  // Developer tools
  ["Azure DevOps", "Azure DevOps", DT, "Continuous Integration and Deployment", "developer-tools"],
  ["Azure Lab Services", "Azure Lab Services", DT, "Development Environments", "developer-tools"],
  // IoT, media
  ["IoT Hub", "Azure IoT Hub", IOT, "IoT Platforms", "iot"],
  ["Azure IoT Central", "Azure IoT Central", IOT, "IoT Platforms", "iot"],
  ["Azure Digital Twins", "Azure Digital Twins", IOT, "IoT Analytics", "iot"],
  ["Azure Maps", "Azure Maps", WE, "Other (Web)", "developer-tools"],
  ["Media Services", "Azure Media Services", ME, "Media Streaming", "media"],
  ["Azure Health Data Services", "Azure Health Data Services", IN, "Other (Integration)", "integration"],
];

/**
 * The Azure service of a charge by the resource it bills, as Microsoft's own FOCUS conversion
 * names services (by ConsumedService and resource type: the FinOps toolkit's Services.csv):
 * lower-case ARM resource type -> the key (a MeterCategory) of the service above. Types whose
 * service the meter names better (a managed instance, a VPN gateway of a virtual network) are
 * left to the meter.
 */
export const AZURE_SERVICE_BY_RESOURCE_TYPE: Readonly<Record<string, string>> = {
  "microsoft.compute/virtualmachines": "Virtual Machines",
  "microsoft.compute/virtualmachinescalesets": "Virtual Machines",
  "microsoft.compute/disks": "Virtual Machines",
  "microsoft.compute/snapshots": "Virtual Machines",
  "microsoft.compute/hostgroups": "Azure Dedicated Host",
  "microsoft.compute/cloudservices": "Cloud Services",
  "microsoft.avs/privateclouds": "Azure VMware Solution",
  "microsoft.batch/batchaccounts": "Batch",
  "microsoft.desktopvirtualization/hostpools": "Azure Virtual Desktop",
  "microsoft.devcenter/projects": "Microsoft Dev Box",
  "microsoft.containerservice/managedclusters": "Azure Kubernetes Service",
  "microsoft.containerinstance/containergroups": "Container Instances",
  "microsoft.app/containerapps": "Azure Container Apps",
  "microsoft.app/managedenvironments": "Azure Container Apps",
  "microsoft.app/jobs": "Azure Container Apps",
  "microsoft.containerregistry/registries": "Container Registry",
  "microsoft.web/sites": "Azure App Service",
  "microsoft.web/serverfarms": "Azure App Service",
  "microsoft.web/hostingenvironments": "Azure App Service",
  "microsoft.web/staticsites": "Azure App Service",
  "microsoft.appplatform/spring": "Azure Spring Apps",
  "microsoft.storage/storageaccounts": "Storage",
  "microsoft.netapp/netappaccounts": "Azure NetApp Files",
  "microsoft.dataprotection/backupvaults": "Backup",
  "microsoft.recoveryservices/vaults": "Azure Site Recovery",
  "microsoft.sql/servers": "SQL Database",
  "microsoft.sql/servers/databases": "SQL Database",
  "microsoft.sql/servers/elasticpools": "SQL Database",
  "microsoft.dbforpostgresql/flexibleservers": "Azure Database for PostgreSQL",
  "microsoft.dbforpostgresql/servers": "Azure Database for PostgreSQL",
  "microsoft.dbformysql/flexibleservers": "Azure Database for MySQL",
  "microsoft.documentdb/databaseaccounts": "Azure Cosmos DB",
  "microsoft.cache/redis": "Redis Cache",
  "microsoft.synapse/workspaces": "Azure Synapse Analytics",
  "microsoft.databricks/workspaces": "Azure Databricks",
  "microsoft.fabric/capacities": "Microsoft Fabric",
  "microsoft.datafactory/factories": "Azure Data Factory v2",
  "microsoft.hdinsight/clusters": "HDInsight",
  "microsoft.kusto/clusters": "Azure Data Explorer",
  "microsoft.streamanalytics/streamingjobs": "Stream Analytics",
  "microsoft.eventhub/namespaces": "Event Hubs",
  "microsoft.powerbidedicated/capacities": "Power BI Embedded",
  "microsoft.search/searchservices": "Azure Cognitive Search",
  "microsoft.purview/accounts": "Microsoft Purview",
  "microsoft.servicebus/namespaces": "Service Bus",
  "microsoft.eventgrid/topics": "Event Grid",
  "microsoft.eventgrid/systemtopics": "Event Grid",
  "microsoft.logic/workflows": "Logic Apps",
  "microsoft.apimanagement/service": "API Management",
  "microsoft.signalrservice/signalr": "SignalR",
  "microsoft.notificationhubs/namespaces": "Notification Hubs",
  "microsoft.communication/communicationservices": "Azure Communication Services",
  "microsoft.network/virtualnetworks": "Virtual Network",
  "microsoft.network/publicipaddresses": "Virtual Network",
  "microsoft.network/networkinterfaces": "Virtual Network",
  "microsoft.network/loadbalancers": "Load Balancer",
  "microsoft.network/applicationgateways": "Application Gateway",
  "microsoft.network/vpngateways": "VPN Gateway",
  "microsoft.network/p2svpngateways": "VPN Gateway",
  "microsoft.network/expressroutecircuits": "ExpressRoute",
  "microsoft.network/virtualhubs": "Virtual WAN",
  "microsoft.network/natgateways": "NAT Gateway",
  "microsoft.network/dnszones": "Azure DNS",
  "microsoft.network/trafficmanagerprofiles": "Traffic Manager",
  "microsoft.network/frontdoors": "Azure Front Door Service",
  "microsoft.cdn/profiles": "Content Delivery Network",
  "microsoft.network/networkwatchers": "Network Watcher",
  "microsoft.network/bastionhosts": "Azure Bastion",
  "microsoft.network/azurefirewalls": "Azure Firewall",
  "microsoft.network/ddosprotectionplans": "Azure DDOS Protection",
  "microsoft.machinelearningservices/workspaces": "Azure Machine Learning",
  "microsoft.cognitiveservices/accounts": "Cognitive Services",
  "microsoft.botservice/botservices": "Azure Bot Service",
  "microsoft.keyvault/vaults": "Key Vault",
  "microsoft.keyvault/managedhsms": "Key Vault",
  "microsoft.security/pricings": "Microsoft Defender for Cloud",
  "microsoft.operationalinsights/workspaces": "Azure Monitor",
  "microsoft.insights/components": "Azure Monitor",
  "microsoft.dashboard/grafana": "Azure Managed Grafana",
  "microsoft.automation/automationaccounts": "Automation",
  "microsoft.hybridcompute/machines": "Azure Arc",
  "microsoft.devices/iothubs": "IoT Hub",
  "microsoft.iotcentral/iotapps": "Azure IoT Central",
  "microsoft.digitaltwins/digitaltwinsinstances": "Azure Digital Twins",
  "microsoft.maps/accounts": "Azure Maps",
  "microsoft.healthcareapis/workspaces": "Azure Health Data Services",
  "microsoft.loadtestservice/loadtests": "Azure Load Testing",
  "microsoft.chaos/experiments": "Azure Chaos Studio",
};

/**
 * The Azure service by ConsumedService (lower case), for charges whose resource id states no ARM
 * type. Microsoft.Capacity and Microsoft.BillingBenefits (commitment purchases) are left out: a
 * purchase is named by the commitment's meter, not by the benefit system that sells it.
 */
export const AZURE_SERVICE_BY_CONSUMED_SERVICE: Readonly<Record<string, string>> = {
  "microsoft.compute": "Virtual Machines",
  "microsoft.storage": "Storage",
  "microsoft.sql": "SQL Database",
  "microsoft.web": "Azure App Service",
  "microsoft.containerservice": "Azure Kubernetes Service",
  "microsoft.documentdb": "Azure Cosmos DB",
  "microsoft.keyvault": "Key Vault",
  "microsoft.security": "Microsoft Defender for Cloud",
  "microsoft.operationalinsights": "Azure Monitor",
  "microsoft.insights": "Azure Monitor",
  "microsoft.cognitiveservices": "Cognitive Services",
};

/**
 * A reservation purchase names no meter and bills the benefit system (Microsoft.Capacity); its
 * product, up to the first comma (`Reserved VM Instance, Standard_D8s_v5, EU West, 1 Year`), says
 * which service the commitment is for: lower-case product -> the key of that service.
 */
export const AZURE_SERVICE_BY_RESERVATION_PRODUCT: Readonly<Record<string, string>> = {
  "reserved vm instance": "Virtual Machines",
};

/** OpenCost splits an allocation into cost components; each becomes one charge. */
const kubernetes: Row[] = [
  ["cpu", "Kubernetes CPU", CO, "Containers", "kubernetes"],
  ["gpu", "Kubernetes GPU", CO, "Containers", "kubernetes"],
  ["ram", "Kubernetes Memory", CO, "Containers", "kubernetes"],
  ["pv", "Kubernetes Persistent Volumes", ST, "Block Storage", "kubernetes"],
  ["network", "Kubernetes Network", NW, "Network Connectivity", "kubernetes"],
  ["loadBalancer", "Kubernetes Load Balancers", NW, "Application Networking", "kubernetes"],
  ["shared", "Kubernetes Shared Cost", CO, "Other (Compute)", "kubernetes"],
  ["external", "Kubernetes External Cost", "Other", "Other (Other)", "kubernetes"],
];

function entries(provider: Provider, rows: readonly Row[]): ServiceEntry[] {
  return rows.map(([key, serviceName, category, subcategory, family]) => ({
    provider,
    key,
    serviceName,
    category,
    subcategory,
    family,
  }));
}

export const SERVICES: readonly ServiceEntry[] = [
  ...entries("aws", aws),
  ...entries("gcp", gcp),
  ...entries("azure", azure),
  ...entries("kubernetes", kubernetes),
];

/**
 * The rows of every engine's service table, one per (provider, normalized join key): each service
 * by the key its provider's own export writes and also by its FOCUS ServiceName, which is what a
 * FOCUS file of that provider writes ("Amazon Elastic Compute Cloud" for `AmazonEC2`). A name that
 * is another service's key stays that service's; of two keys alike, the first service's.
 */
export function serviceJoinKeys(): { key: string; service: ServiceEntry }[] {
  const rows = new Map<string, { key: string; service: ServiceEntry }>();
  for (const [service, key] of [
    ...SERVICES.map((s) => [s, s.key] as const),
    ...SERVICES.map((s) => [s, s.serviceName] as const),
  ]) {
    const joinKey = normalizeKey(key);
    const id = `${service.provider}|${joinKey}`;
    if (!rows.has(id)) rows.set(id, { key: joinKey, service });
  }
  return [...rows.values()];
}

/**
 * The x_ServiceFamily a FOCUS ServiceCategory implies, for a service the table lacks whose
 * category its FOCUS file states: the family most of the table's services of that category have
 * (ties to the first in SERVICE_FAMILIES); `other` for a category no service has.
 */
export function familyOfCategory(category: Expr): Expr {
  const counts = new Map<string, Map<string, number>>();
  // The clouds' services; Kubernetes cost components and unknown services say nothing of a category.
  for (const s of SERVICES.filter(
    (e) => e.provider !== "kubernetes" && e.category !== UNKNOWN_SERVICE.category,
  )) {
    const byFamily = counts.get(s.category) ?? new Map<string, number>();
    byFamily.set(s.family, (byFamily.get(s.family) ?? 0) + 1);
    counts.set(s.category, byFamily);
  }
  const rank = (f: string) => SERVICE_FAMILIES.indexOf(f);
  return when(
    [...counts].map(([c, byFamily]) => {
      const [family] = [...byFamily].sort(([a, n], [b, m]) => m - n || rank(a) - rank(b))[0]!;
      return [eq(category, c), lit(family)];
    }),
  );
}
