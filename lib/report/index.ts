export * from "./tutorial-summary";
