SELECT count(*) AS n
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked";
SELECT "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart", "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost", "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory", "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags", "x_TenantId", "x_Provider", "x_SourceFormat", "x_ServiceFamily", "x_RegionGeo", "x_RegionCountry", "x_EffectiveCostUsd", "x_BilledCostUsd", "x_ExchangeRateToUsd", "x_ChargeDate", "x_ReportingCurrency", "x_EffectiveCostReporting"
FROM (SELECT *, row_number() OVER (PARTITION BY "ChargeCategory", "ChargeClass", "CommitmentDiscountStatus", "ServiceCategory"
ORDER BY "ChargePeriodStart" DESC, "BilledCost" DESC) AS "costline_rank"
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked") AS ranked
WHERE "costline_rank" <= 50
ORDER BY "ChargeCategory", "ChargeClass", "CommitmentDiscountStatus", "ServiceCategory", "costline_rank" LIMIT 2000;
SELECT sum("x_EffectiveCostUsd") AS total,
  sum(CASE WHEN COALESCE(NULLIF(TRIM(json_extract_scalar("Tags", '$["cost-center"]')), ''), NULLIF(TRIM(json_extract_scalar("Tags", '$["CostCenter"]')), '')) IS NOT NULL THEN "x_EffectiveCostUsd" ELSE 0 END) AS t0,
  sum(CASE WHEN NULLIF(TRIM(json_extract_scalar("Tags", '$["owner"]')), '') IS NOT NULL THEN "x_EffectiveCostUsd" ELSE 0 END) AS t1
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
      
WHERE "ChargeCategory" = 'Usage' AND "x_EffectiveCostUsd" > 0;
SELECT CAST(max("x_ChargeDate") AS VARCHAR) AS d
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE "x_ChargeDate" <= DATE '2024-01-21';
SELECT coalesce(sum("x_EffectiveCostUsd"), 0) AS usd,
                avg(CASE WHEN "BillingCurrency" = 'USD' THEN "x_ExchangeRateToUsd" END) AS rate
        
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE "x_ChargeDate" >= DATE '2024-01-01' AND "x_ChargeDate" <= DATE '2024-01-20';
SELECT "ServiceName" AS service,
  CAST("x_ChargeDate" AS VARCHAR) AS day,
  sum("x_EffectiveCostUsd") AS cost
      
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE "x_ChargeDate" IS NOT NULL
GROUP BY 1, 2;
SELECT "x_Provider" AS provider,
  CAST(max(CAST("ChargePeriodEnd" AS TIMESTAMP(3))) AS VARCHAR) AS latest
      
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
GROUP BY 1
ORDER BY 1;
SELECT coalesce(sum(abs("x_EffectiveCostUsd")), 0) AS total,
              coalesce(sum(CASE WHEN ("x_ServiceFamily" IS NULL OR "x_ServiceFamily" = 'other') THEN abs("x_EffectiveCostUsd") END), 0) AS unmapped
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE ("ChargeCategory" IS NULL OR "ChargeCategory" <> 'Tax');
SELECT DISTINCT "ServiceName" AS service
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE ("ChargeCategory" IS NULL OR "ChargeCategory" <> 'Tax') AND ("x_ServiceFamily" IS NULL OR "x_ServiceFamily" = 'other') AND "ServiceName" IS NOT NULL
ORDER BY 1;
SELECT count(*) AS n,
  coalesce(sum(abs("EffectiveCost")), 0) AS cost,
              CAST(min("x_ChargeDate") AS VARCHAR) AS first,
  CAST(max("x_ChargeDate") AS VARCHAR) AS last
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE ("BillingCurrency" IS NULL OR "BillingCurrency" <> 'USD') AND ("x_ExchangeRateToUsd" IS NULL OR "x_EffectiveCostUsd" IS NULL);
SELECT DISTINCT "BillingCurrency" AS currency
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
WHERE ("BillingCurrency" IS NULL OR "BillingCurrency" <> 'USD') AND ("x_ExchangeRateToUsd" IS NULL OR "x_EffectiveCostUsd" IS NULL)
ORDER BY 1;
SELECT "x_Provider" AS provider,
  "BillingAccountId" AS account,
              date_format(CAST("BillingPeriodStart" AS TIMESTAMP(3)), '%Y-%m') AS period,
  "x_SourceFormat" AS source,
  count(*) AS n,
              sum("x_EffectiveCostUsd") AS usd
      
FROM (SELECT *
FROM "costline_acme"."normalized"
WHERE "billing_period" IN ('2023-12', '2024-01')) AS "checked"
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
