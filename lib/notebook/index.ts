export * from "./display";
export * from "./paths";
