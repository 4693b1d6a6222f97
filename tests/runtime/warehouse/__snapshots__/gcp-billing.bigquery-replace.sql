BEGIN
  BEGIN TRANSACTION;
  DELETE
FROM `acme-billing.costline_acme_normalized.focus_cost`
WHERE `x_TenantId` = 'acme' AND `x_Provider` = 'gcp' AND FORMAT_TIMESTAMP('%Y-%m', `BillingPeriodStart`) = '2026-10';
  INSERT INTO `acme-billing.costline_acme_normalized.focus_cost` (`AvailabilityZone`, `BilledCost`, `BillingAccountId`, `BillingAccountName`, `BillingAccountType`, `BillingCurrency`, `BillingPeriodEnd`, `BillingPeriodStart`, `CapacityReservationId`, `CapacityReservationStatus`, `ChargeCategory`, `ChargeClass`, `ChargeDescription`, `ChargeFrequency`, `ChargePeriodEnd`, `ChargePeriodStart`, `CommitmentDiscountCategory`, `CommitmentDiscountId`, `CommitmentDiscountName`, `CommitmentDiscountQuantity`, `CommitmentDiscountStatus`, `CommitmentDiscountType`, `CommitmentDiscountUnit`, `ConsumedQuantity`, `ConsumedUnit`, `ContractedCost`, `ContractedUnitPrice`, `EffectiveCost`, `InvoiceId`, `InvoiceIssuerName`, `ListCost`, `ListUnitPrice`, `PricingCategory`, `PricingCurrency`, `PricingCurrencyContractedUnitPrice`, `PricingCurrencyEffectiveCost`, `PricingCurrencyListUnitPrice`, `PricingQuantity`, `PricingUnit`, `ProviderName`, `PublisherName`, `RegionId`, `RegionName`, `ResourceId`, `ResourceName`, `ResourceType`, `ServiceCategory`, `ServiceName`, `ServiceSubcategory`, `SkuId`, `SkuMeter`, `SkuPriceDetails`, `SkuPriceId`, `SubAccountId`, `SubAccountName`, `SubAccountType`, `Tags`, `x_TenantId`, `x_Provider`, `x_SourceFormat`, `x_ServiceFamily`, `x_RegionGeo`, `x_RegionCountry`, `x_EffectiveCostUsd`, `x_BilledCostUsd`, `x_ExchangeRateToUsd`, `x_ChargeDate`, `x_ReportingCurrency`, `x_EffectiveCostReporting`) SELECT `AvailabilityZone`, `BilledCost`, `BillingAccountId`, `BillingAccountName`, `BillingAccountType`, `BillingCurrency`, `BillingPeriodEnd`, `BillingPeriodStart`, `CapacityReservationId`, `CapacityReservationStatus`, `ChargeCategory`, `ChargeClass`, `ChargeDescription`, `ChargeFrequency`, `ChargePeriodEnd`, `ChargePeriodStart`, `CommitmentDiscountCategory`, `CommitmentDiscountId`, `CommitmentDiscountName`, `CommitmentDiscountQuantity`, `CommitmentDiscountStatus`, `CommitmentDiscountType`, `CommitmentDiscountUnit`, `ConsumedQuantity`, `ConsumedUnit`, `ContractedCost`, `ContractedUnitPrice`, `EffectiveCost`, `InvoiceId`, `InvoiceIssuerName`, `ListCost`, `ListUnitPrice`, `PricingCategory`, `PricingCurrency`, `PricingCurrencyContractedUnitPrice`, `PricingCurrencyEffectiveCost`, `PricingCurrencyListUnitPrice`, `PricingQuantity`, `PricingUnit`, `ProviderName`, `PublisherName`, `RegionId`, `RegionName`, `ResourceId`, `ResourceName`, `ResourceType`, `ServiceCategory`, `ServiceName`, `ServiceSubcategory`, `SkuId`, `SkuMeter`, `SkuPriceDetails`, `SkuPriceId`, `SubAccountId`, `SubAccountName`, `SubAccountType`, `Tags`, `x_TenantId`, `x_Provider`, `x_SourceFormat`, `x_ServiceFamily`, `x_RegionGeo`, `x_RegionCountry`, `x_EffectiveCostUsd`, `x_BilledCostUsd`, `x_ExchangeRateToUsd`, `x_ChargeDate`, `x_ReportingCurrency`, `x_EffectiveCostReporting`
