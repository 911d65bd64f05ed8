/**
 * Keeps what a streamed miss sent the client, to store the assembled answer once the stream ended well. It taps
 * the frames on their way to writeFrames (text `data: …\n\n`, already filtered by the relay) and parses them
 * only at the end; nothing on the relay changes. The relay withholds the usage chunk from clients that did not
 * ask for it, so the usage the call reported is passed to `answer()`.
 */
import type { OpenAIChunk, Usage } from '../providers/types.ts';
import { assembleAnswer } from './assemble.ts';
import type { StreamEndpoint } from './replay.ts';

/** Past this much streamed text the answer is not kept for the cache. */
export const MAX_COLLECTED_CHARS = 8 * 1024 * 1024;

export class AnswerCollector {
  private frames: string[] = [];
  private chars = 0;
  private overflow = false;

  /** The same frames, unchanged, each kept on the way. */
  async *tap(frames: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const frame of frames) {
      this.keep(frame);
      yield frame;
    }
  }

  keep(frame: string): void {
    if (this.overflow) return;
    this.chars += frame.length;
    if (this.chars > MAX_COLLECTED_CHARS) {
      this.overflow = true;
      this.frames = [];
    } else this.frames.push(frame);
  }

  /** The chunks seen (events that are not JSON, and `[DONE]`, are skipped). */
  chunks(): OpenAIChunk[] {
    const out: OpenAIChunk[] = [];
    for (const block of this.frames.join('').split(/\r?\n\r?\n/)) {
      const data = block
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data === '' || data === '[DONE]') continue;
      try {
        out.push(JSON.parse(data) as OpenAIChunk);
      } catch {
        // Not an OpenAI chunk: nothing to assemble from it.
      }
    }
    return out;
  }

  /**
   * The complete answer, or undefined (too long, unfinished, an error event). `usage`: what the call reported,
   * used when the client's stream did not carry it.
   */
  answer(endpoint: StreamEndpoint, usage?: Usage): Record<string, unknown> | undefined {
    if (this.overflow) return undefined;
    const answer = assembleAnswer(endpoint, this.chunks());
    if (answer && answer.usage === undefined && usage) answer.usage = usage;
    return answer;
  }
}
