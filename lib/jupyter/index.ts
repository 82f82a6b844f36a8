export * from "./execute-notebooks";
export * from "./find-jupyter";
export * from "./kernelspec";
export * from "./find-chromium";
export * from "./clean-notebook";
