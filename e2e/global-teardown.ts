import { SERVER_KEY } from "./global-setup";

export default async function globalTeardown() {
  const server = (globalThis as Record<symbol, { stop(): Promise<void> } | undefined>)[SERVER_KEY];
  await server?.stop();
}
