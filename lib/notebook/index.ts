export * from "./display";
export * from "./paths";
export * from "./environment";
export * from "./own-logs";
