import assert from 'node:assert/strict';
import { effectiveLayers } from '../src/rollout.ts';
import type { RolloutState } from '../src/rollout.ts';

const rollout = (state: RolloutState['state']): RolloutState => ({ id: 'r1', state, created: '', by: 'admin' });

describe('effectiveLayers: where a canary sees a staged rollout', () => {
  it('puts rollout right above fleet while the rollout is canary or stopped', () => {
    for (const state of ['canary', 'stopped'] as const) {
      assert.deepEqual(effectiveLayers(['fleet', 'group:canary', 'group:web', 'host'], rollout(state)), ['fleet', 'rollout', 'group:canary', 'group:web', 'host']);
    }
    assert.deepEqual(effectiveLayers(['group:canary', 'host'], rollout('canary')), ['rollout', 'group:canary', 'host'], 'lowest without a fleet layer');
  });

  it('leaves the layers alone for a server outside group canary, no rollout, or one promoted or aborted', () => {
    assert.deepEqual(effectiveLayers(['fleet', 'group:web', 'host'], rollout('canary')), ['fleet', 'group:web', 'host']);
    assert.deepEqual(effectiveLayers(['fleet', 'group:canary', 'host'], undefined), ['fleet', 'group:canary', 'host']);
    for (const state of ['promoted', 'aborted'] as const) assert.deepEqual(effectiveLayers(['fleet', 'group:canary', 'host'], rollout(state)), ['fleet', 'group:canary', 'host']);
  });
});
