/**
 * Pages whose figures come from use cases not built yet on this branch (docs/dashboard.md, What is not
 * done): near-due and overdue dossiers, this month's agency report, open findings.
 */
import type { FC } from 'hono/jsx';
import { type Flash, Layout, NotYet, type Viewer } from './layout.js';

export const DeadlinesPage: FC<{ viewer: Viewer; flash?: Flash | undefined }> = ({ viewer, flash }) => (
  <Layout title="Hồ sơ sắp đến hạn và quá hạn" active="deadlines" viewer={viewer} flash={flash}>
    <NotYet what="danh sách hồ sơ sắp đến hạn, quá hạn theo cơ quan và tệp CSV" />
  </Layout>
);

export const ReportsPage: FC<{ viewer: Viewer; flash?: Flash | undefined }> = ({ viewer, flash }) => (
  <Layout title="Báo cáo cơ quan tháng này" active="reports" viewer={viewer} flash={flash}>
    <NotYet what="báo cáo theo cơ quan (bảng và biểu đồ)" />
  </Layout>
);

export const FindingsPage: FC<{ viewer: Viewer; flash?: Flash | undefined }> = ({ viewer, flash }) => (
  <Layout title="Phát hiện đang mở" active="findings" viewer={viewer} flash={flash}>
    <NotYet what="danh sách phát hiện của các lần đối soát" />
  </Layout>
);
