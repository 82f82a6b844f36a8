export * from "./tutorial-alerts";
