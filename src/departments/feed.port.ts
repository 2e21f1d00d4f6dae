/**
 * What the poller needs from a departmental system that cannot push: one page of its change feed
 * (docs/departments.md, Pull). Implemented by `adapters/departments/feed-client.ts`.
 */
import type { FeedCall, FeedOutcome } from '../../schemas/departments.js';

export interface DepartmentFeedPort {
  read(call: FeedCall): Promise<FeedOutcome>;
}
