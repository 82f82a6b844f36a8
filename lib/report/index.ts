export * from "./tutorial-summary";
export * from "./evaluation-report";
