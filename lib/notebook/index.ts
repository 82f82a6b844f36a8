export * from "./display";
export * from "./own-logs";
