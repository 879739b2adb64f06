import Link from "next/link";

export default function HostNotFound() {
  return (
    <main className="page">
      <h1>Host not found</h1>
      <p className="muted">It may have been deleted, or the link is wrong.</p>
      <p>
        <Link href="/">Back to the host overview</Link>
      </p>
    </main>
  );
}
