/** Use case: the registered departmental destinations, without credentials (docs/departments.md). */
import type { DestinationView } from '../../schemas/departments.js';
import type { Db } from '../store/store.js';
import { listDestinations as listRows } from './destination.store.js';
import { toDestinationView } from './destination.view.js';

export async function listDestinations(db: Db): Promise<DestinationView[]> {
  return (await listRows(db)).map(toDestinationView);
}
