// A stage in people's words: an abandoned run keeps what it reached or what needs attention, marked abandoned.
import { describe, expect, it } from 'vitest';
import { stageWords } from '../../src/core/words.js';

describe('stageWords', () => {
  it('names the stage, the problem, or that no order was placed; an abandoned run says so after it', () => {
    expect(stageWords('in_portal', null)).toBe('in the dealer portal');
    expect(stageWords('needs_attention', 'shipping_unmapped')).toBe('needs attention: the shipping method is not mapped');
    expect(stageWords(null, null)).toBe('no order yet');
    expect(stageWords('in_portal', null, true)).toBe('in the dealer portal (abandoned)');
    expect(stageWords('needs_attention', 'shipping_unmapped', true)).toBe('needs attention: the shipping method is not mapped (abandoned)');
    expect(stageWords(null, null, true)).toBe('no order yet (abandoned)');
  });
});
