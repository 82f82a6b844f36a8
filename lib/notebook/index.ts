export * from "./display";
export * from "./paths";
export * from "./environment";
