export * from "./errors";
export * from "./body";
export * from "./respond";
export * from "./route";
export * from "./wire";
