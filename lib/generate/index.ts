export * from "./generate-logs";
export * from "./campaigns";
export * from "./draw";
export * from "./habits";
export * from "./scenario";
export * from "./samples";
export * from "./write-generated";
