/** Runs once when the server process starts: database, first admin, background jobs. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before the first request: sign-in limits need the socket's peer address (see the file).
  (await import("./lib/auth/client-address")).installPeerAddressHook();
  const { startServer } = await import("./lib/startup");
  await startServer();
}
