export * from "./generic";
export * from "./ingest";
export * from "./json-time";
export * from "./records";
export * from "./syslog";
export * from "./windows";
export * from "./zeek";
