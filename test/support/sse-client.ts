/** A minimal Server-Sent Events reader over fetch, for tests against a listening server. */
export type SseFrame = { id?: string; event?: string; data?: string; comment?: string };

export type SseStream = {
  status: number;
  headers: Headers;
  body: string;
  /** Resolves with the next frame (comments included), or undefined when the stream ends. */
  next(): Promise<SseFrame | undefined>;
  /** The next frame that carries an event, skipping comments and `retry:` lines. */
  nextEvent(): Promise<SseFrame | undefined>;
  close(): void;
};

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) {
    return {
      status: res.status,
      headers: res.headers,
      body: await res.text(),
      next: async () => undefined,
      nextEvent: async () => undefined,
      close: () => abort.abort(),
    };
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const next = async (): Promise<SseFrame | undefined> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parseFrame(block);
      }
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return undefined;
      buffer += chunk.value;
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    body: "",
    next,
    async nextEvent() {
      for (;;) {
        const f = await next();
        if (!f || f.event !== undefined || f.data !== undefined) return f;
      }
    },
    close: () => abort.abort(),
  };
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":"))
      frame.comment = (frame.comment ? `${frame.comment}\n` : "") + line.slice(1).trim();
    else if (line.startsWith("id: ")) frame.id = line.slice(4);
    else if (line.startsWith("event: ")) frame.event = line.slice(7);
    else if (line.startsWith("data: ")) frame.data = (frame.data ? `${frame.data}\n` : "") + line.slice(6);
  }
  return frame;
}
