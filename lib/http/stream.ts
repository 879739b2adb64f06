/**
 * A pull-driven byte stream over an async iterator of text chunks: the next chunk (one page of
 * rows) is produced only when the client has taken the previous one, so a slow reader holds the
 * server to one page in memory, however long the export.
 */
import { logDbError } from "@/lib/db/log";

export function textStream(chunks: AsyncIterator<string>, where: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(value));
        } catch (err) {
          // The status line is long sent: the client sees the body cut short, never a silent truncation.
          logDbError(where, err);
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

export function downloadHeaders(contentType: string, filename: string): Record<string, string> {
  return {
    "content-type": contentType,
    "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}
