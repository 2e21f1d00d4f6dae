import { describe, expect, it } from 'vitest';
import { sandboxBanner } from '../../src/runtime/node/sandbox.js';

describe('the sandbox banner', () => {
  const demo = [{ role: 'operator', name: 'demo: operator', key: 'lt_x' }];
  it('says where to see what the portal simulator received', () => {
    const text = sandboxBanner(demo, 'http://127.0.0.1:41523');
    expect(text).toContain('operator   demo: operator');
    expect(text).toContain('curl http://127.0.0.1:41523/__sim/stats');
  });
  it('says where the SMS provider simulator shows the texts it received, when SMS is on', () => {
    expect(sandboxBanner(demo, 'http://127.0.0.1:1', 'http://127.0.0.1:2')).toContain(
      'curl http://127.0.0.1:2/__sim/messages',
    );
    expect(sandboxBanner(demo, 'http://127.0.0.1:1')).not.toContain('SMS');
  });
  it('says so when the worker is off and nothing reaches the simulator', () => {
    expect(sandboxBanner(demo)).toContain('WORKER_ENABLED=false');
  });
});
