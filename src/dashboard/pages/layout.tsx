/** The frame of every dashboard page: header, navigation, flash message (docs/dashboard.md). */
import type { Child, FC } from 'hono/jsx';

export const NAV = [
  { href: '/ops', key: 'overview', text: 'Tổng quan' },
  { href: '/ops/dead-letters', key: 'dead', text: 'Chuyển giao thất bại' },
  { href: '/ops/reviews', key: 'reviews', text: 'Hồ sơ trùng' },
  { href: '/ops/deadlines', key: 'deadlines', text: 'Hạn xử lý' },
  { href: '/ops/reports', key: 'reports', text: 'Báo cáo tháng' },
  { href: '/ops/findings', key: 'findings', text: 'Phát hiện' },
  { href: '/ops/log', key: 'log', text: 'Nhật ký đối soát' },
] as const;

export interface Viewer {
  name: string;
  csrfToken: string;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

/** The hidden field every form of a signed-in page carries. */
export const Csrf: FC<{ token: string }> = ({ token }) => <input type="hidden" name="csrf" value={token} />;

export const Layout: FC<{
  title: string;
  active?: string;
  viewer?: Viewer | undefined;
  flash?: Flash | undefined;
  children?: Child;
}> = ({ title, active, viewer, flash, children }) => (
  <html lang="vi">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="same-origin" />
      <title>{`${title} · Liên thông · Vận hành`}</title>
      <link rel="icon" href="/ops/static/favicon.svg" type="image/svg+xml" />
      <link rel="stylesheet" href="/ops/static/dashboard.css" />
    </head>
    <body>
      <header class="top">
        <span class="brand">Cổng liên thông · Vận hành</span>
        {viewer ? (
          <nav>
            {NAV.map((n) => (
              <a href={n.href} class={n.key === active ? 'active' : undefined}>
                {n.text}
              </a>
            ))}
          </nav>
        ) : null}
        {viewer ? (
          <form method="post" action="/ops/sign-out" class="signout">
            <Csrf token={viewer.csrfToken} />
            <span class="who">{viewer.name}</span>
            <button type="submit">Đăng xuất</button>
          </form>
        ) : null}
      </header>
      <main>
        <h1>{title}</h1>
        {flash ? (
          <p class={`flash ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
            {flash.text}
          </p>
        ) : null}
        {children}
      </main>
    </body>
  </html>
);
