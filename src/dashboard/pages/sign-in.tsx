/** The sign-in page: an operator's API key becomes a session (docs/dashboard.md, Sessions). */
import type { FC } from 'hono/jsx';
import { type Flash, Layout } from './layout.js';

export const SignInPage: FC<{ flash?: Flash | undefined }> = ({ flash }) => (
  <Layout title="Đăng nhập" flash={flash}>
    <form method="post" action="/ops/sign-in" class="signin">
      <label for="key">Khóa API của nhân viên vận hành</label>
      <input id="key" name="key" type="password" autocomplete="off" required maxlength={200} />
      <p class="hint">
        Chỉ khóa có vai trò vận hành (operator) được đăng nhập. Phiên làm việc kết thúc khi đăng xuất, khi
        không dùng một thời gian, hoặc khi khóa bị thu hồi.
      </p>
      <button type="submit">Đăng nhập</button>
    </form>
  </Layout>
);
