export * from "./dashboard";
export * from "./figure";
export * from "./panels";
