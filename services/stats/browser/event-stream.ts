/**
 * Reads a Server-Sent Events body, calling onEvent(name, data) per event and
 * onBytes whenever anything arrives (comments too: the server's keep-alive);
 * resolves when the stream ends.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (name: string, data: string) => void,
  onBytes: () => void,
): Promise<void> {
  // TextDecoderStream takes any BufferSource, bytes included; TypeScript's DOM types do not see that.
  const decoder = new TextDecoderStream() as ReadableWritablePair<string, Uint8Array>;
  const reader = body.pipeThrough(decoder).getReader();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const dispatch = () => {
    if (data.length) onEvent(event || 'message', data.join('\n'));
    event = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    onBytes();
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    // the last piece is a line still arriving
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        dispatch();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let content = colon < 0 ? '' : line.slice(colon + 1);
      if (content.startsWith(' ')) content = content.slice(1);
      if (field === 'event') event = content;
      else if (field === 'data') data.push(content);
    }
  }
}
