import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.ts';
import { ResponseStreamState, failureFrames } from './responses-events.ts';
import { withIdentity } from './responses-native.ts';

function events(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      const data = JSON.parse(dataLine!.slice('data: '.length)) as Record<string, unknown>;
      expect(eventLine).toBe(`event: ${String(data.type)}`);
      return data;
    });
}

describe('Responses stream failures', () => {
  it('continue the sequence with an error event, then response.failed on the response so far', () => {
    const state = new ResponseStreamState();
    state.seen(6);
    state.snapshot = { id: 'resp_1', object: 'response', status: 'in_progress', output: [] };
    const told = events(failureFrames(new GatewayError(429, 'slow down', { code: 'rate_limit_exceeded' }), state));
    expect(told).toEqual([
      { type: 'error', code: 'rate_limit_exceeded', message: 'slow down', param: null, sequence_number: 7 },
      {
        type: 'response.failed',
        response: {
          id: 'resp_1',
          object: 'response',
          status: 'failed',
          output: [],
          completed_at: null,
          error: { code: 'rate_limit_exceeded', message: 'slow down' },
        },
        sequence_number: 8,
      },
    ]);
  });

  it('are only an error event before any response was sent', () => {
    const told = events(failureFrames(new Error('boom'), new ResponseStreamState()));
    expect(told).toEqual([{ type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 0 }]);
  });
});

describe('withIdentity', () => {
  it('answers with the gateway id and the client own store and previous_response_id', () => {
    const upstream = { id: 'resp_upstream', object: 'response', store: false, previous_response_id: null, output: [] };
    expect(withIdentity(upstream, { id: 'resp_gw', store: true, previousId: 'resp_0' })).toEqual({
      id: 'resp_gw',
      object: 'response',
      store: true,
      previous_response_id: 'resp_0',
      output: [],
    });
  });
});
