export * from "./check";
export * from "./exercises";
