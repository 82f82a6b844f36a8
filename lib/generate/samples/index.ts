export * from "./samples";
