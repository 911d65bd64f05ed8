import { describe, expect, it } from 'vitest';
import { seriesColours } from './chart-data.ts';
import { spendLogRow } from './test-fixtures.ts';
import { axisUsd, maskTokens, requestErrorMessage, requestRouting } from './usage-format.ts';

describe('axisUsd', () => {
  it('writes sub-cent ticks as plain decimals with two significant digits', () => {
    expect(axisUsd(0)).toBe('$0');
    expect(axisUsd(0.00045)).toBe('$0.00045');
    expect(axisUsd(0.000125)).toBe('$0.00013');
    expect(axisUsd(0.0000001)).toBe('$0.0000001'); // never "$1e-7"
    expect(axisUsd(0.05)).toBe('$0.05');
    expect(axisUsd(0.5)).toBe('$0.5');
    expect(axisUsd(2.5)).toBe('$2.5');
    expect(axisUsd(12)).toBe('$12');
    expect(axisUsd(1500)).toBe('$1.5k');
  });
});

describe('seriesColours', () => {
  it('gives a key or model the same colour whatever the others spend or in what order they come', () => {
    const ranked = seriesColours(['gpt-4o', 'claude-sonnet', 'llama3']);
    const reranked = seriesColours(['llama3', 'claude-sonnet', 'gpt-4o']);
    expect(reranked).toEqual(ranked);
    expect(seriesColours(['claude-sonnet']).get('claude-sonnet')).toBe(ranked.get('claude-sonnet'));
  });

  it('never gives two shown series the same colour, and keeps the last for "Other"', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const colours = [...seriesColours(ids).values()];
    expect(new Set(colours).size).toBe(7);
    expect(colours).not.toContain('var(--chart-8)');
  });
});

describe('requestRouting', () => {
  it('says which model was asked for and which group served', () => {
    expect(requestRouting(spendLogRow({ model_group: 'claude', requested_model: 'gpt-4o', metadata: { fallback: true } }))).toEqual({
      requested: 'gpt-4o',
      served: 'claude',
      fallback: true,
    });
    expect(requestRouting(spendLogRow({ model_group: 'gpt-4o' }))).toEqual({ requested: 'gpt-4o', served: 'gpt-4o', fallback: false });
    // A row recorded before the gateway kept the requested model: the served group only.
    expect(requestRouting(spendLogRow({ model_group: 'gpt-4o', requested_model: null, metadata: { fallback: undefined } }))).toEqual({
      requested: 'gpt-4o',
      served: 'gpt-4o',
      fallback: false,
    });
  });
});

describe('requestErrorMessage', () => {
  it('reads the masked message, or LiteLLM error_information, or nothing', () => {
    expect(requestErrorMessage(spendLogRow({ status: 'failure', metadata: { error_message: 'Rate limit reached for gpt-4o' } }))).toBe(
      'Rate limit reached for gpt-4o',
    );
    expect(
      requestErrorMessage(
        spendLogRow({
          status: 'failure',
          metadata: { error_information: { error_code: '401', error_class: null, error_message: 'Incorrect API key provided' } },
        }),
      ),
    ).toBe('Incorrect API key provided');
    expect(requestErrorMessage(spendLogRow({}))).toBeNull();
  });

  it('masks a token-shaped value the gateway let through', () => {
    expect(maskTokens('Incorrect API key provided: sk-proj-abcdefghijklmnop1234. See docs')).toBe('Incorrect API key provided: sk-…1234. See docs');
    expect(maskTokens('Authorization: Bearer abcdefghijklmnopqrstuvwxyz9876')).toBe('Authorization: Bearer …9876');
    expect(maskTokens('already masked sk-…abcd')).toBe('already masked sk-…abcd');
  });
});
