/**
 * The low floor every stage may import: frames, seeded random streams and hashing, quantiles,
 * robust statistics and geography. It imports no stage, so every import runs down the flow.
 */
export * from "./frame";
export * from "./geo";
export * from "./environment";
export * from "./paths";
export * from "./quantile";
export * from "./rng";
export * from "./robust";
