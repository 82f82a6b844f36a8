export * from "./evaluate";
export * from "./evaluate-detectors";
export * from "./ground-truth";
export * from "./pr-curve";
export * from "./grid";
export * from "./labelled-sources";
