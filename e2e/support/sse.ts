/** Parse a whole server-sent-events body (as tests read it) into its events. */

export interface SseEvent {
  /** The `event:` name (Anthropic names every event; OpenAI sends none). */
  event?: string;
  /** The `data:` lines joined with newlines. */
  data: string;
}

export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split('\n\n')) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push(event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') });
  }
  return events;
}

/** The JSON payloads of an OpenAI-style stream, without the final `[DONE]`. */
export function sseJson(text: string): unknown[] {
  return parseSse(text)
    .filter((event) => event.data !== '[DONE]')
    .map((event) => JSON.parse(event.data) as unknown);
}
