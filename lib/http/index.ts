export { badRequest, conflict, forbidden, invalidInput, notFound, parseInput, unauthorized } from "@/lib/errors";
export * from "./body";
export * from "./respond";
export * from "./route";
