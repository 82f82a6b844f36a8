export * from "./describe";
export * from "./danfo";
export * from "./value-counts";
export * from "./histogram";
export * from "./top-entities";
