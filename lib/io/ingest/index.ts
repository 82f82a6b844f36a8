export * from "./ingest";
export * from "./json-time";
export * from "./records";
export * from "../formats";
