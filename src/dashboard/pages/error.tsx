/** An error page: what went wrong, in a sentence, and the way back. */
import type { FC } from 'hono/jsx';
import { Layout, type Viewer } from './layout.js';

export const ErrorPage: FC<{ viewer?: Viewer | undefined; title: string; text: string; back?: string }> = ({
  viewer,
  title,
  text,
  back,
}) => (
  <Layout title={title} viewer={viewer} flash={{ kind: 'error', text }}>
    <p>
      <a href={back ?? '/ops'}>Quay lại</a>
    </p>
  </Layout>
);
