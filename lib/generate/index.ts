export * from "./generate-logs";
export * from "./rng";
export * from "./campaigns";
export * from "./draw";
export * from "./geo";
export * from "./habits";
export * from "./scenario";
export * from "./samples";
