/**
 * threatlab: the "basic AI threat detection system" tutorial as a tested TypeScript library.
 * Stages follow the tutorial: generate → analyse → detect → visualise → alert.
 */
export * from "./alerts";
export * from "./analyze";
export * from "./detect";
export * from "./errors";
export * from "./generate";
export * from "./html";
export * from "./io";
export * from "./notebook";
export * from "./report";
export * from "./schema";
export * from "./shared";
export * from "./time";
export * from "./visualize";
export * from "./jupyter";
export * from "./evaluate";
export * from "./net";
export * from "./exercises";
