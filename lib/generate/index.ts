export * from "./generate-logs";
export * from "./rng";
