import Link from "next/link";

/** Rendered by pages whose permission the signed-in role lacks (the API refuses the same with 403). */
export function Forbidden({ what }: { what: string }) {
  return (
    <main className="page forbidden" data-testid="forbidden">
      <h1>Not allowed</h1>
      <p>Your role does not give access to {what}. Ask an administrator if you need it.</p>
      <p>
        <Link href="/">Back to the host overview</Link>
      </p>
    </main>
  );
}
