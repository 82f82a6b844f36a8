export * from "./dashboard";
export * from "./figure";
export * from "./panels";
export * from "./detection-figures";
export * from "./overview";
export * from "./redteam-figures";
