export * from "./users";
export * from "./hosts";
export * from "./snapshots";
export * from "./alerts";
export * from "./login-throttle";
export * from "./outbox";
export * from "./reenrollments";
export * from "./api-tokens";
