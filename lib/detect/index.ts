export * from "./percentile-rule";
export * from "./quantile";
