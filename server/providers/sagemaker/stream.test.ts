import { describe, expect, it } from 'vitest';
import { testCallContext } from '../../test-support/fixtures.ts';
import type { AwsEventStreamFrame } from '../types.ts';
import { createInvocationStreamTranslator } from './stream.ts';

const part = (bytes: Uint8Array): AwsEventStreamFrame => ({ headers: { ':message-type': 'event', ':event-type': 'PayloadPart' }, payload: bytes });

describe('createInvocationStreamTranslator', () => {
  it('reads TGI events from PayloadParts cut anywhere, even inside a character', () => {
    const events = [
      `data:${JSON.stringify({ token: { id: 1, text: 'Grüße', logprob: 0, special: false }, generated_text: null, details: null })}\n\n`,
      `data:${JSON.stringify({ token: { id: 2, text: ' ✓', logprob: 0, special: false }, generated_text: 'Grüße ✓', details: { finish_reason: 'eos_token', generated_tokens: 2 } })}\n\n`,
    ].join('');
    const bytes = Buffer.from(events);
    const t = createInvocationStreamTranslator(testCallContext({}, { stream: true }));
    const chunks = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(...t.push(part(bytes.subarray(i, i + 3))));
    chunks.push(...t.end());
    const content = chunks.map((c) => (c.choices as { delta: { content?: string } }[])[0]?.delta.content ?? '').join('');
    expect(content).toBe('Grüße ✓');
    expect(chunks.map((c) => (c.choices as { finish_reason: string | null }[])[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
  });

  it('fails a stream that ends without TGI’s last event', () => {
    const t = createInvocationStreamTranslator(testCallContext({}, { stream: true }));
    t.push(part(Buffer.from(`data:${JSON.stringify({ token: { id: 1, text: 'a', special: false }, details: null })}\n\n`)));
    expect(() => t.end()).toThrow(/ended early/);
  });
});
