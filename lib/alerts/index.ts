export * from "./alerts";
export * from "./summaries";
export * from "./tutorial-alerts";
export * from "./format";