FROM (SELECT m.`AvailabilityZone`, m.`BilledCost`, m.`BillingAccountId`, m.`BillingAccountName`, m.`BillingAccountType`, m.`BillingCurrency`, m.`BillingPeriodEnd`, m.`BillingPeriodStart`, m.`CapacityReservationId`, m.`CapacityReservationStatus`, m.`ChargeCategory`, m.`ChargeClass`, m.`ChargeDescription`, m.`ChargeFrequency`, m.`ChargePeriodEnd`, m.`ChargePeriodStart`, m.`CommitmentDiscountCategory`, m.`CommitmentDiscountId`, m.`CommitmentDiscountName`, m.`CommitmentDiscountQuantity`, m.`CommitmentDiscountStatus`, m.`CommitmentDiscountType`, m.`CommitmentDiscountUnit`, m.`ConsumedQuantity`, m.`ConsumedUnit`, m.`ContractedCost`, m.`ContractedUnitPrice`, m.`EffectiveCost`, m.`InvoiceId`, m.`InvoiceIssuerName`, m.`ListCost`, m.`ListUnitPrice`, m.`PricingCategory`, m.`PricingCurrency`, m.`PricingCurrencyContractedUnitPrice`, m.`PricingCurrencyEffectiveCost`, m.`PricingCurrencyListUnitPrice`, m.`PricingQuantity`, m.`PricingUnit`, m.`ProviderName`, m.`PublisherName`, m.`RegionId`, m.`RegionName`, m.`ResourceId`, m.`ResourceName`, m.`ResourceType`, m.`ServiceCategory`, m.`ServiceName`, m.`ServiceSubcategory`, m.`SkuId`, m.`SkuMeter`, m.`SkuPriceDetails`, m.`SkuPriceId`, m.`SubAccountId`, m.`SubAccountName`, m.`SubAccountType`, m.`Tags`, CAST('acme' AS STRING) AS `x_TenantId`,
  CAST('gcp' AS STRING) AS `x_Provider`,
  CAST('gcp-billing' AS STRING) AS `x_SourceFormat`,
  CAST(COALESCE(`__service_family`, 'other') AS STRING) AS `x_ServiceFamily`,
  CAST(`__region_geo` AS STRING) AS `x_RegionGeo`,
  CAST(`__region_country` AS STRING) AS `x_RegionCountry`,
  CAST(CASE WHEN (`BillingCurrency` = 'USD') THEN `EffectiveCost` ELSE (CAST(`EffectiveCost` AS BIGNUMERIC) * CAST(COALESCE(CASE WHEN (`BillingCurrency` = 'USD') THEN 1 END, __rate.`usd_per_unit`, `__provider_rate`) AS BIGNUMERIC)) END AS BIGNUMERIC) AS `x_EffectiveCostUsd`,
  CAST(CASE WHEN (`BillingCurrency` = 'USD') THEN `BilledCost` ELSE (CAST(`BilledCost` AS BIGNUMERIC) * CAST(COALESCE(CASE WHEN (`BillingCurrency` = 'USD') THEN 1 END, __rate.`usd_per_unit`, `__provider_rate`) AS BIGNUMERIC)) END AS BIGNUMERIC) AS `x_BilledCostUsd`,
  CAST(COALESCE(CASE WHEN (`BillingCurrency` = 'USD') THEN 1 END, __rate.`usd_per_unit`, `__provider_rate`) AS BIGNUMERIC) AS `x_ExchangeRateToUsd`,
  CAST(CAST(`ChargePeriodStart` AS DATE) AS DATE) AS `x_ChargeDate`,
  CAST('USD' AS STRING) AS `x_ReportingCurrency`,
  CAST(CASE WHEN ('USD' = 'USD') THEN CASE WHEN (`BillingCurrency` = 'USD') THEN `EffectiveCost` ELSE (CAST(`EffectiveCost` AS BIGNUMERIC) * CAST(COALESCE(CASE WHEN (`BillingCurrency` = 'USD') THEN 1 END, __rate.`usd_per_unit`, `__provider_rate`) AS BIGNUMERIC)) END WHEN (`BillingCurrency` = 'USD') THEN `EffectiveCost` ELSE (CASE WHEN (`BillingCurrency` = 'USD') THEN `EffectiveCost` ELSE (CAST(`EffectiveCost` AS BIGNUMERIC) * CAST(COALESCE(CASE WHEN (`BillingCurrency` = 'USD') THEN 1 END, __rate.`usd_per_unit`, `__provider_rate`) AS BIGNUMERIC)) END / NULLIF(1, 0)) END AS BIGNUMERIC) AS `x_EffectiveCostReporting`
FROM (SELECT k.`focus$AvailabilityZone` AS `AvailabilityZone`,
  k.`focus$BilledCost` AS `BilledCost`,
  k.`focus$BillingAccountId` AS `BillingAccountId`,
  CAST(__acct.`name` AS STRING) AS `BillingAccountName`,
  k.`focus$BillingAccountType` AS `BillingAccountType`,
  k.`focus$BillingCurrency` AS `BillingCurrency`,
  k.`focus$BillingPeriodEnd` AS `BillingPeriodEnd`,
  k.`focus$BillingPeriodStart` AS `BillingPeriodStart`,
  k.`focus$CapacityReservationId` AS `CapacityReservationId`,
  k.`focus$CapacityReservationId` AS `CapacityReservationStatus`,
  k.`focus$ChargeCategory` AS `ChargeCategory`,
  k.`focus$ChargeClass` AS `ChargeClass`,
  k.`focus$ChargeDescription` AS `ChargeDescription`,
  k.`focus$ChargeFrequency` AS `ChargeFrequency`,
  k.`focus$ChargePeriodEnd` AS `ChargePeriodEnd`,
  k.`focus$ChargePeriodStart` AS `ChargePeriodStart`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountCategory`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountId`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountName`,
  k.`focus$CommitmentDiscountQuantity` AS `CommitmentDiscountQuantity`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountStatus`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountType`,
  k.`focus$CapacityReservationId` AS `CommitmentDiscountUnit`,
  CAST(CASE WHEN (CASE WHEN ((k.`cost_type` = 'regular') AND (STRPOS(LOWER(k.`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (k.`cost_type` = 'regular') THEN 'Usage' WHEN (k.`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END = 'Usage') THEN CASE WHEN (__cunit.`block` > 1) THEN (CAST(k.`usage_amount` AS BIGNUMERIC) * CAST(__cunit.`block` AS BIGNUMERIC)) ELSE k.`usage_amount` END END AS BIGNUMERIC) AS `ConsumedQuantity`,
  CAST(CASE WHEN (CASE WHEN ((k.`cost_type` = 'regular') AND (STRPOS(LOWER(k.`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (k.`cost_type` = 'regular') THEN 'Usage' WHEN (k.`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END = 'Usage') THEN COALESCE(__cunit.`unit`, k.`usage_unit`) END AS STRING) AS `ConsumedUnit`,
  k.`focus$BilledCost` AS `ContractedCost`,
  k.`focus$ContractedUnitPrice` AS `ContractedUnitPrice`,
  k.`focus$EffectiveCost` AS `EffectiveCost`,
  k.`focus$CapacityReservationId` AS `InvoiceId`,
  k.`focus$InvoiceIssuerName` AS `InvoiceIssuerName`,
  k.`focus$ListCost` AS `ListCost`,
  k.`focus$ListUnitPrice` AS `ListUnitPrice`,
  k.`focus$PricingCategory` AS `PricingCategory`,
  k.`focus$BillingCurrency` AS `PricingCurrency`,
  k.`focus$ContractedUnitPrice` AS `PricingCurrencyContractedUnitPrice`,
  k.`focus$EffectiveCost` AS `PricingCurrencyEffectiveCost`,
  k.`focus$ListUnitPrice` AS `PricingCurrencyListUnitPrice`,
  k.`focus$PricingQuantity` AS `PricingQuantity`,
  CAST(CASE WHEN (NOT (CASE WHEN (CASE WHEN ((k.`cost_type` = 'regular') AND (STRPOS(LOWER(k.`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (k.`cost_type` = 'regular') THEN 'Usage' WHEN (k.`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN k.`usage_amount_in_pricing_units` END IS NULL)) THEN COALESCE(__punit.`block_unit`, k.`usage_pricing_unit`) END AS STRING) AS `PricingUnit`,
  k.`focus$ProviderName` AS `ProviderName`,
  k.`focus$PublisherName` AS `PublisherName`,
  k.`focus$RegionId` AS `RegionId`,
  CAST(COALESCE(__rgn.`name`, COALESCE(k.`location_region`, k.`location_location`)) AS STRING) AS `RegionName`,
  k.`focus$ResourceId` AS `ResourceId`,
  k.`focus$ResourceName` AS `ResourceName`,
  k.`focus$ResourceType` AS `ResourceType`,
  CAST(COALESCE(__svc.`category`, 'Other') AS STRING) AS `ServiceCategory`,
  CAST(COALESCE(__svc.`serviceName`, k.`service_description`) AS STRING) AS `ServiceName`,
  CAST(COALESCE(__svc.`subcategory`, 'Other (Other)') AS STRING) AS `ServiceSubcategory`,
  k.`focus$SkuId` AS `SkuId`,
  k.`focus$SkuMeter` AS `SkuMeter`,
  k.`focus$SkuPriceDetails` AS `SkuPriceDetails`,
  k.`focus$SkuPriceId` AS `SkuPriceId`,
  k.`focus$SubAccountId` AS `SubAccountId`,
  k.`focus$SubAccountName` AS `SubAccountName`,
  k.`focus$SubAccountType` AS `SubAccountType`,
  k.`focus$Tags` AS `Tags`,
  __svc.`family` AS `__service_family`,
  __rgn.`geo` AS `__region_geo`,
  __rgn.`country` AS `__region_country`,
  (1 / NULLIF(k.`currency_conversion_rate`, 0)) AS __provider_rate
FROM (SELECT *, `service_description` AS __service_key,
  COALESCE(`location_region`, `location_location`) AS __region_key,
  `usage_pricing_unit` AS __pricing_unit_key,
  `usage_unit` AS __consumed_unit_key,
  CAST(`location_zone` AS STRING) AS `focus$AvailabilityZone`,
  CAST('Billing Account' AS STRING) AS `focus$BillingAccountType`,
  CAST(NULL AS STRING) AS `focus$CapacityReservationId`,
  CAST(CASE WHEN (`cost_type` = 'adjustment') THEN 'Correction' END AS STRING) AS `focus$ChargeClass`,
  CAST(`sku_description` AS STRING) AS `focus$ChargeDescription`,
  CAST(CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Recurring' WHEN (`cost_type` = 'regular') THEN 'Usage-Based' ELSE 'One-Time' END AS STRING) AS `focus$ChargeFrequency`,
  CAST(NULL AS BIGNUMERIC) AS `focus$CommitmentDiscountQuantity`,
  CAST((`cost` / NULLIF(CASE WHEN (CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN `usage_amount_in_pricing_units` END, 0)) AS BIGNUMERIC) AS `focus$ContractedUnitPrice`,
  CAST(CASE WHEN (STRPOS(LOWER(COALESCE(`transaction_type`, '')), 'third_party') > 0) THEN COALESCE(`seller_name`, 'Google') ELSE 'Google' END AS STRING) AS `focus$InvoiceIssuerName`,
  CAST(COALESCE(`cost_at_list`, `cost`) AS BIGNUMERIC) AS `focus$ListCost`,
  CAST((COALESCE(`cost_at_list`, `cost`) / NULLIF(CASE WHEN (CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN `usage_amount_in_pricing_units` END, 0)) AS BIGNUMERIC) AS `focus$ListUnitPrice`,
  CAST(CASE WHEN ((`cost_type` = 'regular') AND EXISTS(SELECT 1
FROM UNNEST(`credits`) AS c
WHERE c.`type` IN ('COMMITTED_USAGE_DISCOUNT', 'COMMITTED_USAGE_DISCOUNT_DOLLAR_BASE'))) THEN 'Committed' WHEN (CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN 'Standard' END AS STRING) AS `focus$PricingCategory`,
  CAST(CASE WHEN (CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN `usage_amount_in_pricing_units` END AS BIGNUMERIC) AS `focus$PricingQuantity`,
  CAST('Google Cloud' AS STRING) AS `focus$ProviderName`,
  CAST(CASE WHEN (STRPOS(LOWER(COALESCE(`transaction_type`, '')), 'third_party') > 0) THEN COALESCE(`seller_name`, 'Google Cloud Marketplace') ELSE 'Google Cloud' END AS STRING) AS `focus$PublisherName`,
  CAST(COALESCE(`location_region`, `location_location`) AS STRING) AS `focus$RegionId`,
  CAST(COALESCE(`resource_global_name`, `resource_name`) AS STRING) AS `focus$ResourceId`,
  CAST(`resource_name` AS STRING) AS `focus$ResourceName`,
  CAST(CASE WHEN ((NOT (__regex0 IS NULL)) AND (NOT (__regex1 IS NULL))) THEN (__regex0 || '/' || __regex1) ELSE CASE WHEN (NOT (COALESCE(`resource_global_name`, `resource_name`) IS NULL)) THEN `service_description` END END AS STRING) AS `focus$ResourceType`,
  CAST(CASE WHEN (`cost_type` = 'tax') THEN NULL ELSE `sku_id` END AS STRING) AS `focus$SkuId`,
  CAST(CASE WHEN (NOT (CASE WHEN (`cost_type` = 'tax') THEN NULL ELSE `sku_id` END IS NULL)) THEN `sku_description` END AS STRING) AS `focus$SkuMeter`,
  PARSE_JSON(NULL) AS `focus$SkuPriceDetails`,
  CAST(CASE WHEN (CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END IN ('Usage', 'Purchase')) THEN CASE WHEN (`cost_type` = 'tax') THEN NULL ELSE `sku_id` END END AS STRING) AS `focus$SkuPriceId`,
  CAST(`project_id` AS STRING) AS `focus$SubAccountId`,
  CAST(`project_name` AS STRING) AS `focus$SubAccountName`,
  CAST(CASE WHEN (NOT (`project_id` IS NULL)) THEN 'Project' END AS STRING) AS `focus$SubAccountType`,
  PARSE_JSON((SELECT NULLIF(CONCAT('{', ARRAY_TO_STRING(ARRAY(SELECT CONCAT(TO_JSON_STRING(k), ':', TO_JSON_STRING(v))
FROM (SELECT k, ARRAY_AGG(STRUCT(v)
ORDER BY r DESC, o DESC LIMIT 1)[OFFSET(0)].v AS v
FROM (SELECT __key AS k,
  CASE JSON_TYPE(__j.j[__key]) WHEN 'null' THEN NULL WHEN 'object' THEN TO_JSON_STRING(__j.j[__key]) WHEN 'array' THEN TO_JSON_STRING(__j.j[__key]) ELSE LAX_STRING(__j.j[__key]) END AS v,
  0 AS r,
  o
FROM (SELECT SAFE.PARSE_JSON((SELECT NULLIF(CONCAT('{', ARRAY_TO_STRING(ARRAY(SELECT CONCAT(TO_JSON_STRING(k), ':', TO_JSON_STRING(v))
FROM (SELECT k, ARRAY_AGG(STRUCT(v)
ORDER BY r DESC, o DESC LIMIT 1)[OFFSET(0)].v AS v
FROM (SELECT CAST(e.key AS STRING) AS k,
  CAST(e.value AS STRING) AS v,
  1 AS r,
  o
FROM UNNEST(`project_labels`) AS e WITH OFFSET AS o
WHERE e.key IS NOT NULL) AS __rows
GROUP BY k) AS __members
ORDER BY k), ','), '}'), '{}'))) AS j) AS __j,
  UNNEST(ARRAY(SELECT CASE WHEN STARTS_WITH(__path, '"') THEN JSON_VALUE(CONCAT('[', __path, ']'), '$[0]') ELSE __path END
FROM UNNEST(JSON_KEYS(__j.j, 1)) AS __path)) AS __key WITH OFFSET AS o
UNION ALL SELECT __key AS k,
  CASE JSON_TYPE(__j.j[__key]) WHEN 'null' THEN NULL WHEN 'object' THEN TO_JSON_STRING(__j.j[__key]) WHEN 'array' THEN TO_JSON_STRING(__j.j[__key]) ELSE LAX_STRING(__j.j[__key]) END AS v,
  1 AS r,
  o
FROM (SELECT SAFE.PARSE_JSON((SELECT NULLIF(CONCAT('{', ARRAY_TO_STRING(ARRAY(SELECT CONCAT(TO_JSON_STRING(k), ':', TO_JSON_STRING(v))
FROM (SELECT k, ARRAY_AGG(STRUCT(v)
ORDER BY r DESC, o DESC LIMIT 1)[OFFSET(0)].v AS v
FROM (SELECT CAST(e.key AS STRING) AS k,
  CAST(e.value AS STRING) AS v,
  1 AS r,
  o
FROM UNNEST(`tags`) AS e WITH OFFSET AS o
WHERE e.key IS NOT NULL) AS __rows
GROUP BY k) AS __members
ORDER BY k), ','), '}'), '{}'))) AS j) AS __j,
  UNNEST(ARRAY(SELECT CASE WHEN STARTS_WITH(__path, '"') THEN JSON_VALUE(CONCAT('[', __path, ']'), '$[0]') ELSE __path END
FROM UNNEST(JSON_KEYS(__j.j, 1)) AS __path)) AS __key WITH OFFSET AS o
UNION ALL SELECT __key AS k,
  CASE JSON_TYPE(__j.j[__key]) WHEN 'null' THEN NULL WHEN 'object' THEN TO_JSON_STRING(__j.j[__key]) WHEN 'array' THEN TO_JSON_STRING(__j.j[__key]) ELSE LAX_STRING(__j.j[__key]) END AS v,
  2 AS r,
  o
FROM (SELECT SAFE.PARSE_JSON((SELECT NULLIF(CONCAT('{', ARRAY_TO_STRING(ARRAY(SELECT CONCAT(TO_JSON_STRING(k), ':', TO_JSON_STRING(v))
FROM (SELECT k, ARRAY_AGG(STRUCT(v)
ORDER BY r DESC, o DESC LIMIT 1)[OFFSET(0)].v AS v
FROM (SELECT CAST(e.key AS STRING) AS k,
  CAST(e.value AS STRING) AS v,
  1 AS r,
  o
FROM UNNEST(`labels`) AS e WITH OFFSET AS o
WHERE e.key IS NOT NULL) AS __rows
GROUP BY k) AS __members
ORDER BY k), ','), '}'), '{}'))) AS j) AS __j,
  UNNEST(ARRAY(SELECT CASE WHEN STARTS_WITH(__path, '"') THEN JSON_VALUE(CONCAT('[', __path, ']'), '$[0]') ELSE __path END
FROM UNNEST(JSON_KEYS(__j.j, 1)) AS __path)) AS __key WITH OFFSET AS o) AS __rows
GROUP BY k) AS __members
ORDER BY k), ','), '}'), '{}'))) AS `focus$Tags`
FROM (SELECT *, NULLIF(REGEXP_EXTRACT(`resource_global_name`, '^//([^/]+)/'), '') AS __regex0,
  NULLIF(REGEXP_EXTRACT(`resource_global_name`, '^//[^/]+/(?:.*/)?([^/]+)/[^/]+$'), '') AS __regex1
FROM (SELECT *
FROM (SELECT *, CASE WHEN (NULLIF(trim(CAST(`raw$billing_account_id` AS STRING)), '') IS NULL) THEN 'missing value in billing_account_id' WHEN (NULLIF(trim(CAST(`raw$service_description` AS STRING)), '') IS NULL) THEN 'missing value in service_description' WHEN (`raw$usage_start_time` IS NULL) THEN 'missing value in usage_start_time' WHEN NOT (`raw$usage_start_time` IS NULL) AND `usage_start_time` IS NULL THEN 'bad date in usage_start_time: ' || substr(CAST(`raw$usage_start_time` AS STRING), 1, 80) WHEN (`raw$usage_end_time` IS NULL) THEN 'missing value in usage_end_time' WHEN NOT (`raw$usage_end_time` IS NULL) AND `usage_end_time` IS NULL THEN 'bad date in usage_end_time: ' || substr(CAST(`raw$usage_end_time` AS STRING), 1, 80) WHEN (`raw$cost` IS NULL) THEN 'missing value in cost' WHEN NOT (`raw$cost` IS NULL) AND `cost` IS NULL THEN 'bad number in cost: ' || substr(CAST(`raw$cost` AS STRING), 1, 80) WHEN (NULLIF(trim(CAST(`raw$currency` AS STRING)), '') IS NULL) THEN 'missing value in currency' WHEN NOT (`raw$currency_conversion_rate` IS NULL) AND `currency_conversion_rate` IS NULL THEN 'bad number in currency_conversion_rate: ' || substr(CAST(`raw$currency_conversion_rate` AS STRING), 1, 80) WHEN NOT (`raw$usage_amount` IS NULL) AND `usage_amount` IS NULL THEN 'bad number in usage_amount: ' || substr(CAST(`raw$usage_amount` AS STRING), 1, 80) WHEN NOT (`raw$usage_amount_in_pricing_units` IS NULL) AND `usage_amount_in_pricing_units` IS NULL THEN 'bad number in usage_amount_in_pricing_units: ' || substr(CAST(`raw$usage_amount_in_pricing_units` AS STRING), 1, 80) WHEN (NULLIF(trim(CAST(`raw$invoice_month` AS STRING)), '') IS NULL) THEN 'missing value in invoice_month' WHEN NOT (`raw$cost_at_list` IS NULL) AND `cost_at_list` IS NULL THEN 'bad number in cost_at_list: ' || substr(CAST(`raw$cost_at_list` AS STRING), 1, 80) WHEN `focus$BilledCost` IS NULL THEN 'cannot derive BilledCost: a value it depends on is missing or malformed' WHEN `focus$EffectiveCost` IS NULL THEN 'cannot derive EffectiveCost: a value it depends on is missing or malformed' WHEN `focus$BillingCurrency` IS NULL THEN 'cannot derive BillingCurrency: a value it depends on is missing or malformed' WHEN `focus$BillingAccountId` IS NULL THEN 'cannot derive BillingAccountId: a value it depends on is missing or malformed' WHEN `focus$BillingPeriodStart` IS NULL THEN 'cannot derive BillingPeriodStart: a value it depends on is missing or malformed' WHEN `focus$BillingPeriodEnd` IS NULL THEN 'cannot derive BillingPeriodEnd: a value it depends on is missing or malformed' WHEN `focus$ChargePeriodStart` IS NULL THEN 'cannot derive ChargePeriodStart: a value it depends on is missing or malformed' WHEN `focus$ChargePeriodEnd` IS NULL THEN 'cannot derive ChargePeriodEnd: a value it depends on is missing or malformed' WHEN `focus$ChargeCategory` IS NULL THEN 'cannot derive ChargeCategory: a value it depends on is missing or malformed' WHEN `focus$ChargePeriodEnd` < `focus$ChargePeriodStart` THEN 'ChargePeriodEnd is before ChargePeriodStart' WHEN `focus$BillingPeriodEnd` < `focus$BillingPeriodStart` THEN 'BillingPeriodEnd is before BillingPeriodStart' END AS __reason
FROM (SELECT *, CAST(`cost` AS BIGNUMERIC) AS `focus$BilledCost`,
  CAST(`billing_account_id` AS STRING) AS `focus$BillingAccountId`,
  CAST(`currency` AS STRING) AS `focus$BillingCurrency`,
  CAST(TIMESTAMP(DATETIME_ADD(DATETIME(SAFE.PARSE_DATE('%Y%m%d', CONCAT(CAST(`invoice_month` AS STRING), '01'))), INTERVAL 1 MONTH), 'America/Los_Angeles') AS TIMESTAMP) AS `focus$BillingPeriodEnd`,
  CAST(CASE WHEN ((`cost_type` = 'regular') AND (STRPOS(LOWER(`sku_description`), 'commitment') > 0)) THEN 'Purchase' WHEN (`cost_type` = 'regular') THEN 'Usage' WHEN (`cost_type` = 'tax') THEN 'Tax' ELSE 'Adjustment' END AS STRING) AS `focus$ChargeCategory`,
  CAST(`usage_end_time` AS TIMESTAMP) AS `focus$ChargePeriodEnd`,
  CAST(`usage_start_time` AS TIMESTAMP) AS `focus$ChargePeriodStart`,
  CAST((`cost` + (SELECT CASE WHEN COUNTIF(c.`amount` IS NOT NULL AND SAFE_CAST(SAFE_CAST(c.`amount` AS STRING) AS BIGNUMERIC) IS NULL) = 0 THEN COALESCE(SUM(SAFE_CAST(SAFE_CAST(c.`amount` AS STRING) AS BIGNUMERIC)), 0) END
FROM UNNEST(`credits`) AS c)) AS BIGNUMERIC) AS `focus$EffectiveCost`
FROM (SELECT *, CAST(TIMESTAMP(DATETIME_ADD(DATETIME(SAFE.PARSE_DATE('%Y%m%d', CONCAT(CAST(`invoice_month` AS STRING), '01'))), INTERVAL 0 MONTH), 'America/Los_Angeles') AS TIMESTAMP) AS `focus$BillingPeriodStart`
FROM (SELECT __file, __row, `billing_account_id` AS `raw$billing_account_id`,
  NULLIF(trim(CAST(`billing_account_id` AS STRING)), '') AS `billing_account_id`,
  `service_description` AS `raw$service_description`,
  NULLIF(trim(CAST(`service_description` AS STRING)), '') AS `service_description`,
  `sku_id` AS `raw$sku_id`,
  NULLIF(trim(CAST(`sku_id` AS STRING)), '') AS `sku_id`,
  `sku_description` AS `raw$sku_description`,
  NULLIF(trim(CAST(`sku_description` AS STRING)), '') AS `sku_description`,
  `usage_start_time` AS `raw$usage_start_time`,
  CAST(`usage_start_time` AS TIMESTAMP) AS `usage_start_time`,
  `usage_end_time` AS `raw$usage_end_time`,
  CAST(`usage_end_time` AS TIMESTAMP) AS `usage_end_time`,
  `project_id` AS `raw$project_id`,
  NULLIF(trim(CAST(`project_id` AS STRING)), '') AS `project_id`,
  `project_name` AS `raw$project_name`,
  NULLIF(trim(CAST(`project_name` AS STRING)), '') AS `project_name`,
  `project_labels` AS `raw$project_labels`,
  `project_labels` AS `project_labels`,
  `labels` AS `raw$labels`,
  `labels` AS `labels`,
  `tags` AS `raw$tags`,
  `tags` AS `tags`,
  `location_region` AS `raw$location_region`,
  NULLIF(trim(CAST(`location_region` AS STRING)), '') AS `location_region`,
  `location_location` AS `raw$location_location`,
  NULLIF(trim(CAST(`location_location` AS STRING)), '') AS `location_location`,
  `location_zone` AS `raw$location_zone`,
  NULLIF(trim(CAST(`location_zone` AS STRING)), '') AS `location_zone`,
  `resource_name` AS `raw$resource_name`,
  NULLIF(trim(CAST(`resource_name` AS STRING)), '') AS `resource_name`,
  `resource_global_name` AS `raw$resource_global_name`,
  NULLIF(trim(CAST(`resource_global_name` AS STRING)), '') AS `resource_global_name`,
  `cost` AS `raw$cost`,
  SAFE_CAST(SAFE_CAST(`cost` AS STRING) AS BIGNUMERIC) AS `cost`,
  `currency` AS `raw$currency`,
  NULLIF(trim(CAST(`currency` AS STRING)), '') AS `currency`,
  `currency_conversion_rate` AS `raw$currency_conversion_rate`,
  SAFE_CAST(SAFE_CAST(`currency_conversion_rate` AS STRING) AS BIGNUMERIC) AS `currency_conversion_rate`,
  `usage_amount` AS `raw$usage_amount`,
  SAFE_CAST(SAFE_CAST(`usage_amount` AS STRING) AS BIGNUMERIC) AS `usage_amount`,
  `usage_unit` AS `raw$usage_unit`,
  NULLIF(trim(CAST(`usage_unit` AS STRING)), '') AS `usage_unit`,
  `usage_amount_in_pricing_units` AS `raw$usage_amount_in_pricing_units`,
  SAFE_CAST(SAFE_CAST(`usage_amount_in_pricing_units` AS STRING) AS BIGNUMERIC) AS `usage_amount_in_pricing_units`,
  `usage_pricing_unit` AS `raw$usage_pricing_unit`,
  NULLIF(trim(CAST(`usage_pricing_unit` AS STRING)), '') AS `usage_pricing_unit`,
  `credits` AS `raw$credits`,
  `credits` AS `credits`,
  `invoice_month` AS `raw$invoice_month`,
  NULLIF(trim(CAST(`invoice_month` AS STRING)), '') AS `invoice_month`,
  `cost_type` AS `raw$cost_type`,
  NULLIF(trim(CAST(`cost_type` AS STRING)), '') AS `cost_type`,
  `cost_at_list` AS `raw$cost_at_list`,
  SAFE_CAST(SAFE_CAST(`cost_at_list` AS STRING) AS BIGNUMERIC) AS `cost_at_list`,
  `transaction_type` AS `raw$transaction_type`,
  NULLIF(trim(CAST(`transaction_type` AS STRING)), '') AS `transaction_type`,
  `seller_name` AS `raw$seller_name`,
  NULLIF(trim(CAST(`seller_name` AS STRING)), '') AS `seller_name`
FROM (SELECT 'gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C' AS __file,
  CAST(NULL AS INT64) AS __row,
  `billing_account_id` AS `billing_account_id`,
  `service`.`description` AS `service_description`,
  `sku`.`id` AS `sku_id`,
  `sku`.`description` AS `sku_description`,
  `usage_start_time` AS `usage_start_time`,
  `usage_end_time` AS `usage_end_time`,
  `project`.`id` AS `project_id`,
  `project`.`name` AS `project_name`,
  `project`.`labels` AS `project_labels`,
  `labels` AS `labels`,
  `tags` AS `tags`,
  `location`.`region` AS `location_region`,
  `location`.`location` AS `location_location`,
  `location`.`zone` AS `location_zone`,
  `resource`.`name` AS `resource_name`,
  `resource`.`global_name` AS `resource_global_name`,
  `cost` AS `cost`,
  `currency` AS `currency`,
  `currency_conversion_rate` AS `currency_conversion_rate`,
  `usage`.`amount` AS `usage_amount`,
  `usage`.`unit` AS `usage_unit`,
  `usage`.`amount_in_pricing_units` AS `usage_amount_in_pricing_units`,
  `usage`.`pricing_unit` AS `usage_pricing_unit`,
  `credits` AS `credits`,
  `invoice`.`month` AS `invoice_month`,
  `cost_type` AS `cost_type`,
  `cost_at_list` AS `cost_at_list`,
  `transaction_type` AS `transaction_type`,
  `seller_name` AS `seller_name`
FROM `acme-billing.costline_acme_billing_export.gcp_billing_export_resource_v1_0A1B2C_3D4E5F_6A7B8C`
WHERE invoice.month = '202610')) AS typed) AS dated) AS early) AS checked
WHERE __reason IS NULL) AS s0) AS r) AS k
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('gcp' AS `provider`,
  'computeengine' AS `key`,
  'Compute Engine' AS `serviceName`,
  'Compute' AS `category`,
  'Virtual Machines' AS `subcategory`,
  'compute' AS `family`), STRUCT('gcp', 'cloudrun', 'Cloud Run', 'Compute', 'Serverless Compute', 'compute'), STRUCT('gcp', 'cloudfunctions', 'Cloud Functions', 'Compute', 'Serverless Compute', 'compute'), STRUCT('gcp', 'appengine', 'App Engine', 'Web', 'Application Platforms', 'compute'), STRUCT('gcp', 'vmwareengine', 'Google Cloud VMware Engine', 'Compute', 'Virtual Machines', 'compute'), STRUCT('gcp', 'baremetalsolution', 'Bare Metal Solution', 'Compute', 'Other (Compute)', 'compute'), STRUCT('gcp', 'cloudworkstations', 'Cloud Workstations', 'Developer Tools', 'Development Environments', 'developer-tools'), STRUCT('gcp', 'kubernetesengine', 'Google Kubernetes Engine', 'Compute', 'Containers', 'kubernetes'), STRUCT('gcp', 'anthos', 'Anthos', 'Multicloud', 'Multicloud Integration', 'kubernetes'), STRUCT('gcp', 'artifactregistry', 'Artifact Registry', 'Developer Tools', 'Developer Platforms', 'developer-tools'), STRUCT('gcp', 'containerregistryvulnerabilityscanning', 'Container Registry Vulnerability Scanning', 'Security', 'Security Posture Management', 'security'), STRUCT('gcp', 'cloudstorage', 'Cloud Storage', 'Storage', 'Object Storage', 'storage'), STRUCT('gcp', 'cloudfilestore', 'Filestore', 'Storage', 'File Storage', 'storage'), STRUCT('gcp', 'backupanddrservice', 'Backup and DR Service', 'Storage', 'Backup Storage', 'storage'), STRUCT('gcp', 'storagetransferservice', 'Storage Transfer Service', 'Migration', 'Data Migration', 'migration'), STRUCT('gcp', 'transferappliance', 'Transfer Appliance', 'Migration', 'Data Migration', 'migration'), STRUCT('gcp', 'cloudsql', 'Cloud SQL', 'Databases', 'Relational Databases', 'database'), STRUCT('gcp', 'cloudspanner', 'Spanner', 'Databases', 'Relational Databases', 'database'), STRUCT('gcp', 'alloydb', 'AlloyDB for PostgreSQL', 'Databases', 'Relational Databases', 'database'), STRUCT('gcp', 'cloudbigtable', 'Bigtable', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'cloudfirestore', 'Firestore', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'clouddatastore', 'Datastore', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'cloudmemorystoreforredis', 'Memorystore for Redis', 'Databases', 'Caching', 'database'), STRUCT('gcp', 'cloudmemorystoreformemcached', 'Memorystore for Memcached', 'Databases', 'Caching', 'database'), STRUCT('gcp', 'firebaserealtimedatabase', 'Firebase Realtime Database', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'databasemigrationservice', 'Database Migration Service', 'Migration', 'Data Migration', 'migration'), STRUCT('gcp', 'bigquery', 'BigQuery', 'Databases', 'Data Warehouses', 'analytics'), STRUCT('gcp', 'bigquerystorageapi', 'BigQuery Storage API', 'Databases', 'Data Warehouses', 'analytics'), STRUCT('gcp', 'bigqueryreservationapi', 'BigQuery Reservation API', 'Databases', 'Data Warehouses', 'analytics'), STRUCT('gcp', 'bigquerybiengine', 'BigQuery BI Engine', 'Analytics', 'Business Intelligence', 'analytics'), STRUCT('gcp', 'clouddataflow', 'Dataflow', 'Analytics', 'Data Processing', 'analytics'), STRUCT('gcp', 'clouddataproc', 'Dataproc', 'Analytics', 'Data Processing', 'analytics'), STRUCT('gcp', 'clouddatafusion', 'Cloud Data Fusion', 'Analytics', 'Data Processing', 'analytics'), STRUCT('gcp', 'dataplex', 'Dataplex', 'Management and Governance', 'Data Governance', 'analytics'), STRUCT('gcp', 'datacatalog', 'Data Catalog', 'Management and Governance', 'Data Governance', 'analytics'), STRUCT('gcp', 'looker', 'Looker', 'Analytics', 'Business Intelligence', 'analytics'), STRUCT('gcp', 'cloudpub/sub', 'Pub/Sub', 'Integration', 'Messaging', 'integration'), STRUCT('gcp', 'cloudcomposer', 'Cloud Composer', 'Integration', 'Workflow Orchestration', 'integration'), STRUCT('gcp', 'workflows', 'Workflows', 'Integration', 'Workflow Orchestration', 'integration'), STRUCT('gcp', 'cloudscheduler', 'Cloud Scheduler', 'Integration', 'Workflow Orchestration', 'integration'), STRUCT('gcp', 'cloudtasks', 'Cloud Tasks', 'Integration', 'Messaging', 'integration'), STRUCT('gcp', 'eventarc', 'Eventarc', 'Integration', 'Messaging', 'integration'), STRUCT('gcp', 'apigateway', 'API Gateway', 'Integration', 'API Management', 'integration'), STRUCT('gcp', 'apigee', 'Apigee', 'Integration', 'API Management', 'integration'), STRUCT('gcp', 'cloudendpoints', 'Cloud Endpoints', 'Integration', 'API Management', 'integration'), STRUCT('gcp', 'networking', 'Networking', 'Networking', 'Network Infrastructure', 'networking'), STRUCT('gcp', 'clouddns', 'Cloud DNS', 'Networking', 'Network Routing', 'networking'), STRUCT('gcp', 'cloudids', 'Cloud IDS', 'Networking', 'Network Security', 'security'), STRUCT('gcp', 'networkintelligencecenter', 'Network Intelligence Center', 'Networking', 'Other (Networking)', 'networking'), STRUCT('gcp', 'vertexai', 'Vertex AI', 'AI and Machine Learning', 'AI Platforms', 'ai-ml'), STRUCT('gcp', 'cloudtpu', 'Cloud TPU', 'AI and Machine Learning', 'Machine Learning', 'ai-ml'), STRUCT('gcp', 'cloudvisionapi', 'Cloud Vision', 'AI and Machine Learning', 'Other (AI and Machine Learning)', 'ai-ml'), STRUCT('gcp', 'cloudspeechapi', 'Speech-to-Text', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudtext-to-speechapi', 'Text-to-Speech', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudnaturallanguageapi', 'Cloud Natural Language', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudtranslationapi', 'Cloud Translation', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'dialogflow', 'Dialogflow', 'AI and Machine Learning', 'Bots', 'ai-ml'), STRUCT('gcp', 'documentai', 'Document AI', 'AI and Machine Learning', 'Other (AI and Machine Learning)', 'ai-ml'), STRUCT('gcp', 'cloudkeymanagementservice(kms)', 'Cloud Key Management Service', 'Security', 'Secret Management', 'security'), STRUCT('gcp', 'secretmanager', 'Secret Manager', 'Security', 'Secret Management', 'security'), STRUCT('gcp', 'securitycommandcenter', 'Security Command Center', 'Security', 'Security Posture Management', 'security'), STRUCT('gcp', 'recaptchaenterprise', 'reCAPTCHA Enterprise', 'Security', 'Threat Detection and Response', 'security'), STRUCT('gcp', 'webrisk', 'Web Risk', 'Security', 'Threat Detection and Response', 'security'), STRUCT('gcp', 'identityplatform', 'Identity Platform', 'Identity', 'Identity and Access Management', 'security'), STRUCT('gcp', 'certificateauthorityservice', 'Certificate Authority Service', 'Security', 'Secret Management', 'security'), STRUCT('gcp', 'cloudlogging', 'Cloud Logging', 'Management and Governance', 'Observability', 'management'), STRUCT('gcp', 'cloudmonitoring', 'Cloud Monitoring', 'Management and Governance', 'Observability', 'management'), STRUCT('gcp', 'cloudtrace', 'Cloud Trace', 'Management and Governance', 'Observability', 'management'), STRUCT('gcp', 'support', 'Support', 'Management and Governance', 'Support', 'support'), STRUCT('gcp', 'cloudbuild', 'Cloud Build', 'Developer Tools', 'Continuous Integration and Deployment', 'developer-tools'), STRUCT('gcp', 'clouddeploy', 'Cloud Deploy', 'Developer Tools', 'Continuous Integration and Deployment', 'developer-tools'), STRUCT('gcp', 'cloudsourcerepositories', 'Cloud Source Repositories', 'Developer Tools', 'Source Code Management', 'developer-tools'), STRUCT('gcp', 'firebasehosting', 'Firebase Hosting', 'Web', 'Application Platforms', 'developer-tools'), STRUCT('gcp', 'cloudhealthcare', 'Cloud Healthcare API', 'Integration', 'Other (Integration)', 'integration'), STRUCT('gcp', 'transcoderapi', 'Transcoder API', 'Media', 'Content Creation', 'media'), STRUCT('gcp', 'googlecloudvmwareengine', 'Google Cloud VMware Engine', 'Compute', 'Virtual Machines', 'compute'), STRUCT('gcp', 'googlekubernetesengine', 'Google Kubernetes Engine', 'Compute', 'Containers', 'kubernetes'), STRUCT('gcp', 'filestore', 'Filestore', 'Storage', 'File Storage', 'storage'), STRUCT('gcp', 'spanner', 'Spanner', 'Databases', 'Relational Databases', 'database'), STRUCT('gcp', 'alloydbforpostgresql', 'AlloyDB for PostgreSQL', 'Databases', 'Relational Databases', 'database'), STRUCT('gcp', 'bigtable', 'Bigtable', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'firestore', 'Firestore', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'datastore', 'Datastore', 'Databases', 'NoSQL Databases', 'database'), STRUCT('gcp', 'memorystoreforredis', 'Memorystore for Redis', 'Databases', 'Caching', 'database'), STRUCT('gcp', 'memorystoreformemcached', 'Memorystore for Memcached', 'Databases', 'Caching', 'database'), STRUCT('gcp', 'dataflow', 'Dataflow', 'Analytics', 'Data Processing', 'analytics'), STRUCT('gcp', 'dataproc', 'Dataproc', 'Analytics', 'Data Processing', 'analytics'), STRUCT('gcp', 'pub/sub', 'Pub/Sub', 'Integration', 'Messaging', 'integration'), STRUCT('gcp', 'cloudvision', 'Cloud Vision', 'AI and Machine Learning', 'Other (AI and Machine Learning)', 'ai-ml'), STRUCT('gcp', 'speech-to-text', 'Speech-to-Text', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'text-to-speech', 'Text-to-Speech', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudnaturallanguage', 'Cloud Natural Language', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudtranslation', 'Cloud Translation', 'AI and Machine Learning', 'Natural Language Processing', 'ai-ml'), STRUCT('gcp', 'cloudkeymanagementservice', 'Cloud Key Management Service', 'Security', 'Secret Management', 'security'), STRUCT('gcp', 'cloudhealthcareapi', 'Cloud Healthcare API', 'Integration', 'Other (Integration)', 'integration')])) AS __svc ON __svc.provider = 'gcp' AND __svc.key = LOWER(REPLACE(CAST(k.__service_key AS STRING), ' ', ''))
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('gcp' AS `provider`,
  'us-central1' AS `id`,
  'Iowa' AS `name`,
  'us-central' AS `geo`,
  'US' AS `country`), STRUCT('gcp', 'us-east1', 'South Carolina', 'us-east', 'US'), STRUCT('gcp', 'us-east4', 'Northern Virginia', 'us-east', 'US'), STRUCT('gcp', 'us-east5', 'Columbus', 'us-east', 'US'), STRUCT('gcp', 'us-south1', 'Dallas', 'us-central', 'US'), STRUCT('gcp', 'us-west1', 'Oregon', 'us-west', 'US'), STRUCT('gcp', 'us-west2', 'Los Angeles', 'us-west', 'US'), STRUCT('gcp', 'us-west3', 'Salt Lake City', 'us-west', 'US'), STRUCT('gcp', 'us-west4', 'Las Vegas', 'us-west', 'US'), STRUCT('gcp', 'northamerica-northeast1', 'Montréal', 'ca', 'CA'), STRUCT('gcp', 'northamerica-northeast2', 'Toronto', 'ca', 'CA'), STRUCT('gcp', 'northamerica-south1', 'Querétaro', 'mx', 'MX'), STRUCT('gcp', 'southamerica-east1', 'São Paulo', 'sa', 'BR'), STRUCT('gcp', 'southamerica-west1', 'Santiago', 'sa', 'CL'), STRUCT('gcp', 'europe-west1', 'Belgium', 'eu-west', 'BE'), STRUCT('gcp', 'europe-west2', 'London', 'eu-west', 'GB'), STRUCT('gcp', 'europe-west3', 'Frankfurt', 'eu-central', 'DE'), STRUCT('gcp', 'europe-west4', 'Netherlands', 'eu-west', 'NL'), STRUCT('gcp', 'europe-west6', 'Zurich', 'eu-central', 'CH'), STRUCT('gcp', 'europe-west8', 'Milan', 'eu-south', 'IT'), STRUCT('gcp', 'europe-west9', 'Paris', 'eu-west', 'FR'), STRUCT('gcp', 'europe-west10', 'Berlin', 'eu-central', 'DE'), STRUCT('gcp', 'europe-west12', 'Turin', 'eu-south', 'IT'), STRUCT('gcp', 'europe-central2', 'Warsaw', 'eu-central', 'PL'), STRUCT('gcp', 'europe-north1', 'Finland', 'eu-north', 'FI'), STRUCT('gcp', 'europe-north2', 'Stockholm', 'eu-north', 'SE'), STRUCT('gcp', 'europe-southwest1', 'Madrid', 'eu-south', 'ES'), STRUCT('gcp', 'me-central1', 'Doha', 'me', 'QA'), STRUCT('gcp', 'me-central2', 'Dammam', 'me', 'SA'), STRUCT('gcp', 'me-west1', 'Tel Aviv', 'me', 'IL'), STRUCT('gcp', 'africa-south1', 'Johannesburg', 'af', 'ZA'), STRUCT('gcp', 'asia-east1', 'Taiwan', 'ap-east', 'TW'), STRUCT('gcp', 'asia-east2', 'Hong Kong', 'ap-east', 'HK'), STRUCT('gcp', 'asia-northeast1', 'Tokyo', 'ap-northeast', 'JP'), STRUCT('gcp', 'asia-northeast2', 'Osaka', 'ap-northeast', 'JP'), STRUCT('gcp', 'asia-northeast3', 'Seoul', 'ap-northeast', 'KR'), STRUCT('gcp', 'asia-south1', 'Mumbai', 'ap-south', 'IN'), STRUCT('gcp', 'asia-south2', 'Delhi', 'ap-south', 'IN'), STRUCT('gcp', 'asia-southeast1', 'Singapore', 'ap-southeast', 'SG'), STRUCT('gcp', 'asia-southeast2', 'Jakarta', 'ap-southeast', 'ID'), STRUCT('gcp', 'asia-southeast3', 'Bangkok', 'ap-southeast', 'TH'), STRUCT('gcp', 'australia-southeast1', 'Sydney', 'oceania', 'AU'), STRUCT('gcp', 'australia-southeast2', 'Melbourne', 'oceania', 'AU'), STRUCT('gcp', 'us', 'United States (multi-region)', 'us', 'US'), STRUCT('gcp', 'eu', 'European Union (multi-region)', 'eu', 'EU'), STRUCT('gcp', 'asia', 'Asia (multi-region)', 'ap', CAST(NULL AS STRING)), STRUCT('gcp', 'global', 'Global', 'global', CAST(NULL AS STRING))])) AS __rgn ON __rgn.provider = 'gcp' AND __rgn.id = LOWER(REPLACE(CAST(k.__region_key AS STRING), ' ', ''))
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('gcp' AS `provider`,
  'hour' AS `key`,
  'Hours' AS `unit`,
  'Hours' AS `block_unit`,
  CAST('1' AS BIGNUMERIC) AS `block`), STRUCT('gcp', 'seconds', 'Seconds', 'Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'month', 'Months', 'Months', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'bytes', 'B', 'B', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'byte-seconds', 'B-Seconds', 'B-Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibyte', 'GiB', 'GiB', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'tebibyte', 'TiB', 'TiB', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibytehour', 'GiB-Hours', 'GiB-Hours', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibytemonth', 'GiB-Months', 'GiB-Months', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'requests', 'Requests', 'Requests', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'count', 'Count', 'Count', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'vcpu-second', 'vCPU-Seconds', 'vCPU-Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', '1kcharacters', 'Characters', '1000 Characters', CAST('1000' AS BIGNUMERIC))])) AS __punit ON __punit.provider = 'gcp' AND __punit.key = LOWER(REPLACE(CAST(k.__pricing_unit_key AS STRING), ' ', ''))
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('gcp' AS `provider`,
  'hour' AS `key`,
  'Hours' AS `unit`,
  'Hours' AS `block_unit`,
  CAST('1' AS BIGNUMERIC) AS `block`), STRUCT('gcp', 'seconds', 'Seconds', 'Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'month', 'Months', 'Months', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'bytes', 'B', 'B', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'byte-seconds', 'B-Seconds', 'B-Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibyte', 'GiB', 'GiB', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'tebibyte', 'TiB', 'TiB', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibytehour', 'GiB-Hours', 'GiB-Hours', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'gibibytemonth', 'GiB-Months', 'GiB-Months', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'requests', 'Requests', 'Requests', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'count', 'Count', 'Count', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', 'vcpu-second', 'vCPU-Seconds', 'vCPU-Seconds', CAST('1' AS BIGNUMERIC)), STRUCT('gcp', '1kcharacters', 'Characters', '1000 Characters', CAST('1000' AS BIGNUMERIC))])) AS __cunit ON __cunit.provider = 'gcp' AND __cunit.key = LOWER(REPLACE(CAST(k.__consumed_unit_key AS STRING), ' ', ''))
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('0A1B2C-3D4E5F-6A7B8C' AS `id`,
  'ACME Production' AS `name`)])) AS __acct ON __acct.id = k.`focus$BillingAccountId`) AS m
LEFT JOIN (SELECT *
FROM UNNEST([STRUCT('EUR' AS `currency`,
  DATE '2026-09-30' AS `date`,
  CAST('1.08' AS BIGNUMERIC) AS `usd_per_unit`), STRUCT('EUR', DATE '2026-10-01', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-02', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-03', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-04', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-05', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-06', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-07', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-08', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-09', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-10', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-11', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-12', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-13', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-14', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-15', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-16', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-17', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-18', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-19', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-20', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-21', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-22', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-23', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-24', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-25', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-26', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-27', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-28', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-29', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-30', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-10-31', CAST('1.08' AS BIGNUMERIC)), STRUCT('EUR', DATE '2026-11-01', CAST('1.08' AS BIGNUMERIC))])) AS __rate ON __rate.currency = m.`BillingCurrency` AND __rate.date = CAST(m.`ChargePeriodStart` AS DATE)) AS o;
  IF @@row_count != 42 THEN
    RAISE USING MESSAGE = CONCAT('inserted ', CAST(@@row_count AS STRING), ' rows, not the 42 counted: the export changed during the run');
  END IF;
  COMMIT TRANSACTION;
EXCEPTION WHEN ERROR THEN
  ROLLBACK TRANSACTION;
  RAISE USING MESSAGE = @@error.message;
END;
