export * from "./tutorial-summary";
export * from "./evaluation-report";
export * from "./html-report";
export * from "./report-summary";
export * from "./write-report";
