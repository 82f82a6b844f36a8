export * from "./atomic-write";
export * from "./csv-scan";
export * from "./read-logs";
export * from "./write-logs";
export * from "./ingest";
export * from "./lines";
export * from "./csv-export";
export * from "./streaming-choice";
